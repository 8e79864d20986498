package io.jepoll.bench.peers;

import io.jepoll.http.Compression;
import io.jepoll.http.Request;
import io.jepoll.http.Response;
import io.jepoll.loop.Trigger;
import io.jepoll.server.HttpServer;
import io.jepoll.server.Transport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * jepoll embedded with response compression, for {@code bench/run gzip}: GET /64k.json answers the JSON file
 * given (read once, one immutable response: the server compresses it again for each request, as nginx and
 * Netty do), GET / the greeting. {@code JepollGzipPeer PORT FILE LEVEL [TRANSPORT [level|edge]]}.
 */
public final class JepollGzipPeer {
    private JepollGzipPeer() {}

    public static void main(String[] args) throws Exception {
        int port = Peers.port(args);
        byte[] json = Files.readAllBytes(Path.of(Peers.arg(args, 1, "64k.json")));
        int level = Integer.parseInt(Peers.arg(args, 2, "6"));
        Transport transport = Transport.valueOf(Peers.arg(args, 3, "epoll").toUpperCase(Locale.ROOT));
        Trigger trigger = Peers.arg(args, 4, "level").equals("edge") ? Trigger.EDGE : Trigger.LEVEL;
        Response hello = Response.bytes(200, Peers.TEXT_PLAIN, Peers.HELLO);
        Response body = Response.bytes(200, "application/json", json);
        try (HttpServer server = HttpServer.builder()
                .host(Peers.HOST).port(port).loops(1)
                .transport(transport).trigger(trigger)
                .compression(Compression.gzip().level(level))
                .handler((Request req) -> "/64k.json".equals(req.path()) ? body : hello)
                .start()) {
            Peers.ready("jepoll-library gzip level " + level + " (" + transport.label() + ", "
                    + trigger.name().toLowerCase(Locale.ROOT) + ")", port);
            server.awaitShutdown();
        }
    }
}
