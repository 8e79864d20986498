package io.jepoll.loop;

/**
 * One OS socket as the loop sees it: a listening socket or a connection, whichever the
 * transport. I/O returns byte counts or {@code -errno} (see {@link io.jepoll.sys.Errno}),
 * never throws for what the network does.
 */
abstract class Socket {
    /** Who handles this socket's readiness: a {@link Connection} or a {@link Listener}. */
    Object owner;
    /** The interest bits the poller currently holds for this socket; -1 when not registered. */
    int registered = -1;

    /** Bytes read into {@code b[off, off+len)}, 0 at end of stream, or -errno (-EAGAIN: none yet). */
    abstract int read(byte[] b, int off, int len);

    /** Bytes accepted by the kernel from {@code b[off, off+len)}, or -errno (-EAGAIN: buffer full). */
    abstract int write(byte[] b, int off, int len);

    /** A new connection, or null when none is waiting; {@code -errno} reported through {@link #lastError()}. */
    abstract Socket accept();

    /** The errno of the last failed {@link #accept()}, 0 if none. */
    abstract int lastError();

    abstract void shutdownOutput();

    abstract void setCork(boolean on);

    abstract void setNoDelay(boolean on);

    abstract void setBuffers(int receive, int send);

    abstract void close();

    abstract java.net.InetSocketAddress localAddress();

    abstract java.net.InetSocketAddress remoteAddress();
}
