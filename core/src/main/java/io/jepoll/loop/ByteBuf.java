package io.jepoll.loop;

import java.nio.charset.StandardCharsets;

/**
 * A growable byte array with a read position and a write position: encoders append at the
 * end, the loop writes from the start. Used both as the loop's shared output scratch and
 * as a connection's backlog when the socket could not take everything.
 */
public final class WriteBuffer {
    private byte[] buf;
    private int start;
    private int end;

    public WriteBuffer(int initialCapacity) { buf = new byte[Math.max(16, initialCapacity)]; }

    /** Makes room for {@code n} more bytes and returns the array; write at {@link #end()}. */
    public byte[] ensure(int n) {
        if (end + n > buf.length) grow(n);
        return buf;
    }

    private void grow(int n) {
        int live = end - start;
        if (start > 0 && live + n <= buf.length) { // compact before growing
            System.arraycopy(buf, start, buf, 0, live);
        } else {
            long want = Math.max((long) buf.length * 2, (long) live + n);
            if (want > Integer.MAX_VALUE - 16) throw new OutOfMemoryError("write buffer over 2 GiB");
            byte[] bigger = new byte[(int) want];
            System.arraycopy(buf, start, bigger, 0, live);
            buf = bigger;
        }
        start = 0;
        end = live;
    }

    public byte[] array() { return buf; }

    public int start() { return start; }

    public int end() { return end; }

    /** After writing {@code n} bytes into {@link #ensure(int)}'s array at {@link #end()}. */
    public void advance(int n) { end += n; }

    public int readable() { return end - start; }

    public boolean isEmpty() { return end == start; }

    /** Marks {@code n} bytes at the start as written to the socket. */
    public void consume(int n) {
        start += n;
        if (start == end) start = end = 0;
    }

    public void clear() { start = end = 0; }

    public int capacity() { return buf.length; }

    public WriteBuffer put(byte b) {
        ensure(1)[end++] = b;
        return this;
    }

    public WriteBuffer put(byte[] b) { return put(b, 0, b.length); }

    public WriteBuffer put(byte[] b, int off, int len) {
        System.arraycopy(b, off, ensure(len), end, len);
        end += len;
        return this;
    }

    /** Appends a string that must be ASCII/Latin-1 (HTTP field text); other chars become '?'. */
    public WriteBuffer putLatin1(String s) {
        int n = s.length();
        byte[] a = ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            a[end + i] = c < 256 ? (byte) c : (byte) '?';
        }
        end += n;
        return this;
    }

    public WriteBuffer putUtf8(String s) { return put(s.getBytes(StandardCharsets.UTF_8)); }

    /** Appends a non-negative decimal number without allocating. */
    public WriteBuffer putDecimal(long v) {
        if (v < 0) throw new IllegalArgumentException("negative: " + v);
        int digits = 1;
        for (long x = v; x >= 10; x /= 10) digits++;
        byte[] a = ensure(digits);
        for (int i = end + digits - 1; i >= end; i--) {
            a[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        end += digits;
        return this;
    }

    /** Appends a non-negative number in lower-case hex (chunk sizes). */
    public WriteBuffer putHex(long v) {
        if (v < 0) throw new IllegalArgumentException("negative: " + v);
        int digits = 1;
        for (long x = v; x >= 16; x >>>= 4) digits++;
        byte[] a = ensure(digits);
        for (int i = end + digits - 1; i >= end; i--) {
            a[i] = (byte) "0123456789abcdef".charAt((int) (v & 15));
            v >>>= 4;
        }
        end += digits;
        return this;
    }

    /** Replaces a large backing array with a small one once it is empty, so memory spikes do not stay. */
    void shrinkIfLarger(int max, int to) {
        if (isEmpty() && buf.length > max) buf = new byte[to];
    }
}
