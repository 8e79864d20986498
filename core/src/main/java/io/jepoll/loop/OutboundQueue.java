package io.jepoll.loop;

import java.util.ArrayDeque;

/**
 * What a connection has to send and the kernel has not taken yet, in order. It exists
 * only while the socket is behind (an idle or keeping-up connection holds none), and
 * every kind of output waits in it: copied bytes, shared arrays, file regions.
 */
final class OutboundQueue {
    /** Copies of small writes start this size and grow as needed. */
    private static final int COPY_CHUNK = 4096;

    private final ArrayDeque<Outbound> entries = new ArrayDeque<>(4);
    private long bytes;
    private Outbound.Copied tail;   // the last entry when it is a copy: small writes in a row share it

    boolean isEmpty() { return entries.isEmpty(); }

    /** Bytes waiting, over all entries. */
    long bytes() { return bytes; }

    /** Copies {@code b[off, off+len)}: the caller may reuse its array at once. */
    void addCopy(byte[] b, int off, int len) {
        if (tail == null) entries.addLast(tail = new Outbound.Copied(Math.max(len, COPY_CHUNK)));
        tail.buf.put(b, off, len);
        bytes += len;
    }

    /** Keeps a reference to {@code b[off, off+len)}, which must not change until sent. */
    void addShared(byte[] b, int off, int len) {
        entries.addLast(new Outbound.Shared(b, off, len));
        tail = null;
        bytes += len;
    }

    void addFile(OpenFile f, long offset, long count, boolean closeWhenDone) {
        entries.addLast(new Outbound.FilePart(f, offset, count, closeWhenDone));
        tail = null;
        bytes += count;
    }

    /**
     * Sends from the head until the kernel is full or the queue is empty. Returns 0 when it
     * stopped normally (check {@link #isEmpty()}), or {@link Socket#GONE} / {@link Socket#FILE_FAILED}.
     */
    int sendTo(Socket s) {
        int held = s.flushHeld(); // a layer's own output (TLS records) went out before anything queued here
        if (held < 0) return held;
        if (s.holdsOutput()) return 0;
        Outbound head;
        while ((head = entries.peekFirst()) != null) {
            long n = head.sendTo(s);
            if (n < 0) return (int) n;
            bytes -= n;
            if (n == 0) return 0; // the kernel is full: wait for EPOLLOUT
            // A short send is not proof of a full buffer (sendfile stops at a file's end, for
            // one): in edge mode no new EPOLLOUT would come, so try again until it says so.
            if (head.remaining() > 0) continue;
            entries.pollFirst();
            if (head == tail) tail = null;
            head.release();
        }
        return 0;
    }

    /** Drops everything (the connection closed); files are closed. */
    void release() {
        Outbound e;
        while ((e = entries.pollFirst()) != null) e.release();
        tail = null;
        bytes = 0;
    }
}
