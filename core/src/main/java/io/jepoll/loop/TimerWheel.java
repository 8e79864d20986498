package io.jepoll.loop;

/**
 * A hashed timer wheel: O(1) to schedule, reschedule and cancel, no allocation, no thread.
 * The loop drives it with its own clock after every poll. A deadline falls into the slot
 * of its tick; a deadline more than one revolution away waits in its slot until its tick
 * comes round (its tick number tells). Deadlines fire up to one tick late, never early.
 */
final class TimerWheel {
    /** Something that can be scheduled. Connections extend it, so a timer costs no object. */
    abstract static class Node {
        private Node prev, next;
        private int slot = -1;   // index in lists[], -1 when not scheduled
        private long tick;

        /** Called on the loop thread when the deadline passed; the node is no longer scheduled. */
        abstract void expire();
    }

    private final long tickMillis;
    private final int mask;
    private final Node[] lists;      // heads; the last list holds nodes that are due right now
    private final int dueList;
    private long currentTick;
    private int size;

    TimerWheel(long tickMillis, int slots, long nowMillis) {
        if (Integer.bitCount(slots) != 1) throw new IllegalArgumentException("slots must be a power of two");
        this.tickMillis = tickMillis;
        this.mask = slots - 1;
        this.lists = new Node[slots + 1];
        this.dueList = slots;
        this.currentTick = nowMillis / tickMillis;
    }

    /** (Re)schedules {@code node} to expire at {@code deadlineMillis} (same clock as {@link #advance}). */
    void schedule(Node node, long deadlineMillis) {
        if (node.slot >= 0) unlink(node);
        long tick = Math.max(ceilDiv(deadlineMillis, tickMillis), currentTick + 1);
        node.tick = tick;
        link(node, (int) (tick & mask));
    }

    void cancel(Node node) {
        if (node.slot >= 0) unlink(node);
    }

    /** Milliseconds until the next tick that could expire something, or -1 when nothing is scheduled. */
    int millisToNextTick(long nowMillis) {
        if (size == 0) return -1;
        long next = (currentTick + 1) * tickMillis;
        return (int) Math.max(0, Math.min(next - nowMillis, Integer.MAX_VALUE));
    }

    /** Expires every node whose deadline is at or before {@code nowMillis}. */
    void advance(long nowMillis) {
        long nowTick = nowMillis / tickMillis;
        if (nowTick <= currentTick || size == 0) {
            currentTick = Math.max(currentTick, nowTick);
            return;
        }
        long ticks = Math.min(nowTick - currentTick, mask + 1L);
        for (long t = currentTick + 1; t <= currentTick + ticks; t++) {
            int slot = (int) (t & mask);
            Node n = lists[slot];
            while (n != null) {
                Node next = n.next;
                if (n.tick <= nowTick) {
                    unlink(n);
                    link(n, dueList);
                }
                n = next;
            }
        }
        currentTick = nowTick;
        // Expire one by one: an expiry may cancel or reschedule any other node, due ones included.
        Node n;
        while ((n = lists[dueList]) != null) {
            unlink(n);
            n.expire();
        }
    }

    private void link(Node n, int slot) {
        n.slot = slot;
        n.prev = null;
        n.next = lists[slot];
        if (n.next != null) n.next.prev = n;
        lists[slot] = n;
        size++;
    }

    private void unlink(Node n) {
        if (n.prev != null) n.prev.next = n.next;
        else lists[n.slot] = n.next;
        if (n.next != null) n.next.prev = n.prev;
        n.prev = n.next = null;
        n.slot = -1;
        size--;
    }

    private static long ceilDiv(long a, long b) { return -Math.floorDiv(-a, b); }
}
