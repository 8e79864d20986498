package io.jepoll.http;

import java.nio.charset.StandardCharsets;

/**
 * Writes responses in HTTP/1.1 wire format. The constant part of each {@link Response} is
 * encoded once ({@link #encodeHead}); per request only Date, Connection and the body are
 * appended, so a small response is three array copies.
 */
public final class ResponseEncoder {
    private ResponseEncoder() {}

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
    private static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");

    /**
     * Bodies smaller than this are copied next to the head, so head and body leave in one
     * send; larger ones are returned to the caller to be sent from their own array. The only
     * size threshold of the write path: below it a copy is cheaper than a second entry.
     */
    public static final int INLINE_BODY_MAX = 16 * 1024;

    static byte[] ascii(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    /** Status line, the response's own fields and, for a fixed body, Content-Length. */
    static byte[] encodeHead(Response r) {
        OutputBuffer b = new OutputBuffer(128);
        b.putLatin1("HTTP/1.1 ").putDecimal(r.status()).put((byte) ' ').putLatin1(Status.reason(r.status())).put(CRLF);
        for (Response.Header h : r.headers()) b.putLatin1(h.name()).putLatin1(": ").putLatin1(h.value()).put(CRLF);
        long length = r.contentLength();
        if (length >= 0 && !Status.forbidsBody(r.status())) {
            b.putLatin1("Content-Length: ").putDecimal(length).put(CRLF);
        }
        byte[] out = new byte[b.readable()];
        System.arraycopy(b.array(), b.start(), out, 0, out.length);
        return out;
    }

    /**
     * Appends the head of {@code r} (and, when small, its body) to {@code out}. Returns the
     * body still to be written by the caller: null when none is left.
     *
     * @param r         the response; of a streamed or file-parts one only the head is written
     * @param head      the request was HEAD: fields as for GET, no body
     * @param http10    the client speaks HTTP/1.0
     * @param keepAlive the connection stays open after this response
     * @param out       where the bytes go, appended
     * @return a body of at least {@link #INLINE_BODY_MAX} bytes to send after out, or null
     */
    public static byte[] encode(Response r, boolean head, boolean http10, boolean keepAlive, OutputBuffer out) {
        return encode(r, head, http10, keepAlive, System.currentTimeMillis(), out);
    }

    /**
     * As {@link #encode(Response, boolean, boolean, boolean, OutputBuffer)}, dated {@code epochMillis} (a clock the caller already read).
     *
     * @param r           the response
     * @param head        the request was HEAD: fields as for GET, no body
     * @param http10      the client speaks HTTP/1.0
     * @param keepAlive   the connection stays open after this response
     * @param epochMillis the time for the Date field, in milliseconds since the epoch
     * @param out         where the bytes go, appended
     * @return a body of at least {@link #INLINE_BODY_MAX} bytes to send after out, or null
     */
    public static byte[] encode(Response r, boolean head, boolean http10, boolean keepAlive, long epochMillis, OutputBuffer out) {
        byte[] whole = whole(r, head, http10, keepAlive, epochMillis);
        if (whole != null) {
            out.put(whole);
            return null;
        }
        byte[] date = DateCache.line(epochMillis);
        out.put(r.head());
        if (r.isStreamed() && !http10 && !Status.forbidsBody(r.status())) out.put(CHUNKED);
        out.put(date);
        if (!keepAlive) out.put(CONNECTION_CLOSE);
        else if (http10) out.put(CONNECTION_KEEP_ALIVE);
        out.put(CRLF);
        byte[] body = r.body();
        if (head || body == null || body.length == 0 || Status.forbidsBody(r.status())) return null;
        if (body.length < INLINE_BODY_MAX) {
            out.put(body);
            return null;
        }
        return body;
    }

    /**
     * The whole response as one cached array (do not change it), for the common case: a small
     * body, keep-alive, HTTP/1.1, not HEAD; null otherwise (then use {@link #encode}). It is
     * rebuilt once a second for the Date line, so a caller that can send an array as it is
     * saves the copy into an {@link OutputBuffer}.
     *
     * @param r           the response
     * @param head        the request was HEAD
     * @param http10      the client speaks HTTP/1.0
     * @param keepAlive   the connection stays open after this response
     * @param epochMillis the time for the Date field, in milliseconds since the epoch
     * @return the bytes to send, shared by every caller within the second, or null
     */
    public static byte[] whole(Response r, boolean head, boolean http10, boolean keepAlive, long epochMillis) {
        if (!keepAlive || head || http10) return null;
        return r.whole(DateCache.line(epochMillis));
    }

    /**
     * "HTTP/1.1 100 Continue" (RFC 9110 §15.2.1), sent before reading a body the client holds back.
     *
     * @param out where the bytes go, appended
     */
    public static void encodeContinue(OutputBuffer out) { out.put(CONTINUE); }

    /**
     * One chunk of a chunked body: size line, data, CRLF. Empty data writes nothing (it would end the body).
     *
     * @param data the chunk's bytes are data[off, off + len)
     * @param off  where they start
     * @param len  how many, 0 for none
     * @param out  where the chunk goes, appended
     */
    public static void encodeChunk(byte[] data, int off, int len, OutputBuffer out) {
        if (len == 0) return;
        out.putHex(len).put(CRLF).put(data, off, len).put(CRLF);
    }

    /**
     * The size line of a chunk of {@code len} bytes (non-zero), for callers that send the data from its own array.
     *
     * @param len the chunk's data bytes, &gt; 0
     * @param out where the line goes, appended
     * @throws IllegalArgumentException when len is not positive: a zero size line would end the body
     */
    public static void encodeChunkSize(int len, OutputBuffer out) {
        if (len <= 0) throw new IllegalArgumentException("a chunk size line for an empty chunk would end the body");
        out.putHex(len).put(CRLF);
    }

    /**
     * The CRLF that ends a chunk's data.
     *
     * @param out where it goes, appended
     */
    public static void encodeChunkEnd(OutputBuffer out) { out.put(CRLF); }

    /**
     * The last chunk and an empty trailer section: the end of a chunked body.
     *
     * @param out where they go, appended
     */
    public static void encodeLastChunk(OutputBuffer out) { out.put(LAST_CHUNK); }

    /**
     * A minimal response for a refused request: text body, Connection: close.
     *
     * @param status the error status, such as {@link HttpException#status()}
     * @param reason what was wrong, added to the body after the status; null or "" for none
     * @param out    where the response goes, appended
     * @return the length of the body (for the access log)
     */
    public static int encodeError(int status, String reason, OutputBuffer out) {
        byte[] body = (status + " " + Status.reason(status) + (reason == null || reason.isEmpty() ? "" : ": " + reason) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        out.putLatin1("HTTP/1.1 ").putDecimal(status).put((byte) ' ').putLatin1(Status.reason(status)).put(CRLF)
                .putLatin1("Content-Type: text/plain; charset=utf-8\r\nContent-Length: ").putDecimal(body.length).put(CRLF)
                .put(DateCache.line()).put(CONNECTION_CLOSE).put(CRLF).put(body);
        return body.length;
    }
}
