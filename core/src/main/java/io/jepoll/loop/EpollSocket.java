package io.jepoll.loop;

import io.jepoll.sys.Errno;
import io.jepoll.sys.Files;
import io.jepoll.sys.Net;
import io.jepoll.sys.SysException;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * A socket of the epoll backend: a bare file descriptor. This class is where errno ends:
 * it turns the system calls' {@code -errno} results into the loop's values
 * ({@link Socket#AGAIN}, {@link Socket#GONE}, {@link AcceptFailure}).
 */
final class EpollSocket extends Socket {
    final int fd;
    private AcceptFailure lastFailure;
    private boolean closed;

    EpollSocket(int fd) { this.fd = fd; }

    @Override
    int id() { return fd; }

    @Override
    int read(byte[] b, int off, int len) {
        int n = Net.read(fd, b, off, len);
        return n >= 0 ? n : n == -Errno.EAGAIN ? AGAIN : GONE;
    }

    @Override
    int write(byte[] b, int off, int len, boolean more) {
        int n = Net.send(fd, b, off, len, more);
        return n >= 0 ? n : n == -Errno.EAGAIN ? 0 : GONE; // EPIPE, ECONNRESET, ...: nobody listens any more
    }

    @Override
    long transfer(OpenFile file, long offset, long count) {
        long n = Files.sendfile(fd, ((NativeFile) file).fd, offset, count);
        if (n > 0) return n;
        if (n == 0) return FILE_FAILED; // end of file before the promised length: the file shrank
        if (n == -Errno.EAGAIN) return 0;
        return n == -Errno.EPIPE || n == -Errno.ECONNRESET || n == -Errno.ENOTCONN ? GONE : FILE_FAILED;
    }

    @Override
    OpenFile openFile(Path path) throws IOException { return openNative(path); }

    /** A regular file as a descriptor with its size and times, for sendfile or pread (io_uring). */
    static OpenFile openNative(Path path) throws IOException {
        int f;
        try {
            f = Files.open(path);
        } catch (SysException e) {
            // The same exceptions java.nio throws, so callers tell "missing" from "failed" alike on every backend.
            throw switch (e.errno()) {
                case Errno.ENOENT, Errno.ENOTDIR -> new java.nio.file.NoSuchFileException(path.toString());
                case Errno.EACCES, Errno.EPERM -> new java.nio.file.AccessDeniedException(path.toString());
                default -> new IOException(e.getMessage(), e);
            };
        }
        Files.Stat st;
        try {
            st = Files.stat(f); // of the descriptor: the very file that will be sent
        } catch (SysException e) {
            Net.close(f);
            throw new IOException(e.getMessage(), e);
        }
        if (!st.regular()) {
            Net.close(f);
            throw new IOException("not a regular file: " + path);
        }
        return new NativeFile(f, st);
    }

    @Override
    Socket accept() {
        int c = Net.accept(fd);
        if (c >= 0) return new EpollSocket(c);
        lastFailure = -c == Errno.EAGAIN ? null : acceptFailure(-c);
        return null;
    }

    /** What an accept's errno means to the listener (io_uring's accept completions carry the same numbers). */
    static AcceptFailure acceptFailure(int errno) {
        return switch (errno) {
            case Errno.EMFILE, Errno.ENFILE, Errno.ENOBUFS, Errno.ENOMEM -> new AcceptFailure(AcceptFailure.Kind.NO_RESOURCES, Errno.name(errno));
            case Errno.ECONNABORTED, Errno.EPROTO -> new AcceptFailure(AcceptFailure.Kind.CLIENT_GONE, Errno.name(errno));
            default -> new AcceptFailure(AcceptFailure.Kind.OTHER, Errno.name(errno));
        };
    }

    @Override
    AcceptFailure lastAcceptFailure() { return lastFailure; }

    @Override
    void shutdownOutput() { Net.shutdown(fd, Net.SHUT_WR); }

    @Override
    void setCork(boolean on) { Net.setOption(fd, Net.IPPROTO_TCP, Net.TCP_CORK, on ? 1 : 0); }

    @Override
    void setNoDelay(boolean on) { setNoDelay(fd, on); }

    @Override
    void setBuffers(int receive, int send) { setBuffers(fd, receive, send); }

    // The option and address calls of a socket descriptor, shared with io_uring's sockets (descriptors too).
    static void setNoDelay(int fd, boolean on) { Net.setOption(fd, Net.IPPROTO_TCP, Net.TCP_NODELAY, on ? 1 : 0); }

    static void setBuffers(int fd, int receive, int send) {
        if (receive > 0) Net.setOption(fd, Net.SOL_SOCKET, Net.SO_RCVBUF, receive);
        if (send > 0) Net.setOption(fd, Net.SOL_SOCKET, Net.SO_SNDBUF, send);
    }

    @Override
    void close() {
        if (closed) return; // closing twice could close an fd number the kernel already reused
        closed = true;
        Net.close(fd);
    }

    @Override
    InetSocketAddress localAddress() { return Net.localAddress(fd); }

    /** Null once the peer has reset the connection (getpeername then fails with ENOTCONN), as on java.nio. */
    @Override
    InetSocketAddress remoteAddress() { return remoteAddress(fd); }

    static InetSocketAddress remoteAddress(int fd) {
        try {
            return Net.remoteAddress(fd);
        } catch (SysException e) { // ENOTCONN: the peer reset the connection before anyone asked
            return null;
        }
    }

    /** A listening socket: SO_REUSEADDR, optionally SO_REUSEPORT, bound and listening. */
    static EpollSocket listen(InetSocketAddress address, boolean reusePort, int backlog) {
        return new EpollSocket(listenFd(address, reusePort, backlog));
    }

    /** The descriptor of a new listening socket, as {@link #listen} makes it (io_uring's listeners too). */
    static int listenFd(InetSocketAddress address, boolean reusePort, int backlog) {
        int fd = Net.socket(Net.familyOf(address));
        try {
            Net.setOption(fd, Net.SOL_SOCKET, Net.SO_REUSEADDR, 1);
            if (reusePort) Net.setOption(fd, Net.SOL_SOCKET, Net.SO_REUSEPORT, 1);
            Net.bind(fd, address);
            Net.listen(fd, backlog);
            return fd;
        } catch (RuntimeException e) {
            Net.close(fd);
            throw e;
        }
    }

    /**
     * Refuses a descriptor that is not a listening TCP socket (IPv4 or IPv6), before anything is done with it.
     *
     * @throws IllegalArgumentException naming the descriptor and what it is instead
     */
    static void checkListening(int fd) {
        try {
            if (Net.getOption(fd, Net.SOL_SOCKET, Net.SO_TYPE) != Net.SOCK_STREAM) throw notListening(fd, "is not a stream socket");
            int family = Net.getOption(fd, Net.SOL_SOCKET, Net.SO_DOMAIN);
            if (family != Net.AF_INET && family != Net.AF_INET6) throw notListening(fd, "is not an IPv4 or IPv6 socket");
            if (Net.getOption(fd, Net.SOL_SOCKET, Net.SO_ACCEPTCONN) == 0) throw notListening(fd, "is a socket that is not listening");
        } catch (SysException e) {
            throw notListening(fd, switch (e.errno()) {
                case Errno.EBADF -> "is not open";
                case Errno.ENOTSOCK -> "is not a socket";
                default -> "cannot be inspected: " + e.getMessage();
            });
        }
    }

    private static IllegalArgumentException notListening(int fd, String what) {
        return new IllegalArgumentException("descriptor " + fd + " " + what + ": a listening TCP socket is needed");
    }

    /**
     * Takes over a listening socket this process inherited ({@link #checkListening} accepted it): made
     * non-blocking and close-on-exec, like the ones jepoll opens itself.
     */
    static EpollSocket adopt(int fd) {
        Net.makeNonBlockingCloseOnExec(fd);
        return new EpollSocket(fd);
    }

    /** The same listening socket under a new descriptor, for another loop's epoll instance to watch. */
    EpollSocket duplicate() { return new EpollSocket(Net.duplicate(fd)); }

    /** A file as a descriptor, for sendfile(2). */
    static final class NativeFile extends OpenFile {
        final int fd;
        private boolean closed;

        NativeFile(int fd, Files.Stat st) {
            super(st.size(), st.mtimeSeconds(), st.mtimeNanos(), st.inode());
            this.fd = fd;
        }

        @Override
        int read(java.nio.ByteBuffer dst, long position) {
            long n = Files.pread(fd, java.lang.foreign.MemorySegment.ofBuffer(dst), dst.remaining(), position);
            if (n < 0) return -1;
            dst.position(dst.position() + (int) n);
            return (int) n;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            Net.close(fd);
        }
    }
}
