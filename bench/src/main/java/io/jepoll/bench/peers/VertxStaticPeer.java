package io.jepoll.bench.peers;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;

import java.nio.file.Path;

/**
 * Vert.x with one event loop (native transport) and vertx-web's StaticHandler over a directory given by
 * its absolute path ({@link FileSystemAccess#ROOT}); every other StaticHandler option at its default
 * (caching on: file properties cached, Cache-Control, Last-Modified and ETag; range support on).
 * {@code VertxStaticPeer PORT DIR}.
 */
public final class VertxStaticPeer {
    private VertxStaticPeer() {}

    public static void main(String[] args) throws Exception {
        int port = Peers.port(args);
        String dir = Path.of(Peers.arg(args, 1, ".")).toAbsolutePath().normalize().toString();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        Router router = Router.router(vertx);
        router.route("/*").handler(StaticHandler.create(FileSystemAccess.ROOT, dir));
        vertx.createHttpServer(new HttpServerOptions().setHost(Peers.HOST).setPort(port).setAcceptBacklog(Peers.BACKLOG))
                .requestHandler(router)
                .listen().toCompletionStage().toCompletableFuture().get();
        Peers.ready("vertx StaticHandler " + dir + " (native transport: " + vertx.isNativeTransportEnabled() + ")", port);
        Peers.park();
    }
}
