package io.jepoll.server;

import io.jepoll.http.Compression;
import io.jepoll.http.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Response compression end to end, in every transport and trigger mode: what each client gets, and no deflater left behind. */
@ParameterizedClass
@EnumSource(Mode.class)
class CompressionServerTest {
    @Parameter
    Mode mode;

    HttpServer server;

    static final byte[] JSON = json(64 * 1024, 1);
    static final byte[] SMALL = json(1000, 2);
    static final String EVENT_ONE = "data: {\"n\":1}\n\n";
    static final String EVENT_TWO = "data: {\"n\":2}\n\n";

    /** Released by the client once it has decoded the first event: the writer waits for it. */
    final CountDownLatch firstEventSeen = new CountDownLatch(1);
    /** Released once the clients of the endless streams have reset their connections. */
    final CountDownLatch clientsGone = new CountDownLatch(1);

    /** JSON-like text (repetitive enough to compress). */
    static byte[] json(int n, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder(n + 64).append('[');
        while (b.length() < n) b.append("{\"id\":").append(r.nextInt(100_000)).append(",\"ok\":").append(r.nextBoolean()).append("},");
        return b.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    Response handle(io.jepoll.http.Request req) throws IOException {
        String p = req.path();
        return switch (p) {
            case "/json" -> Response.bytes(200, "application/json", JSON).withHeader("ETag", "\"j1\"");
            case "/small" -> Response.bytes(200, "application/json", SMALL);
            case "/png" -> Response.bytes(200, "image/png", JSON);
            case "/encoded" -> {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
                    gz.write(JSON);
                }
                yield Response.bytes(200, "application/json", b.toByteArray()).withHeader("Content-Encoding", "gzip");
            }
            case "/range" -> req.header("Range") == null
                    ? Response.bytes(200, "text/plain", JSON)
                    : Response.bytes(206, "text/plain", java.util.Arrays.copyOf(JSON, 2000))
                            .withHeader("Content-Range", "bytes 0-1999/" + JSON.length);
            case "/304" -> Response.of(304).withHeader("ETag", "\"j1\"");
            case "/204" -> Response.noContent();
            case "/stream" -> Response.stream(200, "application/json", out -> {
                for (int off = 0; off < JSON.length; off += 5000) out.write(JSON, off, Math.min(5000, JSON.length - off));
            });
            case "/events" -> Response.stream(200, "text/event-stream", out -> {
                out.write(EVENT_ONE.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                try {
                    if (!firstEventSeen.await(20, TimeUnit.SECONDS)) throw new IOException("the client never decoded the first event");
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                out.write(EVENT_TWO.getBytes(StandardCharsets.US_ASCII));
            });
            case "/endless" -> Response.stream(200, "text/plain", out -> {
                while (true) { // until the client has left: then a write fails
                    out.write(JSON, 0, 16 * 1024);
                    out.flush();
                    // Wait (holding the deflater) instead of spinning: a thread that deflates without pause keeps a
                    // carrier of the virtual-thread scheduler from the other connections.
                    try {
                        if (!clientsGone.await(20, TimeUnit.SECONDS)) throw new IOException("the clients never left");
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
            });
            case "/fails" -> Response.stream(200, "text/plain", out -> {
                out.write(JSON, 0, 4000);
                out.flush();
                throw new IllegalStateException("writer failed on purpose");
            });
            default -> Response.notFound();
        };
    }

    HttpServer start(Compression c) throws Exception {
        return server = mode.builder().compression(c).handler(this::handle).start();
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    static String get(String path, String... fields) {
        StringBuilder b = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: x\r\n");
        for (String f : fields) b.append(f).append("\r\n");
        return b.append("\r\n").toString();
    }

    @Test
    void theJdkClientAskingForGzipGetsItDecodable() throws Exception {
        start(Compression.gzip());
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/json"))
                    .header("Accept-Encoding", "gzip, deflate").timeout(HttpServerTest.REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("content-encoding")).hasValue("gzip");
            assertThat(r.headers().allValues("vary")).containsExactly("Accept-Encoding");
            assertThat(r.headers().firstValue("etag")).hasValue("W/\"j1\"");
            assertThat(r.headers().firstValue("content-length")).hasValue(String.valueOf(r.body().length));
            assertThat(r.body().length).isLessThan(JSON.length / 3);
            assertThat(gunzip(r.body())).isEqualTo(JSON);
        }
    }

    @Test
    void clientsThatDoNotAcceptGzipGetIdentityWithVary() throws Exception {
        start(Compression.gzip());
        try (RawClient c = new RawClient(server)) {
            for (String[] fields : new String[][]{{"Accept-Encoding: gzip;q=0"}, {"Accept-Encoding: identity"},
                    {"Accept-Encoding: br, *;q=0"}, {}}) {
                RawClient.Reply r = c.send(get("/json", fields)).read();
                assertThat(r.header("content-encoding")).as("%s", (Object) fields).isNull();
                assertThat(r.header("vary")).isEqualTo("Accept-Encoding");
                assertThat(r.header("etag")).isEqualTo("\"j1\"");
                assertThat(r.body()).isEqualTo(JSON);
            }
            RawClient.Reply star = c.send(get("/json", "Accept-Encoding: *")).read();
            assertThat(star.header("content-encoding")).isEqualTo("gzip");
            assertThat(gunzip(star.body())).isEqualTo(JSON);
        }
    }

    @Test
    void headAnswersTheIdentityFieldsWithVary() throws Exception {
        start(Compression.gzip());
        try (RawClient c = new RawClient(server)) {
            RawClient.Reply r = c.send("HEAD /json HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n").read(true);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("content-encoding")).isNull();
            assertThat(r.header("content-length")).isEqualTo(String.valueOf(JSON.length));
            assertThat(r.header("vary")).isEqualTo("Accept-Encoding");
            // The connection is still in step: the next answer is whole.
            assertThat(gunzip(c.send(get("/json", "Accept-Encoding: gzip")).read().body())).isEqualTo(JSON);
        }
    }

    @Test
    void whatMustNotBeCompressedIsSentAsMade() throws Exception {
        start(Compression.gzip());
        String gzip = "Accept-Encoding: gzip";
        try (RawClient c = new RawClient(server)) {
            RawClient.Reply notModified = c.send(get("/304", gzip)).read();
            assertThat(notModified.status()).isEqualTo(304);
            assertThat(notModified.header("content-encoding")).isNull();
            assertThat(notModified.header("etag")).isEqualTo("\"j1\"");
            RawClient.Reply noContent = c.send(get("/204", gzip)).read();
            assertThat(noContent.status()).isEqualTo(204);
            assertThat(noContent.header("content-encoding")).isNull();

            RawClient.Reply range = c.send(get("/range", gzip, "Range: bytes=0-1999")).read();
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.header("content-encoding")).isNull();
            assertThat(range.header("vary")).isNull();
            assertThat(range.body()).isEqualTo(java.util.Arrays.copyOf(JSON, 2000));

            RawClient.Reply small = c.send(get("/small", gzip)).read();
            assertThat(small.header("content-encoding")).isNull();
            assertThat(small.header("vary")).isNull();
            assertThat(small.body()).isEqualTo(SMALL);

            RawClient.Reply png = c.send(get("/png", gzip)).read();
            assertThat(png.header("content-encoding")).isNull();
            assertThat(png.body()).isEqualTo(JSON);

            RawClient.Reply encoded = c.send(get("/encoded", gzip)).read(); // duplicate fields would fail the read
            assertThat(encoded.header("content-encoding")).isEqualTo("gzip");
            assertThat(encoded.header("vary")).isNull();
            assertThat(gunzip(encoded.body())).isEqualTo(JSON);
        }
    }

    @Test
    void handlersOnVirtualThreadsAreCompressedToo() throws Exception {
        server = mode.builder().virtualThreads(true).compression(Compression.gzip()).handler(this::handle).start();
        try (RawClient c = new RawClient(server)) {
            c.send(get("/json", "Accept-Encoding: gzip") + get("/stream", "Accept-Encoding: gzip"));
            assertThat(gunzip(c.read().body())).isEqualTo(JSON);
            assertThat(gunzip(c.read().body())).isEqualTo(JSON);
        }
    }

    @Test
    void theMinimumSizeIsConfigurable() throws Exception {
        start(Compression.gzip().minSize(500).level(1));
        try (RawClient c = new RawClient(server)) {
            RawClient.Reply small = c.send(get("/small", "Accept-Encoding: gzip")).read();
            assertThat(small.header("content-encoding")).isEqualTo("gzip");
            assertThat(gunzip(small.body())).isEqualTo(SMALL);
        }
    }

    @Test
    void streamedBodiesAreCompressedChunkedOr10CloseDelimited() throws Exception {
        start(Compression.gzip());
        try (RawClient c = new RawClient(server)) {
            for (int i = 0; i < 3; i++) { // keep-alive holds between streamed, compressed bodies
                RawClient.Reply r = c.send(get("/stream", "Accept-Encoding: gzip")).read();
                assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
                assertThat(r.header("content-encoding")).isEqualTo("gzip");
                assertThat(r.header("vary")).isEqualTo("Accept-Encoding");
                assertThat(gunzip(r.body())).isEqualTo(JSON);
            }
        }
        try (RawClient c = new RawClient(server)) {
            RawClient.Reply r = c.send("GET /stream HTTP/1.0\r\nAccept-Encoding: gzip\r\n\r\n").read();
            assertThat(r.header("transfer-encoding")).isNull();
            assertThat(r.header("content-encoding")).isEqualTo("gzip");
            assertThat(gunzip(r.body())).isEqualTo(JSON);
        }
    }

    @Test
    void pipelinedCompressedAnswersStayInOrder() throws Exception {
        start(Compression.gzip());
        try (RawClient c = new RawClient(server)) {
            c.send(get("/json", "Accept-Encoding: gzip") + get("/stream", "Accept-Encoding: gzip") + get("/small", "Accept-Encoding: gzip")
                    + get("/json"));
            assertThat(gunzip(c.read().body())).isEqualTo(JSON);
            assertThat(gunzip(c.read().body())).isEqualTo(JSON);
            assertThat(c.read().body()).isEqualTo(SMALL);
            assertThat(c.read().body()).isEqualTo(JSON);
        }
    }

    /** Each event the writer flushes reaches the client decodable while the stream goes on. */
    @Test
    void aFlushedEventIsDecodableBeforeTheStreamEnds() throws Exception {
        start(Compression.gzip());
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<InputStream> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/events"))
                    .header("Accept-Encoding", "gzip").timeout(HttpServerTest.REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(r.headers().firstValue("content-encoding")).hasValue("gzip");
            try (GZIPInputStream in = new GZIPInputStream(r.body())) {
                // The writer waits for the latch before it writes more: this read returns only because of the sync flush.
                assertThat(new String(in.readNBytes(EVENT_ONE.length()), StandardCharsets.US_ASCII)).isEqualTo(EVENT_ONE);
                firstEventSeen.countDown();
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo(EVENT_TWO);
            }
        }
    }

    @Test
    void curlCompressedDecodesIt() throws Exception {
        start(Compression.gzip());
        String base = "http://127.0.0.1:" + server.port();
        assertThat(HttpServerTest.curl("-s", "--compressed", base + "/json")).isEqualTo(JSON);
        assertThat(HttpServerTest.curl("-s", "--compressed", base + "/stream")).isEqualTo(JSON);
        String sizes = new String(HttpServerTest.curl("-s", "--compressed", "-o", "/dev/null", "-w", "%{size_download}", base + "/json"));
        assertThat(Long.parseLong(sizes)).isLessThan(JSON.length / 3);
    }

    @Test
    void filesAreSentAsTheyAre(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.write(dir.resolve("data.json"), JSON);
        server = mode.builder().compression(Compression.gzip()).handler(StaticFiles.of(dir)).start();
        try (RawClient c = new RawClient(server)) {
            RawClient.Reply whole = c.send(get("/data.json", "Accept-Encoding: gzip")).read();
            assertThat(whole.header("content-encoding")).isNull();
            assertThat(whole.body()).isEqualTo(JSON);
            RawClient.Reply range = c.send(get("/data.json", "Accept-Encoding: gzip", "Range: bytes=10-19")).read();
            assertThat(range.status()).isEqualTo(206);
            assertThat(range.header("content-encoding")).isNull();
            assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(JSON, 10, 20));
        }
    }

    @Test
    void offByDefault() throws Exception {
        server = mode.builder().handler(this::handle).start();
        try (RawClient c = new RawClient(server)) {
            RawClient.Reply r = c.send(get("/json", "Accept-Encoding: gzip")).read();
            assertThat(r.header("content-encoding")).isNull();
            assertThat(r.header("vary")).isNull();
            assertThat(r.body()).isEqualTo(JSON);
        }
    }

    /**
     * The "no native memory leak" test: compressed answers over churned connections, streams the client
     * resets mid-body, writers that fail. Afterwards no deflater is in use, at most the pools' idle bound
     * are alive, and none after close.
     */
    @Test
    void deflatersAreReturnedOrEndedUnderChurnAndAbortedStreams() throws Exception {
        start(Compression.gzip());
        HttpRuntime rt = server.runtime();
        for (int i = 0; i < 40; i++) { // churn: a connection per request
            try (RawClient c = new RawClient(server)) {
                RawClient.Reply r = c.send(get(i % 2 == 0 ? "/json" : "/stream", "Accept-Encoding: gzip", "Connection: close")).read();
                assertThat(gunzip(r.body())).isEqualTo(JSON);
            }
        }
        int streams = 10;
        Socket[] held = new Socket[streams];
        try {
            for (int i = 0; i < streams; i++) {
                held[i] = new Socket("127.0.0.1", server.port());
                held[i].setSoTimeout(10_000);
                held[i].getOutputStream().write(get("/endless", "Accept-Encoding: gzip").getBytes(StandardCharsets.US_ASCII));
                readHeadAndSomeBody(held[i].getInputStream(), 1000);
            }
            // Each writer took its deflater before it wrote a byte of body: all of them are compressing now.
            assertThat(rt.deflatersInUse()).isEqualTo(streams);
        } finally {
            for (Socket s : held) if (s != null) Harness.reset(s); // leave mid-stream, rudely
            clientsGone.countDown();
        }
        for (int i = 0; i < 2; i++) {
            try (RawClient c = new RawClient(server)) {
                c.send(get("/fails", "Accept-Encoding: gzip"));
                assertThat(Harness.readToEnd(c.socket()).end()).isNotEqualTo(Harness.End.TIMEOUT); // cut short, then closed
            }
        }
        // The writers notice the resets on their own threads: wait (bounded) until the last one has given back.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (rt.deflatersInUse() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
        assertThat(rt.deflatersInUse()).as("deflaters still taken").isZero();
        assertThat(rt.liveDeflaters()).isBetween(1, rt.idleDeflaterBound());
        server.close();
        assertThat(rt.liveDeflaters()).as("after close").isZero();
    }

    /** Reads a response head, then at least {@code n} bytes of its body. */
    static void readHeadAndSomeBody(InputStream in, int n) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        int headEnd = -1;
        byte[] buf = new byte[4096];
        while (headEnd < 0 || seen.size() - headEnd < n) {
            int k = in.read(buf);
            if (k < 0) throw new IOException("closed after " + seen.size() + " bytes");
            seen.write(buf, 0, k);
            if (headEnd < 0) {
                int at = seen.toString(StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
                if (at >= 0) headEnd = at + 4;
            }
        }
        assertThat(seen.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200").contains("Content-Encoding: gzip\r\n");
    }
}
