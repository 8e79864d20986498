package io.jepoll.server;

import io.jepoll.http.DeflaterPool;
import io.jepoll.http.HttpLimits;
import io.jepoll.http.OutputBuffer;

/**
 * What the HTTP connections of one event loop share, touched only by that loop's thread:
 * spare parsers, the buffer responses are encoded into before they are handed to
 * the connection (which copies them into the loop's output, or sends them at once),
 * the lookup of a request's client address, and the loop's deflaters when compression
 * is on (null otherwise).
 */
final class LoopLocal {
    final ParserPool parsers;
    final OutputBuffer out = new OutputBuffer(4096);
    final PeerAddress peer = new PeerAddress();
    final DeflaterPool deflaters;

    LoopLocal(HttpLimits limits, DeflaterPool deflaters) {
        this.parsers = new ParserPool(limits);
        this.deflaters = deflaters;
    }
}
