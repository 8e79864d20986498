package io.jepoll.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

/**
 * The array epoll_wait fills. {@code struct epoll_event} is {@code {uint32 events; uint64 data}}:
 * packed (12 bytes, data at offset 4) on x86-64, naturally aligned (16 bytes, data at 8)
 * everywhere else, aarch64 included. We store the fd in the low half of {@code data}.
 */
public final class EpollEvents implements AutoCloseable {
    static final boolean PACKED = isX86_64(System.getProperty("os.arch", ""));
    static final long SIZE = PACKED ? 12 : 16;
    static final long DATA_OFFSET = PACKED ? 4 : 8;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment segment;
    private final int capacity;

    public EpollEvents(int capacity) {
        if (capacity <= 0) throw new IllegalArgumentException("capacity must be positive: " + capacity);
        this.capacity = capacity;
        this.segment = arena.allocate(SIZE * capacity, 8);
    }

    static boolean isX86_64(String arch) {
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    public int capacity() { return capacity; }

    MemorySegment segment() { return segment; }

    /** The ready events (EPOLLIN, ...) of entry {@code i}. */
    public int events(int i) { return segment.get(JAVA_INT_UNALIGNED, i * SIZE); }

    /** The fd of entry {@code i}. */
    public int fd(int i) { return segment.get(JAVA_INT_UNALIGNED, i * SIZE + DATA_OFFSET); }

    @Override
    public void close() { arena.close(); }
}
