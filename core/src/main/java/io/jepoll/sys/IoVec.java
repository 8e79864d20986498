package io.jepoll.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A reusable native array of {@code struct iovec {void *base; size_t len;}} for writev.
 * Entries point at native memory only: Java arrays can move, so they cannot be named
 * by address in a struct.
 */
public final class IoVec implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment segment;
    private final int capacity;

    public IoVec(int capacity) {
        this.capacity = capacity;
        this.segment = arena.allocate(16L * capacity, 8);
    }

    public int capacity() { return capacity; }

    /** Points entry {@code i} at {@code len} bytes of {@code src} starting at {@code offset}. */
    public void set(int i, MemorySegment src, long offset, long len) {
        if (!src.isNative()) throw new IllegalArgumentException("iovec entries must be native memory");
        if (offset < 0 || len < 0 || offset + len > src.byteSize()) throw new IndexOutOfBoundsException();
        segment.set(JAVA_LONG, 16L * i, src.address() + offset);
        segment.set(JAVA_LONG, 16L * i + 8, len);
    }

    MemorySegment segment() { return segment; }

    @Override
    public void close() { arena.close(); }
}
