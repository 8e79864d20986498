package io.jepoll.server;

import io.jepoll.loop.Backend;

/**
 * How a server serves its connections. {@link #EPOLL} (Linux epoll through the FFM API)
 * and {@link #NIO} (a portable java.nio Selector) are event loops: one thread serves many
 * connections. {@link #THREADS} and {@link #VIRTUAL} are the blocking model the tutorial
 * argues against, a thread per connection (platform or virtual), kept so the difference
 * can be measured with the same HTTP code.
 */
public enum Transport {
    EPOLL(Backend.EPOLL), NIO(Backend.NIO), THREADS(null), VIRTUAL(null);

    private final Backend backend;

    Transport(Backend backend) { this.backend = backend; }

    /** epoll where it works (Linux x86-64/aarch64), java.nio everywhere else. */
    public static Transport best() { return Backend.best() == Backend.EPOLL ? EPOLL : NIO; }

    /** Whether this transport can run on this machine. */
    public boolean isAvailable() { return backend == null || backend.isAvailable(); }

    /** True for the event-loop transports, false for a thread per connection. */
    public boolean isEventDriven() { return backend != null; }

    /** The event loops' backend; null for the blocking transports. */
    public Backend backend() { return backend; }

    /** The lower-case name used on the command line and in logs. */
    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
}
