package io.jepoll.server;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The access log's one writer thread and the bounded queue in front of it.
 *
 * <p>The serving threads {@link #offer} entries: a lock-free queue, two atomic counters and, when the writer
 * sleeps, one unpark, so a loop never waits for the log. When the queue holds {@code capacity} lines, or entries
 * worth {@code maxBytes} of memory (long targets and fields from a hostile client), a new entry is dropped and
 * counted, and the thread that dropped it logs a warning at most once per {@code warnInterval}. The writer
 * formats each entry, gathers whole lines in a 64 KiB buffer (a write(2) never ends mid-line) and writes the
 * buffer when it is full or when the queue runs empty, so the log of a quiet server is always current. Reopening
 * and stopping travel through the same queue (never dropped), so they apply between the lines offered before and
 * after them.
 */
final class AccessLogWriter {
    /** Where the lines go; opened at start and on every reopen. */
    interface Output {
        OutputStream open() throws IOException;
    }

    private static final int BUFFER = 64 * 1024;
    private static final Object REOPEN = new Object();
    private static final Object STOP = new Object();

    private final Output output;
    private final String name;
    private final AccessLogFormat format;
    private final int capacity;
    private final long maxBytes;
    private final Duration closeWait;
    private final long warnIntervalNanos;
    private final LinkedTransferQueue<Object> queue = new LinkedTransferQueue<>();
    private final AtomicInteger queuedLines = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final LongAdder dropped = new LongAdder();
    private final AtomicLong nextDropWarning;
    private volatile long droppedReported;
    private volatile boolean closed;
    private final Thread thread;

    // The writer thread's own, after the constructor.
    private OutputStream out;
    private final byte[] buf = new byte[BUFFER];
    private int len;
    private final StringBuilder line = new StringBuilder(512);
    private long nextFailureWarning;

    /**
     * Opens the output and starts the writer.
     *
     * @throws IOException when the output cannot be opened
     */
    AccessLogWriter(Output output, String name, AccessLog.Format format, int capacity, long maxBytes,
                    Duration closeWait, Duration warnInterval) throws IOException {
        this.output = output;
        this.name = name;
        this.format = new AccessLogFormat(format);
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.closeWait = closeWait;
        this.warnIntervalNanos = warnInterval.toNanos();
        this.nextDropWarning = new AtomicLong(System.nanoTime());
        this.nextFailureWarning = System.nanoTime();
        this.out = output.open();
        this.thread = Thread.ofPlatform().name("jepoll-access-log").daemon().start(this::run);
    }

    /** Any thread: queues the entry, or drops and counts it when the queue is full; never waits. */
    boolean offer(AccessLogEntry e) {
        if (closed) return false; // the server has stopped: nothing is answered any more
        long weight = e.weight();
        int lines = queuedLines.incrementAndGet();
        long bytes = queuedBytes.addAndGet(weight);
        if (lines > capacity || bytes > maxBytes) {
            queuedLines.decrementAndGet();
            queuedBytes.addAndGet(-weight);
            drop();
            return false;
        }
        queue.offer(e);
        return true;
    }

    /** Lines dropped so far because the queue was full. */
    long dropped() { return dropped.sum(); }

    /** Closes and opens the output again, after the lines already queued (logrotate has moved the file). */
    void reopen() {
        if (!closed) queue.offer(REOPEN);
    }

    /**
     * Writes every line queued so far, flushes and closes the output. Waits for that at most the close wait: an
     * output that does not take the lines (a stalled disk, a pipe nobody reads) must not hold the server's stop.
     */
    void close() {
        synchronized (this) {
            if (!closed) {
                closed = true;
                queue.offer(STOP);
            }
        }
        try {
            thread.join(closeWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            warn("access log " + name + ": its output took no lines for " + closeWait.toMillis()
                    + " ms; closed without the last " + queuedLines.get() + " of them");
            thread.interrupt();
        }
        warnDropped();
    }

    private void drop() {
        dropped.increment();
        long now = System.nanoTime();
        long next = nextDropWarning.get();
        if (now - next >= 0 && nextDropWarning.compareAndSet(next, now + warnIntervalNanos)) warnDropped();
    }

    /** Says how many lines were dropped since the last time it said so (one caller at a time: the CAS winner, or close). */
    private void warnDropped() {
        long total = dropped.sum();
        long since = total - droppedReported;
        if (since <= 0) return;
        droppedReported = total;
        warn("access log " + name + ": " + since + (since == 1 ? " line" : " lines") + " dropped: the queue was full"
                + " (the output is slower than the requests); " + total + " dropped in all");
    }

    // ------------------------------------------------------------ the writer thread

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Object item = queue.poll();
                if (item == null) {
                    flush(); // the queue ran empty: make the file current before sleeping
                    item = queue.take();
                }
                if (item instanceof AccessLogEntry e) {
                    queuedLines.decrementAndGet();
                    queuedBytes.addAndGet(-e.weight());
                    write(e);
                } else if (item == REOPEN) {
                    reopenOutput();
                } else {
                    flush();
                    closeOutput(out);
                    return;
                }
            }
        } catch (InterruptedException e) {
            // close() gave up on a stalled output: below
        }
        closeOutput(out);
    }

    private void write(AccessLogEntry e) {
        line.setLength(0);
        format.append(e, line);
        line.append('\n');
        int n = line.length();
        if (n > buf.length - len) writeBuffer();
        if (n > buf.length) { // longer than the buffer (a huge target and fields): on its own
            byte[] big = new byte[n];
            for (int i = 0; i < n; i++) big[i] = (byte) line.charAt(i); // the formats write ASCII only
            writeOut(big, n);
            return;
        }
        for (int i = 0; i < n; i++) buf[len + i] = (byte) line.charAt(i);
        len += n;
    }

    private void writeBuffer() {
        if (len == 0) return;
        int n = len;
        len = 0; // what fails to be written is lost: the next lines must not wait behind it
        writeOut(buf, n);
    }

    private void writeOut(byte[] b, int n) {
        try {
            out.write(b, 0, n);
        } catch (IOException e) {
            failed("write", e);
        }
    }

    private void flush() {
        writeBuffer();
        try {
            out.flush();
        } catch (IOException e) {
            failed("flush", e);
        }
    }

    /** Opens the new output before closing the old one: if opening fails, lines keep going to the old one. */
    private void reopenOutput() {
        flush();
        OutputStream fresh;
        try {
            fresh = output.open();
        } catch (IOException e) {
            warn("access log " + name + ": cannot reopen, still writing where it was: " + reason(e));
            return;
        }
        closeOutput(out);
        out = fresh;
        info("access log " + name + ": reopened");
    }

    /**
     * Why a file could not be opened, in words: NIO's exceptions for a missing file or a refused permission carry
     * only the path, which the message names already.
     */
    static String reason(IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException n -> "no such file or directory";
            case java.nio.file.AccessDeniedException a -> "permission denied";
            case java.nio.file.FileSystemException f when f.getReason() != null -> f.getReason();
            default -> e.getMessage();
        };
    }

    private void closeOutput(OutputStream o) {
        try {
            o.close();
        } catch (IOException e) {
            failed("close", e);
        }
    }

    /** A failing output (disk full, a closed pipe) is reported at most once per warning interval. */
    private void failed(String what, IOException e) {
        if (Thread.currentThread().isInterrupted()) return; // close() gave up on the output and said so
        long now = System.nanoTime();
        if (now - nextFailureWarning < 0) return;
        nextFailureWarning = now + warnIntervalNanos;
        warn("access log " + name + ": " + what + " failed, lines are lost: " + e.getMessage());
    }

    private static void info(String message) {
        HttpRuntime.LOG.log(System.Logger.Level.INFO, message);
    }

    /** Logging from a serving thread must not fail it: a broken logging system is not the log's business. */
    private static void warn(String message) {
        try {
            HttpRuntime.LOG.log(System.Logger.Level.WARNING, message);
        } catch (RuntimeException ignored) {
            // nothing left to report with; the server goes on
        }
    }
}
