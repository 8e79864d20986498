package io.jepoll.server;

import io.jepoll.http.HttpLimits;
import io.jepoll.http.RequestParser;

import java.util.ArrayDeque;

/**
 * One loop's spare parsers. A connection borrows one when bytes arrive and returns it
 * when no request is under way, so thousands of idle keep-alive connections share a few
 * parsers (and their warm offset arrays) instead of holding one each. Loop thread only.
 */
final class ParserPool {
    private static final int MAX_SPARE = 256;

    private final HttpLimits limits;
    private final ArrayDeque<RequestParser> spare = new ArrayDeque<>();

    ParserPool(HttpLimits limits) { this.limits = limits; }

    RequestParser take() {
        RequestParser p = spare.pollFirst();
        return p != null ? p : new RequestParser(limits);
    }

    /** Takes back a parser that has been reset (no request under way). */
    void give(RequestParser p) {
        if (spare.size() < MAX_SPARE) spare.addFirst(p);
    }
}
