package io.jepoll.loop;

import io.jepoll.sys.Errno;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A socket of the portable java.nio transport. Failures the epoll transport reports as
 * -errno surface here as IOExceptions; they are mapped to the nearest errno so the loop
 * code above sees one vocabulary.
 */
final class NioSocket extends Socket {
    final SelectableChannel channel;
    private final SocketChannel stream;           // null for a listening socket
    private final ServerSocketChannel server;     // null for a connection
    private ByteBuffer wrapped;                    // reused while the loop passes the same array
    private int lastError;

    private NioSocket(SocketChannel stream, ServerSocketChannel server) {
        this.stream = stream;
        this.server = server;
        this.channel = stream != null ? stream : server;
    }

    static NioSocket listen(InetSocketAddress address, boolean reusePort, int backlog) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            ch.bind(address, backlog);
            return new NioSocket(null, ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    static boolean supportsReusePort() {
        try (ServerSocketChannel ch = ServerSocketChannel.open()) {
            return ch.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    private ByteBuffer wrap(byte[] b, int off, int len) {
        ByteBuffer bb = wrapped;
        if (bb == null || bb.array() != b) wrapped = bb = ByteBuffer.wrap(b);
        return bb.limit(off + len).position(off);
    }

    @Override
    int read(byte[] b, int off, int len) {
        try {
            int n = stream.read(wrap(b, off, len));
            return n < 0 ? 0 : n == 0 ? -Errno.EAGAIN : n;
        } catch (IOException e) {
            return -Errno.ECONNRESET;
        }
    }

    @Override
    int write(byte[] b, int off, int len) {
        try {
            int n = stream.write(wrap(b, off, len));
            return n == 0 && len > 0 ? -Errno.EAGAIN : n;
        } catch (IOException e) {
            return -Errno.EPIPE;
        }
    }

    @Override
    Socket accept() {
        try {
            SocketChannel c = server.accept();
            if (c == null) {
                lastError = 0;
                return null;
            }
            c.configureBlocking(false);
            return new NioSocket(c, null);
        } catch (IOException e) {
            // "Too many open files" is the one that matters: back off like on EMFILE.
            lastError = String.valueOf(e.getMessage()).contains("Too many open files") ? Errno.EMFILE : Errno.ECONNABORTED;
            return null;
        }
    }

    @Override
    int lastError() { return lastError; }

    @Override
    void shutdownOutput() {
        try {
            stream.shutdownOutput();
        } catch (IOException ignored) {
            // peer already gone: nothing left to tell it
        }
    }

    @Override
    void setCork(boolean on) {
        // java.nio has no TCP_CORK; each flush is already a single write where possible.
    }

    @Override
    void setNoDelay(boolean on) {
        try {
            stream.setOption(StandardSocketOptions.TCP_NODELAY, on);
        } catch (IOException ignored) {
            // the connection died already; the next read will say so
        }
    }

    @Override
    void setBuffers(int receive, int send) {
        try {
            if (receive > 0) stream.setOption(StandardSocketOptions.SO_RCVBUF, receive);
            if (send > 0) stream.setOption(StandardSocketOptions.SO_SNDBUF, send);
        } catch (IOException ignored) {
            // as above
        }
    }

    @Override
    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing cannot be retried; the descriptor is released either way
        }
    }

    @Override
    InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) (server != null ? server.getLocalAddress() : stream.getLocalAddress());
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    InetSocketAddress remoteAddress() {
        try {
            return stream == null ? null : (InetSocketAddress) stream.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }
}
