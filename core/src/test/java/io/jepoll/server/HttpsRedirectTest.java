package io.jepoll.server;

import io.jepoll.http.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.BindException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link HttpServer.Builder#redirectHttp(int)} over real sockets, in every TLS mode: curl follows the 308 to the
 * TLS listener, the Location keeps the target and takes the Host's name (not its port), a request without a valid
 * Host gets 400, and nothing of the request can add a field or end one.
 */
@ParameterizedClass
@EnumSource(value = Mode.class, names = {"EPOLL_LEVEL_TLS", "EPOLL_EDGE_TLS", "NIO_TLS", "THREADS_TLS", "VIRTUAL_TLS"})
@Timeout(60)
class HttpsRedirectTest {
    @Parameter
    Mode mode;

    private HttpServer server;

    @AfterEach
    void stop() { if (server != null) server.close(); }

    private void start() throws Exception {
        server = mode.builder().redirectHttp(0).handler(req -> Response.ok("secure " + req.target())).start();
    }

    private RawClient plain() throws Exception { return new RawClient(server.redirectPort()); }

    @Test
    void curlFollowsTheRedirectToTheTlsListener() throws Exception {
        start();
        String url = "http://127.0.0.1:" + server.redirectPort() + "/a/b?x=1&y=%20";
        String out = new String(mode.curl("-s", "-L", "-w", "\n%{url_effective}", url), StandardCharsets.US_ASCII);
        assertThat(out).isEqualTo("secure /a/b?x=1&y=%20\nhttps://127.0.0.1:" + server.port() + "/a/b?x=1&y=%20");
        String first = new String(mode.curl("-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "-H", "Host: example.com:8080", url),
                StandardCharsets.US_ASCII);
        assertThat(first).isEqualTo("308 https://example.com:" + server.port() + "/a/b?x=1&y=%20");
    }

    @Test
    void theLocationTakesTheHostsNameAndTheTargetsPathAndQuery() throws Exception {
        start();
        try (RawClient c = plain()) {
            RawClient.Reply r = c.send("POST /form HTTP/1.1\r\nHost: [::1]:80\r\nContent-Length: 3\r\n\r\nabc").read();
            assertThat(r.status()).isEqualTo(308);
            assertThat(r.header("Location")).isEqualTo("https://[::1]:" + server.port() + "/form");
            assertThat(r.header("Content-Length")).isEqualTo("0");
            r = c.send("GET http://other.example/p?q=1 HTTP/1.1\r\nHost: www.example.org\r\n\r\n").read();
            assertThat(r.header("Location")).as("absolute-form: its path and query, the Host's name")
                    .isEqualTo("https://www.example.org:" + server.port() + "/p?q=1");
            r = c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(r.header("Location")).isEqualTo("https://h:" + server.port() + "/");
        }
    }

    @Test
    void withoutAValidHostTheAnswerIs400() throws Exception {
        start();
        for (String req : new String[]{
                "GET /x HTTP/1.0\r\n\r\n",                      // no Host at all
                "GET /x HTTP/1.1\r\nHost: \r\n\r\n",            // empty
                "GET /x HTTP/1.1\r\nHost: :8080\r\n\r\n",       // a port and no name
                "GET /x HTTP/1.1\r\nHost: a b\r\n\r\n",         // not a host
                "GET /x HTTP/1.1\r\nHost: a\"b\r\n\r\n",
                "GET /x HTTP/1.1\r\nHost: a:80x\r\n\r\n",
                "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"}) {     // no path to send anyone to
            try (RawClient c = plain()) {
                RawClient.Reply r = c.send(req).read();
                assertThat(r.status()).as(req).isEqualTo(400);
                assertThat(r.header("Location")).as(req).isNull();
            }
        }
    }

    @Test
    void nothingFromTheRequestReachesTheFieldsButTheEncodedTarget() throws Exception {
        start();
        try (RawClient c = plain()) {
            RawClient.Reply r = c.send("GET /a%0d%0aSet-Cookie:%20x=1 HTTP/1.1\r\nHost: h\r\n\r\n").read();
            assertThat(r.header("Location")).isEqualTo("https://h:" + server.port() + "/a%0d%0aSet-Cookie:%20x=1");
            assertThat(r.header("Set-Cookie")).isNull();
        }
        try (RawClient c = plain()) { // a byte above ASCII: percent-encoded, or refused by the parser; never raw
            RawClient.Reply r = c.send("GET /caf\u00e9 HTTP/1.1\r\nHost: h\r\n\r\n").read();
            if (r.status() == 308) assertThat(r.header("Location")).isEqualTo("https://h:" + server.port() + "/caf%E9");
            else assertThat(r.status()).isEqualTo(400);
        }
    }

    @Test
    void itNeedsTlsAndAPortInUseStopsTheStartWithTheTlsListenerClosed() throws Exception {
        assertThatThrownBy(() -> Mode.values()[0].builder().redirectHttp(0).handler(req -> Response.ok("x")).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs tls");
        int tlsPort;
        try (ServerSocket free = new ServerSocket(0, 50, LOOPBACK)) {
            tlsPort = free.getLocalPort();
        }
        try (ServerSocket taken = new ServerSocket(0, 50, LOOPBACK)) {
            HttpServer.Builder b = mode.builder().port(tlsPort).redirectHttp(taken.getLocalPort()).handler(req -> Response.ok("x"));
            assertThatThrownBy(b::start).isInstanceOf(BindException.class);
        }
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new java.net.InetSocketAddress(LOOPBACK, tlsPort)); // fails if the TLS listener were left open
        }
    }

    private static final java.net.InetAddress LOOPBACK = java.net.InetAddress.getLoopbackAddress();
}
