package io.jepoll.loop;

import io.jepoll.sys.Errno;
import io.jepoll.sys.Linux;
import io.jepoll.sys.SysException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an event loop gets its readiness from and how it talks to sockets (redis's ae.c
 * calls this the "api"): {@link #EPOLL}, Linux epoll through the FFM API; {@link #IO_URING},
 * Linux io_uring, whose completions the loop sees as readiness (see {@code UringPoller}); or
 * {@link #NIO}, a portable java.nio Selector. Everything above a backend is the same code.
 */
public enum Backend {
    /** Linux epoll through the FFM API: level- or edge-triggered, files sent with sendfile(2). */
    EPOLL,
    /** A java.nio Selector: any OS, always level-triggered, files sent with FileChannel.transferTo. */
    NIO,
    /**
     * Linux io_uring through the FFM API: multishot accept and receive into a provided-buffer ring, sends batched
     * into the one io_uring_enter per loop turn; level-triggered. Needs a kernel that allows it (many container
     * runtimes forbid it with seccomp): see {@link #unavailableReason()}.
     */
    IO_URING;

    /** {@return epoll where it works (Linux x86-64/aarch64), java.nio everywhere else} */
    public static Backend best() { return Linux.isAvailable() ? EPOLL : NIO; }

    /** {@return whether this backend can run on this machine: java.nio always can} */
    public boolean isAvailable() { return unavailableReason() == null; }

    /** {@return why this backend cannot run here (one line for a log), or null when it can} */
    public String unavailableReason() {
        return switch (this) {
            case EPOLL -> Linux.unavailableReason();
            case NIO -> null;
            case IO_URING -> io.jepoll.sys.IoUring.unavailableReason();
        };
    }

    /** {@return the lower-case name used on the command line and in logs: "epoll", "nio" or "io_uring"} */
    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }

    Poller newPoller(int maxEvents, Tracer trace, int loopIndex) {
        return switch (this) {
            case EPOLL -> new EpollPoller(maxEvents);
            case NIO -> new NioPoller();
            case IO_URING -> new UringPoller(maxEvents, trace, loopIndex);
        };
    }

    /** A listening socket; an address someone else holds is a {@link BindException}. */
    Socket listen(InetSocketAddress address, boolean reusePort, int backlog) throws BindException {
        return switch (this) {
            case EPOLL, IO_URING -> {
                try {
                    int fd = EpollSocket.listenFd(address, reusePort, backlog);
                    yield this == EPOLL ? new EpollSocket(fd) : new UringSocket(fd, true);
                } catch (SysException e) {
                    throw bindFailure(address, e);
                }
            }
            case NIO -> {
                try {
                    yield NioSocket.listen(address, reusePort, backlog);
                } catch (BindException e) {
                    throw inUse(address, e.getMessage());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot listen on " + address + ": " + e.getMessage(), e);
                }
            }
        };
    }

    /**
     * Fails with {@link BindException} if anyone already holds {@code address}: binds it
     * once without SO_REUSEPORT (but with SO_REUSEADDR, so connections of an earlier run in
     * TIME_WAIT do not count) and releases it at once. See EventLoopGroup for why.
     */
    void probe(InetSocketAddress address) throws BindException {
        listen(address, false, 1).close();
    }

    /**
     * Refuses, before anything is done with it, a descriptor this backend cannot serve: on epoll one that is not
     * a listening TCP socket; on java.nio any, since java.nio cannot adopt a descriptor it did not open.
     */
    void checkAdoptable(int fd) {
        switch (this) {
            case EPOLL, IO_URING -> EpollSocket.checkListening(fd);
            case NIO -> throw new IllegalArgumentException("serving a passed socket (descriptor " + fd
                    + ") needs the epoll or io_uring transport: java.nio cannot adopt a descriptor it did not open");
        }
    }

    /**
     * One listening socket per loop for an inherited descriptor ({@link #checkAdoptable} accepted it): the
     * descriptor itself for the first loop, duplicates of it for the others. On failure the duplicates made so
     * far are closed.
     */
    List<Socket> adopt(int fd, int loops) {
        EpollSocket first = EpollSocket.adopt(fd);
        List<Socket> sockets = new ArrayList<>(List.of(this == IO_URING ? new UringSocket(fd, true) : first));
        try {
            for (int i = 1; i < loops; i++) {
                EpollSocket copy = first.duplicate();
                sockets.add(this == IO_URING ? new UringSocket(copy.fd, true) : copy);
            }
            return sockets;
        } catch (RuntimeException e) {
            for (int i = 1; i < sockets.size(); i++) sockets.get(i).close();
            throw e;
        }
    }

    /** {@return whether this backend can serve a listening socket it did not open (socket activation)} */
    public boolean adoptsDescriptors() { return this != NIO; }

    boolean supportsReusePort() {
        return this != NIO || NioSocket.supportsReusePort();
    }

    private static BindException bindFailure(InetSocketAddress address, SysException e) {
        if (e.errno() == Errno.EADDRINUSE) return inUse(address, null);
        if (e.errno() == Errno.EADDRNOTAVAIL || e.errno() == Errno.EACCES) {
            BindException b = new BindException("cannot bind " + address + ": " + Errno.name(e.errno()));
            b.initCause(e);
            return b;
        }
        throw e; // not an address problem: a bug or a resource shortage, say it as it is
    }

    private static BindException inUse(InetSocketAddress address, String detail) {
        return new BindException("address already in use: " + hostPort(address) + (detail == null ? "" : " (" + detail + ")"));
    }

    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
