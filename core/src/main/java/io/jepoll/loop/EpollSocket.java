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
    OpenFile openFile(Path path) throws IOException {
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
        int errno = -c;
        lastFailure = switch (errno) {
            case Errno.EAGAIN -> null;
            case Errno.EMFILE, Errno.ENFILE, Errno.ENOBUFS, Errno.ENOMEM -> new AcceptFailure(AcceptFailure.Kind.NO_RESOURCES, Errno.name(errno));
            case Errno.ECONNABORTED, Errno.EPROTO -> new AcceptFailure(AcceptFailure.Kind.CLIENT_GONE, Errno.name(errno));
            default -> new AcceptFailure(AcceptFailure.Kind.OTHER, Errno.name(errno));
        };
        return null;
    }

    @Override
    AcceptFailure lastAcceptFailure() { return lastFailure; }

    @Override
    void shutdownOutput() { Net.shutdown(fd, Net.SHUT_WR); }

    @Override
    void setCork(boolean on) { Net.setOption(fd, Net.IPPROTO_TCP, Net.TCP_CORK, on ? 1 : 0); }

    @Override
    void setNoDelay(boolean on) { Net.setOption(fd, Net.IPPROTO_TCP, Net.TCP_NODELAY, on ? 1 : 0); }

    @Override
    void setBuffers(int receive, int send) {
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

    @Override
    InetSocketAddress remoteAddress() { return Net.remoteAddress(fd); }

    /** A listening socket: SO_REUSEADDR, optionally SO_REUSEPORT, bound and listening. */
    static EpollSocket listen(InetSocketAddress address, boolean reusePort, int backlog) {
        int fd = Net.socket(Net.familyOf(address));
        try {
            Net.setOption(fd, Net.SOL_SOCKET, Net.SO_REUSEADDR, 1);
            if (reusePort) Net.setOption(fd, Net.SOL_SOCKET, Net.SO_REUSEPORT, 1);
            Net.bind(fd, address);
            Net.listen(fd, backlog);
            return new EpollSocket(fd);
        } catch (RuntimeException e) {
            Net.close(fd);
            throw e;
        }
    }

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
