package io.jepoll.server;

import io.jepoll.http.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The access log of a real server, in every transport and trigger mode: one line per exchange, each one right. */
@ParameterizedClass
@MethodSource("io.jepoll.server.Mode#plaintext") // over TLS: HttpsTest and the suites TLS runs
class AccessLogServerTest {
    @Parameter
    Mode mode;

    @TempDir
    Path dir;

    HttpServer server;

    static final byte[] STREAMED = new byte[40_000];
    static final CountDownLatch NEVER = new CountDownLatch(1);

    /** /hello: 5 bytes; /stream: 40,000 bytes, chunked; anything else 404 ("Not Found\n", 10 bytes). */
    static final Handler ROUTES = req -> switch (req.path()) {
        case "/hello" -> Response.ok("hello");
        case "/stream" -> Response.stream(200, "application/octet-stream", out -> out.write(STREAMED));
        default -> Response.notFound();
    };

    @AfterEach
    void stop() { if (server != null) server.close(); }

    private Path start(AccessLog.Format format, HttpServer.Builder b) throws Exception {
        Path file = dir.resolve("access.log");
        server = b.accessLog(AccessLog.to(file).format(format)).start();
        return file;
    }

    /** Stops the server (which drains the log) and reads the file. */
    private List<String> stopAndRead(Path file) throws Exception {
        server.close();
        return Files.readAllLines(file, StandardCharsets.US_ASCII);
    }

    private static String summary(Map<String, Object> line) {
        return line.get("method") + " " + line.get("target") + " " + line.get("protocol") + " " + line.get("status") + " " + line.get("bytes");
    }

    @Test
    void everyExchangeIsOneLineWithItsFields() throws Exception {
        Path file = start(AccessLog.Format.JSON, mode.builder().handler(ROUTES));
        List<String> expected = new ArrayList<>();
        try (RawClient c = new RawClient(server)) {
            c.send("GET /hello?x=1 HTTP/1.1\r\nHost: a\r\nReferer: http://ref/\r\nUser-Agent: raw/1\r\n\r\n");
            assertThat(c.read().text()).isEqualTo("hello");
            c.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
            c.read();
            c.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().body()).hasSize(STREAMED.length);
            expected.addAll(List.of("GET /hello?x=1 HTTP/1.1 200 5", "GET /hello HTTP/1.1 200 5", "GET /stream HTTP/1.1 200 40000"));
        }
        try (RawClient c = new RawClient(server)) { // pipelined: three requests in one send
            c.send("GET /p1 HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.1\r\nHost: a\r\n\r\nHEAD /hello HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(404);
            c.read();
            assertThat(c.read(true).body()).isEmpty();
            expected.addAll(List.of("GET /p1 HTTP/1.1 404 10", "GET /hello HTTP/1.1 200 5", "HEAD /hello HTTP/1.1 200 0"));
        }
        try (RawClient c = new RawClient(server)) {
            c.send("GET /hello HTTP/1.0\r\n\r\n");
            c.read();
            expected.add("GET /hello HTTP/1.0 200 5");
        }
        try (RawClient c = new RawClient(server)) { // refused once its head was complete: the request line is known
            c.send("GET /no-host HTTP/1.1\r\n\r\n");
            RawClient.Reply r = c.read();
            assertThat(r.status()).isEqualTo(400);
            expected.add("GET /no-host HTTP/1.1 400 " + r.header("content-length"));
        }
        try (RawClient c = new RawClient(server)) { // refused inside its head: the line as it arrived, split
            c.send("GET /x HTTP/1.1\r\nHost: a\r\nno colon here\r\n\r\n");
            RawClient.Reply r = c.read();
            assertThat(r.status()).isEqualTo(400);
            expected.add("GET /x HTTP/1.1 400 " + r.header("content-length"));
        }
        try (RawClient c = new RawClient(server)) { // refused at its first byte: not a request line's shape
            c.send("\u0001 x\r\n\r\n");
            RawClient.Reply r = c.read();
            assertThat(r.status()).isEqualTo(400);
            expected.add("null null null 400 " + r.header("content-length"));
        }

        List<Map<String, Object>> lines = stopAndRead(file).stream().map(FlatJson::parse).toList();
        // Across connections the order is the engines' (a blocking thread may log after its client read the
        // response); on one connection it is the order of the requests.
        assertThat(lines.stream().map(AccessLogServerTest::summary).toList()).containsExactlyInAnyOrderElementsOf(expected);
        for (Map<String, Object> l : lines) {
            assertThat(l.get("remote")).isEqualTo("127.0.0.1");
            assertThat(Instant.parse((String) l.get("time"))).isBetween(Instant.now().minusSeconds(600), Instant.now());
            assertThat((Long) l.get("duration_us")).isNotNegative();
        }
        Map<String, Object> first = lines.stream().filter(l -> "/hello?x=1".equals(l.get("target"))).findFirst().orElseThrow();
        assertThat(first).containsEntry("referer", "http://ref/").containsEntry("user_agent", "raw/1");
        assertThat(lines.stream().filter(l -> l != first)).allSatisfy(l -> assertThat(l.get("user_agent")).isNull());
    }

    /** What a client puts in the target and the fields is escaped: the line stays one line, its quotes its own. */
    @Test
    void theCombinedLineEscapesWhatTheClientSent() throws Exception {
        Path file = start(AccessLog.Format.COMBINED, mode.builder().handler(ROUTES));
        try (RawClient c = new RawClient(server)) {
            byte[] head = ("GET /a\"b\\c?d=\" HTTP/1.1\r\nHost: a\r\nUser-Agent: x\" \"y\\z\t\u00ff\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            c.send(head);
            assertThat(c.read().status()).isEqualTo(404);
        }
        List<String> lines = stopAndRead(file);
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst().replaceFirst("\\[[^]]+]", "[T]"))
                .isEqualTo("127.0.0.1 - - [T] \"GET /a\\x22b\\x5Cc?d=\\x22 HTTP/1.1\" 404 10 \"-\" \"x\\x22 \\x22y\\x5Cz\\x09\\xFF\"");
        assertThat(AccessLogFormatTest.COMBINED.matcher(lines.getFirst()).matches()).isTrue();
    }

    @Test
    void aHeadThatTakesTooLongIsLoggedAs408() throws Exception {
        Path file = start(AccessLog.Format.COMMON, mode.builder().handler(ROUTES).headerTimeout(Duration.ofMillis(200)));
        RawClient.Reply r;
        try (RawClient c = new RawClient(server)) {
            c.send("GET /slow HTTP/1.1\r\nHost: a\r\n"); // never finished
            r = c.read();
            assertThat(r.status()).isEqualTo(408);
        } // closed before the stop: the server need not linger for more bytes from it
        List<String> lines = stopAndRead(file);
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst()).matches("127\\.0\\.0\\.1 - - \\[[^]]+] \"GET /slow HTTP/1.1\" 408 " + r.header("content-length"));
    }

    /**
     * A request refused inside its head is logged with what arrived of its request line, as nginx logs it: the
     * bytes escaped whatever they were (a TLS handshake sent to a plain port), at most 1024 of them; "-" when none.
     */
    @Test
    void aRequestRefusedInItsHeadIsLoggedWithWhatArrivedOfItsLine() throws Exception {
        Path file = start(AccessLog.Format.COMBINED, mode.builder().handler(ROUTES));
        String longTarget = "/" + "a".repeat(3000);
        try (RawClient c = new RawClient(server)) {
            c.send("GET /x?y=\"1\" HTTP/1.1\r\nHost: a\r\nUser-Agent: u\r\nbad field\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(400);
        }
        try (RawClient c = new RawClient(server)) { // the start of a TLS ClientHello
            c.send(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03});
            assertThat(c.read().status()).isEqualTo(400);
        }
        try (RawClient c = new RawClient(server)) {
            c.send("GET " + longTarget + " HTTP/1.1\r\nHost: a\r\nbad field\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(400);
        }
        try (RawClient c = new RawClient(server)) {
            c.send("\r\n\r\n\r\r");
            assertThat(c.read().status()).isEqualTo(400);
        }
        List<String> raw = stopAndRead(file);
        assertThat(raw).allSatisfy(l -> assertThat(AccessLogFormatTest.COMBINED.matcher(l).matches()).as(l).isTrue());
        List<String> lines = raw.stream() // the time and the refusal's length (its reason's) set aside
                .map(l -> l.replaceFirst("\\[[^]]+]", "[T]").replaceFirst("\" 400 \\d+ \"", "\" 400 N \"")).toList();
        assertThat(lines).hasSize(4);
        assertThat(lines).contains("127.0.0.1 - - [T] \"GET /x?y=\\x221\\x22 HTTP/1.1\" 400 N \"-\" \"-\"");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("127.0.0.1 - - [T] \"\\x16").endsWith("\" 400 N \"-\" \"-\""));
        assertThat(lines).contains("127.0.0.1 - - [T] \"GET " + longTarget.substring(0, 1024 - 4) + "\" 400 N \"-\" \"-\"");
        assertThat(lines).contains("127.0.0.1 - - [T] \"-\" 400 N \"-\" \"-\"");
    }

    /** A client that leaves in the middle of a streamed body: the exchange is logged with the bytes that left. */
    @Test
    void aStreamTheClientLeftIsLoggedWithWhatWasSent() throws Exception {
        long most = 100L << 20;
        byte[] chunk = new byte[64 * 1024];
        Path file = start(AccessLog.Format.JSON, mode.builder().handler(req -> Response.stream(200, "application/octet-stream", out -> {
            for (long sent = 0; sent < most; sent += chunk.length) out.write(chunk); // fails once the client is gone
        })));
        try (RawClient c = new RawClient(server)) {
            c.send("GET /endless HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.socket().getInputStream().readNBytes(1000)).hasSize(1000);
            Harness.reset(c.socket());
        }
        Map<String, Object> line = FlatJson.parse(stopAndRead(file).getFirst());
        assertThat(summary(line)).startsWith("GET /endless HTTP/1.1 200 ");
        assertThat((Long) line.get("bytes")).isLessThan(most);
    }

    /** A response in flight when the stop begins is answered within the grace, and its line is in the file on return. */
    @Test
    void aRequestAnsweredDuringTheStopIsInTheFileWhenCloseReturns() throws Exception {
        CountDownLatch entered = new CountDownLatch(1), release = new CountDownLatch(1);
        Path file = start(AccessLog.Format.COMMON, mode.builder().virtualThreads(true).handler(req -> {
            entered.countDown();
            if (!release.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            return Response.ok("late");
        }));
        try (RawClient c = new RawClient(server)) {
            c.send("GET /late HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            Thread closer = Thread.ofVirtual().start(server::close);
            release.countDown();
            assertThat(c.read().text()).isEqualTo("late");
            closer.join(Duration.ofSeconds(20));
            assertThat(closer.isAlive()).isFalse();
        }
        assertThat(Files.readAllLines(file)).singleElement().asString().contains("\"GET /late HTTP/1.1\" 200 4");
    }

    @Test
    void aLogThatCannotBeOpenedFailsTheStartAndOneLogServesOneServer() throws Exception {
        AccessLog missing = AccessLog.to(dir.resolve("no/such/dir/access.log"));
        assertThatThrownBy(() -> mode.builder().handler(ROUTES).accessLog(missing).start())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageEndingWith("cannot open the access log " + dir.resolve("no/such/dir/access.log") + ": no such file or directory");
        AccessLog log = AccessLog.to(dir.resolve("access.log"));
        server = mode.builder().handler(ROUTES).accessLog(log).start();
        assertThatThrownBy(() -> mode.builder().handler(ROUTES).accessLog(log).start()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> log.format(AccessLog.Format.JSON)).isInstanceOf(IllegalStateException.class);
    }
}
