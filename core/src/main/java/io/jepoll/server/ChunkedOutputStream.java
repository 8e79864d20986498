package io.jepoll.server;

import io.jepoll.http.ResponseEncoder;
import io.jepoll.http.OutputBuffer;

import java.io.IOException;
import java.io.OutputStream;

/** A streamed body over a blocking socket: chunked for HTTP/1.1, raw (ended by close) for 1.0. */
final class ChunkedOutputStream extends BodyStream {
    private final OutputStream socket;
    private final boolean chunked;
    private final OutputBuffer frame = new OutputBuffer(CHUNK + 32);
    private long bodyBytes;

    ChunkedOutputStream(OutputStream socket, boolean chunked) {
        this.socket = socket;
        this.chunked = chunked;
    }

    /** The body's bytes written so far, framing excluded. */
    long bodyBytes() { return bodyBytes; }

    @Override
    void emit(byte[] buf, int len) throws IOException {
        if (chunked) {
            ResponseEncoder.encodeChunk(buf, 0, len, frame);
            socket.write(frame.array(), frame.start(), frame.readable());
            frame.clear();
        } else {
            socket.write(buf, 0, len);
        }
        bodyBytes += len;
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

    /** Any thread: closing the socket fails the write the connection's thread may be blocked in. */
    @Override
    void drop() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed either way
        }
        signals.gone();
    }
}
