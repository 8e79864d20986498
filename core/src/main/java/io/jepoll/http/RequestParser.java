package io.jepoll.http;

import java.util.Arrays;
import java.util.Objects;

/**
 * Incremental HTTP/1.1 request parser (RFC 9112) for one connection: feed it the bytes as they are read, in any
 * split, and it reports when a request's head, then the whole request, has arrived.
 *
 * <p><b>Buffer ownership.</b> The caller's buffer is shared by many connections and overwritten after the current
 * read, so the parser references it only while it may:
 * <ul>
 * <li>REQUEST_COMPLETE: the request may view the caller's buffer (zero copy); the caller keeps it unmodified until
 * it calls feed() or reset() again.</li>
 * <li>NEED_MORE: nothing references the buffer. A partial head was copied into a carry array the parser owns
 * (allocated lazily, bounded by the limits); body bytes were copied into the body.</li>
 * <li>HEAD_COMPLETE: the head is always in parser-owned storage. The caller may answer 100 Continue and read
 * again before feeding the body, and if the head ended exactly at the end of its read it has no reason to call
 * feed() before reading into the same buffer; so the head is copied here rather than at the next NEED_MORE. That
 * costs one head-sized copy per request with a body, never one for a request without.</li>
 * </ul>
 *
 * <p>A complete GET whose head arrives in one buffer allocates nothing: the {@link Request} and its offset arrays
 * are reused across requests, and Strings are made only when asked for.
 *
 * <p>Not thread-safe: one parser per connection, used by the thread that reads it.
 */
public final class RequestParser {

    /** Where the last {@link #feed} left the request. */
    public enum Event {
        /** The request is not complete: read more and feed it. */
        NEED_MORE,
        /** The head of a request with a body is in ({@link #request()} has it): answer 100 Continue now if asked. */
        HEAD_COMPLETE,
        /** The whole request is in, body included: handle it, then {@link #reset()}. */
        REQUEST_COMPLETE
    }

    private static final int HEAD = 0, LENGTH_BODY = 1, CHUNKED_BODY = 2, COMPLETE = 3;

    private final long maxBody;
    private final int maxCarry;
    private final Request request = new Request();
    private final HeadScanner scanner;
    private final BodyBuffer body = new BodyBuffer();
    private final ChunkedDecoder chunks;

    private int phase = HEAD;
    private Event event = Event.NEED_MORE;
    private boolean inProgress;
    private HttpException failure;
    private long remaining;  // Content-Length bytes still to come
    private byte[] carry;    // head bytes that must outlive the caller's buffer; index 0 is the method's first byte
    private int carryLen;
    private String refusedLine; // what arrived of the request line of a head refused (for a log), or null

    /** The most of a request line {@link #requestLineSeen()} keeps, in bytes: a log line's worth, as nginx keeps. */
    public static final int MAX_LINE_SEEN = 1024;

    /**
     * A parser that refuses what exceeds limits, with the status the limit calls for (413, 414, 431).
     *
     * @param limits the bounds on the request line, fields and body
     */
    public RequestParser(HttpLimits limits) {
        Objects.requireNonNull(limits, "limits");
        maxBody = Math.min(limits.maxBodySize(), BodyBuffer.MAX_ARRAY);
        // request line + CRLF + field lines + CRLF: the scanner refuses anything that would need more
        maxCarry = (int) Math.min(BodyBuffer.MAX_ARRAY, (long) limits.maxRequestLine() + limits.maxHeaderSize() + 4);
        scanner = new HeadScanner(limits, request);
        chunks = new ChunkedDecoder(limits, scanner, body, maxBody);
    }

    /**
     * Consumes bytes of buf[off, off+len) and returns how many it consumed (0..len). Stops right after a request
     * completes (REQUEST_COMPLETE; the rest belongs to the next, pipelined request), right after the head of a
     * request that has a body (HEAD_COMPLETE, once per request), or when all bytes are consumed (NEED_MORE).
     *
     * @param buf the bytes read; they may be kept by reference until the next feed() or reset() (see above)
     * @param off where the new bytes start
     * @param len how many there are
     * @return bytes consumed, 0 to len; then {@link #event()} says what arrived
     * @throws HttpException on bad input; the parser then stays failed and throws it again (close the connection)
     * @throws IllegalStateException when called after REQUEST_COMPLETE without reset()
     */
    public int feed(byte[] buf, int off, int len) throws HttpException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (failure != null) {
            throw failure;
        }
        try {
            return switch (phase) {
                case HEAD -> feedHead(buf, off, len);
                case LENGTH_BODY -> feedLengthBody(buf, off, len);
                case CHUNKED_BODY -> feedChunked(buf, off, len);
                default -> throw new IllegalStateException("request complete: call reset() before feeding the next");
            };
        } catch (HttpException e) {
            failure = e;
            // Only now are the bytes that failed still there to see: the caller's buffer is reused after this.
            if (phase == HEAD) refusedLine = lineSeen(buf, off, len);
            throw e;
        }
    }

    /**
     * What arrived of the current request's line, for a log: from its first byte (after any empty lines) to the
     * CR or LF that ends it, or to what has arrived, at most {@value #MAX_LINE_SEEN} bytes, one char per byte
     * (Latin-1). For a head this parser refused, the line as the failing call saw it, whatever the bytes were (a
     * TLS handshake sent to a plain port, say); for a head still in progress (a 408), what has arrived of it.
     * Null when nothing but empty lines arrived, or the request's head was complete ({@link #request()} has it).
     *
     * @return the start of the request line as received, or null
     */
    public String requestLineSeen() {
        if (failure != null) return refusedLine;
        return phase == HEAD && carryLen > 0 ? lineSeen(BodyBuffer.EMPTY, 0, 0) : null;
    }

    /** The line that the carry, then buf[off, off+len), hold: empty lines skipped, up to its CR or LF. */
    private String lineSeen(byte[] buf, int off, int len) {
        StringBuilder b = new StringBuilder();
        boolean begun = carryLen > 0; // the carry starts at the method's first byte
        for (int k = 0; k < carryLen + len && b.length() < MAX_LINE_SEEN; k++) {
            byte c = k < carryLen ? carry[k] : buf[off + k - carryLen];
            if (c == '\r' || c == '\n') {
                if (begun) break;
                continue;
            }
            begun = true;
            b.append((char) (c & 0xFF));
        }
        return b.isEmpty() ? null : b.toString();
    }

    /** {@return what the last {@link #feed} reached; NEED_MORE before the first one and after reset()} */
    public Event event() {
        return event;
    }

    /** {@return the request: valid after HEAD_COMPLETE (head only) or REQUEST_COMPLETE; the same object for every request of this parser} */
    public Request request() {
        return request;
    }

    /**
     * Keeps the completed request valid after the caller's buffer is reused, until {@link #reset()}: its head is
     * copied into an array of its own, and its client address is looked up now if the engine left that for later
     * ({@link Request#remoteAddressFrom}). For a request still in use when feed() returns (a handler on another
     * thread, a streamed response); the caller feeds nothing more before reset().
     */
    public void retainRequest() {
        if (event != Event.REQUEST_COMPLETE) throw new IllegalStateException("no complete request to retain");
        request.ownHead();
    }

    /**
     * Starts the next request (call after REQUEST_COMPLETE). Lets go of the carry and body arrays, so an idle
     * connection holds none; the request's offset arrays are kept. A failed parser stays failed.
     */
    public void reset() {
        phase = HEAD;
        event = Event.NEED_MORE;
        inProgress = false;
        remaining = 0;
        carry = null;
        carryLen = 0;
        scanner.reset(); // refusedLine stays: it is read only while failure is set, which no reset clears
        chunks.reset();
        body.release();
        request.clear();
    }

    /** {@return true once any byte of the next request was consumed (leading CRLFs included) and it is not complete yet} */
    public boolean inProgress() {
        return inProgress;
    }

    private int feedHead(byte[] buf, int off, int len) throws HttpException {
        int end = off + len;
        boolean carrying = carryLen > 0;
        // Offsets are recorded where the bytes will finally be: in buf as they are, or in carry after the append.
        int delta = carrying ? carryLen - off : 0;
        if (len > 0) {
            inProgress = true; // before scanning, so it does not depend on whether an error comes in this call
        }
        int stop = scanner.scan(buf, off, end, delta);
        if (stop < 0) {
            if (carrying) {
                appendCarry(buf, off, len);
            } else if (scanner.inRequestLine()) {
                int from = request.methodStart;
                appendCarry(buf, from, end - from);
                shift(-from);
            } // else only empty lines so far: nothing to keep
            event = Event.NEED_MORE;
            return len;
        }

        if (carrying) {
            appendCarry(buf, off, stop - off);
            request.head = carry;
        } else {
            request.head = buf;
        }
        request.headEnd = stop + delta;
        HeadSemantics.apply(request, maxBody);
        int consumed = stop - off;
        if (!request.hasBody()) {
            complete();
            return consumed;
        }
        if (!carrying) {
            int from = request.methodStart;
            carry = Arrays.copyOfRange(buf, from, request.headEnd);
            carryLen = carry.length;
            request.head = carry;
            request.rebase(-from);
        }
        if (request.chunked) {
            body.start(maxBody);
            phase = CHUNKED_BODY;
        } else {
            body.start(request.contentLength);
            remaining = request.contentLength;
            phase = LENGTH_BODY;
        }
        event = Event.HEAD_COMPLETE;
        return consumed;
    }

    private int feedLengthBody(byte[] buf, int off, int len) {
        int n = (int) Math.min(len, remaining);
        body.append(buf, off, n, request.contentLength);
        remaining -= n;
        if (remaining == 0) {
            complete();
        } else {
            event = Event.NEED_MORE;
        }
        return n;
    }

    private int feedChunked(byte[] buf, int off, int len) throws HttpException {
        int stop = chunks.decode(buf, off, off + len);
        if (stop < 0) {
            event = Event.NEED_MORE;
            return len;
        }
        complete();
        return stop - off;
    }

    private void complete() {
        request.body = body.finish();
        phase = COMPLETE;
        event = Event.REQUEST_COMPLETE;
        inProgress = false;
    }

    private void shift(int by) {
        request.rebase(by);
        scanner.rebase(by);
    }

    private void appendCarry(byte[] src, int off, int n) {
        int need = carryLen + n;
        if (carry == null || need > carry.length) {
            int cap = carry == null ? 256 : carry.length * 2;
            carry = Arrays.copyOf(carry == null ? BodyBuffer.EMPTY : carry, Math.max(need, Math.min(cap, maxCarry)));
        }
        System.arraycopy(src, off, carry, carryLen, n);
        carryLen = need;
    }
}
