package io.jepoll.server;

import io.jepoll.http.EventSourceParser;
import io.jepoll.http.Response;
import io.jepoll.http.ServerSentEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EventStream} on every transport: events as a JDK client, curl and a raw client read them; events from
 * other threads; heartbeats; the client leaving; a client too slow for the queue; the server closing.
 */
@ParameterizedClass
@EnumSource(Mode.class)
class EventStreamTest {
    @Parameter
    Mode mode;

    private static final Duration HOUR = Duration.ofHours(1);
    private static final long WAIT = 10; // seconds: the bound on every wait for the server

    private HttpServer server;
    private Harness.LogCapture log;
    private final List<AutoCloseable> clients = new ArrayList<>();
    private final BlockingQueue<EventStream> opened = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(WAIT)).build();

    @BeforeEach
    void captureLogs() { log = new Harness.LogCapture(); }

    @AfterEach
    void stop() throws Exception {
        try {
            for (AutoCloseable c : clients) c.close();
            if (server != null) server.close();
            http.close();
            assertThat(log.unexpected()).as("warnings and errors logged by jepoll").isEmpty();
        } finally {
            log.close();
        }
    }

    /** Serves {@code /events} with {@code events}, after noting the stream and counting its end. */
    private void serve(HttpServer.Builder b, EventStream.Builder events, Consumer<EventStream> onOpen) throws Exception {
        Response r = events.response(s -> {
            s.onClose(closed::countDown);
            opened.add(s);
            onOpen.accept(s);
        });
        server = b.handler(req -> req.path().equals("/events") ? r : Response.ok("other")).start();
    }

    private void serve(Consumer<EventStream> onOpen) throws Exception {
        serve(mode.builder(), EventStream.builder(), onOpen);
    }

    private static void oneTwoThree(EventStream s) {
        s.send("1");
        s.send("2");
        s.send("3");
        s.close();
    }

    private EventStreamClient client(String path) throws IOException {
        EventStreamClient c = new EventStreamClient(server, path);
        clients.add(c);
        return c;
    }

    private EventStream awaitOpened() throws InterruptedException {
        EventStream s = opened.poll(WAIT, TimeUnit.SECONDS);
        assertThat(s).as("a stream was opened").isNotNull();
        return s;
    }

    private URI uri(String path) { return URI.create("http://127.0.0.1:" + server.port() + path); }

    // ---------------------------------------------------------------- what a client reads

    @Test
    void threeEventsThenTheEndAsTheJdkClientReadsThem() throws Exception {
        serve(EventStreamTest::oneTwoThree);
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(uri("/events")).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
        try (Stream<String> lines = r.body()) {
            // toList ends only when the body does: a body that were cut would throw instead
            assertThat(lines.toList()).containsExactly("data: 1", "", "data: 2", "", "data: 3", "");
        }
        assertThat(closed.await(WAIT, TimeUnit.SECONDS)).as("onClose ran").isTrue();
    }

    @Test
    void aClosedStreamIsACompleteChunkedBodyAndTheConnectionGoesOn() throws Exception {
        serve(EventStreamTest::oneTwoThree);
        try (RawClient c = new RawClient(server)) {
            RawClient.Reply r = c.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(r.header("x-accel-buffering")).isEqualTo("no");
            assertThat(r.text()).isEqualTo("data: 1\n\ndata: 2\n\ndata: 3\n\n");
            assertThat(c.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("other");
        }
    }

    @Test
    void toAnHttp10ClientTheStreamEndsAtTheClose() throws Exception {
        serve(EventStreamTest::oneTwoThree);
        try (RawClient c = new RawClient(server)) {
            RawClient.Reply r = c.send("GET /events HTTP/1.0\r\n\r\n").read(); // no chunked in 1.0: read until EOF
            assertThat(r.header("transfer-encoding")).isNull();
            assertThat(r.text()).isEqualTo("data: 1\n\ndata: 2\n\ndata: 3\n\n");
        }
    }

    @Test
    void curlPrintsTheEventsAndSeesACompleteBody() throws Exception {
        serve(EventStreamTest::oneTwoThree);
        byte[] out = HttpServerTest.curl("-N", "-s", "-S", uri("/events").toString()); // exit 0: the body was complete
        assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo("data: 1\n\ndata: 2\n\ndata: 3\n\n");
    }

    @Test
    void multiLineDataAndEveryField() throws Exception {
        serve(s -> {
            s.send(ServerSentEvent.data("first\nsecond\r\nthird\r").withEvent("multi").withId("9").withRetry(Duration.ofSeconds(2)));
            s.comment("not an event");
            s.send("é✓");
            s.close();
        });
        try (RawClient c = new RawClient(server)) {
            EventSourceParser p = EventSourceParser.parse(c.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n").read().body());
            assertThat(p.events()).containsExactly(
                    new EventSourceParser.Event("multi", "first\nsecond\nthird\n", "9"),
                    new EventSourceParser.Event("message", "é✓", "9"));
            assertThat(p.retryMillis()).isEqualTo(2000);
            assertThat(p.comments()).containsExactly(" not an event");
        }
    }

    @Test
    void headGetsTheHeadAndNoStream() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        serve(s -> {
            opens.incrementAndGet();
            oneTwoThree(s);
        });
        try (RawClient c = new RawClient(server)) {
            RawClient.Reply head = c.send("HEAD /events HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertThat(head.header("content-type")).isEqualTo("text/event-stream");
            // the same connection: the GET is answered after the HEAD, so the HEAD's writer would have run by now
            assertThat(c.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).startsWith("data: 1");
        }
        assertThat(opens).hasValue(1);
    }

    // ---------------------------------------------------------------- threads and heartbeats

    @Test
    void eventsSentFromOtherThreadsArriveEachInItsOrder() throws Exception {
        serve(mode.builder(), EventStream.builder().heartbeat(Duration.ZERO), s -> { });
        CompletableFuture<HttpResponse<InputStream>> response = http.sendAsync(HttpRequest.newBuilder(uri("/events")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        EventStream s = awaitOpened();
        int threads = 4, each = 50;
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            senders.add(Thread.ofPlatform().name("sender-" + t).start(() -> {
                for (int i = 0; i < each; i++) assertThat(s.send(id + ":" + i)).isTrue();
            }));
        }
        int[] next = new int[threads];
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                response.get(WAIT, TimeUnit.SECONDS).body(), StandardCharsets.UTF_8))) {
            for (int n = 0; n < threads * each; n++) {
                String line = in.readLine();
                assertThat(line).as("event %d", n).startsWith("data: ");
                String[] parts = line.substring(6).split(":");
                int t = Integer.parseInt(parts[0]);
                assertThat(Integer.parseInt(parts[1])).as("sender %d's order", t).isEqualTo(next[t]++);
                assertThat(in.readLine()).isEmpty();
            }
            for (Thread t : senders) t.join(TimeUnit.SECONDS.toMillis(WAIT));
            s.close();
            assertThat(in.readLine()).as("the end of the body").isNull();
        }
        assertThat(s.send("late")).isFalse();
        assertThat(closed.await(WAIT, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void anIdleStreamSendsHeartbeatComments() throws Exception {
        serve(mode.builder(), EventStream.builder().heartbeat(Duration.ofMillis(20)), s -> { });
        EventStreamClient c = client("/events");
        assertThat(c.readHead()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(c.nextComment()).isEmpty();
        assertThat(c.nextComment()).isEmpty(); // and again: they go on while nothing else is sent
        awaitOpened().close();
        assertThat(c.readToEnd()).isEqualTo(EventStreamClient.End.COMPLETE);
        assertThat(c.parsed().events()).isEmpty();
    }

    // ---------------------------------------------------------------- how a stream ends

    /**
     * The event loops see a client leave at once (its FIN or reset), so no heartbeat is needed to notice; the
     * blocking transports notice only when a write fails, which the heartbeat provokes.
     */
    private EventStream.Builder noticing() {
        return EventStream.builder().heartbeat(mode.transport.isEventDriven() ? Duration.ZERO : Duration.ofMillis(20));
    }

    private void clientLeaves(boolean reset) throws Exception {
        serve(mode.builder(), noticing(), s -> s.send("hello"));
        EventStreamClient c = client("/events");
        c.readHead();
        assertThat(c.nextEvent().data()).isEqualTo("hello");
        EventStream s = awaitOpened();
        assertThat(s.isOpen()).isTrue();
        if (reset) Harness.reset(c.socket());
        else c.close();
        assertThat(closed.await(WAIT, TimeUnit.SECONDS)).as("onClose ran after the client left").isTrue();
        assertThat(s.isOpen()).isFalse();
        assertThat(s.send("anyone?")).isFalse();
        assertThat(s.awaitClose(Duration.ofSeconds(WAIT))).isTrue();
        assertThat(Harness.awaitConnectionCount(server, 0, TimeUnit.SECONDS.toMillis(WAIT))).isZero();
    }

    @Test
    void aClientThatClosesIsSeenAndTheSenderToldSo() throws Exception { clientLeaves(false); }

    @Test
    void aClientThatResetsIsSeenAndTheSenderToldSo() throws Exception { clientLeaves(true); }

    @Test
    void aClientTooSlowForTheQueueIsDropped() throws Exception {
        int bound = 4 << 20;
        serve(mode.builder().writeTimeout(HOUR), EventStream.builder().heartbeat(Duration.ZERO).maxQueuedBytes(bound), s -> { });
        Socket raw = new Socket();
        clients.add(raw);
        raw.setReceiveBufferSize(16 * 1024); // before connecting, so the window stays small
        raw.connect(new InetSocketAddress("127.0.0.1", server.port()));
        raw.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT));
        raw.getOutputStream().write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        EventStream s = awaitOpened();
        String big = "x".repeat(64 * 1024);
        int encoded = ServerSentEvent.data(big).encode().length;
        // The client reads nothing: the writer fills the socket buffers of both ends and blocks, and the queue fills.
        int sent = 0;
        while (sent < 100_000 && s.send(big)) sent++;
        assertThat(sent).as("events accepted: at least the bound's worth, not without end").isBetween(bound / encoded, 99_999);
        assertThat(s.isOpen()).isFalse();
        assertThat(closed.await(WAIT, TimeUnit.SECONDS)).as("onClose ran after the drop").isTrue();
        assertThat(Harness.awaitConnectionCount(server, 0, TimeUnit.SECONDS.toMillis(WAIT))).isZero();
        Harness.Received r = Harness.readToEnd(raw); // what the kernels still held, then the end
        assertThat(r.end()).as("the connection was closed").isNotEqualTo(Harness.End.TIMEOUT);
        assertThat((long) r.bytes().length).as("bytes received of the %d accepted", (long) sent * encoded).isLessThan((long) sent * encoded);
        assertThat(r.text()).as("no last chunk: the body was cut").doesNotEndWith("\r\n0\r\n\r\n");
    }

    @Test
    void serverCloseEndsTheStreamWithItsQueuedEventsAndTheLastChunk() throws Exception {
        serve(mode.builder().shutdownGrace(HOUR), EventStream.builder(), s -> s.send("1"));
        EventStreamClient c = client("/events");
        c.readHead();
        assertThat(c.nextEvent().data()).isEqualTo("1");
        EventStream s = awaitOpened();
        s.send("2");
        s.send("3");
        CompletableFuture<Void> closing = closeInBackground();
        // With a grace of an hour, close() returns in time only if the stream ended by itself.
        assertThat(c.readToEnd()).isEqualTo(EventStreamClient.End.COMPLETE);
        assertThat(c.parsed().events()).extracting(EventSourceParser.Event::data).containsExactly("1", "2", "3");
        assertThat(c.closedByServer()).isTrue();
        closing.get(WAIT, TimeUnit.SECONDS);
        assertThat(closed.getCount()).as("onClose ran").isZero();
        assertThat(s.send("after")).isFalse();
    }

    @Test
    void aStreamThatStartsDuringShutdownSendsWhatOnOpenSentThenEnds() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Response events = EventStream.response(s -> {
            s.onClose(closed::countDown);
            s.send("late"); // and no close(): the shutdown ends it
        });
        server = mode.builder().virtualThreads(true).shutdownGrace(HOUR).handler(req -> {
            entered.countDown();
            release.await(WAIT, TimeUnit.SECONDS);
            return events;
        }).start();
        EventStreamClient c = client("/events");
        assertThat(entered.await(WAIT, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closing = closeInBackground();
        awaitNewConnectionsRefused();
        release.countDown();
        c.readHead();
        assertThat(c.readToEnd()).isEqualTo(EventStreamClient.End.COMPLETE);
        assertThat(c.parsed().events()).extracting(EventSourceParser.Event::data).containsExactly("late");
        closing.get(WAIT, TimeUnit.SECONDS);
        assertThat(closed.getCount()).isZero();
    }

    @Test
    void anOnOpenThatThrowsCutsTheBodyAndStillRunsOnClose() throws Exception {
        serve(s -> {
            s.send("1");
            throw new IllegalStateException("onOpen failed on purpose");
        });
        EventStreamClient c = client("/events");
        c.readHead();
        assertThat(c.readToEnd()).isIn(EventStreamClient.End.EOF, EventStreamClient.End.RESET);
        assertThat(closed.await(WAIT, TimeUnit.SECONDS)).isTrue();
        assertThat(log.unexpected("streamed body writer failed")).isEmpty();
        log.close();
        log = new Harness.LogCapture(); // the provoked error is not the after-test check's business
    }

    // ---------------------------------------------------------------- helpers

    private CompletableFuture<Void> closeInBackground() { return Harness.closeInBackground(server); }

    /** Shutdown has begun once a connection attempt is refused or reset (each listener is closed first thing). */
    private void awaitNewConnectionsRefused() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", server.port()));
            } catch (ConnectException refused) {
                return;
            } catch (java.net.SocketException reset) {
                return; // a blocking listener closing with this connection in its backlog resets it: shutdown too
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("connections still accepted " + WAIT + " s after close() began");
    }
}
