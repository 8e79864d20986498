package io.jepoll.server;

import io.jepoll.http.HttpLimits;
import io.jepoll.loop.LoopConfig;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Everything an {@link HttpServer} was built with. Timeouts bound every wait a client can
 * impose: an idle keep-alive connection, a request head arriving slowly (the deadline runs
 * from the first byte, not per byte), a body read stalling, a response the client does
 * not read. With {@code proxyProtocol} every connection must begin with a PROXY protocol header (v1 or v2).
 * {@code listenFds}, when not empty, are listening sockets to serve instead of binding {@code address} (systemd
 * socket activation; epoll and io_uring). {@code healthPath}, when not null, is answered by the engine itself (see
 * {@link HttpServer.Builder#healthPath(String)}). {@code compression} is null when responses are sent as the handler
 * made them.
 *
 * @param address        where to listen, the port 0 when the kernel is to choose
 * @param transport      epoll, java.nio, or a thread per connection
 * @param loops          event loops (threads), at least 1; not used by the blocking transports
 * @param loop           the loops' own settings; its backend must be the transport's
 * @param limits         bounds on the request line, fields and body
 * @param virtualThreads every handler call on a virtual thread of its own, where it may block
 * @param idleTimeout    a keep-alive connection with no request is closed after this
 * @param headerTimeout  a request head must be complete this long after its first byte, or 408
 * @param bodyTimeout    a request body making no progress this long gets 408
 * @param writeTimeout   a client that takes none of its response this long is dropped
 * @param shutdownGrace  how long requests in flight may take to finish once {@link HttpServer#close()} is called
 * @param proxyProtocol  every connection must begin with a PROXY protocol header
 * @param listenFds      listening sockets to serve instead of binding address; empty to bind
 * @param healthPath     a path the engine answers itself (200, or 503 while draining); null for none
 * @param compression    how the engine compresses responses the client accepts compressed; null for never
 */
public record ServerConfig(InetSocketAddress address, Transport transport, int loops, LoopConfig loop, HttpLimits limits,
                           boolean virtualThreads, Duration idleTimeout, Duration headerTimeout,
                           Duration bodyTimeout, Duration writeTimeout, Duration shutdownGrace, boolean proxyProtocol,
                           List<Integer> listenFds, String healthPath,
                           io.jepoll.http.Compression compression) {
    /**
     * Checks the settings together; listenFds is copied.
     *
     * @throws IllegalArgumentException when loops is below 1, the transport cannot run here or does not match the
     *                                  loop backend, a timeout is not positive, the grace is negative, the
     *                                  health path is not an absolute path, or descriptors are given to a
     *                                  transport other than epoll
     */
    public ServerConfig {
        if (loops < 1) throw new IllegalArgumentException("loops must be >= 1: " + loops);
        if (!transport.isAvailable()) throw new IllegalArgumentException(transport.label() + " is not available here");
        if (transport.isEventDriven() && loop.backend() != transport.backend()) {
            throw new IllegalArgumentException("transport " + transport.label() + " with a loop backend " + loop.backend().label());
        }
        for (Duration d : new Duration[]{idleTimeout, headerTimeout, bodyTimeout, writeTimeout}) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeouts must be positive: " + d);
        }
        if (shutdownGrace.isNegative()) throw new IllegalArgumentException("shutdown grace must be >= 0");
        listenFds = List.copyOf(listenFds);
        Health.checkPath(healthPath);
        for (int fd : listenFds) if (fd < 0) throw new IllegalArgumentException("not a descriptor: " + fd);
        if (!listenFds.isEmpty() && (transport.backend() == null || !transport.backend().adoptsDescriptors())) {
            throw new IllegalArgumentException("serving a passed socket (socket activation) needs the epoll or io_uring transport: "
                    + transport.label() + " cannot adopt a descriptor it did not open");
        }
    }

    // Settings every engine uses. They live in the LoopConfig because the event loops apply
    // them themselves; the blocking engines read them here and never touch loop types.

    /** {@return the listen(2) backlog} */
    public int backlog() { return loop.backlog(); }

    /** {@return open connections at most; accepting pauses at the limit} */
    public int maxConnections() { return loop.maxConnections(); }

    /** {@return whether TCP_NODELAY is set on accepted sockets} */
    public boolean tcpNoDelay() { return loop.tcpNoDelay(); }

    /** {@return TLS on every connection, or null for plaintext} */
    public io.jepoll.tls.TlsContext tls() { return loop.tls(); }
}
