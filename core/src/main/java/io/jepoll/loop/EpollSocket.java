package io.jepoll.loop;

import io.jepoll.sys.Errno;
import io.jepoll.sys.Net;

import java.net.InetSocketAddress;

/** A socket of the epoll transport: a bare file descriptor. */
final class EpollSocket extends Socket {
    final int fd;
    private int lastError;
    private boolean closed;

    EpollSocket(int fd) { this.fd = fd; }

    @Override
    int read(byte[] b, int off, int len) { return Net.read(fd, b, off, len); }

    @Override
    int write(byte[] b, int off, int len) { return Net.send(fd, b, off, len); }

    @Override
    Socket accept() {
        int c = Net.accept(fd);
        if (c >= 0) return new EpollSocket(c);
        lastError = c == -Errno.EAGAIN ? 0 : -c;
        return null;
    }

    @Override
    int lastError() { return lastError; }

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
}
