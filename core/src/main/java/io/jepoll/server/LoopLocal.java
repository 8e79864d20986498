package io.jepoll.server;

import io.jepoll.http.HttpLimits;
import io.jepoll.http.OutputBuffer;

/**
 * What the HTTP connections of one event loop share, touched only by that loop's thread:
 * spare parsers, and the buffer responses are encoded into before they are handed to
 * the connection (which copies them into the loop's output, or sends them at once).
 */
final class LoopLocal {
    final ParserPool parsers;
    final OutputBuffer out = new OutputBuffer(4096);

    LoopLocal(HttpLimits limits) { this.parsers = new ParserPool(limits); }
}
