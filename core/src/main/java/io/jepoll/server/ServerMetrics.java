package io.jepoll.server;

import io.jepoll.http.Request;

import java.util.concurrent.atomic.LongAdder;

/**
 * A server's HTTP counters ({@link HttpServer.Builder#metrics(boolean)}): a set per event loop, written by that
 * loop's thread alone, and one thread-safe set for the blocking engines' threads; {@link #snapshot} sums them with
 * what the engine knows of its connections. An {@link ExchangeObserver}, so it costs nothing when off.
 */
final class ServerMetrics implements ExchangeObserver {
    private final ExchangeCounts.OnLoop[] loops;
    private final ExchangeCounts shared = new ExchangeCounts.Shared();
    private final LongAdder handlerErrors = new LongAdder(); // a handler may fail on any thread (virtual ones too); rare

    ServerMetrics(int loopCount) {
        this.loops = new ExchangeCounts.OnLoop[loopCount];
        for (int i = 0; i < loopCount; i++) loops[i] = new ExchangeCounts.OnLoop();
    }

    /** The counts of the thread that calls: its loop's, or the shared ones (-1, a blocking engine's thread). */
    private ExchangeCounts of(int loop) { return loop < 0 ? shared : loops[loop]; }

    @Override
    public void exchanged(int loop, Request req, int status, long bodyBytes, long startNanos, Request.AddressSource client) {
        of(loop).exchanged(req, status, bodyBytes, startNanos);
    }

    /** On the loop's thread: the durations of the exchanges it reported end now (see {@link ExchangeCounts.OnLoop}). */
    void settle(int loop) { loops[loop].settle(); }

    /** On the serving thread: a deadline fired. */
    void timedOut(int loop, Metrics.Timeout kind) { of(loop).timedOut(kind); }

    /** Any thread: a handler threw or returned null, or a body writer threw. */
    void handlerFailed() { handlerErrors.increment(); }

    /** Any thread: the counts now, with the engine's connection figures. */
    Metrics snapshot(ConnectionFigures connections, long accessLogDropped) {
        ExchangeCounts.Sum sum = new ExchangeCounts.Sum().add(shared);
        for (ExchangeCounts c : loops) sum.add(c);
        return new Metrics(sum.requests(), sum.duration(), sum.responseBytes(), connections.open(), connections.accepted(),
                sum.rejected(), sum.timeouts(), connections.acceptPauses(), handlerErrors.sum(), accessLogDropped,
                connections.loops());
    }
}
