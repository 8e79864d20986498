package io.jepoll.server;

import io.jepoll.http.HttpLimits;
import io.jepoll.loop.LoopConfig;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Everything an {@link HttpServer} was built with. Timeouts bound every wait a client can
 * impose: an idle keep-alive connection, a request head arriving slowly (the deadline runs
 * from the first byte, not per byte), a body read stalling, a response the client does
 * not read.
 */
public record ServerConfig(InetSocketAddress address, Transport transport, int loops, LoopConfig loop, HttpLimits limits,
                           boolean virtualThreads, Duration idleTimeout, Duration headerTimeout,
                           Duration bodyTimeout, Duration writeTimeout, Duration shutdownGrace) {
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
    }

    // Settings every engine uses. They live in the LoopConfig because the event loops apply
    // them themselves; the blocking engines read them here and never touch loop types.

    /** listen(2) backlog. */
    public int backlog() { return loop.backlog(); }

    /** Open connections at most; accepting pauses at the limit. */
    public int maxConnections() { return loop.maxConnections(); }

    /** TCP_NODELAY on accepted sockets. */
    public boolean tcpNoDelay() { return loop.tcpNoDelay(); }

    /** TLS on every connection, or null for plaintext. */
    public io.jepoll.tls.TlsContext tls() { return loop.tls(); }
}
