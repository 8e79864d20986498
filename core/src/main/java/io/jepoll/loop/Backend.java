package io.jepoll.loop;

import io.jepoll.sys.Linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * How connections are served. {@link #EPOLL} (Linux epoll through the FFM API) and
 * {@link #NIO} (a portable java.nio Selector) are event loops: one thread serves many
 * connections. {@link #THREADS} and {@link #VIRTUAL} are the blocking model the tutorial
 * argues against, a thread per connection (platform or virtual), kept so the difference
 * can be measured with the same HTTP code; event loops run only the first two.
 */
public enum Transport {
    EPOLL, NIO, THREADS, VIRTUAL;

    /** epoll where it works (Linux x86-64/aarch64), java.nio everywhere else. */
    public static Transport best() { return Linux.isAvailable() ? EPOLL : NIO; }

    /** Whether this transport can run on this machine. */
    public boolean isAvailable() { return this != EPOLL || Linux.isAvailable(); }

    /** True for the event-loop transports, false for a thread per connection. */
    public boolean isEventDriven() { return this == EPOLL || this == NIO; }

    /** The lower-case name used on the command line and in logs. */
    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }

    Poller newPoller(int maxEvents) {
        return switch (this) {
            case EPOLL -> new EpollPoller(maxEvents);
            case NIO -> new NioPoller();
            default -> throw new IllegalArgumentException(label() + " is not an event-loop transport");
        };
    }

    Socket listen(InetSocketAddress address, boolean reusePort, int backlog) {
        if (this == EPOLL) return EpollSocket.listen(address, reusePort, backlog);
        try {
            return NioSocket.listen(address, reusePort, backlog);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
        }
    }

    boolean supportsReusePort() {
        return this == EPOLL || NioSocket.supportsReusePort();
    }
}
