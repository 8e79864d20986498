package io.jepoll.http;

import java.util.Arrays;

/**
 * Body bytes as they arrive. Memory follows the bytes actually received, not the bytes announced: a client may
 * declare a 1 MiB body and send nothing, from thousands of connections at once. So the array starts at most 8 KiB,
 * doubles, and never grows past hardCap (the declared length, or the body limit for chunked bodies).
 */
final class BodyBuffer {

    static final byte[] EMPTY = new byte[0];
    /** The largest byte[] the JVM reliably allocates; bigger bodies cannot be held whatever the limits say. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final int FIRST = 8192;

    private byte[] data = EMPTY;
    private int size;
    private long hardCap;

    /** Starts a body that will hold at most hardCap bytes. */
    void start(long hardCap) {
        this.hardCap = hardCap;
        data = EMPTY;
        size = 0;
    }

    int size() {
        return size;
    }

    /**
     * Appends src[off, off+n). committed is how many bytes the body will have once the announced ones (the current
     * chunk, or the declared length) arrive; the first array is no bigger than it, so a 5-byte body gets 5 bytes.
     * The caller guarantees {@code size + n <= committed <= hardCap}.
     */
    void append(byte[] src, int off, int n, long committed) {
        int need = size + n;
        if (need > data.length) {
            long target = data.length == 0 ? Math.min(FIRST, committed) : Math.min(2L * data.length, hardCap);
            data = Arrays.copyOf(data, (int) Math.max(target, need));
        }
        System.arraycopy(src, off, data, size, n);
        size = need;
    }

    /** The body, exactly sized; the buffer lets go of it. */
    byte[] finish() {
        byte[] out = size == data.length ? data : Arrays.copyOf(data, size);
        release();
        return out;
    }

    void release() {
        data = EMPTY;
        size = 0;
    }
}
