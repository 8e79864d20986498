package io.jepoll.http;

/**
 * Bounds on what a client may send. All checked at their bound, inclusive (a value equal to the limit is accepted).
 *
 * @param maxRequestLine bytes of the request line, without its line terminator; leading empty lines count too
 * @param maxHeaderSize  bytes of all field lines (header and trailer), each with its terminator; the request line
 *                       and the final empty line do not count
 * @param maxHeaderCount field lines (header and trailer together)
 * @param maxBodySize    body bytes: a larger Content-Length, or chunks adding up to more, get 413
 * @param maxChunkLine   bytes of one chunk-size line (size and extensions), without its terminator
 */
public record HttpLimits(int maxRequestLine, int maxHeaderSize, int maxHeaderCount, long maxBodySize, int maxChunkLine) {

    public HttpLimits {
        positive("maxRequestLine", maxRequestLine);
        positive("maxHeaderSize", maxHeaderSize);
        positive("maxHeaderCount", maxHeaderCount);
        positive("maxBodySize", maxBodySize);
        positive("maxChunkLine", maxChunkLine);
    }

    public static HttpLimits defaults() {
        return new HttpLimits(8192, 16384, 100, 1 << 20, 4096);
    }

    public HttpLimits withMaxRequestLine(int v) {
        return new HttpLimits(v, maxHeaderSize, maxHeaderCount, maxBodySize, maxChunkLine);
    }

    public HttpLimits withMaxHeaderSize(int v) {
        return new HttpLimits(maxRequestLine, v, maxHeaderCount, maxBodySize, maxChunkLine);
    }

    public HttpLimits withMaxHeaderCount(int v) {
        return new HttpLimits(maxRequestLine, maxHeaderSize, v, maxBodySize, maxChunkLine);
    }

    public HttpLimits withMaxBodySize(long v) {
        return new HttpLimits(maxRequestLine, maxHeaderSize, maxHeaderCount, v, maxChunkLine);
    }

    public HttpLimits withMaxChunkLine(int v) {
        return new HttpLimits(maxRequestLine, maxHeaderSize, maxHeaderCount, maxBodySize, v);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
