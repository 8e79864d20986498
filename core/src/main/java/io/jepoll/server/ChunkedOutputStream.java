package io.jepoll.server;

import io.jepoll.http.ResponseEncoder;
import io.jepoll.loop.WriteBuffer;

import java.io.IOException;
import java.io.OutputStream;

/** A streamed body over a blocking socket: chunked for HTTP/1.1, raw (ended by close) for 1.0. */
final class ChunkedOutputStream extends OutputStream {
    private static final int CHUNK = 16 * 1024;

    private final OutputStream socket;
    private final boolean chunked;
    private final byte[] buf = new byte[CHUNK];
    private final WriteBuffer frame = new WriteBuffer(CHUNK + 32);
    private int len;

    ChunkedOutputStream(OutputStream socket, boolean chunked) {
        this.socket = socket;
        this.chunked = chunked;
    }

    @Override
    public void write(int b) throws IOException {
        if (len == buf.length) flush();
        buf[len++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int n) throws IOException {
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
        if (chunked) {
            ResponseEncoder.encodeChunk(buf, 0, len, frame);
            socket.write(frame.array(), frame.start(), frame.readable());
            frame.clear();
        } else {
            socket.write(buf, 0, len);
        }
        len = 0;
    }

    /** Ends the body (the writer's close() does not: the server decides when the body is over). */
    void finish() throws IOException {
        flush();
        if (chunked) {
            ResponseEncoder.encodeLastChunk(frame);
            socket.write(frame.array(), frame.start(), frame.readable());
            frame.clear();
        }
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
