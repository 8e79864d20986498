package io.jepoll.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Native memory that sends are made from: the kernel reads a send's bytes when it gets to it, after the call that
 * submitted it has returned, so they cannot stay in a Java array the collector may move. Fixed-size chunks, made in
 * slabs as traffic needs them (never per send) up to a bound, and reused from a free stack; a connection holds
 * chunks only while its bytes are on the way.
 */
public final class SendChunks implements AutoCloseable {
    private static final int SLAB = 16;

    private final int chunkSize, maxChunks;
    private final Arena arena = Arena.ofShared();
    private final List<MemorySegment> slabs = new ArrayList<>();
    private int[] free;
    private int freeTop, made;
    private boolean closed;

    /** Chunks of {@code chunkSize} bytes, at most {@code maxChunks} of them. */
    public SendChunks(int chunkSize, int maxChunks) {
        this.chunkSize = chunkSize;
        this.maxChunks = Math.max(SLAB, maxChunks / SLAB * SLAB);
        this.free = new int[this.maxChunks];
    }

    /** {@return a free chunk's id, or -1 when all {@code maxChunks} are in use} */
    public int take() {
        if (freeTop == 0) {
            if (made >= maxChunks) return -1;
            slabs.add(arena.allocate((long) SLAB * chunkSize, 4096));
            for (int i = SLAB - 1; i >= 0; i--) free[freeTop++] = made + i;
            made += SLAB;
        }
        return free[--freeTop];
    }

    /** Returns a chunk once the kernel is done with it. */
    public void free(int id) { free[freeTop++] = id; }

    /** {@return chunks handed out and not yet freed} */
    public int inUse() { return made - freeTop; }

    /** {@return whether {@link #take} would give a chunk} */
    public boolean hasFree() { return freeTop > 0 || made < maxChunks; }

    long address(int id) { return slabs.get(id / SLAB).address() + (long) (id % SLAB) * chunkSize; }

    private MemorySegment segment(int id) { return slabs.get(id / SLAB).asSlice((long) (id % SLAB) * chunkSize, chunkSize); }

    /** Copies {@code b[off, off+len)} into chunk {@code id} at {@code at}. */
    public void put(int id, int at, byte[] b, int off, int len) {
        MemorySegment.copy(b, off, slabs.get(id / SLAB), JAVA_BYTE, (long) (id % SLAB) * chunkSize + at, len);
    }

    /** pread(2) of {@code len} bytes of {@code fileFd} from {@code position} into chunk {@code id} at {@code at}: bytes read, 0 at the end, or -errno. */
    public long readFile(int id, int at, int fileFd, long position, int len) {
        return Files.pread(fileFd, segment(id).asSlice(at, len), len, position);
    }

    /**
     * A plain send(2) of {@code len} bytes of chunk {@code id} from {@code at}, for when the bytes must be in the
     * socket before a sendfile: bytes taken, or -errno (-EAGAIN: the socket buffer is full).
     */
    public int sendNow(int id, int at, int len, int socketFd, boolean more) {
        return Net.send(socketFd, segment(id).asSlice(at, len), len, more);
    }

    /** Frees the memory; call only when no send is in flight. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        arena.close();
    }
}
