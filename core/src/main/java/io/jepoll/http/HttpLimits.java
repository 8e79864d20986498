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

    /**
     * Checks the bounds.
     *
     * @throws IllegalArgumentException when a bound is not positive
     */
    public HttpLimits {
        positive("maxRequestLine", maxRequestLine);
        positive("maxHeaderSize", maxHeaderSize);
        positive("maxHeaderCount", maxHeaderCount);
        positive("maxBodySize", maxBodySize);
        positive("maxChunkLine", maxChunkLine);
    }

    /**
     * The limits a server has unless told otherwise: 8 KiB request line, 16 KiB and 100 field lines, 1 MiB body,
     * 4 KiB chunk-size line. Roomy for browsers and API clients, small enough that a connection's head costs little.
     *
     * @return the defaults
     */
    public static HttpLimits defaults() {
        return new HttpLimits(8192, 16384, 100, 1 << 20, 4096);
    }

    /**
     * A copy with another request-line bound.
     *
     * @param v bytes, &gt; 0 (see {@link #maxRequestLine()})
     * @return the new limits
     */
    public HttpLimits withMaxRequestLine(int v) {
        return new HttpLimits(v, maxHeaderSize, maxHeaderCount, maxBodySize, maxChunkLine);
    }

    /**
     * A copy with another bound on the field lines' bytes.
     *
     * @param v bytes, &gt; 0 (see {@link #maxHeaderSize()})
     * @return the new limits
     */
    public HttpLimits withMaxHeaderSize(int v) {
        return new HttpLimits(maxRequestLine, v, maxHeaderCount, maxBodySize, maxChunkLine);
    }

    /**
     * A copy with another bound on the number of field lines.
     *
     * @param v field lines, &gt; 0
     * @return the new limits
     */
    public HttpLimits withMaxHeaderCount(int v) {
        return new HttpLimits(maxRequestLine, maxHeaderSize, v, maxBodySize, maxChunkLine);
    }

    /**
     * A copy with another body bound.
     *
     * @param v bytes, &gt; 0; the whole body is held in memory, so this is also what one request may cost
     * @return the new limits
     */
    public HttpLimits withMaxBodySize(long v) {
        return new HttpLimits(maxRequestLine, maxHeaderSize, maxHeaderCount, v, maxChunkLine);
    }

    /**
     * A copy with another chunk-size line bound.
     *
     * @param v bytes, &gt; 0 (see {@link #maxChunkLine()})
     * @return the new limits
     */
    public HttpLimits withMaxChunkLine(int v) {
        return new HttpLimits(maxRequestLine, maxHeaderSize, maxHeaderCount, maxBodySize, v);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
    }
}
