package io.jepoll.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * StaticFiles over real sockets, in every mode: what a file response carries, conditional
 * requests (RFC 9110 13), ranges (14), directories, precompressed siblings, methods, and
 * pipelined file responses keeping their order and framing.
 */
class StaticFilesTest {
    @TempDir
    Path root;
    HttpServer server;
    byte[] page;

    @BeforeEach
    void files() throws IOException {
        page = new byte[100_000];
        new Random(7).nextBytes(page);
        Files.write(root.resolve("page.bin"), page);
        Files.writeString(root.resolve("hello.txt"), "Hello, files!\n");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<h1>docs</h1>\n");
        Files.createDirectories(root.resolve("empty"));
        Files.write(root.resolve("zero.bin"), new byte[0]);
        Files.writeString(root.resolve("app.js"), "console.log('plain');\n".repeat(100));
        Files.write(root.resolve("app.js.gz"), "gzip-bytes".getBytes(StandardCharsets.US_ASCII));
        Files.setLastModifiedTime(root.resolve("hello.txt"), FileTime.from(Instant.parse("2026-01-02T03:04:05Z")));
    }

    @AfterEach
    void stop() { if (server != null) server.close(); }

    HttpServer start(Mode mode, StaticFiles files) throws Exception {
        return server = mode.builder().handler(files).start();
    }

    RawClient.Reply get(String target, String... headers) throws IOException {
        try (RawClient c = new RawClient(server)) {
            c.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n" + String.join("", Arrays.stream(headers).map(h -> h + "\r\n").toList()) + "\r\n");
            return c.read();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFileComesWithItsTypeLengthAndValidators(Mode mode) throws Exception {
        start(mode, StaticFiles.of(root));
        RawClient.Reply r = get("/hello.txt");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("Hello, files!\n");
        assertThat(r.header("content-type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(r.header("content-length")).isEqualTo("14");
        assertThat(r.header("last-modified")).isEqualTo("Fri, 02 Jan 2026 03:04:05 GMT");
        assertThat(r.header("etag")).matches("\"[^\"]+\"");
        assertThat(r.header("accept-ranges")).isEqualTo("bytes");
        RawClient.Reply big = get("/page.bin");
        assertThat(big.header("content-type")).isEqualTo("application/octet-stream");
        assertThat(big.body()).isEqualTo(page);
        RawClient.Reply empty = get("/zero.bin");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.header("content-length")).isEqualTo("0");
        try (RawClient c = new RawClient(server)) {
            c.send("HEAD /page.bin HTTP/1.1\r\nHost: x\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Reply head = c.read(true);
            assertThat(head.header("content-length")).isEqualTo("100000");
            assertThat(head.header("etag")).isEqualTo(big.header("etag"));
            assertThat(c.read().text()).isEqualTo("Hello, files!\n"); // no body bytes were left between them
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void conditionalRequestsFollowTheOrderOfRfc9110(Mode mode) throws Exception {
        start(mode, StaticFiles.builder(root).maxAge(60).build());
        RawClient.Reply first = get("/hello.txt");
        String etag = first.header("etag"), date = first.header("last-modified");
        assertThat(first.header("cache-control")).isEqualTo("max-age=60");

        RawClient.Reply notModified = get("/hello.txt", "If-None-Match: \"other\", " + etag);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.header("etag")).isEqualTo(etag);
        assertThat(notModified.header("cache-control")).isEqualTo("max-age=60");
        assertThat(notModified.header("content-length")).isNull();
        assertThat(get("/hello.txt", "If-None-Match: W/" + etag).status()).as("weak comparison").isEqualTo(304);
        assertThat(get("/hello.txt", "If-None-Match: *").status()).isEqualTo(304);
        assertThat(get("/hello.txt", "If-Modified-Since: " + date).status()).isEqualTo(304);
        assertThat(get("/hello.txt", "If-Modified-Since: Thu, 01 Jan 2026 00:00:00 GMT").status()).isEqualTo(200);
        assertThat(get("/hello.txt", "If-Modified-Since: not a date").status()).as("invalid: ignored").isEqualTo(200);
        // If-None-Match present: If-Modified-Since is not looked at.
        assertThat(get("/hello.txt", "If-None-Match: \"other\"", "If-Modified-Since: " + date).status()).isEqualTo(200);

        assertThat(get("/hello.txt", "If-Match: \"other\"").status()).isEqualTo(412);
        assertThat(get("/hello.txt", "If-Match: " + etag).status()).isEqualTo(200);
        assertThat(get("/hello.txt", "If-Match: W/" + etag).status()).as("If-Match compares strongly").isEqualTo(412);
        assertThat(get("/hello.txt", "If-Unmodified-Since: Thu, 01 Jan 2026 00:00:00 GMT").status()).isEqualTo(412);
        assertThat(get("/hello.txt", "If-Unmodified-Since: " + date).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void rangesSingleSuffixOpenClippedUnsatisfiableAndInvalid(Mode mode) throws Exception {
        start(mode, StaticFiles.of(root));
        RawClient.Reply r = get("/page.bin", "Range: bytes=10-19");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("content-range")).isEqualTo("bytes 10-19/100000");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(page, 10, 20));

        r = get("/page.bin", "Range: bytes=-5");
        assertThat(r.header("content-range")).isEqualTo("bytes 99995-99999/100000");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(page, 99_995, 100_000));

        r = get("/page.bin", "Range: bytes=99990-");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(page, 99_990, 100_000));

        r = get("/page.bin", "Range: bytes=99998-200000");
        assertThat(r.header("content-range")).isEqualTo("bytes 99998-99999/100000");

        r = get("/page.bin", "Range: bytes=100000-");
        assertThat(r.status()).isEqualTo(416);
        assertThat(r.header("content-range")).isEqualTo("bytes */100000");

        r = get("/page.bin", "Range: bytes=abc");
        assertThat(r.status()).as("invalid Range is ignored").isEqualTo(200);
        assertThat(r.body()).isEqualTo(page);

        String etag = get("/page.bin").header("etag");
        assertThat(get("/page.bin", "Range: bytes=0-0", "If-Range: " + etag).status()).isEqualTo(206);
        assertThat(get("/page.bin", "Range: bytes=0-0", "If-Range: \"stale\"").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void severalRangesMakeAMultipartBody(Mode mode) throws Exception {
        start(mode, StaticFiles.of(root));
        RawClient.Reply r = get("/page.bin", "Range: bytes=0-9, 500-509, -10");
        assertThat(r.status()).isEqualTo(206);
        Matcher m = Pattern.compile("multipart/byteranges; boundary=(\\S+)").matcher(r.header("content-type"));
        assertThat(m.matches()).isTrue();
        String boundary = m.group(1);
        String body = new String(r.body(), StandardCharsets.ISO_8859_1);
        String[] parts = body.split("(\r\n)?--" + Pattern.quote(boundary));
        // "", part 1, part 2, part 3, "--\r\n"
        assertThat(parts).hasSize(5);
        assertThat(parts[4]).isEqualTo("--\r\n");
        long[][] want = {{0, 9}, {500, 509}, {99_990, 99_999}};
        for (int i = 0; i < 3; i++) {
            String part = parts[i + 1];
            int split = part.indexOf("\r\n\r\n");
            String head = part.substring(0, split);
            assertThat(head).contains("Content-Type: application/octet-stream")
                    .contains("Content-Range: bytes " + want[i][0] + "-" + want[i][1] + "/100000");
            byte[] data = part.substring(split + 4).getBytes(StandardCharsets.ISO_8859_1);
            assertThat(data).isEqualTo(Arrays.copyOfRange(page, (int) want[i][0], (int) want[i][1] + 1));
        }
        assertThat(Long.parseLong(r.header("content-length"))).isEqualTo(r.body().length);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void manyOverlappingRangesGetTheWholeFileNotAnAmplifiedBody(Mode mode) throws Exception {
        start(mode, StaticFiles.of(root));
        String many = "bytes=" + String.join(",", java.util.Collections.nCopies(200, "0-99999"));
        RawClient.Reply r = get("/page.bin", "Range: " + many);
        assertThat(r.body().length).isLessThanOrEqualTo(page.length + 1024);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void directoriesRedirectServeTheirIndexOrAreNotFound(Mode mode) throws Exception {
        Files.writeString(root.resolve("empty/<b>&\"x\".txt"), "x");
        start(mode, StaticFiles.of(root));
        RawClient.Reply r = get("/docs?a=1");
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("location")).isEqualTo("/docs/?a=1");
        assertThat(get("/docs/").text()).isEqualTo("<h1>docs</h1>\n");
        assertThat(get("/docs/").header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(get("/empty/").status()).as("no listing by default").isEqualTo(404);
        server.close();
        start(mode, StaticFiles.builder(root).listing(true).build());
        RawClient.Reply listing = get("/empty/");
        assertThat(listing.status()).isEqualTo(200);
        assertThat(listing.text()).contains("&lt;b&gt;&amp;&quot;x&quot;.txt").doesNotContain("<b>&");
        assertThat(listing.text()).contains("href=\"%3Cb%3E%26%22x%22.txt\"");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void onlyGetAndHeadAreAllowed(Mode mode) throws Exception {
        start(mode, StaticFiles.of(root));
        try (RawClient c = new RawClient(server)) {
            c.send("POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
            RawClient.Reply r = c.read();
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.header("allow")).isEqualTo("GET, HEAD");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void precompressedSiblingsAreChosenByAcceptEncoding(Mode mode) throws Exception {
        start(mode, StaticFiles.of(root));
        RawClient.Reply gz = get("/app.js", "Accept-Encoding: br;q=0.5, gzip");
        assertThat(gz.header("content-encoding")).isEqualTo("gzip");
        assertThat(gz.header("content-type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(gz.header("vary")).isEqualTo("Accept-Encoding");
        assertThat(gz.text()).isEqualTo("gzip-bytes");
        RawClient.Reply plain = get("/app.js");
        assertThat(plain.header("content-encoding")).isNull();
        assertThat(plain.header("vary")).as("the answer depends on Accept-Encoding anyway").isEqualTo("Accept-Encoding");
        assertThat(plain.body()).isEqualTo(Files.readAllBytes(root.resolve("app.js")));
        assertThat(get("/app.js", "Accept-Encoding: gzip;q=0").header("content-encoding")).isNull();
        assertThat(get("/app.js", "Accept-Encoding: gzip").header("etag")).isNotEqualTo(plain.header("etag"));
        assertThat(get("/hello.txt").header("vary")).isNull();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void pipelinedFileResponsesKeepTheirOrderAndFraming(Mode mode) throws Exception {
        start(mode, StaticFiles.of(root));
        String etag = get("/hello.txt").header("etag");
        try (RawClient c = new RawClient(server)) {
            c.send("GET /page.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /hello.txt HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + etag + "\r\n\r\n"
                    + "GET /page.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=5-9\r\n\r\n"
                    + "GET /page.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=900000-\r\n\r\n"
                    + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.read().body()).isEqualTo(page);
            assertThat(c.read().status()).isEqualTo(304);
            RawClient.Reply part = c.read();
            assertThat(part.status()).isEqualTo(206);
            assertThat(part.body()).isEqualTo(Arrays.copyOfRange(page, 5, 10));
            assertThat(c.read().status()).isEqualTo(416);
            assertThat(c.read().status()).isEqualTo(404);
            assertThat(c.read().text()).isEqualTo("Hello, files!\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aChangedFileIsSeenOnTheNextRequest(Mode mode) throws Exception {
        start(mode, StaticFiles.of(root));
        RawClient.Reply before = get("/hello.txt");
        Files.writeString(root.resolve("hello.txt"), "Changed, and longer than before.\n");
        Files.setLastModifiedTime(root.resolve("hello.txt"), FileTime.from(Instant.parse("2026-02-02T03:04:05Z")));
        RawClient.Reply after = get("/hello.txt", "If-None-Match: " + before.header("etag"));
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.text()).isEqualTo("Changed, and longer than before.\n");
        assertThat(after.header("etag")).isNotEqualTo(before.header("etag"));
        Files.delete(root.resolve("hello.txt"));
        assertThat(get("/hello.txt").status()).isEqualTo(404);
    }

    /** A sparse 5 GiB file: 64-bit lengths and a range past 4 GiB, read where it is. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFileLargerThan4GiBHasItsLengthAndRangesPastTheLimit(Mode mode) throws Exception {
        long size = 5L << 30, at = (4L << 30) + 123_456_789L;
        byte[] marker = "past-four-gibibytes".getBytes(StandardCharsets.US_ASCII);
        try (RandomAccessFile f = new RandomAccessFile(root.resolve("huge.bin").toFile(), "rw")) {
            f.setLength(size);
            f.seek(at);
            f.write(marker);
        }
        start(mode, StaticFiles.of(root));
        try (RawClient c = new RawClient(server)) {
            c.send("HEAD /huge.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.read(true).header("content-length")).isEqualTo(Long.toString(size));
        }
        RawClient.Reply r = get("/huge.bin", "Range: bytes=" + at + "-" + (at + marker.length - 1));
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("content-range")).isEqualTo("bytes " + at + "-" + (at + marker.length - 1) + "/" + size);
        assertThat(r.body()).isEqualTo(marker);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void clientsThatLeaveMidFileLeaveNoDescriptorBehind(Mode mode) throws Exception {
        byte[] big = new byte[32 << 20];
        Files.write(root.resolve("big.bin"), big);
        Harness.warmUpJdkSockets();
        start(mode, StaticFiles.of(root));
        get("/hello.txt"); // the server's own lazily opened descriptors exist now
        List<String> before = Harness.descriptors();
        for (int i = 0; i < 10; i++) {
            try (Socket s = mode.connect(server.port())) {
                s.setReceiveBufferSize(8192);
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(s.getInputStream().readNBytes(20_000)).hasSize(20_000);
                s.setSoLinger(true, 0); // a reset in the middle of the body
            }
        }
        // Each reset is noticed when the server next writes: wait (bounded) until it has let go
        // of every connection, then the exact check of descriptors, the files' included.
        assertThat(Harness.awaitConnectionCount(server, 0, 20_000)).isZero();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (Harness.descriptors().stream().anyMatch(d -> d.endsWith("big.bin")) && System.nanoTime() < deadline) Thread.yield();
        Harness.assertDescriptorsBackTo(before, "after 10 aborted downloads");
    }

    /** Real clients: curl's -r (ranges), -z (If-Modified-Since) and --compressed, and the JDK HttpClient. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void curlAndTheJdkClientGetWhatTheyAskFor(Mode mode) throws Exception {
        byte[] text = "some text that compresses, some text that compresses\n".repeat(50).getBytes(StandardCharsets.US_ASCII);
        Files.write(root.resolve("notes.txt"), text);
        java.io.ByteArrayOutputStream packed = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(packed)) {
            z.write(text);
        }
        Files.write(root.resolve("notes.txt.gz"), packed.toByteArray());
        start(mode, StaticFiles.of(root));
        String base = mode.uri(server, "").toString();
        assertThat(mode.curl("-s", "-r", "10-19", base + "/page.bin")).isEqualTo(Arrays.copyOfRange(page, 10, 20));
        assertThat(new String(mode.curl("-s", "-o", "/dev/null", "-w", "%{http_code}",
                "-z", "Fri, 02 Jan 2026 03:04:05 GMT", base + "/hello.txt"))).isEqualTo("304");
        assertThat(new String(mode.curl("-s", "-o", "/dev/null", "-w", "%{http_code}",
                "-z", "Thu, 01 Jan 2026 00:00:00 GMT", base + "/hello.txt"))).isEqualTo("200");
        // --compressed asks for gzip and decodes it: the sibling was sent and unpacked to the original.
        assertThat(mode.curl("-s", "--compressed", base + "/notes.txt")).isEqualTo(text);
        assertThat(new String(mode.curl("-s", "--compressed", "-o", "/dev/null", "-w", "%{size_download}", base + "/notes.txt")))
                .isEqualTo(Integer.toString(packed.size()));
        try (java.net.http.HttpClient client = mode.httpClient()) {
            java.net.http.HttpResponse<byte[]> resp = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/page.bin"))
                    .timeout(java.time.Duration.ofSeconds(20)).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertThat(resp.statusCode()).isEqualTo(200);
            assertThat(resp.body()).isEqualTo(page);
            java.net.http.HttpResponse<byte[]> ranged = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/page.bin"))
                    .header("Range", "bytes=-3").timeout(java.time.Duration.ofSeconds(20)).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertThat(ranged.statusCode()).isEqualTo(206);
            assertThat(ranged.body()).isEqualTo(Arrays.copyOfRange(page, page.length - 3, page.length));
        }
    }
}
