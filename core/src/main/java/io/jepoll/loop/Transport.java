package io.jepoll.loop;

import io.jepoll.sys.Linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/** Where readiness comes from: Linux epoll through the FFM API, or a portable java.nio Selector. */
public enum Transport {
    EPOLL, NIO;

    /** epoll where it works (Linux x86-64/aarch64), java.nio everywhere else. */
    public static Transport best() { return Linux.isAvailable() ? EPOLL : NIO; }

    /** Whether this transport can run on this machine. */
    public boolean isAvailable() { return this == NIO || Linux.isAvailable(); }

    /** The lower-case name used on the command line and in logs. */
    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }

    Poller newPoller(int maxEvents) {
        return this == EPOLL ? new EpollPoller(maxEvents) : new NioPoller();
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
