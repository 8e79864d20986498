package io.jepoll.server;

import io.jepoll.http.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HttpServer#close()} (issue 4): idle connections close at once, requests in flight finish, what outlives
 * the grace is cut at its deadline, and nothing new gets in once closing has begun.
 *
 * <p>"At once" is checked without timing: the grace is set far beyond the client's read timeout, so a server that
 * waited for it instead would fail the read. close() runs on its own thread; the tests block on the clients.
 */
@ParameterizedClass
@EnumSource(Mode.class)
class ShutdownTest {
    @Parameter
    Mode mode;

    private static final Duration FOREVER = Duration.ofHours(1);

    private HttpServer server;
    private final List<Socket> clients = new ArrayList<>();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicBoolean handlerReturned = new AtomicBoolean();
    private List<String> baseline;

    @BeforeParameterizedClassInvocation
    static void warmUp() throws IOException { Harness.warmUpJdkSockets(); }

    @BeforeEach
    void countDescriptors() throws IOException { baseline = Harness.descriptors(); }

    @AfterEach
    void cleanUp() throws Exception {
        release.countDown();
        if (server != null) {
            server.close(); // returns at once if a failed test left a close() running elsewhere ...
            server.awaitShutdown(); // ... so wait for that one too
        }
        for (Socket s : clients) s.close();
        Harness.assertDescriptorsBackTo(baseline, "after close");
    }

    /** /block waits for the test's release; "stubborn" handlers also ignore interrupts. */
    private HttpServer start(HttpServer.Builder b, boolean stubborn) throws Exception {
        return server = b.virtualThreads(true).handler(req -> {
            if (req.path().equals("/block")) {
                entered.countDown();
                while (true) {
                    try {
                        release.await();
                        break;
                    } catch (InterruptedException e) {
                        if (!stubborn) throw e;
                    }
                }
                handlerReturned.set(true);
                return Response.ok("released");
            }
            if (req.path().equals("/stream")) {
                entered.countDown();
                return Response.stream(200, "text/plain", out -> {
                    while (true) out.write("tick\n".getBytes()); // until the connection is cut
                });
            }
            return Response.ok("ok " + req.path());
        }).start();
    }

    private Socket connect() throws IOException {
        Socket s = mode.socket();
        clients.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()));
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return s;
    }

    /** A connection that made one request and read its answer: idle keep-alive. */
    private Socket idleConnection() throws IOException {
        Socket s = connect();
        s.getOutputStream().write("GET /warm HTTP/1.1\r\nHost: h\r\n\r\n".getBytes());
        InputStream in = s.getInputStream();
        byte[] expect = "ok /warm".getBytes();
        // read up to the end of the short body: head ... "ok /warm"
        StringBuilder got = new StringBuilder();
        while (!got.toString().endsWith("ok /warm")) {
            int c = in.read();
            assertThat(c).as("response to /warm").isNotNegative();
            got.append((char) c);
        }
        assertThat(got.toString()).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: " + expect.length);
        return s;
    }

    private CompletableFuture<Void> closeInBackground() { return Harness.closeInBackground(server); }

    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith(end)) {
            int c = in.read();
            if (c < 0) throw new IOException("EOF before \"" + end + "\"; got: " + b);
            b.append((char) c);
        }
        return b.toString();
    }

    /** A connection attempt after closing began: refused, or reset / closed without an answer. */
    private void assertNoNewConnection() throws IOException {
        Socket s = mode.socket();
        clients.add(s);
        try {
            s.connect(new InetSocketAddress("127.0.0.1", server.port()));
        } catch (ConnectException refused) {
            return;
        }
        s.setSoTimeout(10_000);
        try {
            s.getOutputStream().write("GET /late HTTP/1.1\r\nHost: h\r\n\r\n".getBytes());
        } catch (IOException reset) {
            return;
        }
        Harness.Received r = Harness.readToEnd(s);
        assertThat(r.bytes()).as("an answer on a connection made after close() began").isEmpty();
        assertThat(r.end()).isNotEqualTo(Harness.End.TIMEOUT);
    }

    // ---------------------------------------------------------------- tests

    @Test
    void idleKeepAliveConnectionsAreClosedAtOnce() throws Exception {
        start(mode.builder().shutdownGrace(FOREVER), false);
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 4; i++) idle.add(idleConnection());
        // Accepted, never sent a byte: a plain TCP connection in the TLS modes too, where it is one that never began
        // its handshake (a TLS client socket would send its hello as soon as the test reads).
        Socket silent = new Socket();
        clients.add(silent);
        silent.connect(new InetSocketAddress("127.0.0.1", server.port()));
        silent.setSoTimeout(10_000);
        idle.add(silent);
        // The kernel completes a connect before the server accepts it; one still in the accept queue when close()
        // shuts the listener would be reset, which is not what this test is about.
        assertThat(Harness.awaitConnectionCount(server, idle.size(), 10_000)).as("connections accepted").isEqualTo(idle.size());
        CompletableFuture<Void> closing = closeInBackground();
        for (Socket s : idle) {
            Harness.Received r = Harness.readToEnd(s);
            assertThat(r.bytes()).isEmpty();
            assertThat(r.end()).as("the idle connection is closed without waiting for the grace").isEqualTo(Harness.End.EOF);
            s.close(); // ends the server's linger at once
        }
        closing.get(30, TimeUnit.SECONDS);
        // (The sockets' own isClosed() would only repeat what this test did; what counts is the server's side:
        // the EOFs above, no connection left, and, in cleanUp, every descriptor released.)
        assertThat(server.connectionCount()).as("connections the server still holds after close()").isZero();
        server = null;
    }

    @Test
    void requestInFlightFinishesAndNothingNewGetsIn() throws Exception {
        start(mode.builder().loops(1).shutdownGrace(Duration.ofSeconds(30)), false);
        Socket busy = connect();
        busy.getOutputStream().write("GET /block HTTP/1.1\r\nHost: h\r\n\r\n".getBytes());
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        Socket probe = idleConnection();

        CompletableFuture<Void> closing = closeInBackground();
        // The probe's EOF proves the (only) loop has begun shutting down: listener closed, idle connections closed.
        assertThat(Harness.readToEnd(probe).end()).isEqualTo(Harness.End.EOF);
        probe.close(); // else the server lingers on it (up to 2 s) waiting for our FIN
        assertNoNewConnection();
        assertThat(closing).as("close() waits for the request in flight").isNotDone();

        Thread releaser = Thread.ofPlatform().start(release::countDown); // from another thread, while close() runs
        releaser.join();
        String response = readUntil(busy.getInputStream(), "released");
        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n");
        // RFC 9112 §9.6: the server closes after this response, so it says so (a client must not send another)
        assertThat(response).contains("\r\nConnection: close\r\n");
        Harness.Received rest = Harness.readToEnd(busy);
        assertThat(rest.bytes()).as("nothing after the last response").isEmpty();
        assertThat(rest.end()).isEqualTo(Harness.End.EOF);
        busy.close();
        closing.get(30, TimeUnit.SECONDS);
        server = null;
        assertThat(handlerReturned).isTrue();
    }

    @Test
    void handlerThatNeverReturnsIsCutAtTheGraceDeadline() throws Exception {
        start(mode.builder().shutdownGrace(Duration.ofMillis(300)).headerTimeout(FOREVER), true);
        Socket stuck = connect();
        stuck.getOutputStream().write("GET /block HTTP/1.1\r\nHost: h\r\n\r\n".getBytes());
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        Socket partial = connect(); // half a head: not idle, so it too waits for the deadline
        partial.getOutputStream().write("GET /partial HTTP/1.1\r\nHost:".getBytes());

        CompletableFuture<Void> closing = closeInBackground();
        for (Socket s : List.of(stuck, partial)) {
            Harness.Received r = Harness.readToEnd(s);
            assertThat(r.bytes()).as("no answer for a request cut at the deadline").isEmpty();
            assertThat(r.end()).as("force-closed at the deadline").isNotEqualTo(Harness.End.TIMEOUT);
        }
        closing.get(30, TimeUnit.SECONDS); // close() returns although the handler still blocks
        server = null;
        assertThat(handlerReturned).as("the handler ignores interrupts and is still blocked").isFalse();
        assertNoNewConnectionAfterClose(stuck.getPort());
    }

    @Test
    void endlessStreamedBodyIsCutAtTheGraceDeadline() throws Exception {
        start(mode.builder().shutdownGrace(Duration.ofMillis(300)), false);
        Socket s = connect();
        s.getOutputStream().write("GET /stream HTTP/1.1\r\nHost: h\r\n\r\n".getBytes());
        InputStream in = s.getInputStream();
        assertThat(readUntil(in, "\r\n\r\n")).startsWith("HTTP/1.1 200 OK\r\n").contains("Transfer-Encoding: chunked");
        CompletableFuture<Void> closing = closeInBackground();
        Harness.Received r = Harness.readToEnd(s); // the client keeps reading: only the deadline ends this
        assertThat(r.end()).isNotEqualTo(Harness.End.TIMEOUT);
        assertThat(r.text()).as("the body must not look complete").doesNotEndWith("0\r\n\r\n");
        closing.get(30, TimeUnit.SECONDS);
        server = null;
    }

    @Test
    void noConnectionIsAcceptedAfterClose() throws Exception {
        start(mode.builder(), false);
        int port = server.port();
        idleConnection().close();
        server.close();
        server = null;
        assertNoNewConnectionAfterClose(port);
    }

    private void assertNoNewConnectionAfterClose(int port) throws IOException {
        try (Socket s = new Socket()) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> s.connect(new InetSocketAddress("127.0.0.1", port))))
                    .isInstanceOf(ConnectException.class);
        }
    }
}
