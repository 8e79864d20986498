package io.jepoll.server;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The OutputStream a {@link io.jepoll.http.BodyWriter} writes to: it collects bytes into
 * chunks of up to 16 KiB and hands each full chunk (and whatever is there on flush) to
 * {@link #emit}. Subclasses decide where a chunk goes: a socket, or an event loop.
 */
abstract class BodyStream extends OutputStream {
    static final int CHUNK = 16 * 1024;

    /** What the server tells a writer that listens (an {@link EventStream}): the client is gone, end now. */
    final StreamSignals signals = new StreamSignals();

    private final byte[] buf = new byte[CHUNK];
    private int len;

    /** Sends {@code buf[0, len)}; the array is reused as soon as this returns. */
    abstract void emit(byte[] buf, int len) throws IOException;

    /**
     * Ends the connection at once, from any thread, without waiting for the writer (which may be blocked on a
     * client that does not read); {@link #signals} says {@code gone} once it has.
     */
    abstract void drop();

    @Override
    public final void write(int b) throws IOException {
        if (len == buf.length) flush();
        buf[len++] = (byte) b;
    }

    @Override
    public final void write(byte[] b, int off, int n) throws IOException {
        java.util.Objects.checkFromIndexSize(off, n, b.length);
        while (n > 0) {
            if (len == buf.length) flush();
            int k = Math.min(n, buf.length - len);
            System.arraycopy(b, off, buf, len, k);
            len += k;
            off += k;
            n -= k;
        }
    }

    @Override
    public void flush() throws IOException {
        if (len == 0) return;
        int n = len;
        len = 0;
        emit(buf, n);
    }
}
