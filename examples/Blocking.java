import io.jepoll.http.Response;
import io.jepoll.server.Filter;
import io.jepoll.server.Handler;
import io.jepoll.server.HttpServer;
import io.jepoll.server.Router;

import java.time.Duration;

/**
 * A route that blocks, beside one that does not. Handlers run on the event loop unless marked
 * {@code Handler.blocking(h)}: then the route's whole chain (filters and handler) runs on a
 * virtual thread of its own, and may sleep, wait on a lock or call a blocking driver, while the
 * loop goes on serving every other connection. A filter stamps each answer with the thread it
 * ran on.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp core/target/jepoll-core-0.1.0.jar examples/Blocking.java 8080
 * curl http://127.0.0.1:8080/report?ms=500     # waits half a second, on a virtual thread
 * curl http://127.0.0.1:8080/now               # on the loop, at once, even while reports wait
 * </pre>
 */
public class Blocking {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Filter threadName = (req, next) -> next.handle(req)
                .withHeader("X-Thread", Thread.currentThread().isVirtual() ? "virtual" : Thread.currentThread().getName());

        Router router = Router.builder()
                .filter(threadName)
                .get("/report", Handler.blocking(req -> {
                    long ms = Long.parseLong(req.queryParam("ms") == null ? "200" : req.queryParam("ms"));
                    Thread.sleep(Duration.ofMillis(Math.min(ms, 10_000))); // stands for a slow database call
                    return Response.ok("report ready after " + ms + " ms\n");
                }))
                .get("/now", req -> Response.ok(System.currentTimeMillis() + "\n"))
                .build();

        try (HttpServer server = HttpServer.builder().port(port).handler(router).start()) {
            System.out.println("listening on http://127.0.0.1:" + server.port() + "/");
            server.awaitShutdown();
        }
    }
}
