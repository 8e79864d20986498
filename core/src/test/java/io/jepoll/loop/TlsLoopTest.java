package io.jepoll.loop;

import io.jepoll.tls.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.SSLSocket;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS on the loop alone, under a protocol that knows nothing of HTTP: one that speaks first (its greeting is written
 * before the handshake has even begun, and must leave once it is done), then echoes every byte of a large stream
 * read slowly, so that records back up in both directions.
 */
class TlsLoopTest {
    /** Greets with "hello <secure>\n" at once, then echoes; at the handshake's end, notes the protocol version. */
    static final Protocol GREET_THEN_ECHO = c -> {
        c.write(("hello " + c.isSecure() + "\n").getBytes(StandardCharsets.US_ASCII)); // before any handshake byte arrived
        return new ConnectionHandler() {
            @Override public void onRead(Connection c2, byte[] buf, int off, int len) { c2.write(buf, off, len); }
            @Override public void onReadEnd(Connection c2) { c2.closeAfterWrite(); }
            @Override public void onTimeout(Connection c2) { c2.close(); }
            @Override public void onSecured(Connection c2) {
                c2.write((c2.tlsSession().getProtocol() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
        };
    };

    private EventLoopGroup group;

    @AfterEach
    void stop() { if (group != null) group.shutdown(1000); }

    @ParameterizedTest
    @EnumSource(EchoLoopTest.Mode.class)
    void aProtocolThatSpeaksFirstIsHeardAfterTheHandshakeAndEchoesALargeStream(EchoLoopTest.Mode mode) throws Exception {
        group = EventLoopGroup.start(new InetSocketAddress("127.0.0.1", 0), 1, mode.config().toBuilder().tls(TestCertificates.serverContext()).build(),
                GREET_THEN_ECHO);
        byte[] data = new byte[8 << 20];
        new Random(42).nextBytes(data);
        try (SSLSocket s = (SSLSocket) TestCertificates.trustingLocalhost().getSocketFactory().createSocket()) {
            s.setReceiveBufferSize(4096);
            s.connect(group.localAddress());
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            assertThat(line(in)).isEqualTo("hello true");
            assertThat(line(in)).isEqualTo(s.getSession().getProtocol());
            EchoLoopTest.assertEchoed(s, data); // and the close_notify after it still lets the echo finish (TLS 1.3)
        }
    }

    private static String line(InputStream in) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new java.io.EOFException("EOF after: " + b);
            b.append((char) c);
        }
        return b.toString();
    }
}
