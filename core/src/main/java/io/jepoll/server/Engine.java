package io.jepoll.server;

import java.net.InetSocketAddress;

/** What serves the connections: event loops (epoll, nio) or a thread per connection (threads, virtual). */
interface Engine {
    InetSocketAddress localAddress();

    int connectionCount();

    /** Connections open and accepted, accept pauses, loads: for {@link Metrics}, from any thread. */
    ConnectionFigures connectionFigures();

    boolean isStopping();

    /** Stop accepting, let requests in flight finish within {@code graceMillis}, close the rest, return when done. */
    void shutdown(long graceMillis);
}
