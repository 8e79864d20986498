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
    void writeTo(OutputStream out) throws IOException;
}
