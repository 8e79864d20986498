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
    /** Event loops on Linux epoll: the default where it works. */
    EPOLL(Backend.EPOLL),
    /** Event loops on a java.nio Selector: any OS. */
    NIO(Backend.NIO),
    /**
     * Event loops on Linux io_uring: multishot accept and receive, sends batched into one system call per loop
     * turn. Opt-in: where the kernel refuses it (seccomp, {@code kernel.io_uring_disabled}), see
     * {@link #unavailableReason()}; the command line falls back to epoll with one line.
     */
    IO_URING(Backend.IO_URING),
    /** A platform thread per connection, blocking reads and writes. */
    THREADS(null),
    /** A virtual thread per connection, blocking reads and writes. */
    VIRTUAL(null);

    private final Backend backend;

    Transport(Backend backend) { this.backend = backend; }

    /** {@return epoll where it works (Linux x86-64/aarch64), java.nio everywhere else} */
    public static Transport best() { return Backend.best() == Backend.EPOLL ? EPOLL : NIO; }

    /** {@return whether this transport can run on this machine} */
    public boolean isAvailable() { return backend == null || backend.isAvailable(); }

    /** {@return why this transport cannot run here, one line, or null when it can} */
    public String unavailableReason() { return backend == null ? null : backend.unavailableReason(); }

    /** {@return true for the event-loop transports, false for a thread per connection} */
    public boolean isEventDriven() { return backend != null; }

    /** {@return the event loops' backend; null for the blocking transports} */
    public Backend backend() { return backend; }

    /** {@return the lower-case name used on the command line and in logs} */
    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
}
