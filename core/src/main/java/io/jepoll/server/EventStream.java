package io.jepoll.server;

import io.jepoll.http.Response;
import io.jepoll.http.ServerSentEvent;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A server-sent event stream ({@code text/event-stream}, what a browser's {@code EventSource} reads): the handler
 * answers {@link #response}, and the application keeps the {@code EventStream} it is given and sends on it from any
 * thread, for as long as the client stays.
 *
 * <pre>{@code
 * router.get("/events", req -> EventStream.response(events -> {
 *     events.send("1");
 *     events.send(ServerSentEvent.data("2").withEvent("tick").withId("2"));
 *     subscribers.add(events);                       // others send later, from their own threads
 *     events.onClose(() -> subscribers.remove(events));
 * }));
 * }</pre>
 *
 * <h2>Threads</h2>
 * {@link #send} encodes the event on the caller's thread and queues it; it never blocks. The stream's writer (the
 * streamed body's virtual thread, or the connection's thread in the blocking transports) takes what is queued,
 * writes it and flushes: the events queued meanwhile leave together, as one chunk. {@code onOpen} runs on that
 * writer before it starts, so it must return soon (what it sends waits until it has); a shutdown or an EOF that
 * comes meanwhile takes effect when it returns, so what it sent still leaves. It is not called for a HEAD request,
 * which gets the head only.
 *
 * <h2>A client that reads too slowly</h2>
 * At most {@link Builder#maxQueuedEvents} events ({@link Builder#maxQueuedBytes} bytes) wait for the writer, which
 * waits in turn while the client is behind (the connection's backpressure). When the queue is full, the event is
 * refused, {@code send} returns false, and the connection is dropped: an event stream that silently loses events is
 * worse than one its client reconnects to, and an {@code EventSource} reconnects by itself, sending the last id it
 * received as {@code Last-Event-ID}, from where the application can resume. The write timeout of the event loops
 * also closes a client that stops reading altogether.
 *
 * <h2>How it ends</h2>
 * <ul>
 *   <li>{@link #close()}: the queued events leave, then the body ends (the last chunk); the connection stays open
 *       for the client's next request.</li>
 *   <li>{@link HttpServer#close()}: every open stream is closed the same way, within the shutdown grace.</li>
 *   <li>The client's EOF (on the event loops): the stream is closed the same way, then the connection. A browser
 *       closes both directions at once, so its EOF means it is gone; a client that only half-closes (RFC 9112
 *       §9.6 lets it) still receives the events already queued and a complete body.</li>
 *   <li>The connection closes (the client left, a write failed, a timeout): queued events are discarded. The event
 *       loops see it at once; the blocking transports only when a write fails, so at the next event or
 *       heartbeat.</li>
 *   <li>The queue overflows: as above.</li>
 * </ul>
 * In every case {@link #send} returns false from then on, and each {@link #onClose} action runs once.
 *
 * <h2>Heartbeats</h2>
 * After {@link Builder#heartbeat} (15 s by default) without anything to send, the writer sends a comment
 * ({@code ":"}), which clients ignore: it keeps proxies from closing an idle stream and makes a vanished client's
 * connection fail.
 */
public final class EventStream {
    /** The default bound on events waiting to be written. */
    public static final int DEFAULT_MAX_QUEUED_EVENTS = 1024;
    /** The default bound on bytes waiting to be written (encoded events). */
    public static final int DEFAULT_MAX_QUEUED_BYTES = 1 << 20;
    /** The default time without events after which a comment is sent. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(15);

    /** How long the writer waits, after an overflow, for the loop to close the connection (it takes microseconds). */
    private static final long DROP_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final byte[] HEARTBEAT = ServerSentEvent.encodeComment("");

    private final EventQueue queue;
    private final long heartbeatNanos;
    private final List<Runnable> onClose = new ArrayList<>(1); // guarded by itself
    private boolean over;                                      // guarded by onClose: the actions have been taken
    private final CountDownLatch ended = new CountDownLatch(1); // once the actions have run
    private volatile BodyStream body;                          // set when the writer starts

    private EventStream(Settings s) {
        this.queue = new EventQueue(s.maxEvents, s.maxBytes);
        this.heartbeatNanos = s.heartbeat.toNanos();
    }

    private record Settings(int maxEvents, long maxBytes, Duration heartbeat) {}

    /**
     * A 200 response streaming events with the default settings; {@code onOpen} receives the stream once the
     * response has started.
     *
     * @param onOpen given the stream, on the stream's writer thread; keep it to send later
     * @return the response: {@code Content-Type: text/event-stream}, {@code Cache-Control: no-cache}
     */
    public static Response response(Consumer<EventStream> onOpen) { return builder().response(onOpen); }

    /**
     * Settings for a stream: queue bounds and heartbeat.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() { return new Builder(); }

    /**
     * Queues an event. Never blocks.
     *
     * @param event the event
     * @return true when queued; false when the stream has ended or is closing, or when the queue was full (and the
     *     connection is being dropped)
     * @throws IllegalArgumentException when the event alone is larger than the queue's byte bound
     */
    public boolean send(ServerSentEvent event) { return offer(event.encode()); }

    /**
     * Queues an event of data only ({@code data: ...}); line breaks make several {@code data:} lines.
     *
     * @param data the event's data
     * @return as {@link #send(ServerSentEvent)}
     */
    public boolean send(String data) { return send(ServerSentEvent.data(data)); }

    /**
     * Queues a comment, which the client ignores.
     *
     * @param text the comment
     * @return as {@link #send(ServerSentEvent)}
     */
    public boolean comment(String text) { return offer(ServerSentEvent.encodeComment(text)); }

    /** Ends the stream cleanly: what is queued is written, then the body ends. Later calls do nothing. */
    public void close() { queue.close(); }

    /**
     * Whether events are still taken.
     *
     * @return false once the stream is closing or has ended
     */
    public boolean isOpen() { return queue.isOpen(); }

    /**
     * Runs {@code action} once when the stream ends, whatever the reason, on the writer's thread when nothing more
     * will be written (or at once, on this thread, when the stream has ended already). An action that throws is
     * logged and does not keep the others from running.
     *
     * @param action what to run
     */
    public void onClose(Runnable action) {
        if (action == null) throw new IllegalArgumentException("action is null");
        synchronized (onClose) {
            if (!over) {
                onClose.add(action);
                return;
            }
        }
        runQuietly(action);
    }

    /**
     * Waits until the stream has ended and its {@link #onClose} actions have run.
     *
     * @param timeout the longest wait
     * @return true when it has ended, false when the time ran out
     * @throws InterruptedException when interrupted while waiting
     */
    public boolean awaitClose(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private boolean offer(byte[] event) {
        if (event.length > queue.maxBytes()) {
            throw new IllegalArgumentException("an event of " + event.length + " bytes is larger than the queue's bound");
        }
        return switch (queue.offer(event)) {
            case QUEUED -> true;
            case REFUSED -> false;
            case OVERFLOWED -> {
                BodyStream b = body;
                if (b != null) b.drop(); // the writer may be blocked on the client: the connection goes first
                else queue.gone();       // not started yet
                yield false;
            }
        };
    }

    /** The body's writer: {@code onOpen}, then queued events until the stream ends. */
    private void run(OutputStream out, Consumer<EventStream> onOpen) throws IOException {
        BodyStream b = out instanceof BodyStream s ? s : null; // always, inside the server
        body = b;
        try {
            onOpen.accept(this);
            // Only now: a shutdown or an EOF that came while onOpen ran (the signals are kept) still lets what it
            // sent leave, so a stream that sends its events in onOpen and closes is complete whatever happens.
            if (b != null) b.signals.listen(new StreamSignals.Listener() {
                @Override public void gone() { queue.gone(); }
                @Override public void finish() { queue.close(); }
            });
            pump(out);
        } catch (IOException | RuntimeException | Error e) {
            queue.gone();
            throw e;
        } finally {
            end();
        }
    }

    /** Writes what is queued, a heartbeat when nothing was for a while; returns when the body should end cleanly. */
    private void pump(OutputStream out) throws IOException {
        List<byte[]> batch = new ArrayList<>();
        while (true) {
            EventQueue.State s;
            try {
                s = queue.take(batch, heartbeatNanos, DROP_NANOS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("event stream interrupted");
            }
            switch (s) {
                case DROPPED, GONE -> throw new IOException("event stream ended: the client is gone or too slow");
                case OPEN, CLOSING -> {
                    if (batch.isEmpty() && s == EventQueue.State.OPEN) out.write(HEARTBEAT);
                    for (byte[] e : batch) out.write(e);
                    batch.clear();
                    out.flush(); // what was taken leaves now, together (one chunk up to 16 KiB)
                    if (s == EventQueue.State.CLOSING) return; // nothing more can be queued
                }
            }
        }
    }

    private void end() {
        List<Runnable> actions;
        synchronized (onClose) {
            over = true;
            actions = List.copyOf(onClose);
            onClose.clear();
        }
        for (Runnable a : actions) runQuietly(a);
        ended.countDown();
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError vme) throw vme;
            HttpRuntime.LOG.log(System.Logger.Level.ERROR, "an event stream's onClose action failed", e);
        }
    }

    /** Settings of a stream; every one has a default. */
    public static final class Builder {
        private int maxEvents = DEFAULT_MAX_QUEUED_EVENTS;
        private long maxBytes = DEFAULT_MAX_QUEUED_BYTES;
        private Duration heartbeat = DEFAULT_HEARTBEAT;

        private Builder() {}

        /**
         * At most this many events wait to be written; one more drops the connection.
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxQueuedEvents(int max) {
            if (max < 1) throw new IllegalArgumentException("maxQueuedEvents must be at least 1: " + max);
            this.maxEvents = max;
            return this;
        }

        /**
         * At most this many bytes of encoded events wait to be written; more drop the connection. A single event
         * larger than this is refused with an exception.
         *
         * @param max at least 1
         * @return this builder
         */
        public Builder maxQueuedBytes(long max) {
            if (max < 1) throw new IllegalArgumentException("maxQueuedBytes must be at least 1: " + max);
            this.maxBytes = max;
            return this;
        }

        /**
         * After this long with nothing to send, a comment is sent.
         *
         * @param interval the time; {@link Duration#ZERO} for no heartbeats
         * @return this builder
         */
        public Builder heartbeat(Duration interval) {
            if (interval.isNegative()) throw new IllegalArgumentException("heartbeat is negative: " + interval);
            if (interval.isPositive() && interval.toNanos() < TimeUnit.MILLISECONDS.toNanos(1)) {
                throw new IllegalArgumentException("heartbeat below 1 ms: " + interval);
            }
            this.heartbeat = interval;
            return this;
        }

        /**
         * A 200 response that streams events with these settings. Each request it answers gets a stream of its own,
         * so one response may answer many.
         *
         * @param onOpen given the stream, on the stream's writer thread; keep it to send later
         * @return the response: {@code Content-Type: text/event-stream}, {@code Cache-Control: no-cache}, and
         *     {@code X-Accel-Buffering: no} (so that nginx passes each event on instead of buffering)
         */
        public Response response(Consumer<EventStream> onOpen) {
            if (onOpen == null) throw new IllegalArgumentException("onOpen is null");
            Settings settings = new Settings(maxEvents, maxBytes, heartbeat);
            return Response.stream(200, "text/event-stream", out -> new EventStream(settings).run(out, onOpen))
                    .withHeader("Cache-Control", "no-cache")
                    .withHeader("X-Accel-Buffering", "no");
        }
    }
}
