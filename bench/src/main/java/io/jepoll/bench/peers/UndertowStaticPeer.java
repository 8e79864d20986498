package io.jepoll.bench.peers;

import io.undertow.Undertow;
import io.undertow.server.handlers.resource.PathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import org.xnio.Options;

import java.nio.file.Path;

/**
 * Undertow with one IO thread and {@code WORKERS} worker threads (default 1) serving a directory:
 * {@link ResourceHandler} over a {@link PathResourceManager} with its defaults (files of 1024 bytes and
 * more are sent by transfer, i.e. sendfile; Last-Modified, no ETag unless an ETag function is given).
 * ResourceHandler dispatches each request to the worker pool when it arrives on the IO thread, as
 * file I/O blocks. Undertow adds Date itself. {@code UndertowStaticPeer PORT DIR [WORKERS]}.
 */
public final class UndertowStaticPeer {
    private UndertowStaticPeer() {}

    public static void main(String[] args) {
        int port = Peers.port(args);
        Path dir = Path.of(Peers.arg(args, 1, ".")).toAbsolutePath().normalize();
        int workers = Integer.parseInt(Peers.arg(args, 2, "1"));
        Undertow server = Undertow.builder()
                .setIoThreads(1)
                .setWorkerThreads(workers)
                .setSocketOption(Options.BACKLOG, Peers.BACKLOG)
                .addHttpListener(port, Peers.HOST)
                .setHandler(new ResourceHandler(new PathResourceManager(dir)))
                .build();
        server.start();
        Peers.ready("undertow ResourceHandler " + dir + " (1 IO thread, " + workers + " worker threads)", port);
    }
}
