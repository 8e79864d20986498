package io.jepoll.http;

import java.util.ArrayDeque;
import java.util.zip.Deflater;

/**
 * Raw deflaters ({@code new Deflater(level, true)}) for reuse. A deflater holds about 256 KiB of zlib
 * state outside the Java heap until it is {@linkplain Deflater#end() ended}; the garbage collector frees
 * it only when the object happens to be collected, which under load can be long after: so every deflater
 * this pool makes is either idle in the pool or in use, and every one that does not come back to the
 * pool is ended at once.
 *
 * <ul>
 *   <li>{@link #take()} gives an idle one, or a new one while fewer than {@code maxLive} exist; at the
 *       bound it gives null, and the caller answers without one (uncompressed, or in stored blocks: see
 *       {@link GzipStream}). So native memory is bounded by the pool, not by what clients ask for.</li>
 *   <li>{@link #give(Deflater)} resets it and keeps it while fewer than {@code maxIdle} are idle, else
 *       ends it. After {@link #close()} every deflater given back is ended, and take gives null.</li>
 *   <li>{@link #live()} counts the deflaters made and not yet ended: what a leak would make grow.</li>
 * </ul>
 *
 * Thread-safe: an event loop compresses fixed bodies with it, and the writers of streamed bodies, on
 * their own threads, take and give theirs. Contention is low: a deflater is held for one response.
 */
public final class DeflaterPool implements AutoCloseable {
    private final int level;
    private final int maxIdle;
    private final int maxLive;
    private final ArrayDeque<Deflater> idle = new ArrayDeque<>();
    private int live;
    private boolean closed;

    /**
     * An empty pool: deflaters are made on demand.
     *
     * @param level   deflate level, 1 (fastest) to 9 (smallest)
     * @param maxIdle deflaters kept for reuse at most
     * @param maxLive deflaters in existence (idle or in use) at most; at least maxIdle
     * @throws IllegalArgumentException when a bound is negative or the level is out of range
     */
    public DeflaterPool(int level, int maxIdle, int maxLive) {
        if (level < 1 || level > 9) throw new IllegalArgumentException("level must be 1 to 9: " + level);
        if (maxIdle < 0 || maxLive < maxIdle) {
            throw new IllegalArgumentException("need 0 <= maxIdle <= maxLive: " + maxIdle + ", " + maxLive);
        }
        this.level = level;
        this.maxIdle = maxIdle;
        this.maxLive = maxLive;
    }

    /**
     * A reset deflater of this pool's level, or null when {@code maxLive} are in existence or the pool is
     * closed. Give it back with {@link #give}, whatever happens.
     *
     * @return a deflater, or null
     */
    public synchronized Deflater take() {
        if (closed) return null;
        Deflater d = idle.pollFirst();
        if (d != null) return d;
        if (live >= maxLive) return null;
        live++;
        return new Deflater(level, true);
    }

    /**
     * Takes back a deflater from {@link #take()}, in any state: it is reset and kept, or ended.
     *
     * @param d the deflater (null is ignored, so a failed take can be given back too)
     */
    public void give(Deflater d) {
        if (d == null) return;
        synchronized (this) {
            if (!closed && idle.size() < maxIdle) {
                d.reset();
                idle.addFirst(d); // the most recently used first: its memory is the warmest
                return;
            }
            live--;
        }
        d.end();
    }

    /**
     * Deflaters made by this pool and not ended yet, idle or in use.
     *
     * @return the count
     */
    public synchronized int live() { return live; }

    /**
     * Deflaters taken and not given back yet: responses being compressed right now.
     *
     * @return the count
     */
    public synchronized int inUse() { return live - idle.size(); }

    /**
     * Idle deflaters kept at most: the most {@link #live()} can be once every taken one is back.
     *
     * @return the bound
     */
    public int maxIdle() { return maxIdle; }

    /** Ends the idle deflaters; those in use are ended when given back. Idempotent. */
    @Override
    public void close() {
        Deflater[] ending;
        synchronized (this) {
            closed = true;
            ending = idle.toArray(new Deflater[0]);
            idle.clear();
            live -= ending.length;
        }
        for (Deflater d : ending) d.end();
    }
}
