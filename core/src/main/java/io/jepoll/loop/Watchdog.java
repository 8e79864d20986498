package io.jepoll.loop;

import java.util.List;

/**
 * Notices a loop that stopped looping: a handler that blocks (sleeps, waits on a lock,
 * does blocking I/O) on the loop thread stalls every connection of that loop. Once a
 * second it checks how long each loop has been busy since it last returned to poll; past
 * the threshold it logs a warning with the loop thread's stack, once per stall.
 */
final class Watchdog {
    private final List<EventLoop> loops;
    private final long thresholdMillis;
    private final long[] reported; // busy-since stamp already reported, per loop
    private final Thread thread;

    Watchdog(List<EventLoop> loops, long thresholdMillis) {
        this.loops = loops;
        this.thresholdMillis = thresholdMillis;
        this.reported = new long[loops.size()];
        this.thread = Thread.ofPlatform().daemon().name("jepoll-watchdog").unstarted(this::run);
    }

    void start() { thread.start(); }

    void stop() { thread.interrupt(); }

    private void run() {
        long period = Math.max(10, Math.min(1000, thresholdMillis / 2));
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(period); // a periodic check, not synchronisation
                check(EventLoop.clock());
            }
        } catch (InterruptedException e) {
            // stopping
        }
    }

    private void check(long now) {
        for (int i = 0; i < loops.size(); i++) {
            EventLoop loop = loops.get(i);
            long busy = loop.busyMillis(now);
            long since = now - busy;
            if (busy < thresholdMillis || reported[i] == since) continue;
            reported[i] = since;
            StringBuilder stack = new StringBuilder();
            for (StackTraceElement e : loop.thread().getStackTrace()) stack.append("\n\tat ").append(e);
            LoopLog.warn("event loop " + loop.thread().getName() + " blocked for "
                    + busy + " ms: a handler is blocking the loop thread and every connection on it waits"
                    + " (run blocking handlers with virtualThreads(true)). Loop thread stack:" + stack);
        }
    }
}
