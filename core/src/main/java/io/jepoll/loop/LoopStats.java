package io.jepoll.loop;

/**
 * What one event loop has done since it started, as read by any thread ({@link EventLoop#stats()}): counts the
 * loop keeps itself, without locks (see {@link LoopCounters}), so the figures are each exact but not a consistent
 * cut (a connection accepted a moment ago may be counted and not yet open).
 *
 * @param loop                 the loop's index in its group
 * @param connections          connections open on the loop now
 * @param accepted             connections accepted since the start
 * @param pausesAtLimit        times accepting paused because the group had its maximum of connections open
 * @param pausesForResources   times accepting paused because descriptors or kernel memory ran out (EMFILE, ENFILE,
 *                             ENOBUFS, ENOMEM)
 * @param busyNanos            time spent working, not waiting in {@code epoll_wait} (or {@code select}), counted
 *                             each time the loop goes back to waiting: a turn still under way is not in it yet
 * @param upNanos              time since the loop started
 */
public record LoopStats(int loop, int connections, long accepted, long pausesAtLimit, long pausesForResources,
                        long busyNanos, long upNanos) {
    // Slots of the loop's LoopCounters.
    static final int ACCEPTED = 0, PAUSED_AT_LIMIT = 1, PAUSED_FOR_RESOURCES = 2, BUSY_NANOS = 3, SLOTS = 4;
}
