package io.jepoll.server;

import io.jepoll.http.Request;
import static io.jepoll.http.ProxyHeaders.concat;
import static io.jepoll.http.ProxyHeaders.port;
import static io.jepoll.http.ProxyHeaders.tlv;
import static io.jepoll.http.ProxyHeaders.v2;
import io.jepoll.http.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HttpServer.Builder#proxyProtocol} over real sockets, in every mode: the address a v1 or v2 header
 * carries is what the handler sees, LOCAL and UNKNOWN keep the connection's own, the header may arrive split or
 * with pipelined requests behind it, and a connection without a valid header, with an oversize one, or too slow
 * to send it is closed without an answer.
 */
@ParameterizedClass
@EnumSource(Mode.class)
class ProxyProtocolTest {
    @Parameter
    Mode mode;

    private static final String GET = "GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    private static final Duration HOUR = Duration.ofHours(1);

    private HttpServer server;
    private Harness.LogCapture log;

    @BeforeEach
    void captureLogs() { log = new Harness.LogCapture(); }

    @AfterEach
    void stop() { Harness.stopAndCheckLogs(server, log); }

    /** Answers with the address the request reports, as "host port". */
    private static Response echoAddress(Request req) {
        InetSocketAddress a = req.remoteAddress();
        return Response.ok(a == null ? "none" : a.getAddress().getHostAddress() + " " + a.getPort());
    }

    private void start(HttpServer.Builder b) throws Exception {
        server = b.proxyProtocol(true).idleTimeout(HOUR).handler(ProxyProtocolTest::echoAddress).start();
    }

    private void start() throws Exception { start(mode.builder()); }

    private static String own(RawClient c) {
        return c.socket().getLocalAddress().getHostAddress() + " " + c.socket().getLocalPort();
    }

    @Test
    void v1Tcp4() throws Exception {
        start();
        try (RawClient c = new RawClient(server)) {
            c.send("PROXY TCP4 203.0.113.7 198.51.100.1 4711 80\r\n" + GET);
            assertThat(c.read().text()).isEqualTo("203.0.113.7 4711");
            assertThat(c.send(GET).read().text()).as("the next request of the connection").isEqualTo("203.0.113.7 4711");
        }
    }

    @Test
    void v1Tcp6() throws Exception {
        start();
        try (RawClient c = new RawClient(server)) {
            c.send("PROXY TCP6 2001:db8::42 2001:db8::1 65535 443\r\n" + GET);
            assertThat(c.read().text()).isEqualTo("2001:db8:0:0:0:0:0:42 65535");
        }
    }

    @Test
    void v1UnknownKeepsTheConnectionsOwnAddress() throws Exception {
        start();
        try (RawClient c = new RawClient(server)) {
            c.send("PROXY UNKNOWN\r\n" + GET);
            assertThat(c.read().text()).isEqualTo(own(c));
        }
    }

    @Test
    void v2Ipv4WithTlvs() throws Exception {
        start();
        try (RawClient c = new RawClient(server)) {
            c.send(concat(v2(0x21, 0x11, concat(new byte[]{(byte) 203, 0, 113, 9}, new byte[]{10, 0, 0, 1}, port(1234), port(80),
                    tlv(0x02, "example.com".getBytes(StandardCharsets.US_ASCII)), tlv(0x04, new byte[7]))), ascii(GET)));
            assertThat(c.read().text()).isEqualTo("203.0.113.9 1234");
        }
    }

    @Test
    void v2Ipv6WithTlvs() throws Exception {
        start();
        byte[] src = new byte[16];
        src[0] = 0x20;
        src[1] = 0x01;
        src[2] = 0x0d;
        src[3] = (byte) 0xb8;
        src[15] = 0x07;
        try (RawClient c = new RawClient(server)) {
            c.send(concat(v2(0x21, 0x21, concat(src, new byte[16], port(50000), port(443), tlv(0xEA, new byte[30]))), ascii(GET)));
            assertThat(c.read().text()).isEqualTo("2001:db8:0:0:0:0:0:7 50000");
        }
    }

    @Test
    void v2LocalKeepsTheConnectionsOwnAddress() throws Exception {
        start();
        try (RawClient c = new RawClient(server)) {
            c.send(concat(v2(0x20, 0x00, new byte[0]), ascii(GET))); // a balancer's health check
            assertThat(c.read().text()).isEqualTo(own(c));
        }
    }

    @Test
    void aHeaderSplitAcrossWrites() throws Exception {
        start();
        try (RawClient c = new RawClient(server)) {
            c.trickle("PROXY TCP4 192.0.2.5 192.0.2.6 1000 80\r\n").trickle(GET);
            assertThat(c.read().text()).isEqualTo("192.0.2.5 1000");
        }
        try (RawClient c = new RawClient(server)) {
            byte[] h = v2(0x21, 0x11, concat(new byte[]{(byte) 192, 0, 2, 8}, new byte[4], port(2000), port(80)));
            for (byte b : h) c.send(new byte[]{b});
            assertThat(c.send(GET).read().text()).isEqualTo("192.0.2.8 2000");
        }
    }

    @Test
    void aHeaderAndPipelinedRequestsInOneWrite() throws Exception {
        start();
        try (RawClient c = new RawClient(server)) {
            c.send("PROXY TCP4 192.0.2.10 192.0.2.1 3000 80\r\n" + GET + GET + GET);
            for (int i = 0; i < 3; i++) assertThat(c.read().text()).as("response %d", i).isEqualTo("192.0.2.10 3000");
        }
    }

    @Test
    void aHandlerOnAVirtualThreadSeesTheCarriedAddress() throws Exception {
        start(mode.builder().virtualThreads(true));
        try (RawClient c = new RawClient(server)) {
            c.send("PROXY TCP4 192.0.2.20 192.0.2.1 3001 80\r\n" + GET + GET);
            assertThat(c.read().text()).isEqualTo("192.0.2.20 3001");
            assertThat(c.read().text()).isEqualTo("192.0.2.20 3001");
        }
    }

    @Test
    void aConnectionWithoutAHeaderIsClosedUnanswered() throws Exception {
        start();
        try (RawClient c = new RawClient(server)) {
            c.send(GET);
            assertClosedUnanswered(c);
        }
    }

    @Test
    void anOversizeHeaderIsClosedUnanswered() throws Exception {
        start();
        try (RawClient c = new RawClient(server)) {
            c.send("PROXY UNKNOWN " + "x".repeat(200) + "\r\n" + GET); // past the 107 bytes of a v1 line
            assertClosedUnanswered(c);
        }
        try (RawClient c = new RawClient(server)) {
            byte[] h = v2(0x21, 0x11, new byte[0]);
            h[14] = (byte) 0xFF; // 65535 bytes declared
            h[15] = (byte) 0xFF;
            c.send(h);
            assertClosedUnanswered(c);
        }
    }

    @Test
    void aSlowHeaderIsClosedAtTheHeaderDeadline() throws Exception {
        start(mode.builder().headerTimeout(Duration.ofMillis(300)));
        try (RawClient c = new RawClient(server)) {
            c.send("PROXY TCP4 192.0.2."); // and nothing more
            assertClosedUnanswered(c);
        }
        try (RawClient c = new RawClient(server)) { // nothing at all: the header deadline, not the idle timeout (an hour)
            assertClosedUnanswered(c);
        }
    }

    @Test
    void aRefusedHeaderIsTraced() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(mode.transport.isEventDriven(), "the blocking engines are not traced");
        TraceTest.Recording trace = new TraceTest.Recording();
        start(mode.builder().tracer(trace));
        try (RawClient c = new RawClient(server)) {
            c.send(GET);
            assertClosedUnanswered(c);
        }
        assertThat(Harness.awaitConnectionCount(server, 0, 10_000)).isZero();
        assertThat(trace.lines).anyMatch(l -> l.contains("PROXY header refused: not a PROXY protocol header; closing"));
    }

    /** The server closes the connection (EOF or reset) without sending a byte; bounded by the read timeout. */
    private static void assertClosedUnanswered(RawClient c) {
        Harness.Received r = Harness.readToEnd(c.socket());
        assertThat(r.end()).as("closed, not still open").isNotEqualTo(Harness.End.TIMEOUT);
        assertThat(r.text()).as("no answer").isEmpty();
    }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }
}
