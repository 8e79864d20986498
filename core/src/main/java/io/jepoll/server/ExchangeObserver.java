package io.jepoll.server;

import io.jepoll.http.Request;

import java.net.InetSocketAddress;

/**
 * Told of every exchange an engine completes, once, on the thread that served it (an event loop, or a
 * connection's own thread in the blocking engines): the access log today, per-loop counters tomorrow.
 *
 * <p>An engine calls it only when its runtime has one ({@link HttpRuntime#observer} is not null): a server
 * without one pays a null test per exchange and allocates nothing for it. The call comes
 * <ul>
 * <li>for a body of bytes or a file: once the response has been handed to the connection (not yet sent);</li>
 * <li>for a streamed body: when it ended, well or badly (the writer failed, the client left);</li>
 * <li>for a refused request (400, 408, 413, 414, 431, 417, 501, 505): when the refusal is handed over.</li>
 * </ul>
 * An implementation must not block the loop: it copies what it needs and returns.
 */
interface ExchangeObserver {
    /**
     * One exchange is complete.
     *
     * @param req        the request, valid during this call only (its bytes may be a buffer the loop reuses next);
     *                   null when it was refused before its head was complete
     * @param status     the status sent
     * @param bodyBytes  the length of the body handed to the connection: Content-Length for bytes and files, the
     *                   sum of the chunks' data for a streamed body (framing excluded), 0 when no body goes out
     *                   (HEAD, 204, 304); what the client acknowledged is not known here
     * @param startNanos {@link System#nanoTime()} when the request was complete and the handler was about to run,
     *                   0 for a refusal (no handler ran)
     * @param remote     the client: {@link Request#remoteAddress()} when the engine set it, else the socket's peer;
     *                   null when neither is known (the socket already closed)
     */
    void exchanged(Request req, int status, long bodyBytes, long startNanos, InetSocketAddress remote);
}
