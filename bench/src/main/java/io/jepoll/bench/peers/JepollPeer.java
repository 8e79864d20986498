package io.jepoll.bench.peers;

import io.jepoll.http.Request;
import io.jepoll.http.Response;
import io.jepoll.server.Transport;
import io.jepoll.loop.Trigger;
import io.jepoll.server.HttpServer;

import java.util.Locale;

/**
 * jepoll embedded as a library, with the three routes every peer serves. bench/run uses the
 * {@code jepoll} command where it can (GET / workloads, the I/O-model tests); this peer serves the
 * 16 KiB and echo workloads, which need routes the command does not have.
 * {@code JepollPeer PORT TRANSPORT [level|edge]}, TRANSPORT being a {@link Transport} name; exits
 * with code 3 when this build of the library has no such transport.
 */
public final class JepollPeer {
    private JepollPeer() {}

    private static final Response HELLO = Response.bytes(200, Peers.TEXT_PLAIN, Peers.HELLO);
    private static final Response BIG = Response.bytes(200, Peers.TEXT_PLAIN, Peers.BIG);

    public static void main(String[] args) throws Exception {
        int port = Peers.port(args);
        Transport transport;
        try {
            transport = Transport.valueOf(Peers.arg(args, 1, "epoll").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("JepollPeer: no transport " + Peers.arg(args, 1, "") + " in this build of jepoll-core");
            System.exit(3);
            return;
        }
        Trigger trigger = Peers.arg(args, 2, "level").equals("edge") ? Trigger.EDGE : Trigger.LEVEL;
        try (HttpServer server = HttpServer.builder()
                .host(Peers.HOST).port(port).loops(1)
                .transport(transport).trigger(trigger)
                .handler(JepollPeer::handle)
                .start()) {
            Peers.ready("jepoll-library (" + transport.label() + ", " + trigger.name().toLowerCase(Locale.ROOT) + ")", port);
            server.awaitShutdown();
        }
    }

    private static Response handle(Request req) {
        if (req.isMethod("POST")) {
            String type = req.header("Content-Type");
            return Response.bytes(200, type != null ? type : Peers.OCTETS, req.body());
        }
        return "/16k".equals(req.path()) ? BIG : HELLO;
    }
}
