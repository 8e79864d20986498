package io.jepoll.server;

import io.jepoll.http.Request;

import java.util.Arrays;
import java.util.Objects;

/**
 * Told of every exchange an engine completes, once, on the thread that served it (an event loop, or a
 * connection's own thread in the blocking engines): the metrics' counters, the JFR events, the access log.
 *
 * <p>An engine calls it only when its runtime has one ({@link HttpRuntime#observer} is not null): a server
 * without one pays a null test per exchange and allocates nothing for it. Several are combined by {@link #all}.
 * The call comes
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
     * @param loop          the index of the event loop that served it, or -1 on a blocking engine's thread
     * @param req           the request, valid during this call only (its bytes may be a buffer the loop reuses next);
     *                      null when it was refused before its head was complete
     * @param status        the status sent
     * @param bodyBytes     the length of the body handed to the connection: Content-Length for bytes and files, the
     *                      sum of the chunks' data for a streamed body (framing excluded), 0 when no body goes out
     *                      (HEAD, 204, 304); what the client acknowledged is not known here
     * @param durationNanos from the complete request (the handler about to run) to now; -1 for a refusal (no
     *                      handler ran)
     * @param client        the client's address when asked ({@link Request#remoteAddress()}: the PROXY header's
     *                      source, else the socket's peer, which an event loop looks up only then); answers null
     *                      when it cannot be known any more. Ask it during the call only.
     */
    void exchanged(int loop, Request req, int status, long bodyBytes, long durationNanos, Request.AddressSource client);

    /**
     * The observers given, the null ones left out: null when none is left, so the engines skip everything; the one
     * itself when one is; else one that tells each in turn.
     */
    static ExchangeObserver all(ExchangeObserver... observers) {
        ExchangeObserver[] set = Arrays.stream(observers).filter(Objects::nonNull).toArray(ExchangeObserver[]::new);
        if (set.length == 0) return null;
        if (set.length == 1) return set[0];
        return (loop, req, status, bodyBytes, durationNanos, client) -> {
            for (ExchangeObserver o : set) o.exchanged(loop, req, status, bodyBytes, durationNanos, client);
        };
    }
}
