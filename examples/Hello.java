import io.jepoll.http.Response;
import io.jepoll.server.HttpServer;

/**
 * The smallest jepoll application: one handler for every request, on the event loop.
 *
 * <pre>
 * ./mvnw -q -DskipTests package
 * java --enable-native-access=ALL-UNNAMED -cp core/target/jepoll-core-0.1.0.jar examples/Hello.java 8080
 * curl http://127.0.0.1:8080/world        # Hello, /world
 * </pre>
 */
public class Hello {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080; // 0: any free port
        try (HttpServer server = HttpServer.builder()
                .port(port)
                .handler(req -> Response.ok("Hello, " + req.path()))
                .start()) {
            System.out.println("listening on http://127.0.0.1:" + server.port() + "/");
            server.awaitShutdown(); // Ctrl-C stops it
        }
    }
}
