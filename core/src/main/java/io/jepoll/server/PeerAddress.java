package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.loop.Connection;

import java.net.InetSocketAddress;

/**
 * {@link Request#remoteAddress()} on an event loop, looked up only when a handler asks. One per loop (in
 * {@link LoopLocal}), bound to the connection whose request is about to be handled: the parser's request is
 * shared by the loop's connections, and a source per connection or per request would cost every idle
 * connection a field or every request an object. The request asks it during the exchange, on the loop, or
 * when it is retained for another thread, also on the loop, before the binding moves on.
 */
final class PeerAddress implements Request.AddressSource {
    private Connection connection;
    private HttpConnection exchange;

    /** Binds to the connection whose request is handled next; returns itself, for the request. */
    PeerAddress of(Connection c, HttpConnection h) {
        connection = c;
        exchange = h;
        return this;
    }

    @Override
    public InetSocketAddress remoteAddress() { return exchange.remoteAddress(connection); }
}
