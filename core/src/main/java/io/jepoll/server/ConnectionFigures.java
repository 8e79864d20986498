package io.jepoll.server;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What an engine knows of its connections, for {@link Metrics}: the event loops count these themselves
 * ({@link io.jepoll.loop.EventLoop#stats()}), the blocking engine in its acceptor.
 *
 * @param open         connections open now
 * @param accepted     connections accepted since the start
 * @param acceptPauses times accepting paused, by cause
 * @param loops        each event loop's load; empty for the blocking engines
 */
record ConnectionFigures(int open, long accepted, Map<Metrics.AcceptPause, Long> acceptPauses, List<Metrics.LoopLoad> loops) {
    /** Figures with the pauses given by cause. */
    ConnectionFigures(int open, long accepted, long pausesAtLimit, long pausesForResources, List<Metrics.LoopLoad> loops) {
        this(open, accepted, pauses(pausesAtLimit, pausesForResources), loops);
    }

    private static Map<Metrics.AcceptPause, Long> pauses(long atLimit, long forResources) {
        Map<Metrics.AcceptPause, Long> pauses = new EnumMap<>(Metrics.AcceptPause.class);
        pauses.put(Metrics.AcceptPause.CONNECTION_LIMIT, atLimit);
        pauses.put(Metrics.AcceptPause.NO_RESOURCES, forResources);
        return pauses;
    }
}
