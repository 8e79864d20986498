import io.jepoll.http.Compression;
import io.jepoll.http.Response;
import io.jepoll.http.SetCookie;
import io.jepoll.server.EventStream;
import io.jepoll.server.HttpServer;
import io.jepoll.server.Router;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small API on a Router: path parameters, a catch-all, JSON, 201 with Location, a large
 * compressible body, server-sent events and a cookie. Anything else is 404; a known path
 * with the wrong method is 405 with Allow.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp core/target/jepoll-core-0.1.0.jar examples/Routes.java 8080
 * curl http://127.0.0.1:8080/hello/J%C3%BCrgen          # Hello, Jürgen!
 * curl -X POST http://127.0.0.1:8080/users -i           # 201, Location: /users/1
 * curl -N http://127.0.0.1:8080/events                  # data: 1, data: 2, data: 3
 * curl --compressed http://127.0.0.1:8080/big -o /dev/null -w '%{size_download}\n'
 * </pre>
 */
public class Routes {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        AtomicInteger users = new AtomicInteger(); // handlers run on several loops at once
        Response big = Response.ok("All work and no play makes Jack a dull boy.\n".repeat(500).substring(0, 20_000));

        Router router = Router.builder()
                .get("/hello/{name}", req -> Response.ok("Hello, " + req.pathParam("name") + "!"))
                .get("/users/{id}", req -> Response.json("{\"id\":" + jsonString(req.pathParam("id")) + "}"))
                .post("/users", req -> Response.created("/users/" + users.incrementAndGet()))
                .get("/files/{path...}", req -> Response.ok(req.pathParam("path")))
                .get("/big", req -> big) // one Response for every request: encoded once, compressed per request
                .get("/events", req -> EventStream.response(events -> {
                    for (int i = 1; i <= 3; i++) events.send(Integer.toString(i));
                    events.close(); // the three events leave, then the response ends
                }))
                .get("/cookie", req -> Response.ok("a cookie for you\n")
                        .withCookie(SetCookie.builder("session", "abc").httpOnly(true).sameSite(SetCookie.SameSite.LAX).build()))
                .build();

        try (HttpServer server = HttpServer.builder()
                .port(port)
                .compression(Compression.gzip()) // text of 1 KiB or more, for clients that accept gzip
                .handler(router)
                .start()) {
            System.out.println("listening on http://127.0.0.1:" + server.port() + "/");
            server.awaitShutdown();
        }
    }

    /** A JSON string literal (RFC 8259 §7): no JSON library in the core, so the few escapes by hand. */
    static String jsonString(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
