package io.jepoll.server;

import java.net.InetAddress;

/**
 * One line of the access log, as copied off the serving thread: immutable, so the writer thread formats it
 * later without touching the request (which is only valid while it is being served).
 *
 * @param epochMillis    when the exchange was complete (wall clock)
 * @param remote         the client's address, or null when not known ("-")
 * @param method         the method, or null for a request refused before its head was complete (then the request
 *                       line is "-" and target and versionMinor mean nothing)
 * @param target         the request-target as sent (Latin-1: one char per byte)
 * @param versionMinor   0 or 1: HTTP/1.0 or HTTP/1.1
 * @param status         the status sent
 * @param bodyBytes      the body's length (see {@link ExchangeObserver#exchanged})
 * @param durationMicros from the complete request to the end of the exchange; 0 for a refusal
 * @param referer        the Referer field, or null
 * @param userAgent      the User-Agent field, or null
 * @param lineSeen       for a request refused before its head was complete (method null): what arrived of its
 *                       request line, as received (Latin-1, at most {@link io.jepoll.http.RequestParser#MAX_LINE_SEEN}
 *                       chars), or null when none did; else null
 */
record AccessLogEntry(long epochMillis, InetAddress remote, String method, String target, int versionMinor,
                      int status, long bodyBytes, long durationMicros, String referer, String userAgent, String lineSeen) {

    /** An exchange whose head was parsed. */
    AccessLogEntry(long epochMillis, InetAddress remote, String method, String target, int versionMinor,
                   int status, long bodyBytes, long durationMicros, String referer, String userAgent) {
        this(epochMillis, remote, method, target, versionMinor, status, bodyBytes, durationMicros, referer, userAgent, null);
    }

    /** A request refused before its head was complete, with what arrived of its request line (or null). */
    static AccessLogEntry refused(long epochMillis, InetAddress remote, String lineSeen, int status, long bodyBytes) {
        return new AccessLogEntry(epochMillis, remote, null, null, 0, status, bodyBytes, 0, null, null, lineSeen);
    }

    /** About what the entry holds in memory, in bytes: with the line count, what bounds the queue. */
    long weight() {
        return 96 + length(method) + length(target) + length(referer) + length(userAgent) + length(lineSeen);
    }

    private static int length(String s) { return s == null ? 0 : s.length(); }
}
