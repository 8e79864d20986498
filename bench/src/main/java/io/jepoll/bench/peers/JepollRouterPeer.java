package io.jepoll.bench.peers;

import io.jepoll.http.Response;
import io.jepoll.server.Handler;
import io.jepoll.server.HttpServer;
import io.jepoll.server.Router;

/**
 * What a Router costs against the bare handler, on the same routes as {@link JepollPeer}: GET / and GET /16k, POST
 * /echo, among a few routes more, so the match is not a lone literal. Not in bench/run's rotation; run by hand,
 * pinned like the others: {@code JepollRouterPeer PORT router|bare}, epoll, level-triggered, one loop.
 */
public final class JepollRouterPeer {
    private JepollRouterPeer() {}

    private static final Response HELLO = Response.bytes(200, Peers.TEXT_PLAIN, Peers.HELLO);
    private static final Response BIG = Response.bytes(200, Peers.TEXT_PLAIN, Peers.BIG);

    public static void main(String[] args) throws Exception {
        int port = Peers.port(args);
        boolean routed = Peers.arg(args, 1, "router").equals("router");
        Handler echo = req -> {
            String type = req.header("Content-Type");
            return Response.bytes(200, type != null ? type : Peers.OCTETS, req.body());
        };
        Handler handler = routed
                ? Router.builder()
                        .get("/", req -> HELLO)
                        .get("/16k", req -> BIG)
                        .post("/echo", echo)
                        .get("/users/{id}", req -> Response.ok(req.pathParam("id")))
                        .get("/users/{id}/posts", req -> Response.ok(req.pathParam("id")))
                        .get("/static/{path...}", req -> HELLO)
                        .build()
                : req -> req.isMethod("POST") ? echo.handle(req) : "/16k".equals(req.path()) ? BIG : HELLO;
        try (HttpServer server = HttpServer.builder().host(Peers.HOST).port(port).loops(1).handler(handler).start()) {
            Peers.ready("jepoll-" + (routed ? "router" : "bare"), port);
            server.awaitShutdown();
        }
    }
}
