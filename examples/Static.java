import io.jepoll.http.Response;
import io.jepoll.server.HttpServer;
import io.jepoll.server.Router;
import io.jepoll.server.StaticFiles;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Files and an API side by side: the files of DIR under /assets (GET and HEAD, ranges,
 * validators, sendfile), and a JSON route under /api.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp core/target/jepoll-core-0.1.0.jar examples/Static.java 8080 site
 * curl http://127.0.0.1:8080/assets/index.html
 * curl http://127.0.0.1:8080/api/time         # {"now":"2026-12-02T10:00:00Z"}
 * </pre>
 */
public class Static {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Path dir = Path.of(args.length > 1 ? args[1] : ".");
        Router router = Router.builder()
                .mount("/assets", StaticFiles.of(dir))      // /assets/a.css serves DIR/a.css
                .get("/api/time", req -> Response.json("{\"now\":\"" + Instant.now() + "\"}"))
                .build();
        try (HttpServer server = HttpServer.builder().port(port).handler(router).start()) {
            System.out.println("listening on http://127.0.0.1:" + server.port() + "/ (files of " + dir.toAbsolutePath() + " under /assets)");
            server.awaitShutdown();
        }
    }
}
