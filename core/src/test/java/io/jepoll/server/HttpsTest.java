package io.jepoll.server;

import io.jepoll.http.Response;
import io.jepoll.tls.TestCertificates;
import io.jepoll.tls.TlsContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * HTTPS as clients see it, in every TLS mode: the protocol versions offered and refused, ALPN, renegotiation,
 * session resumption, SNI, client certificates, a reload under open connections, close_notify, plaintext on the
 * TLS port and the handshake deadline. openssl makes the checks the JDK client cannot (it will not offer TLS 1.1,
 * nor renegotiate on request); those tests are skipped where openssl is not installed.
 */
@ParameterizedClass
@EnumSource(value = Mode.class, names = {"EPOLL_LEVEL_TLS", "EPOLL_EDGE_TLS", "NIO_TLS", "THREADS_TLS", "VIRTUAL_TLS"})
class HttpsTest {
    @Parameter
    Mode mode;

    @TempDir
    Path dir;

    private HttpServer server;

    private static final Handler HELLO = req -> Response.ok("hello " + req.path());

    @AfterEach
    void stop() { if (server != null) server.close(); }

    private HttpServer start(TlsContext tls) throws Exception {
        return server = mode.builder().tls(tls).handler(HELLO).start();
    }

    /** A client socket of {@code client}, handshake done; {@code sni}: the server name it asks for, or none. */
    private SSLSocket connect(SSLContext client, String sni) throws IOException {
        SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()));
        s.setSoTimeout(10_000);
        if (sni != null) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(sni)));
            s.setSSLParameters(p);
        }
        s.startHandshake();
        return s;
    }

    /** One request on an open TLS socket; returns the body (the responses are short, with Content-Length). */
    private static String get(Socket s, String path) throws IOException {
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new IOException("EOF in the head: " + head);
            head.append((char) c);
        }
        String h = head.toString();
        int at = h.indexOf("Content-Length: ") + 16;
        int length = Integer.parseInt(h.substring(at, h.indexOf('\r', at)));
        return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    private static X509Certificate peer(SSLSocket s) throws IOException {
        return (X509Certificate) s.getSession().getPeerCertificates()[0];
    }

    // ---------------------------------------------------------------- versions and extensions

    @Test
    void tls10And11AreRefusedAnd12And13Served() throws Exception {
        OpenSsl.assumePresent();
        start(TestCertificates.serverContext());
        for (String old : new String[]{"-tls1", "-tls1_1"}) {
            // SECLEVEL=0 lets openssl itself offer the old versions; the server must still say no.
            OpenSsl.Result r = OpenSsl.request(server.port(), old, "-cipher", "DEFAULT:@SECLEVEL=0");
            assertThat(r.output()).as(old).doesNotContain("HTTP/1.1 200").contains("alert protocol version");
            assertThat(r.exit()).as(old).isNotZero();
        }
        for (String version : new String[]{"1.2", "1.3"}) {
            OpenSsl.Result r = OpenSsl.request(server.port(), "-tls" + version.replace('.', '_'));
            assertThat(r.output()).as(version).contains("New, TLSv" + version + ",").contains("HTTP/1.1 200 OK").contains("hello /via-openssl");
        }
    }

    @Test
    void alpnChoosesHttp11AndAClientWithoutAlpnIsServedToo() throws Exception {
        start(TestCertificates.serverContext());
        SSLSocket s = (SSLSocket) TestCertificates.trustingLocalhost().getSocketFactory().createSocket("127.0.0.1", server.port());
        try (s) {
            SSLParameters p = s.getSSLParameters();
            p.setApplicationProtocols(new String[]{"h2", "http/1.1"});
            s.setSSLParameters(p);
            s.setSoTimeout(10_000);
            s.startHandshake();
            assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
            assertThat(get(s, "/alpn")).isEqualTo("hello /alpn");
        }
        try (SSLSocket none = connect(TestCertificates.trustingLocalhost(), null)) {
            assertThat(none.getApplicationProtocol()).isEmpty();
            assertThat(get(none, "/no-alpn")).isEqualTo("hello /no-alpn");
        }
        if (openSsl()) {
            assertThat(OpenSsl.request(server.port(), "-alpn", "h2,http/1.1").output()).contains("ALPN protocol: http/1.1");
        }
    }

    private static boolean openSsl() {
        try {
            OpenSsl.assumePresent();
            return true;
        } catch (org.opentest4j.TestAbortedException absent) {
            return false;
        }
    }

    @Test
    void aRenegotiationClosesTheConnection() throws Exception {
        OpenSsl.assumePresent();
        start(TestCertificates.serverContext());
        // "R" asks s_client to renegotiate (TLS 1.2); its input stays open, so it ends only if the server closes.
        OpenSsl.Result r = OpenSsl.run(server.port(), "R\n", false, List.of("-tls1_2"));
        assertThat(r.output()).contains("RENEGOTIATING");
        assertThat(r.exit()).as("s_client ends with an error: the server closed").isNotZero();
    }

    @Test
    void aKeyUpdateIsAnsweredAndTheConnectionGoesOn() throws Exception {
        OpenSsl.assumePresent();
        start(TestCertificates.serverContext());
        // "K": a TLS 1.3 KeyUpdate that asks for one back; then a request, answered (with the new keys) and closed.
        OpenSsl.Result r = OpenSsl.converse(server.port(), List.of("-tls1_3"), "K\n", "KEYUPDATE",
                "GET /after-key-update HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        assertThat(r.output()).contains("KEYUPDATE").contains("HTTP/1.1 200 OK").contains("hello /after-key-update");
    }

    @Test
    void sessionsAreResumedWithTls12AndTls13() throws Exception {
        OpenSsl.assumePresent();
        start(TestCertificates.serverContext());
        for (String version : new String[]{"1.2", "1.3"}) {
            String flag = "-tls" + version.replace('.', '_');
            Path session = dir.resolve("session-" + version);
            assertThat(OpenSsl.request(server.port(), flag, "-sess_out", session.toString()).output()).contains("New, TLSv" + version);
            OpenSsl.Result again = OpenSsl.request(server.port(), flag, "-sess_in", session.toString());
            assertThat(again.output()).as("TLS " + version).contains("Reused, TLSv" + version).contains("hello /via-openssl");
        }
    }

    // ---------------------------------------------------------------- certificates

    @Test
    void sniChoosesTheCertificateByNameAndANameNoneHasGetsTheFirst() throws Exception {
        TestCertificates.Identity a = TestCertificates.create("EC", "a.test", "dns:a.test");
        TestCertificates.Identity b = TestCertificates.create("EC", "b.test", "dns:b.test,dns:*.b.test");
        start(TlsContext.builder().certificate(a.certificatePem(), a.keyPem()).certificate(b.certificatePem(), b.keyPem()).build());
        for (String[] ask : new String[][]{{"b.test", "b"}, {"a.test", "a"}, {"www.b.test", "b"}, {"c.test", "a"}, {null, "a"}}) {
            // A client context each: one shared would resume the previous session, certificate and all.
            SSLContext client = TestCertificates.clientContext(null, a.certificate(), b.certificate());
            try (SSLSocket s = connect(client, ask[0])) {
                assertThat(peer(s)).as("asked for %s", ask[0]).isEqualTo(ask[1].equals("a") ? a.certificate() : b.certificate());
                assertThat(get(s, "/sni")).isEqualTo("hello /sni");
            }
        }
    }

    @Test
    void clientCertificatesAreRequiredWhenClientAuthoritiesAreGiven() throws Exception {
        TestCertificates.Identity serverId = TestCertificates.localhost(), clientId = TestCertificates.client();
        start(TlsContext.builder().certificate(serverId.certificatePem(), serverId.keyPem()).clientAuthorities(clientId.certificatePem()).build());
        try (SSLSocket s = connect(TestCertificates.clientContext(clientId, serverId.certificate()), null)) {
            assertThat(get(s, "/with-certificate")).isEqualTo("hello /with-certificate");
        }
        Throwable refused = catchThrowable(() -> {
            try (SSLSocket s = connect(TestCertificates.trustingLocalhost(), null)) {
                get(s, "/without"); // TLS 1.3: the client learns of the refusal when it reads
            }
        });
        assertThat(refused).as("a client without a certificate is refused").isInstanceOf(IOException.class);
    }

    @Test
    void aReloadChangesTheCertificateOfNewConnectionsWhileOpenOnesCarryOn() throws Exception {
        TestCertificates.Identity first = TestCertificates.localhost();
        TestCertificates.Identity second = TestCertificates.create("RSA", "localhost", "dns:localhost,ip:127.0.0.1");
        TlsContext tls = TestCertificates.installed(first, dir);
        start(tls);
        Path cert = dir.resolve("cert.pem");
        SSLContext client = TestCertificates.clientContext(null, first.certificate(), second.certificate());
        try (SSLSocket open = connect(client, null)) {
            assertThat(peer(open)).isEqualTo(first.certificate());
            assertThat(get(open, "/before")).isEqualTo("hello /before");

            TestCertificates.install(second, dir);
            tls.reload();
            try (SSLSocket fresh = connect(client, null)) {
                assertThat(peer(fresh).getSerialNumber()).isEqualTo(second.serial());
                assertThat(get(fresh, "/fresh")).isEqualTo("hello /fresh");
            }
            if (openSsl()) assertThat(OpenSsl.request(server.port()).certificate().getSerialNumber()).isEqualTo(second.serial());

            Files.writeString(cert, "-----BEGIN CERTIFICATE-----\ntruncated"); // a broken file: the reload fails, nothing changes
            assertThat(catchThrowable(tls::reload)).isInstanceOf(IOException.class);
            try (SSLSocket fresh = connect(client, null)) {
                assertThat(peer(fresh).getSerialNumber()).isEqualTo(second.serial());
            }
            assertThat(get(open, "/after")).as("the connection made before the reload").isEqualTo("hello /after");
            assertThat(peer(open)).isEqualTo(first.certificate());
        }
    }

    // ---------------------------------------------------------------- closing, and what is not TLS

    @Test
    void closeNotifyIsSentBeforeTheServerClosesAndHonouredAfterARequest() throws Exception {
        start(TestCertificates.serverContext());
        try (SSLSocket s = connect(TestCertificates.trustingLocalhost(), null)) {
            s.getOutputStream().write("GET /bye HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] all = s.getInputStream().readAllBytes(); // a TCP close without close_notify would throw here
            assertThat(new String(all, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 OK").endsWith("hello /bye");
        }
        try (SSLSocket s = connect(TestCertificates.trustingLocalhost(), null)) {
            s.getOutputStream().write("GET /half HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput(); // close_notify: TLS 1.3 lets the other direction go on
            byte[] all = s.getInputStream().readAllBytes();
            assertThat(new String(all, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 OK").endsWith("hello /half");
        }
    }

    @Test
    void aPlaintextRequestOnTheTlsPortIsClosedWithoutAnHttpAnswer() throws Exception {
        start(TestCertificates.serverContext());
        try (Socket plain = new Socket("127.0.0.1", server.port())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Harness.Received r = Harness.readToEnd(plain);
            assertThat(r.end()).isNotEqualTo(Harness.End.TIMEOUT);
            assertThat(r.text()).doesNotContain("HTTP/");
        }
        try (SSLSocket s = connect(TestCertificates.trustingLocalhost(), null)) {
            assertThat(get(s, "/still")).isEqualTo("hello /still");
        }
    }

    @Test
    void aHandshakeThatNeverFinishesIsCutAtItsDeadlineNotTheIdleOne() throws Exception {
        TestCertificates.Identity id = TestCertificates.localhost();
        TlsContext tls = TlsContext.builder().certificate(id.certificatePem(), id.keyPem()).handshakeTimeout(Duration.ofMillis(300)).build();
        Duration hour = Duration.ofHours(1); // the closes below can only be the handshake deadline
        server = mode.builder().tls(tls).idleTimeout(hour).headerTimeout(hour).handler(HELLO).start();
        try (Socket silent = new Socket("127.0.0.1", server.port()); Socket partial = new Socket("127.0.0.1", server.port())) {
            partial.getOutputStream().write(new byte[]{0x16, 0x03, 0x01, 0x02, 0x00, 0x01}); // a record header and one byte of hello
            for (Socket s : List.of(silent, partial)) {
                s.setSoTimeout(10_000);
                assertThat(Harness.readToEnd(s).end()).as("closed by the server").isNotEqualTo(Harness.End.TIMEOUT);
            }
        }
        try (SSLSocket s = connect(TestCertificates.trustingLocalhost(), null)) {
            assertThat(get(s, "/in-time")).isEqualTo("hello /in-time");
        }
    }
}
