package io.jepoll.loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * One OS socket as the loop sees it, whichever the backend: a listening socket or a
 * connection. This is the seam under {@link Connection}: everything the connection sends
 * or receives passes through these few calls, and results are the loop's own values,
 * never errno numbers or exceptions for what the network does. A TLS layer fits here as
 * one more kind of socket that wraps another: it turns {@link #write}/{@link #transfer}
 * into records and {@link #read} into plaintext, and the connection above stays the same.
 */
abstract sealed class Socket permits EpollSocket, NioSocket, UringSocket, TlsSocket {
    /** {@link #read}: nothing to read now. */
    static final int AGAIN = -1;
    /** Any I/O call: the peer reset or the connection failed; close it. */
    static final int GONE = -2;
    /** {@link #transfer}: the file could not be read, or ended before the promised length. */
    static final int FILE_FAILED = -3;

    /** Who handles this socket's readiness. */
    IoHandle owner;
    /** The interest bits the poller currently holds for this socket; -1 when not registered. */
    int registered = -1;

    /** The socket the poller watches: this one, or the one a layer such as TLS wraps. */
    Socket polled() { return this; }

    /**
     * Whether this layer holds input it has taken from the kernel and not delivered (TLS: a
     * whole record, a close_notify): no readiness report will announce it, so read again.
     */
    boolean hasBufferedInput() { return false; }

    /** Whether this layer holds output (TLS records the kernel refused) that must leave before anything else. */
    boolean holdsOutput() { return false; }

    /** Sends what {@link #holdsOutput()} holds, as far as the kernel takes it: 0, or {@link #GONE}. */
    int flushHeld() { return 0; }

    /** Whether a handshake is still under way (TLS): nothing of the protocol's has been read yet. */
    boolean isHandshaking() { return false; }

    /** The TLS session, or null on a plain socket. */
    javax.net.ssl.SSLSession tlsSession() { return null; }

    /** A name for traces: the file descriptor on epoll and io_uring, a sequence number on nio. */
    abstract int id();

    /** Bytes read into {@code b[off, off+len)}; 0 at end of stream; {@link #AGAIN}; {@link #GONE}. */
    abstract int read(byte[] b, int off, int len);

    /** Bytes of {@code b[off, off+len)} the kernel took (0: its buffer is full), or {@link #GONE}. */
    final int write(byte[] b, int off, int len) { return write(b, off, len, false); }

    /** As {@link #write(byte[], int, int)}; {@code more}: the caller sends more at once, do not push a partial segment yet. */
    abstract int write(byte[] b, int off, int len, boolean more);

    /** Bytes of {@code file[offset, offset+count)} the kernel took (0: buffer full), {@link #GONE} or {@link #FILE_FAILED}. */
    abstract long transfer(OpenFile file, long offset, long count);

    /** Opens a regular file the way this backend sends files best. */
    abstract OpenFile openFile(Path path) throws IOException;

    /** A new connection, or null: then {@link #lastAcceptFailure()} says why (null: none was waiting). */
    abstract Socket accept();

    abstract AcceptFailure lastAcceptFailure();

    abstract void shutdownOutput();

    abstract void setCork(boolean on);

    abstract void setNoDelay(boolean on);

    abstract void setBuffers(int receive, int send);

    abstract void close();

    abstract InetSocketAddress localAddress();

    abstract InetSocketAddress remoteAddress();
}
