package io.jepoll.loop;

/**
 * A growable byte array with a read position and a write position: writers append at the
 * end, the socket takes from the start. The loop's shared output scratch is one; a
 * connection's queue holds others for bytes the kernel could not take yet.
 */
final class ByteBuf {
    private byte[] buf;
    private int start;
    private int end;

    ByteBuf(int initialCapacity) { buf = new byte[Math.max(16, initialCapacity)]; }

    byte[] array() { return buf; }

    int start() { return start; }

    int readable() { return end - start; }

    boolean isEmpty() { return end == start; }

    /** Marks {@code n} bytes at the start as taken by the socket. */
    void consume(int n) {
        start += n;
        if (start == end) start = end = 0;
    }

    void clear() { start = end = 0; }

    void put(byte[] b, int off, int len) {
        if (end + len > buf.length) grow(len);
        System.arraycopy(b, off, buf, end, len);
        end += len;
    }

    private void grow(int n) {
        int live = end - start;
        if (start > 0 && live + n <= buf.length) { // compact before growing
            System.arraycopy(buf, start, buf, 0, live);
        } else {
            long want = Math.max((long) buf.length * 2, (long) live + n);
            if (want > Integer.MAX_VALUE - 16) throw new OutOfMemoryError("output buffer over 2 GiB");
            byte[] bigger = new byte[(int) want];
            System.arraycopy(buf, start, bigger, 0, live);
            buf = bigger;
        }
        start = 0;
        end = live;
    }

    /** Replaces a large backing array with a small one once it is empty, so memory spikes do not stay. */
    void shrinkIfLarger(int max, int to) {
        if (isEmpty() && buf.length > max) buf = new byte[to];
    }
}
