package io.jepoll.bench.peers;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import org.xnio.Options;

import java.nio.ByteBuffer;

/**
 * Undertow with one IO thread; the handler runs on it (never dispatched to the worker pool, which is
 * kept at one thread). Undertow adds Date itself.
 */
public final class UndertowPeer {
    private UndertowPeer() {}

    private static final ByteBuffer HELLO = direct(Peers.HELLO);
    private static final ByteBuffer BIG = direct(Peers.BIG);

    private static ByteBuffer direct(byte[] b) {
        return ByteBuffer.allocateDirect(b.length).put(b).flip().asReadOnlyBuffer();
    }

    public static void main(String[] args) {
        int port = Peers.port(args);
        Undertow server = Undertow.builder()
                .setIoThreads(1)
                .setWorkerThreads(1)
                .setSocketOption(Options.BACKLOG, Peers.BACKLOG)
                .addHttpListener(port, Peers.HOST)
                .setHandler(UndertowPeer::handle)
                .build();
        server.start();
        Peers.ready("undertow", port);
    }

    private static void handle(HttpServerExchange ex) {
        if (ex.getRequestMethod().equals(Methods.POST)) {
            String type = ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
            ex.getRequestReceiver().receiveFullBytes((e, body) -> {
                e.getResponseHeaders().put(Headers.CONTENT_TYPE, type != null ? type : Peers.OCTETS);
                e.getResponseSender().send(ByteBuffer.wrap(body));
            });
        } else {
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, Peers.TEXT_PLAIN);
            ex.getResponseSender().send(("/16k".equals(ex.getRequestPath()) ? BIG : HELLO).duplicate());
        }
    }
}
