package io.jepoll.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Produces a response body of unknown length. It runs on a virtual thread; writes block
 * while the client is slow to read (backpressure), and the body leaves chunked (HTTP/1.1)
 * or until close (HTTP/1.0).
 */
@FunctionalInterface
public interface BodyWriter {
    /**
     * Writes the whole body, then returns; the body ends there (the stream need not be closed).
     *
     * @param out the body: writes block while the client lags; {@code flush()} sends what is buffered now
     * @throws IOException when the client has gone; an exception leaves the body unterminated, so the client
     *                     sees the response fail rather than end short
     */
    void writeTo(OutputStream out) throws IOException;
}
