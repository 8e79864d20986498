package io.jepoll.bench.peers;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/** Vert.x with one event loop, on Netty's native epoll transport (found on the class path). */
public final class VertxPeer {
    private VertxPeer() {}

    private static final Buffer HELLO = Buffer.buffer(Peers.HELLO);
    private static final Buffer BIG = Buffer.buffer(Peers.BIG);
    private static final CharSequence TEXT_PLAIN = HttpHeaders.createOptimized(Peers.TEXT_PLAIN);
    private static final CharSequence OCTETS = HttpHeaders.createOptimized(Peers.OCTETS);

    public static void main(String[] args) throws Exception {
        int port = Peers.port(args);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                        .setHost(Peers.HOST).setPort(port).setAcceptBacklog(Peers.BACKLOG))
                .requestHandler(VertxPeer::handle);
        server.listen().toCompletionStage().toCompletableFuture().get();
        Peers.ready("vertx (native transport: " + vertx.isNativeTransportEnabled() + ")", port);
        Peers.park();
    }

    private static void handle(HttpServerRequest req) {
        HttpServerResponse res = req.response();
        res.putHeader(HttpHeaders.DATE, Peers.date());
        if (req.method() == HttpMethod.POST) {
            String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
            req.body().onSuccess(body -> res.putHeader(HttpHeaders.CONTENT_TYPE, type != null ? type : OCTETS).end(body));
        } else {
            res.putHeader(HttpHeaders.CONTENT_TYPE, TEXT_PLAIN).end("/16k".equals(req.path()) ? BIG : HELLO);
        }
    }
}
