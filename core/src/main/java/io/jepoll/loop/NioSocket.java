package io.jepoll.loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A socket of the portable java.nio backend. Failures surface here as IOExceptions; they
 * are turned into the loop's values ({@link Socket#AGAIN}, {@link Socket#GONE},
 * {@link AcceptFailure}) so the code above sees one vocabulary whichever the backend.
 */
final class NioSocket extends Socket {
    final SelectableChannel channel;
    private final SocketChannel stream;           // null for a listening socket
    private final ServerSocketChannel server;     // null for a connection
    private ByteBuffer wrapped;                    // reused while the loop passes the same array
    private AcceptFailure lastFailure;
    private static final java.util.concurrent.atomic.AtomicInteger IDS = new java.util.concurrent.atomic.AtomicInteger();
    private final int id = IDS.incrementAndGet(); // java.nio hides descriptors: a number for traces

    private NioSocket(SocketChannel stream, ServerSocketChannel server) {
        this.stream = stream;
        this.server = server;
        this.channel = stream != null ? stream : server;
    }

    @Override
    int id() { return id; }

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
            return n < 0 ? 0 : n == 0 ? AGAIN : n;
        } catch (IOException e) {
            return GONE;
        }
    }

    @Override
    int write(byte[] b, int off, int len, boolean more) { // java.nio has no MSG_MORE: a plain write
        try {
            return stream.write(wrap(b, off, len));
        } catch (IOException e) {
            return GONE;
        }
    }

    @Override
    long transfer(OpenFile file, long offset, long count) {
        FileChannel f = ((ChannelFile) file).channel;
        try {
            long n = f.transferTo(offset, count, stream);
            if (n == 0 && offset >= f.size()) return FILE_FAILED; // the file shrank under us
            return n;
        } catch (IOException e) {
            // transferTo does not say which side failed: ask the socket.
            return stream.isConnected() && stream.isOpen() ? FILE_FAILED : GONE;
        }
    }

    @Override
    OpenFile openFile(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            // java.nio has no fstat: the size is the channel's, the rest is read by path just
            // after opening (a file replaced in between would show the new one's date).
            BasicFileAttributes a = java.nio.file.Files.readAttributes(path, BasicFileAttributes.class);
            if (!a.isRegularFile()) throw new IOException("not a regular file: " + path);
            java.time.Instant m = a.lastModifiedTime().toInstant();
            return new ChannelFile(ch, ch.size(), m.getEpochSecond(), m.getNano(), inodeOf(path));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    Socket accept() {
        try {
            SocketChannel c = server.accept();
            if (c == null) {
                lastFailure = null;
                return null;
            }
            c.configureBlocking(false);
            return new NioSocket(c, null);
        } catch (IOException e) {
            // java.nio does not say why: EMFILE and a reset client look the same. Treat every
            // failure as a shortage; the pause costs a 100 ms retry at worst, a spin never.
            lastFailure = new AcceptFailure(AcceptFailure.Kind.NO_RESOURCES, String.valueOf(e.getMessage()));
            return null;
        }
    }

    @Override
    AcceptFailure lastAcceptFailure() { return lastFailure; }

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

    /** A file as a FileChannel, for transferTo (sendfile underneath where the JDK can). */
    private static long inodeOf(Path path) {
        try {
            Object ino = java.nio.file.Files.getAttribute(path, "unix:ino");
            return ino == null ? 0 : (Long) ino;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 0; // not a Unix file system view: identity from size and date only
        }
    }

    static final class ChannelFile extends OpenFile {
        final FileChannel channel;

        ChannelFile(FileChannel channel, long size, long mtimeSeconds, int mtimeNanos, long inode) {
            super(size, mtimeSeconds, mtimeNanos, inode);
            this.channel = channel;
        }

        @Override
        int read(ByteBuffer dst, long position) {
            try {
                return Math.max(0, channel.read(dst, position)); // -1 at the end: 0 here
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // a read-only file has nothing to lose on close
            }
        }
    }
}
