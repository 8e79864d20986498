package io.jepoll.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer thread and its queue: drops when full (never a wait), reopen, drain on close, bounded close. */
class AccessLogWriterTest {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    private static final Duration NO_REPEAT = Duration.ofHours(1); // a warning interval no test outlives

    @TempDir
    Path dir;

    private static AccessLogEntry entry(String target) {
        return new AccessLogEntry(0, InetAddress.getLoopbackAddress(), "GET", target, 1, 200, 1, 0, null, null);
    }

    private static AccessLogWriter writer(AccessLogWriter.Output out, int capacity, long maxBytes, Duration closeWait) throws IOException {
        return new AccessLogWriter(out, "test", AccessLog.Format.COMMON, capacity, maxBytes, closeWait, NO_REPEAT);
    }

    private static List<String> targets(String log) {
        return log.lines().map(l -> l.substring(l.indexOf("\"GET ") + 5, l.indexOf(" HTTP/1.1\""))).toList();
    }

    /** An output whose writes block until released, saying when the first one has started. */
    static final class StalledOutput extends OutputStream {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final ByteArrayOutputStream received = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException { write(new byte[]{(byte) b}, 0, 1); }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            entered.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) throw new IOException("never released");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while stalled");
            }
            received.write(b, off, len);
        }

        synchronized String text() { return received.toString(StandardCharsets.US_ASCII); }
    }

    @Test
    void aFullQueueDropsAndCountsLinesWithoutEverWaitingAndWarnsOnce() throws Exception {
        StalledOutput out = new StalledOutput();
        AccessLogWriter w = writer(() -> out, 4, Long.MAX_VALUE, CLOSE_WAIT);
        try (Harness.LogCapture logs = new Harness.LogCapture()) {
            assertThat(w.offer(entry("/0"))).isTrue();
            assertThat(out.entered.await(10, TimeUnit.SECONDS)).as("the writer took /0 and is stuck writing it").isTrue();
            for (int i = 1; i <= 4; i++) assertThat(w.offer(entry("/" + i))).as("/%d fits in the queue", i).isTrue();
            for (int i = 5; i <= 7; i++) assertThat(w.offer(entry("/" + i))).as("/%d finds the queue full", i).isFalse();
            assertThat(w.dropped()).isEqualTo(3);
            assertThat(logs.messages()).as("the first drop warns at once, the next ones wait for the interval")
                    .containsExactly("access log test: 1 line dropped: the queue was full (the output is slower than the requests); 1 dropped in all");
            out.release.countDown();
            w.close();
            assertThat(targets(out.text())).containsExactly("/0", "/1", "/2", "/3", "/4");
            assertThat(logs.messages()).as("close reports the drops not yet reported").hasSize(2).last().asString()
                    .startsWith("access log test: 2 lines dropped").endsWith("3 dropped in all");
        }
    }

    @Test
    void theQueueIsBoundedByMemoryTooWhateverItsLineCount() throws Exception {
        StalledOutput out = new StalledOutput();
        long weight = entry("/a").weight();
        AccessLogWriter w = writer(() -> out, 1000, 3 * weight, CLOSE_WAIT);
        try (Harness.LogCapture ignored = new Harness.LogCapture()) {
            assertThat(w.offer(entry("/a"))).isTrue();
            assertThat(out.entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(w.offer(entry("/b"))).isTrue();
            assertThat(w.offer(entry("/c"))).isTrue();
            assertThat(w.offer(entry("/d"))).isTrue();
            assertThat(w.offer(entry("/e"))).as("a fourth entry's bytes are over the bound").isFalse();
            String huge = "/" + "x".repeat(8000);
            assertThat(w.offer(entry(huge))).isFalse();
            assertThat(w.dropped()).isEqualTo(2);
            out.release.countDown();
            w.close();
        }
        assertThat(targets(out.text())).containsExactly("/a", "/b", "/c", "/d");
    }

    @Test
    void closeWritesEveryQueuedLineInOrder(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("access.log");
        AccessLogWriter w = writer(AccessLog.appendingTo(file), 5000, Long.MAX_VALUE, CLOSE_WAIT);
        for (int i = 0; i < 3000; i++) assertThat(w.offer(entry("/" + i))).isTrue();
        w.close();
        assertThat(targets(Files.readString(file))).isEqualTo(IntStream.range(0, 3000).mapToObj(i -> "/" + i).toList());
        assertThat(w.offer(entry("/late"))).as("nothing is taken after close").isFalse();
        w.close(); // again: nothing more
    }

    @Test
    void aLineIsWrittenOutAsSoonAsTheQueueRunsEmpty() throws Exception {
        CountDownLatch flushed = new CountDownLatch(1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OutputStream out = new OutputStream() {
            @Override
            public synchronized void write(int b) { bytes.write(b); }

            @Override
            public synchronized void write(byte[] b, int off, int len) { bytes.write(b, off, len); }

            @Override
            public synchronized void flush() { if (bytes.size() > 0) flushed.countDown(); }
        };
        AccessLogWriter w = writer(() -> out, 10, Long.MAX_VALUE, CLOSE_WAIT);
        try {
            w.offer(entry("/quiet"));
            assertThat(flushed.await(10, TimeUnit.SECONDS)).as("flushed without a close").isTrue();
            synchronized (out) {
                assertThat(targets(bytes.toString(StandardCharsets.US_ASCII))).containsExactly("/quiet");
            }
        } finally {
            w.close();
        }
    }

    /** logrotate: the file is renamed, the server told; lines before go to the renamed file, lines after to a new one. */
    @Test
    void reopenStartsANewFileAfterTheLinesAlreadyQueued() throws Exception {
        Path file = dir.resolve("access.log"), rotated = dir.resolve("access.log.1");
        AccessLogWriter w = writer(AccessLog.appendingTo(file), 10, Long.MAX_VALUE, CLOSE_WAIT);
        try (Harness.LogCapture logs = new Harness.LogCapture()) {
            for (int i = 0; i < 3; i++) w.offer(entry("/before" + i));
            Files.move(file, rotated);
            w.reopen();
            for (int i = 0; i < 2; i++) w.offer(entry("/after" + i));
            w.close();
            assertThat(logs.messages()).as("nothing went wrong").isEmpty();
        }
        assertThat(targets(Files.readString(rotated))).containsExactly("/before0", "/before1", "/before2");
        assertThat(targets(Files.readString(file))).containsExactly("/after0", "/after1");
    }

    @Test
    void aFailedReopenKeepsWritingWhereItWas() throws Exception {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        int[] opens = {0};
        AccessLogWriter w = writer(() -> {
            if (opens[0]++ > 0) throw new IOException("no such directory");
            return first;
        }, 10, Long.MAX_VALUE, CLOSE_WAIT);
        try (Harness.LogCapture logs = new Harness.LogCapture()) {
            w.offer(entry("/1"));
            w.reopen();
            w.offer(entry("/2"));
            w.close();
            assertThat(logs.messages()).containsExactly("access log test: cannot reopen, still writing where it was: no such directory");
        }
        assertThat(targets(first.toString(StandardCharsets.US_ASCII))).containsExactly("/1", "/2");
    }

    @Test
    void closeGivesUpOnAnOutputThatTakesNothingAfterItsWait() throws Exception {
        StalledOutput out = new StalledOutput();
        AccessLogWriter w = writer(() -> out, 10, Long.MAX_VALUE, Duration.ofMillis(200));
        try (Harness.LogCapture logs = new Harness.LogCapture()) {
            w.offer(entry("/stuck"));
            assertThat(out.entered.await(10, TimeUnit.SECONDS)).isTrue();
            w.offer(entry("/waiting"));
            w.close(); // returns: the test's own timeout would fail it otherwise
            assertThat(logs.messages()).containsExactly("access log test: its output took no lines for 200 ms; closed without the last 1 of them");
        } finally {
            out.release.countDown();
        }
    }

    @Test
    void aFailingOutputIsReportedOnceAndTheWriterGoesOn() throws Exception {
        int[] writes = {0};
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException { write(new byte[]{(byte) b}, 0, 1); }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                writes[0]++;
                throw new IOException("No space left on device");
            }
        };
        AccessLogWriter w = writer(() -> broken, 10, Long.MAX_VALUE, CLOSE_WAIT);
        try (Harness.LogCapture logs = new Harness.LogCapture()) {
            for (int i = 0; i < 5; i++) w.offer(entry("/" + i));
            w.close();
            assertThat(writes[0]).as("every batch was tried").isPositive();
            assertThat(logs.messages()).containsExactly("access log test: write failed, lines are lost: No space left on device");
        }
    }
}
