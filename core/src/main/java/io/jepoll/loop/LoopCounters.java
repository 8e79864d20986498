package io.jepoll.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counters that one thread adds to (an event loop's own) and any thread reads (a scrape), with no lock and no
 * atomic read-modify-write: the owner reads a slot plainly (nobody else writes it) and stores the sum with an
 * opaque write; readers load with an opaque read.
 *
 * <p>Why opaque and not plain: an opaque access to a {@code long} is never torn (plain ones may be, by JLS 17.7,
 * on a 32-bit JVM), a reader never sees a slot go back to an older value (coherence: a Prometheus counter must
 * not decrease), and the store may not be kept in a register for ever. On x86-64 and AArch64 an opaque store or
 * load is the same instruction as a plain one, with no fence: the cost is that of {@code slots[i] += n}. What a
 * reader does not get is a consistent cut across slots: each is read as it is at that moment, so two slots
 * updated together (a count and a sum) may be one update apart in a snapshot.
 */
public final class LoopCounters {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] slots;

    /**
     * Counters, all 0.
     *
     * @param size how many slots
     */
    public LoopCounters(int size) {
        if (size < 1) throw new IllegalArgumentException("size must be >= 1: " + size);
        this.slots = new long[size];
    }

    /**
     * Adds {@code n} to a slot. Only the thread that owns these counters may call it.
     *
     * @param slot the slot, from 0
     * @param n    what to add (may be negative for a gauge)
     */
    public void add(int slot, long n) { SLOT.setOpaque(slots, slot, slots[slot] + n); }

    /**
     * A slot's value as last stored by the owner (or a little older); any thread.
     *
     * @param slot the slot, from 0
     * @return its value
     */
    public long get(int slot) { return (long) SLOT.getOpaque(slots, slot); }

    /**
     * The number of slots.
     *
     * @return the size given when made
     */
    public int size() { return slots.length; }
}
