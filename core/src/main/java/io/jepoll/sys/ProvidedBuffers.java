package io.jepoll.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A provided-buffer ring (IORING_REGISTER_PBUF_RING): receive buffers the kernel picks from only when bytes arrive,
 * so a connection that waits holds none. The ring is an array of {addr, len, bid} entries shared with the kernel;
 * we add a buffer by writing its entry and publishing the tail (a 16-bit field inside entry 0) with a release store.
 * A completion names the buffer it filled; the bytes are copied out and the buffer goes back with {@link #recycle}.
 */
public final class ProvidedBuffers implements AutoCloseable {
    private static final long TAIL_AT = 14; // struct io_uring_buf_ring: the tail overlays entry 0's resv field

    private final IoUring ring;
    private final int group, size, mask;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment entries, data;
    private short tail;
    private int available;   // buffers the kernel may fill now: counted here, the kernel does not say
    private boolean closed;

    /**
     * {@code count} buffers (a power of two) of {@code size} bytes in group {@code group} of {@code ring}.
     *
     * @throws SysException when the kernel refuses the registration
     */
    public ProvidedBuffers(IoUring ring, int group, int count, int size) {
        if (Integer.bitCount(count) != 1 || count > 32768) throw new IllegalArgumentException("count must be a power of two ≤ 32768: " + count);
        this.ring = ring;
        this.group = group;
        this.size = size;
        this.mask = count - 1;
        this.entries = arena.allocate(16L * count, 4096);
        this.data = arena.allocate((long) count * size, 4096);
        try {
            ring.registerBufferRing(entries, count, group);
        } catch (SysException e) {
            arena.close();
            throw e;
        }
        for (int bid = 0; bid < count; bid++) add(bid);
        publish();
    }

    private void add(int bid) {
        long at = 16L * (tail & mask);
        entries.set(JAVA_LONG, at, data.address() + (long) bid * size);
        entries.set(JAVA_INT, at + 8, size);
        entries.set(JAVA_SHORT, at + 12, (short) bid);
        tail++;
        available++;
    }

    private void publish() { IoUring.publishShort(entries, TAIL_AT, tail); }

    /** {@return the group id receives name} */
    public int group() { return group; }

    /** {@return buffers the kernel can still fill} */
    public int available() { return available; }

    /** A completion used a buffer. */
    public void taken() { available--; }

    /** Copies {@code len} bytes of buffer {@code bid} from {@code from} into {@code dst[off..]}. */
    public void copy(int bid, int from, byte[] dst, int off, int len) {
        MemorySegment.copy(data, JAVA_BYTE, (long) bid * size + from, dst, off, len);
    }

    /** Gives buffer {@code bid} back to the kernel. */
    public void recycle(int bid) {
        add(bid);
        publish();
    }

    /** Unregisters the ring; call only when no receive is in flight (the kernel may otherwise still write). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            ring.unregisterBufferRing(group);
        } finally {
            arena.close();
        }
    }
}
