package io.jepoll.server;

import io.jepoll.http.OutputBuffer;
import io.jepoll.http.Request;
import io.jepoll.http.Response;
import io.jepoll.http.ResponseEncoder;
import io.jepoll.http.Status;

/**
 * The decisions about one request and its response that every engine makes alike, the
 * event loops ({@link HttpConnection}) and the blocking threads ({@link BlockingConnection}):
 * when to send 100 Continue, whether the connection stays open, how the body is framed,
 * what a refusal and a timeout say. Only the I/O around them differs between engines.
 */
final class ExchangePolicy {
    private ExchangePolicy() {}

    static final String HEAD_TOO_SLOW = "request head not received in time";
    static final String BODY_STALLED = "request body stalled";

    /**
     * RFC 9110 10.1.1: a 100 only while the client is holding its body back. The parser has
     * already refused unknown expectations (417) and bodies over the limit (413, no 100),
     * and ignores Expect in HTTP/1.0 requests.
     */
    static boolean sendContinue(Request req, boolean bodyBytesAlreadyHere) {
        return req.expectContinue() && !bodyBytesAlreadyHere;
    }

    /**
     * How to answer {@code req} with {@code r}. Decided after the handler returned: a
     * shutdown that began while it ran ({@code lastExchange}) makes this the last response.
     */
    static Answer answer(Request req, Response r, boolean lastExchange) {
        boolean head = req.isMethod("HEAD");
        boolean http10 = req.versionMinor() == 0;
        boolean keepAlive = req.keepAlive() && !lastExchange;
        boolean streamed = r.isStreamed() && !head && !Status.forbidsBody(r.status());
        if (streamed && http10) keepAlive = false; // no chunked in 1.0: the body ends at the close
        return new Answer(r, head, http10, keepAlive, streamed);
    }

    /**
     * The framing of one response.
     *
     * @param head      the request was HEAD: the fields of GET, no body
     * @param http10    HTTP/1.0 client: no chunked encoding, keep-alive only when asked
     * @param keepAlive the connection stays open after this response
     * @param streamed  the body comes from a {@link io.jepoll.http.BodyWriter}, chunked (1.1) or until close (1.0)
     */
    record Answer(Response response, boolean head, boolean http10, boolean keepAlive, boolean streamed) {
        /** Appends the head (and a small body) to {@code out}; returns a large body still to send, or null. */
        byte[] encode(long epochMillis, OutputBuffer out) {
            return ResponseEncoder.encode(response, head, http10, keepAlive, epochMillis, out);
        }

        /** Whether the body goes out at all (not for HEAD, nor for 1xx, 204 and 304). */
        boolean sendsBody() { return !head && !Status.forbidsBody(response.status()); }

        /** The whole response as one cached array when it has that common shape, else null. */
        byte[] whole(long epochMillis) {
            return streamed ? null : ResponseEncoder.whole(response, head, http10, keepAlive, epochMillis);
        }

        /** The fixed body's length as sent (Content-Length), 0 when none goes out; a streamed body is counted as it leaves. */
        long bodyBytes() { return sendsBody() ? Math.max(0, response.contentLength()) : 0; }

        /** A streamed body in HTTP/1.1 is chunked. */
        boolean chunked() { return !http10; }
    }

    /** The short response for a refused request (it always closes the connection); returns its body's length. */
    static int refuse(int status, String reason, OutputBuffer out) {
        return ResponseEncoder.encodeError(status, reason, out);
    }
}
