package io.jepoll.bench.peers;

import io.jepoll.http.Request;
import io.jepoll.http.Response;
import io.jepoll.loop.Trigger;
import io.jepoll.server.HttpServer;
import io.jepoll.server.StaticFiles;
import io.jepoll.server.Transport;
import io.jepoll.tls.TlsContext;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * jepoll embedded as a library over HTTPS, one loop, for the TLS suite: GET / is the greeting, every other path a
 * file under DIR through {@link StaticFiles} (read and encrypted per request: no sendfile under TLS).
 * {@code JepollTlsPeer PORT CERT.pem KEY.pem DIR [epoll|nio [level|edge]]}. Idle connections are kept for 10 minutes,
 * so the idle-heap measurement holds them as long as it needs.
 */
public final class JepollTlsPeer {
    private JepollTlsPeer() {}

    private static final Response HELLO = Response.bytes(200, Peers.TEXT_PLAIN, Peers.HELLO);

    public static void main(String[] args) throws Exception {
        int port = Peers.port(args);
        TlsContext tls = TlsContext.pem(Path.of(Peers.arg(args, 1, "cert.pem")), Path.of(Peers.arg(args, 2, "key.pem")));
        StaticFiles files = StaticFiles.of(Path.of(Peers.arg(args, 3, ".")));
        Transport transport = Transport.valueOf(Peers.arg(args, 4, "epoll").toUpperCase(Locale.ROOT));
        Trigger trigger = Peers.arg(args, 5, "level").equals("edge") ? Trigger.EDGE : Trigger.LEVEL;
        try (HttpServer server = HttpServer.builder()
                .host(Peers.HOST).port(port).loops(1)
                .transport(transport).trigger(trigger)
                .idleTimeout(Duration.ofMinutes(10))
                .tls(tls)
                .handler((Request req) -> req.isPath("/") ? HELLO : files.handle(req))
                .start()) {
            Peers.ready("jepoll-library HTTPS (" + transport.label() + ", " + trigger.name().toLowerCase(Locale.ROOT) + ")", port);
            server.awaitShutdown();
        }
    }
}
