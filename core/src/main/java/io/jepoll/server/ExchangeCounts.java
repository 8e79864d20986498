package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.loop.LoopCounters;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP counters of one event loop ({@link OnLoop}: its thread alone writes them, plainly) or of every thread of
 * a blocking engine ({@link Shared}: {@link LongAdder}s). One layout of slots, so both sum into a {@link Metrics}
 * alike: requests by method and status class, body bytes, refusals by status, timeouts by kind, and the duration
 * histogram (a count per bucket and the sum in nanoseconds).
 */
abstract sealed class ExchangeCounts {
    /** The duration buckets' upper bounds, in nanoseconds: 10 µs to 10 s, then +Inf. */
    static final long[] BOUNDS_NANOS = {
        10_000, 25_000, 50_000, 100_000, 250_000, 500_000,
        1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000,
        100_000_000, 250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000L, 5_000_000_000L, 10_000_000_000L
    };
    /** The statuses a request is refused with before a handler sees it: every HttpException of the parser, and 408. */
    static final int[] REFUSALS = {400, 408, 413, 414, 417, 431, 501, 505};

    private static final int METHODS = Metrics.METHODS.size(), OTHER = METHODS - 2, UNKNOWN = METHODS - 1;
    private static final int REQUESTS = 0;
    private static final int BYTES = REQUESTS + METHODS * 5;
    private static final int REFUSED = BYTES + 1;                   // one per REFUSALS
    private static final int TIMEOUTS = REFUSED + REFUSALS.length;
    private static final int BUCKETS = TIMEOUTS + Metrics.Timeout.values().length; // one per bound, then +Inf
    private static final int SUM_NANOS = BUCKETS + BOUNDS_NANOS.length + 1;
    static final int SLOTS = SUM_NANOS + 1;

    abstract void add(int slot, long n);

    abstract long get(int slot);

    /**
     * One exchange; {@code startNanos} is 0 for a refusal (no handler ran), which is counted as a request and as
     * rejected, and not in the histogram.
     */
    final void exchanged(Request req, int status, long bodyBytes, long startNanos) {
        int method = req == null ? UNKNOWN : methodIndex(req);
        add(REQUESTS + method * 5 + Math.clamp(status / 100, 1, 5) - 1, 1);
        if (bodyBytes > 0) add(BYTES, bodyBytes);
        if (startNanos == 0) {
            int refusal = refusalIndex(status);
            if (refusal >= 0) add(REFUSED + refusal, 1);
            return;
        }
        ended(startNanos);
    }

    /** An exchange that began at {@code startNanos} is over: its duration goes to the histogram, now or soon. */
    abstract void ended(long startNanos);

    /** {@code count} exchanges of {@code nanos} each. */
    final void observe(long nanos, int count) {
        add(BUCKETS + bucket(nanos), count);
        add(SUM_NANOS, nanos * count);
    }

    final void timedOut(Metrics.Timeout kind) { add(TIMEOUTS + kind.ordinal(), 1); }

    /** The method's place in {@link Metrics#METHODS}, compared on the request's bytes: no String, no hash. */
    private static int methodIndex(Request req) {
        for (int i = 0; i < OTHER; i++) if (req.isMethod(Metrics.METHODS.get(i))) return i;
        return OTHER;
    }

    private static int refusalIndex(int status) {
        for (int i = 0; i < REFUSALS.length; i++) if (REFUSALS[i] == status) return i;
        return -1; // none today: a new refusal status belongs in REFUSALS
    }

    /** The first bucket whose bound is at least {@code nanos}; most requests stop at the first comparisons. */
    static int bucket(long nanos) {
        int i = 0;
        while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) i++;
        return i;
    }

    /** Sums of several sets of counts (every loop's), read slot by slot. */
    static final class Sum {
        private final long[] total = new long[SLOTS];

        Sum add(ExchangeCounts c) {
            for (int i = 0; i < SLOTS; i++) total[i] += c.get(i);
            return this;
        }

        List<Metrics.RequestCount> requests() {
            List<Metrics.RequestCount> out = new ArrayList<>();
            for (int m = 0; m < METHODS; m++) {
                for (int cls = 1; cls <= 5; cls++) {
                    long n = total[REQUESTS + m * 5 + cls - 1];
                    if (n > 0) out.add(new Metrics.RequestCount(Metrics.METHODS.get(m), cls, n));
                }
            }
            return out;
        }

        long responseBytes() { return total[BYTES]; }

        /** Every refusal status, 0 when none. */
        Map<Integer, Long> rejected() {
            Map<Integer, Long> out = new TreeMap<>();
            for (int i = 0; i < REFUSALS.length; i++) out.put(REFUSALS[i], total[REFUSED + i]);
            return out;
        }

        Map<Metrics.Timeout, Long> timeouts() {
            Map<Metrics.Timeout, Long> out = new EnumMap<>(Metrics.Timeout.class);
            for (Metrics.Timeout t : Metrics.Timeout.values()) out.put(t, total[TIMEOUTS + t.ordinal()]);
            return out;
        }

        /** The buckets made cumulative; the count is the last one, so it always agrees with them. */
        Metrics.Histogram duration() {
            List<Double> bounds = new ArrayList<>();
            List<Long> counts = new ArrayList<>();
            long running = 0;
            for (int i = 0; i <= BOUNDS_NANOS.length; i++) {
                if (i < BOUNDS_NANOS.length) bounds.add(BOUNDS_NANOS[i] / 1e9);
                running += total[BUCKETS + i];
                counts.add(running);
            }
            return new Metrics.Histogram(bounds, counts, total[SUM_NANOS]);
        }
    }

    /**
     * One loop's counts, written by its thread only. A duration ends when the callback that answered the exchange
     * returns ({@link #settle}, just before the loop sends what it wrote), not when each response is encoded: the
     * exchanges of one read (a pipelined batch) share one clock read, and their start, the loop's turn. Until then
     * they wait here as a start and a count; one with another start first settles those (a clock read more).
     */
    static final class OnLoop extends ExchangeCounts {
        private final LoopCounters slots = new LoopCounters(SLOTS);
        private long pendingStart;
        private int pending;

        @Override void add(int slot, long n) { slots.add(slot, n); }

        @Override long get(int slot) { return slots.get(slot); }

        @Override
        void ended(long startNanos) {
            if (pending > 0 && startNanos != pendingStart) settle();
            pendingStart = startNanos;
            pending++;
        }

        /** The exchanges reported since the last settle end now. */
        void settle() {
            if (pending == 0) return;
            observe(Math.max(0, System.nanoTime() - pendingStart), pending);
            pending = 0;
        }
    }

    /** The blocking engines' counts: every connection has a thread of its own. */
    static final class Shared extends ExchangeCounts {
        private final LongAdder[] slots = new LongAdder[SLOTS];

        Shared() { for (int i = 0; i < SLOTS; i++) slots[i] = new LongAdder(); }

        @Override void add(int slot, long n) { slots[slot].add(n); }

        @Override long get(int slot) { return slots[slot].sum(); }

        @Override
        void ended(long startNanos) { observe(Math.max(0, System.nanoTime() - startNanos), 1); } // beside blocking I/O, a clock read is cheap
    }
}
