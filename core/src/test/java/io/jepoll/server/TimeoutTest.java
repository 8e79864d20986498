package io.jepoll.server;

import io.jepoll.http.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request timeouts with short values (slowloris in CI), in every mode: the header deadline runs from a head's
 * first byte and is not moved by later bytes; the body timeout counts inactivity, so a body that stalls is cut
 * and one that keeps moving is not; the idle timeout closes a connection that sends nothing.
 *
 * <p>Nothing here measures time. A slow client is paced by blocking in a read of its own socket with a short
 * SO_TIMEOUT: the pause cannot be shorter than that timeout, so a trickle of N pauses lasts at least N times it
 * (which is how "longer than the server's timeout" is guaranteed), and an answer that comes early ends the pause
 * and is seen at once. Every timeout that must <em>not</em> fire is set to an hour, so only the one under test can
 * close the connection.
 */
@ParameterizedClass
@EnumSource(Mode.class)
class TimeoutTest {
    @Parameter
    Mode mode;

    private static final Duration HOUR = Duration.ofHours(1);
    /** The pause between two bytes of a trickle: far shorter than any timeout under test. */
    private static final int PAUSE_MILLIS = 50;
    private static final int NOTHING = -2;

    private HttpServer server;
    private Harness.LogCapture log;
    private final AtomicInteger handled = new AtomicInteger();
    private final List<Socket> clients = new ArrayList<>();

    @BeforeEach
    void captureLogs() { log = new Harness.LogCapture(); }

    @AfterEach
    void stop() throws IOException {
        try {
            for (Socket s : clients) s.close();
            if (server != null) server.close();
            assertThat(log.unexpected()).as("warnings and errors logged by jepoll").isEmpty();
        } finally {
            log.close();
        }
    }

    /** Echoes the body, and counts the requests that reached it. */
    private HttpServer start(HttpServer.Builder b) throws Exception {
        return server = b.handler(req -> {
            handled.incrementAndGet();
            return Response.bytes(200, "application/octet-stream", req.body());
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

    /**
     * Blocks in a read for {@code millis} at least, unless the server sends something or closes first. Returns
     * {@link #NOTHING} when the pause ran out, else what read() returned (a byte, or -1 at EOF).
     */
    private static int pause(Socket s, int millis) throws IOException {
        int before = s.getSoTimeout();
        s.setSoTimeout(millis);
        try {
            return s.getInputStream().read();
        } catch (SocketTimeoutException quiet) {
            return NOTHING;
        } finally {
            s.setSoTimeout(before);
        }
    }

    /** A byte read by {@link #pause} followed by the rest of what the server sends until it closes. */
    private static Harness.Received rest(Socket s, int first) {
        Harness.Received r = Harness.readToEnd(s);
        byte[] all = new byte[r.bytes().length + 1];
        all[0] = (byte) first;
        System.arraycopy(r.bytes(), 0, all, 1, r.bytes().length);
        return new Harness.Received(all, r.end());
    }

    private static void assert408AndClosed(Harness.Received r) {
        assertThat(r.text()).as("the answer").startsWith("HTTP/1.1 408 ").contains("\r\nConnection: close\r\n");
        assertThat(r.end()).as("the server closed the connection after its 408").isNotEqualTo(Harness.End.TIMEOUT);
    }

    // ---------------------------------------------------------------- header deadline

    @Test
    void headTrickledSlowerThanTheDeadlineGets408EvenThoughEveryByteIsProgress() throws Exception {
        start(mode.builder().headerTimeout(Duration.ofMillis(300)).bodyTimeout(HOUR).idleTimeout(HOUR));
        // 130 bytes with a pause of at least 50 ms after each: at least 6.5 s to send it all, against a 300 ms
        // deadline. A byte arrives every 50 ms, so a timer that restarted on every byte would never fire.
        byte[] head = ("GET /" + "s".repeat(100) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Socket s = connect();
        OutputStream out = s.getOutputStream();
        int sent = 0, answer = NOTHING;
        while (sent < head.length && answer == NOTHING) {
            try {
                out.write(head[sent]);
            } catch (IOException closed) {
                answer = s.getInputStream().read(); // the server answered and closed between two bytes
                break;
            }
            sent++;
            answer = pause(s, PAUSE_MILLIS);
        }
        assertThat(sent).as("bytes of the head sent before the server answered").isLessThan(head.length);
        assertThat(answer).as("the server answered before the head was complete").isNotNegative();
        assert408AndClosed(rest(s, answer));
        assertThat(handled).as("requests that reached the handler").hasValue(0);
    }

    @Test
    void theDeadlineRunsFromTheHeadsFirstByteNotFromTheConnectionOrTheLastResponse() throws Exception {
        start(mode.builder().headerTimeout(Duration.ofMillis(300)).bodyTimeout(HOUR).idleTimeout(HOUR));
        try (RawClient c = new RawClient(server)) {
            // Silent for longer than the header deadline, first after connecting, then after a response: neither
            // starts it, so the complete requests that follow are answered.
            assertThat(pause(c.socket(), 400)).as("the server said something (or closed) before any request").isEqualTo(NOTHING);
            assertThat(c.send("POST /one HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc").read().text()).isEqualTo("abc");
            assertThat(pause(c.socket(), 400)).as("the server said something (or closed) after a response").isEqualTo(NOTHING);
            assertThat(c.send("POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\ndef").read().text()).isEqualTo("def");
            // and the deadline of the next head still applies
            c.send("GET /three HTTP/1.1\r\nHo");
            RawClient.Reply r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(handled).hasValue(2);
    }

    // ---------------------------------------------------------------- body timeout

    @Test
    void bodyThatStallsPastTheBodyTimeoutGets408AndAClose() throws Exception {
        start(mode.builder().bodyTimeout(Duration.ofMillis(300)).headerTimeout(HOUR).idleTimeout(HOUR));
        Socket s = connect();
        s.getOutputStream().write(("POST /stall HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + "x".repeat(10))
                .getBytes(StandardCharsets.US_ASCII));
        // 90 bytes never come; the read below ends with the server's answer (or fails after 10 s)
        Harness.Received r = Harness.readToEnd(s);
        assert408AndClosed(r);
        assertThat(handled).hasValue(0);
    }

    @Test
    void chunkedBodyThatStallsBetweenChunksGets408() throws Exception {
        start(mode.builder().bodyTimeout(Duration.ofMillis(300)).headerTimeout(HOUR).idleTimeout(HOUR));
        Socket s = connect();
        s.getOutputStream().write("POST /stall HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        assert408AndClosed(Harness.readToEnd(s));
        assertThat(handled).hasValue(0);
    }

    @Test
    void bodyThatKeepsMakingProgressIsNotCut() throws Exception {
        start(mode.builder().bodyTimeout(Duration.ofMillis(500)).headerTimeout(HOUR).idleTimeout(HOUR));
        // 15 body bytes with a pause of at least 50 ms after each: the body takes at least 750 ms, longer than the
        // 500 ms body timeout, but no gap comes near it. A timeout counted from the head would cut it.
        String body = "0123456789abcde";
        Socket s = connect();
        OutputStream out = s.getOutputStream();
        out.write(("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < body.length(); i++) {
            assertThat(pause(s, PAUSE_MILLIS)).as("the server said something (or closed) after %d body bytes", i).isEqualTo(NOTHING);
            out.write(body.charAt(i));
        }
        InputStream in = s.getInputStream();
        String expected = "\r\n\r\n" + body;
        StringBuilder got = new StringBuilder();
        while (!got.toString().endsWith(expected)) {
            int c = in.read();
            assertThat(c).as("the response so far: %s", got).isNotNegative();
            got.append((char) c);
        }
        assertThat(got.toString()).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nContent-Length: " + body.length() + "\r\n");
        assertThat(handled).hasValue(1);
    }

    // ---------------------------------------------------------------- idle timeout

    @Test
    void connectionThatNeverSendsAByteIsClosedAtTheIdleTimeout() throws Exception {
        // Over TLS such a connection never finishes its handshake: HttpsTest checks its own deadline.
        org.junit.jupiter.api.Assumptions.assumeFalse(mode.tls, "TLS: the handshake deadline, see HttpsTest");
        start(mode.builder().idleTimeout(Duration.ofMillis(200)).headerTimeout(HOUR).bodyTimeout(HOUR));
        Socket s = connect();
        Harness.Received r = Harness.readToEnd(s);
        assertThat(r.bytes()).as("nothing is said to a silent connection").isEmpty();
        assertThat(r.end()).as("closed by the server before the client's 10 s read timeout").isEqualTo(Harness.End.EOF);
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterItsLastResponse() throws Exception {
        start(mode.builder().idleTimeout(Duration.ofMillis(200)).headerTimeout(HOUR).bodyTimeout(HOUR));
        try (RawClient c = new RawClient(server)) {
            assertThat(c.send("POST /k HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nk").read().text()).isEqualTo("k");
            Harness.Received r = Harness.readToEnd(c.socket());
            assertThat(r.bytes()).as("no bytes after the last response").isEmpty();
            assertThat(r.end()).isEqualTo(Harness.End.EOF);
        }
    }
}
