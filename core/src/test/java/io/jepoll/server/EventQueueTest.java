package io.jepoll.server;

import io.jepoll.http.Response;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-over between senders and an event stream's writer, at its bounds; and the writer outside a server. */
class EventQueueTest {
    private static final long FOREVER = 0;
    private static final long SECONDS_10 = TimeUnit.SECONDS.toNanos(10);

    private static byte[] bytes(int n) { return new byte[n]; }

    @Test
    void theEventCountIsBoundedAndTheEventAfterTheBoundDropsTheStream() throws Exception {
        EventQueue q = new EventQueue(3, 1 << 20);
        for (int i = 0; i < 3; i++) assertThat(q.offer(bytes(1))).isEqualTo(EventQueue.Offer.QUEUED);
        assertThat(q.offer(bytes(1))).isEqualTo(EventQueue.Offer.OVERFLOWED);
        assertThat(q.isOpen()).isFalse();
        assertThat(q.offer(bytes(1))).as("after the overflow").isEqualTo(EventQueue.Offer.REFUSED);
        List<byte[]> batch = new ArrayList<>();
        q.gone();
        assertThat(q.take(batch, FOREVER, SECONDS_10)).isEqualTo(EventQueue.State.GONE);
        assertThat(batch).as("what was queued is discarded").isEmpty();
    }

    @Test
    void theBytesAreBoundedExactly() throws Exception {
        EventQueue q = new EventQueue(100, 10);
        assertThat(q.offer(bytes(6))).isEqualTo(EventQueue.Offer.QUEUED);
        assertThat(q.offer(bytes(4))).as("exactly at the bound").isEqualTo(EventQueue.Offer.QUEUED);
        List<byte[]> batch = new ArrayList<>();
        assertThat(q.take(batch, FOREVER, SECONDS_10)).isEqualTo(EventQueue.State.OPEN);
        assertThat(batch).hasSize(2);
        assertThat(q.offer(bytes(10))).as("taken events no longer count").isEqualTo(EventQueue.Offer.QUEUED);
        assertThat(q.offer(bytes(1))).as("one byte over").isEqualTo(EventQueue.Offer.OVERFLOWED);
    }

    @Test
    void aWriterWithNothingToTakeIsToldWhenAHeartbeatIsDue() throws Exception {
        EventQueue q = new EventQueue(10, 100);
        List<byte[]> batch = new ArrayList<>();
        assertThat(q.take(batch, TimeUnit.MILLISECONDS.toNanos(1), SECONDS_10)).isEqualTo(EventQueue.State.OPEN);
        assertThat(batch).isEmpty();
    }

    @Test
    void closeLetsTheQueuedEventsOutThenEnds() throws Exception {
        EventQueue q = new EventQueue(10, 100);
        q.offer(bytes(1));
        q.offer(bytes(2));
        assertThat(q.close()).isTrue();
        assertThat(q.close()).as("twice").isFalse();
        assertThat(q.offer(bytes(1))).isEqualTo(EventQueue.Offer.REFUSED);
        List<byte[]> batch = new ArrayList<>();
        assertThat(q.take(batch, FOREVER, SECONDS_10)).isEqualTo(EventQueue.State.CLOSING);
        assertThat(batch).extracting(b -> b.length).containsExactly(1, 2);
    }

    @Test
    void aWaitingWriterWakesForAnEventAndForTheEnd() throws Exception {
        EventQueue q = new EventQueue(10, 100);
        AtomicReference<EventQueue.State> seen = new AtomicReference<>();
        List<byte[]> batch = new ArrayList<>();
        Thread writer = takeOnAnotherThread(q, batch, seen);
        q.offer(bytes(5));
        writer.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(seen.get()).isEqualTo(EventQueue.State.OPEN);
        assertThat(batch).hasSize(1);

        writer = takeOnAnotherThread(q, batch, seen);
        q.gone(); // the connection closed while the writer waited: it must not wait for a heartbeat
        writer.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(seen.get()).isEqualTo(EventQueue.State.GONE);
    }

    @Test
    void afterAnOverflowTheWriterWaitsForTheConnectionToCloseButNotForever() throws Exception {
        EventQueue q = new EventQueue(1, 100);
        q.offer(bytes(1));
        q.offer(bytes(1));
        List<byte[]> batch = new ArrayList<>();
        assertThat(q.take(batch, FOREVER, TimeUnit.MILLISECONDS.toNanos(1))).as("bounded").isEqualTo(EventQueue.State.DROPPED);
        AtomicReference<EventQueue.State> seen = new AtomicReference<>();
        Thread writer = takeOnAnotherThread(q, batch, seen);
        q.gone();
        writer.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(seen.get()).isEqualTo(EventQueue.State.GONE);
        assertThat(batch).isEmpty();
    }

    /** A writer's take, on a thread of its own: the test's thread plays the sender (or the loop). */
    private static Thread takeOnAnotherThread(EventQueue q, List<byte[]> batch, AtomicReference<EventQueue.State> seen) {
        return Thread.ofVirtual().start(() -> {
            try {
                seen.set(q.take(batch, FOREVER, SECONDS_10));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    // ---------------------------------------------------------------- the writer on a plain OutputStream

    @Test
    void theWriterOnAPlainStreamWritesWhatOnOpenSentAndRunsOnClose() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        AtomicReference<EventStream> stream = new AtomicReference<>();
        Response r = EventStream.response(s -> {
            stream.set(s);
            s.onClose(closes::incrementAndGet);
            s.send("a");
            s.comment("c");
            s.close();
            assertThat(s.send("after close")).isFalse();
        });
        assertThat(r.status()).isEqualTo(200);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.writer().writeTo(out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("data: a\n\n: c\n\n");
        assertThat(closes).hasValue(1);
        assertThat(stream.get().awaitClose(Duration.ZERO)).isTrue();
        stream.get().onClose(closes::incrementAndGet); // after the end: at once
        assertThat(closes).hasValue(2);
    }

    @Test
    void anEventLargerThanTheWholeQueueIsRefusedWithAnException() {
        Response r = EventStream.builder().maxQueuedBytes(16).response(s -> s.send("x".repeat(20)));
        assertThatThrownBy(() -> r.writer().writeTo(new ByteArrayOutputStream())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> EventStream.builder().maxQueuedEvents(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventStream.builder().maxQueuedBytes(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventStream.builder().heartbeat(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventStream.builder().heartbeat(Duration.ofNanos(999_999))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventStream.response(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(EventStream.builder().heartbeat(Duration.ZERO).response(s -> { }).header("Cache-Control")).isEqualTo("no-cache");
    }
}
