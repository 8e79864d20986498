package io.jepoll.server;

import io.jepoll.http.Request;

import java.util.Arrays;
import java.util.List;
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
     * @param startNanos    when the exchange began, on the scale of {@link System#nanoTime()}: on an event loop the
     *                      start of the loop's turn that read the request's last bytes (the loop's clock, read once
     *                      a turn), on a blocking engine's thread the moment the request was complete; 0 for a
     *                      refusal (no handler ran). An observer that wants the duration reads the clock itself.
     * @param client        the client's address when asked ({@link Request#remoteAddress()}: the PROXY header's
     *                      source, else the socket's peer, which an event loop looks up only then); answers null
     *                      when it cannot be known any more. Ask it during the call only.
     */
    void exchanged(int loop, Request req, int status, long bodyBytes, long startNanos, Request.AddressSource client);

    /**
     * A request refused before its head was complete: {@link #exchanged} with no request (and 0 for the start),
     * which is what this default does, plus what arrived of its request line, for an observer that shows it.
     *
     * @param line what arrived of the request line ({@link io.jepoll.http.RequestParser#requestLineSeen()}), or null
     */
    default void refused(int loop, String line, int status, long bodyBytes, Request.AddressSource client) {
        exchanged(loop, null, status, bodyBytes, 0, client);
    }

    /**
     * The observers given, the null ones left out: null when none is left, so the engines skip everything; the one
     * itself when one is; else one that tells each in turn, in order.
     */
    static ExchangeObserver all(ExchangeObserver... observers) {
        List<ExchangeObserver> set = Arrays.stream(observers).filter(Objects::nonNull).toList();
        if (set.isEmpty()) return null;
        ExchangeObserver all = set.getLast();
        for (int i = set.size() - 2; i >= 0; i--) all = new Both(set.get(i), all);
        return all;
    }

    /**
     * Two observers, told in turn. Pairs rather than a loop over an array: each call site here sees one kind of
     * observer, which the JIT inlines, where a loop's one site would see them all and dispatch through a table.
     */
    record Both(ExchangeObserver first, ExchangeObserver second) implements ExchangeObserver {
        @Override
        public void exchanged(int loop, Request req, int status, long bodyBytes, long startNanos, Request.AddressSource client) {
            first.exchanged(loop, req, status, bodyBytes, startNanos, client);
            second.exchanged(loop, req, status, bodyBytes, startNanos, client);
        }

        @Override
        public void refused(int loop, String line, int status, long bodyBytes, Request.AddressSource client) {
            first.refused(loop, line, status, bodyBytes, client);
            second.refused(loop, line, status, bodyBytes, client);
        }
    }
}
