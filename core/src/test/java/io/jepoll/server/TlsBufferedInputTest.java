package io.jepoll.server;

import io.jepoll.http.HttpLimits;
import io.jepoll.http.Response;
import io.jepoll.loop.LoopConfig;
import io.jepoll.tls.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input that TLS takes from the kernel and keeps is delivered without a new readiness report: records that did not
 * fit the read buffer, a record whose plaintext is larger than it, a close_notify behind the last request. Edge
 * triggering announces bytes once, and level triggering has nothing to announce once they left the kernel, so a
 * layer that forgot them would stall here until the client's read timeout (10 s) failed the test. The read buffer
 * is the loop's (1 KiB: smaller than one record; 64 KiB: the default, four records), and the client's records are
 * cut at 16383 bytes as OpenSSL's are, so that a read stops one byte short of a record boundary.
 */
@ParameterizedClass
@EnumSource(value = Mode.class, names = {"EPOLL_EDGE_TLS", "EPOLL_LEVEL_TLS", "NIO_TLS"})
class TlsBufferedInputTest {
    @Parameter
    Mode mode;

    private HttpServer server;

    @AfterEach
    void stop() { if (server != null) server.close(); }

    private void start(int readBuffer) throws Exception {
        LoopConfig loop = LoopConfig.builder().backend(mode.transport.backend()).trigger(mode.trigger)
                .readBufferSize(readBuffer).tls(TestCertificates.serverContext()).build();
        server = HttpServer.builder().host("127.0.0.1").port(0).loops(1).loopConfig(loop)
                .limits(HttpLimits.defaults().withMaxBodySize(4 << 20))
                .handler(req -> req.path().equals("/echo")
                        ? Response.bytes(200, "application/octet-stream", req.body())
                        : Response.ok(req.path())).start();
    }

    @ParameterizedTest(name = "read buffer {0}")
    @ValueSource(ints = {1024, 64 * 1024})
    void manyPipelinedRequestsInOneRecordAreAllAnswered(int readBuffer) throws Exception {
        start(readBuffer);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 200; i++) all.append("GET /r").append(i).append(" HTTP/1.1\r\nHost: h\r\n\r\n");
        try (RawClient c = new RawClient(server)) {
            c.send(all.toString()); // about 5 KiB: one record, several reads of 1 KiB
            for (int i = 0; i < 200; i++) assertThat(c.read().text()).isEqualTo("/r" + i);
        }
    }

    @ParameterizedTest(name = "read buffer {0}")
    @ValueSource(ints = {1024, 64 * 1024})
    void aLargeBodyInRecordsOf16383BytesIsReadToTheEnd(int readBuffer) throws Exception {
        start(readBuffer);
        byte[] body = new byte[3 << 20];
        new Random(5).nextBytes(body);
        for (int round = 0; round < 3; round++) {
            try (RawClient c = new RawClient(server)) {
                OutputStream out = c.socket().getOutputStream();
                out.write(("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                // One record per write; written by a thread of its own, since the echo comes back while it writes.
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        for (int off = 0; off < body.length; off += 16383) out.write(body, off, Math.min(16383, body.length - off));
                        out.flush();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                RawClient.Reply r = c.read();
                writer.join(10_000);
                assertThat(r.status()).isEqualTo(200);
                assertThat(Arrays.equals(r.body(), body)).as("the echo, byte for byte").isTrue();
            }
        }
    }

    @ParameterizedTest(name = "read buffer {0}")
    @ValueSource(ints = {1024, 64 * 1024})
    void aCloseNotifyRightBehindTheRequestsEndsTheConnectionAfterTheAnswers(int readBuffer) throws Exception {
        start(readBuffer);
        try (RawClient c = new RawClient(server)) {
            c.send("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n");
            c.shutdownOutput(); // close_notify (and FIN) at once: TLS 1.3 lets the answers still come
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            c.socket().getInputStream().transferTo(got); // to EOF: the server closes after answering
            String text = got.toString(StandardCharsets.US_ASCII);
            assertThat(text).contains("\r\n\r\n/a").endsWith("\r\n\r\n/b");
        }
    }
}
