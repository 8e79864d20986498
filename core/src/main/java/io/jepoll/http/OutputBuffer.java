package io.jepoll.http;

/**
 * A growable byte array that {@link ResponseEncoder} appends to: the bytes between
 * {@link #start()} and {@link #end()} are the encoded output, for the caller to hand to
 * whatever sends them (an event loop's connection, a blocking socket's stream).
 */
public final class OutputBuffer {
    private byte[] buf;
    private int start;
    private int end;

    /**
     * An empty buffer; it grows by doubling as bytes are put.
     *
     * @param initialCapacity bytes to start with (at least 16 are allocated)
     */
    public OutputBuffer(int initialCapacity) { buf = new byte[Math.max(16, initialCapacity)]; }

    /**
     * Makes room for {@code n} more bytes and returns the array; write at {@link #end()}.
     *
     * @param n bytes the caller will write
     * @return the backing array, which may be a new one: do not keep it past the next put
     * @throws OutOfMemoryError past 2 GiB
     */
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

    /** {@return the backing array, not a copy: the output is between {@link #start()} and {@link #end()}} */
    public byte[] array() { return buf; }

    /** {@return the index in {@link #array()} of the first byte not yet consumed} */
    public int start() { return start; }

    /** {@return the index in {@link #array()} after the last byte put} */
    public int end() { return end; }

    /**
     * After writing {@code n} bytes into {@link #ensure(int)}'s array at {@link #end()}.
     *
     * @param n bytes written, at most what was ensured
     */
    public void advance(int n) { end += n; }

    /** {@return bytes put and not yet consumed} */
    public int readable() { return end - start; }

    /** {@return true when every byte put has been consumed} */
    public boolean isEmpty() { return end == start; }

    /**
     * Marks {@code n} bytes at the start as sent.
     *
     * @param n bytes, at most {@link #readable()}
     */
    public void consume(int n) {
        start += n;
        if (start == end) start = end = 0;
    }

    /** Forgets every byte put, sent or not; the array is kept for reuse. */
    public void clear() { start = end = 0; }

    /**
     * Appends one byte.
     *
     * @param b the byte
     * @return this buffer, for chaining
     */
    public OutputBuffer put(byte b) {
        ensure(1)[end++] = b;
        return this;
    }

    /**
     * Appends all of b, copied.
     *
     * @param b the bytes
     * @return this buffer, for chaining
     */
    public OutputBuffer put(byte[] b) { return put(b, 0, b.length); }

    /**
     * Appends b[off, off + len), copied.
     *
     * @param b   the bytes
     * @param off where they start
     * @param len how many
     * @return this buffer, for chaining
     */
    public OutputBuffer put(byte[] b, int off, int len) {
        System.arraycopy(b, off, ensure(len), end, len);
        end += len;
        return this;
    }

    /**
     * Appends a string that must be ASCII/Latin-1 (HTTP field text); other chars become '?'.
     *
     * @param s the text, one byte per char
     * @return this buffer, for chaining
     */
    public OutputBuffer putLatin1(String s) {
        int n = s.length();
        byte[] a = ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            a[end + i] = c < 256 ? (byte) c : (byte) '?';
        }
        end += n;
        return this;
    }

    /**
     * Appends a non-negative decimal number without allocating.
     *
     * @param v the number, {@code >= 0}
     * @return this buffer, for chaining
     * @throws IllegalArgumentException when v is negative
     */
    public OutputBuffer putDecimal(long v) {
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

    /**
     * Appends a non-negative number in lower-case hex (chunk sizes).
     *
     * @param v the number, {@code >= 0}
     * @return this buffer, for chaining
     * @throws IllegalArgumentException when v is negative
     */
    public OutputBuffer putHex(long v) {
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

    /**
     * Replaces a large backing array with a small one once it is empty, so memory spikes do not stay.
     *
     * @param max bytes of backing array to keep at most; nothing happens while output is pending
     * @param to  bytes of the new array
     */
    public void shrinkIfLarger(int max, int to) {
        if (isEmpty() && buf.length > max) buf = new byte[to];
    }
}
