package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.http.Response;
import io.jepoll.tls.TestCertificates;
import io.jepoll.tls.TlsContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLSocket;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.jepoll.http.ProxyHeaders.concat;
import static io.jepoll.http.ProxyHeaders.port;
import static io.jepoll.http.ProxyHeaders.v2;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HttpServer.Builder#proxyProtocol} with TLS, in every TLS mode, as HAProxy's {@code send-proxy-v2} to a TLS
 * backend sends it: the PROXY header in clear, then the TLS bytes (in the same segment as the ClientHello, or
 * not). A connection whose first bytes are TLS, or plaintext HTTP after a header, is closed unanswered; a header
 * followed by silence is cut at the handshake deadline.
 */
@ParameterizedClass
@EnumSource(value = Mode.class, names = {"EPOLL_LEVEL_TLS", "EPOLL_EDGE_TLS", "NIO_TLS", "THREADS_TLS", "VIRTUAL_TLS"})
@Timeout(60)
class ProxyProtocolTlsTest {
    @Parameter
    Mode mode;

    private static final Duration HOUR = Duration.ofHours(1);
    private static final String GET = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";

    private HttpServer server;

    @AfterEach
    void stop() { if (server != null) server.close(); }

    private static Response echoAddress(Request req) {
        InetSocketAddress a = req.remoteAddress();
        return Response.ok(a.getAddress().getHostAddress() + " " + a.getPort() + (req.isPath("/") ? "" : " " + req.path()));
    }

    private void start(HttpServer.Builder b) throws Exception {
        server = b.proxyProtocol(true).idleTimeout(HOUR).handler(ProxyProtocolTlsTest::echoAddress).start();
    }

    /**
     * A TLS client over a TCP socket that has sent {@code header} in clear: in a write of its own, or ({@code
     * withHello}) in the same write as the ClientHello, so the server's first read holds both.
     */
    private SSLSocket connect(byte[] header, boolean withHello) throws IOException {
        Socket tcp = withHello ? new PrefixedSocket(header) : new Socket();
        tcp.connect(new InetSocketAddress("127.0.0.1", server.port()));
        tcp.setSoTimeout(10_000);
        tcp.setTcpNoDelay(true);
        if (!withHello) tcp.getOutputStream().write(header);
        SSLSocket s = (SSLSocket) TestCertificates.trustingLocalhost().getSocketFactory().createSocket(tcp, "localhost", server.port(), true);
        s.setSoTimeout(10_000);
        return s;
    }

    private static String get(Socket s, String path) throws IOException {
        RawClient.Reply r = RawClient.over(s).send(GET.replace("GET / ", "GET " + path + " ")).read();
        assertThat(r.status()).isEqualTo(200);
        return r.text();
    }

    @Test
    void aV1HeaderThenTls() throws Exception {
        start(mode.builder());
        try (SSLSocket s = connect(ascii("PROXY TCP4 203.0.113.7 198.51.100.1 4711 443\r\n"), false)) {
            assertThat(get(s, "/")).isEqualTo("203.0.113.7 4711");
            assertThat(get(s, "/again")).as("the next request of the connection").isEqualTo("203.0.113.7 4711 /again");
            assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void aV2HeaderInTheSameSegmentAsTheClientHello() throws Exception {
        TraceTest.Recording trace = new TraceTest.Recording();
        start(mode.eventDriven() ? mode.builder().tracer(trace) : mode.builder());
        byte[] v2 = v2(0x21, 0x11, concat(new byte[]{(byte) 203, 0, 113, 9}, new byte[]{10, 0, 0, 1}, port(1234), port(443)));
        try (SSLSocket s = connect(v2, true)) {
            assertThat(get(s, "/")).isEqualTo("203.0.113.9 1234");
        }
        if (mode.eventDriven()) { // the point of the test: the handshake's first bytes came in the header's read
            assertThat(trace.lines).anyMatch(l -> l.matches(".*TLS starts after the preamble \\([1-9][0-9]* bytes of it read\\).*"));
        }
    }

    @Test
    void aHeaderSentAByteAtATimeThenTls() throws Exception {
        start(mode.builder());
        Socket tcp = new Socket("127.0.0.1", server.port());
        tcp.setTcpNoDelay(true);
        for (byte b : ascii("PROXY TCP6 2001:db8::42 2001:db8::1 65535 443\r\n")) tcp.getOutputStream().write(b);
        try (SSLSocket s = (SSLSocket) TestCertificates.trustingLocalhost().getSocketFactory().createSocket(tcp, "localhost", server.port(), true)) {
            s.setSoTimeout(10_000);
            assertThat(get(s, "/")).isEqualTo("2001:db8:0:0:0:0:0:42 65535");
        }
    }

    @Test
    void tlsWithoutAHeaderIsClosedUnanswered() throws Exception {
        start(mode.builder());
        try (Socket tcp = new Socket("127.0.0.1", server.port())) {
            tcp.setSoTimeout(10_000);
            tcp.getOutputStream().write(new byte[]{0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00}); // a ClientHello's start
            Harness.Received r = Harness.readToEnd(tcp);
            assertThat(r.end()).as("closed, not still open").isNotEqualTo(Harness.End.TIMEOUT);
            assertThat(r.text()).as("no answer").isEmpty();
        }
    }

    @Test
    void plaintextHttpAfterAHeaderIsClosedWithoutAnHttpAnswer() throws Exception {
        start(mode.builder());
        try (Socket tcp = new Socket("127.0.0.1", server.port())) {
            tcp.setSoTimeout(10_000);
            tcp.getOutputStream().write(ascii("PROXY TCP4 192.0.2.5 192.0.2.6 1000 443\r\n" + GET));
            Harness.Received r = Harness.readToEnd(tcp);
            assertThat(r.end()).isNotEqualTo(Harness.End.TIMEOUT);
            assertThat(r.text()).doesNotContain("HTTP/");
        }
    }

    @Test
    void aHeaderThenSilenceIsCutAtTheHandshakeDeadline() throws Exception {
        TestCertificates.Identity id = TestCertificates.localhost();
        TlsContext tls = TlsContext.builder().certificate(id.certificatePem(), id.keyPem()).handshakeTimeout(Duration.ofMillis(300)).build();
        start(mode.builder().tls(tls).headerTimeout(HOUR)); // the close below can only be the handshake deadline
        try (Socket tcp = new Socket("127.0.0.1", server.port())) {
            tcp.setSoTimeout(10_000);
            tcp.getOutputStream().write(ascii("PROXY TCP4 192.0.2.5 192.0.2.6 1000 443\r\n"));
            assertThat(Harness.readToEnd(tcp).end()).as("closed by the server").isNotEqualTo(Harness.End.TIMEOUT);
        }
    }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    /** A TCP socket whose first write goes out together with {@code prefix}, in one system call. */
    private static final class PrefixedSocket extends Socket {
        private final byte[] prefix;
        private OutputStream out;

        PrefixedSocket(byte[] prefix) { this.prefix = prefix; }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new FilterOutputStream(super.getOutputStream()) {
                    private boolean sent;

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        if (sent) {
                            this.out.write(b, off, len);
                            return;
                        }
                        sent = true;
                        this.out.write(concat(prefix, java.util.Arrays.copyOfRange(b, off, off + len)));
                    }
                };
            }
            return out;
        }
    }
}
