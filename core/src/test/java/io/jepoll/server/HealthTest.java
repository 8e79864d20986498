package io.jepoll.server;

import io.jepoll.http.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The health path and the drain (issue 10, item 4) over real sockets, in every mode: answered by the engine before
 * any handler or router, 200 while serving and 503 once draining, while every other request is still served (with
 * {@code Connection: close}); {@link HttpServer#drainAndClose(Duration)} and a close that cuts it short.
 */
class HealthTest {
    private static final String CHECK = "GET /healthz HTTP/1.1\r\nHost: lb\r\n\r\n";

    private HttpServer server;
    private final AtomicInteger handlerCalls = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) server.close();
    }

    /** Counts its calls; throws for the health path, which it must never see; /block waits for the test's release. */
    private HttpServer start(HttpServer.Builder b) throws Exception {
        return server = b.healthPath("/healthz").handler(req -> {
            handlerCalls.incrementAndGet();
            if (req.path().equals("/healthz")) throw new IllegalStateException("the handler must not see a health check");
            if (req.path().equals("/block")) {
                release.await();
                return Response.ok("released");
            }
            return Response.ok(req.path().equals("/ok") ? "fine" : "handler " + req.path());
        }).start();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void healthPathIsAnsweredBeforeAHandlerThatThrows(Mode mode) throws Exception {
        start(mode.builder());
        try (RawClient c = new RawClient(server)) {
            RawClient.Reply ok = c.send(CHECK).read();
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.text()).isEqualTo("ok\n");
            assertThat(ok.header("cache-control")).isEqualTo("no-store");
            assertThat(ok.header("content-type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(ok.header("connection")).as("keep-alive while serving").isNull();

            // HEAD: the same status and length, no body: the next response on the connection starts where it should
            RawClient.Reply head = c.send("HEAD /healthz HTTP/1.1\r\nHost: lb\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("3");
            assertThat(c.send("GET /healthz?from=haproxy HTTP/1.1\r\nHost: lb\r\n\r\n").read().text())
                    .as("the query is ignored").isEqualTo("ok\n");

            RawClient.Reply post = c.send("POST /healthz HTTP/1.1\r\nHost: lb\r\nContent-Length: 2\r\n\r\nhi").read();
            assertThat(post.status()).isEqualTo(405);
            assertThat(post.header("allow")).isEqualTo("GET, HEAD");
            assertThat(handlerCalls).as("health checks never reach the handler").hasValue(0);

            assertThat(c.send("GET /healthz/ HTTP/1.1\r\nHost: lb\r\n\r\n").read().text())
                    .as("only the exact path is the health path").isEqualTo("handler /healthz/");
            assertThat(c.send("GET /Healthz HTTP/1.1\r\nHost: lb\r\n\r\n").read().text()).isEqualTo("handler /Healthz");
            assertThat(handlerCalls).hasValue(2);
        }
    }

    /** Pipelined behind an ordinary request, a health check is answered in order, on the same connection. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void pipelinedHealthChecksKeepTheirOrder(Mode mode) throws Exception {
        start(mode.builder());
        try (RawClient c = new RawClient(server)) {
            c.send("GET /ok HTTP/1.1\r\nHost: h\r\n\r\n" + CHECK + "GET /ok HTTP/1.1\r\nHost: h\r\n\r\n" + CHECK);
            assertThat(c.read().text()).isEqualTo("fine");
            assertThat(c.read().text()).isEqualTo("ok\n");
            assertThat(c.read().text()).isEqualTo("fine");
            assertThat(c.read().text()).isEqualTo("ok\n");
        }
    }

    /** With virtual threads, the check is answered while every handler thread is blocked. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void healthCheckDoesNotWaitForABlockedHandler(Mode mode) throws Exception {
        start(mode.builder().virtualThreads(true));
        try (RawClient busy = new RawClient(server); RawClient lb = new RawClient(server)) {
            busy.send("GET /block HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(lb.send(CHECK).read().status()).isEqualTo(200);
            release.countDown();
            assertThat(busy.read().text()).isEqualTo("released");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRouterWithoutTheRouteDoesNotHideTheHealthPath(Mode mode) throws Exception {
        server = mode.builder().healthPath("/healthz")
                .handler(Router.builder().get("/a", req -> Response.ok("a")).build()).start();
        try (RawClient c = new RawClient(server)) {
            assertThat(c.send(CHECK).read().status()).isEqualTo(200);
            assertThat(c.send("GET /b HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(404);
            assertThat(c.send("GET /a HTTP/1.1\r\nHost: h\r\n\r\n").read().text()).isEqualTo("a");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void drainingAnswers503WhileOtherRequestsAreStillServed(Mode mode) throws Exception {
        start(mode.builder());
        try (RawClient before = new RawClient(server)) {
            assertThat(before.send("GET /ok HTTP/1.1\r\nHost: h\r\n\r\n").read().header("connection")).isNull();
            assertThat(server.isDraining()).isFalse();

            server.startDraining();
            assertThat(server.isDraining()).isTrue();

            // A keep-alive connection from before the drain: served, told to go, closed.
            RawClient.Reply last = before.send("GET /ok HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.text()).isEqualTo("fine");
            assertThat(last.header("connection")).isEqualTo("close");
            assertThat(before.closedByServer()).as("the connection closes after that response").isTrue();
        }
        try (RawClient lb = new RawClient(server)) {
            RawClient.Reply check = lb.send(CHECK).read();
            assertThat(check.status()).isEqualTo(503);
            assertThat(check.text()).isEqualTo("draining\n");
            assertThat(check.header("cache-control")).isEqualTo("no-store");
            assertThat(check.header("connection")).isEqualTo("close");
        }
        try (RawClient head = new RawClient(server)) {
            RawClient.Reply r = head.send("HEAD /healthz HTTP/1.1\r\nHost: lb\r\n\r\n").read(true);
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.header("content-length")).isEqualTo("9");
            assertThat(head.closedByServer()).as("no body after the head, then the close").isTrue();
        }
        try (RawClient client = new RawClient(server)) {
            assertThat(client.send("GET /ok HTTP/1.1\r\nHost: h\r\n\r\n").read().text()).as("new connections are served").isEqualTo("fine");
        }
        server.startDraining(); // again: nothing changes
        assertThat(server.isDraining()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void closeDuringDrainAndCloseEndsTheDrain(Mode mode) throws Exception {
        start(mode.builder());
        int port = server.port();
        CompletableFuture<Void> draining = CompletableFuture.runAsync(() -> server.drainAndClose(Duration.ofHours(1)),
                r -> Thread.ofPlatform().name("drainer").start(r));
        awaitDraining();
        try (RawClient c = new RawClient(server)) {
            assertThat(c.send(CHECK).read().status()).isEqualTo(503);
        }
        try (RawClient c = new RawClient(server)) {
            assertThat(c.send("GET /ok HTTP/1.1\r\nHost: h\r\n\r\n").read().status()).isEqualTo(200);
        }
        assertThat(draining).as("an hour's drain is still under way").isNotDone();
        server.close();
        draining.get(30, TimeUnit.SECONDS);
        server = null;
        assertRefused(port);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void drainAndCloseStopsAfterTheDrain(Mode mode) throws Exception {
        start(mode.builder());
        int port = server.port();
        server.drainAndClose(Duration.ofMillis(50));
        assertThat(server.isDraining()).isTrue();
        server.awaitShutdown(); // already over: returns at once
        server = null;
        assertRefused(port);
    }

    @Test
    void closeAloneAlsoDrainsAndADrainOfZeroClosesAtOnce() throws Exception {
        start(Mode.EPOLL_LEVEL.builder());
        server.close();
        assertThat(server.isDraining()).as("a stopping server is not healthy").isTrue();
        server.drainAndClose(Duration.ZERO); // after close: returns at once
        assertThatThrownBy(() -> server.drainAndClose(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        server = null;
    }

    @Test
    void theHealthPathMustBeAPlainAbsolutePath() {
        HttpServer.Builder b = HttpServer.builder();
        for (String bad : new String[]{"", "healthz", "/healthz?x=1", "/a#b", "/a b", "/é", "/a\r\nX: y", "/" + "a".repeat(1024)}) {
            assertThatThrownBy(() -> b.healthPath(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(b.healthPath("/").config().healthPath()).isEqualTo("/");
        assertThat(b.healthPath("/-/ready").config().healthPath()).isEqualTo("/-/ready");
        assertThat(b.healthPath(null).config().healthPath()).as("none").isNull();
    }

    /** drainAndClose runs elsewhere: wait until it has begun (bounded; the caller's next steps assert on it). */
    private void awaitDraining() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!server.isDraining() && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(server.isDraining()).as("draining within 10 s").isTrue();
    }

    private static void assertRefused(int port) throws IOException {
        try (Socket s = new Socket()) {
            assertThatThrownBy(() -> s.connect(new InetSocketAddress("127.0.0.1", port))).isInstanceOf(ConnectException.class);
        }
    }
}
