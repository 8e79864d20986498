package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jepoll.http.Compression.Decision;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The decision table of response compression, and the fields of the gzip form. */
class CompressionTest {
    static final Compression GZIP = Compression.gzip();
    static final byte[] KIB2 = GzipTest.json(2048, 3);

    final DeflaterPool pool = new DeflaterPool(GZIP.level(), 2, 4);

    @AfterEach
    void close() {
        pool.close();
        assertThat(pool.live()).isZero();
    }

    static Response json(int status, int size) {
        return Response.bytes(status, "application/json", GzipTest.json(size, size));
    }

    @ParameterizedTest(name = "[{index}] <{0}> -> {1}")
    @CsvSource(delimiterString = "|", nullValues = "NULL", textBlock = """
            gzip                         | GZIP
            GZIP                         | GZIP
            x-gzip                       | GZIP
            *                            | GZIP
            br, gzip;q=0.8               | GZIP
            deflate, gzip;q=0.001        | GZIP
            gzip;q=0                     | VARY
            gzip;q=0.000                 | VARY
            *;q=0                        | VARY
            identity                     | VARY
            br                           | VARY
            ''                           | VARY
            NULL                         | VARY
            gzip;q=0.5, identity         | VARY
            gzip;level=9                 | VARY
            gzip;q=2                     | VARY
            """)
    void acceptEncodingDecidesAmongEligibleResponses(String acceptEncoding, Decision expected) {
        assertThat(GZIP.decide(false, acceptEncoding, json(200, 2048))).isEqualTo(expected);
    }

    @Test
    void headVariesButIsNeverCompressed() {
        assertThat(GZIP.decide(true, "gzip", json(200, 2048))).isEqualTo(Decision.VARY);
    }

    @ParameterizedTest(name = "[{index}] status {0}")
    @CsvSource({"200, GZIP", "201, GZIP", "404, GZIP", "500, GZIP", "206, KEEP"})
    void statuses(int status, Decision expected) {
        assertThat(GZIP.decide(false, "gzip", json(status, 2048))).isEqualTo(expected);
    }

    @Test
    void noBodyStatusesAreKept() {
        for (int status : new int[]{204, 304}) {
            Response r = Response.bytes(status, "application/json", KIB2);
            assertThat(GZIP.decide(false, "gzip", r)).as("%d", status).isEqualTo(Decision.KEEP);
        }
    }

    @Test
    void responseFieldsThatForbidIt() {
        Response r = json(200, 2048);
        assertThat(GZIP.decide(false, "gzip", r.withHeader("Content-Encoding", "br"))).isEqualTo(Decision.KEEP);
        assertThat(GZIP.decide(false, "gzip", r.withHeader("content-encoding", "identity"))).isEqualTo(Decision.KEEP);
        assertThat(GZIP.decide(false, "gzip", r.withHeader("Content-Range", "bytes 0-9/2048"))).isEqualTo(Decision.KEEP);
        assertThat(GZIP.decide(false, "gzip", r.withHeader("Cache-Control", "public, No-Transform"))).isEqualTo(Decision.KEEP);
        assertThat(GZIP.decide(false, "gzip", r.withHeader("Cache-Control", "max-age=60"))).isEqualTo(Decision.GZIP);
    }

    @Test
    void sizeAgainstTheMinimum() {
        assertThat(GZIP.decide(false, "gzip", json(200, 1023))).isEqualTo(Decision.KEEP);
        assertThat(GZIP.decide(false, "gzip", json(200, 1024))).isEqualTo(Decision.GZIP);
        Compression any = GZIP.minSize(0);
        assertThat(any.decide(false, "gzip", json(200, 1))).isEqualTo(Decision.GZIP);
        assertThat(any.decide(false, "gzip", Response.bytes(200, "text/plain", new byte[0]))).as("empty").isEqualTo(Decision.KEEP);
        assertThat(GZIP.minSize(4096).decide(false, "gzip", json(200, 4095))).isEqualTo(Decision.KEEP);
    }

    @Test
    void streamedBodiesAreDecidedByTypeAlone() {
        BodyWriter w = out -> out.write(1);
        assertThat(GZIP.decide(false, "gzip", Response.stream(200, "text/event-stream", w))).isEqualTo(Decision.GZIP);
        assertThat(GZIP.decide(false, "gzip", Response.stream(200, "application/octet-stream", w))).isEqualTo(Decision.KEEP);
        assertThat(GZIP.decide(false, "gzip", Response.stream(200, null, w))).isEqualTo(Decision.KEEP);
    }

    @Test
    void filesAreLeftAlone() {
        Response file = Response.file(Path.of("x.json"), info -> Response.of(200));
        assertThat(GZIP.decide(false, "gzip", file)).isEqualTo(Decision.KEEP);
        Response parts = Response.fileParts(200, List.of(new FilePart.Region(0, 5000))).withHeader("Content-Type", "text/html");
        assertThat(GZIP.decide(false, "gzip", parts)).isEqualTo(Decision.KEEP);
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiterString = "|", nullValues = "NULL", textBlock = """
            text/plain                          | true
            text/html; charset=utf-8            | true
            TEXT/CSS                            | true
            text/event-stream                   | true
            text/javascript                     | true
            '  text/plain ;charset=utf-8'       | true
            application/json                    | true
            Application/JSON; charset=utf-8     | true
            application/problem+json            | true
            application/ld+json                 | true
            application/javascript              | true
            application/xml                     | true
            application/atom+xml                | true
            application/xhtml+xml               | true
            image/svg+xml                       | true
            image/png                           | false
            image/jpeg                          | false
            application/wasm                    | false
            application/octet-stream            | false
            application/gzip                    | false
            application/zip                     | false
            font/woff2                          | false
            video/mp4                           | false
            application/+json                   | false
            application/+xml                    | false
            application/a+xml                   | true
            application/a+json                  | true
            application/jsonx                   | false
            text                                | false
            text/                               | false
            ''                                  | false
            NULL                                | false
            """)
    void compressibleTypes(String type, boolean expected) {
        assertThat(Compression.isCompressible(type)).isEqualTo(expected);
    }

    @Test
    void settingsAreChecked() {
        assertThat(GZIP.level()).isEqualTo(Compression.DEFAULT_LEVEL);
        assertThat(GZIP.minSize()).isEqualTo(1024);
        assertThat(GZIP.level(1).minSize(10)).isEqualTo(new Compression(1, 10));
        assertThatThrownBy(() -> GZIP.level(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GZIP.level(10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GZIP.minSize(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------ the response sent

    @Test
    void theGzipFormOfAFixedBody() throws IOException {
        Response r = Response.bytes(200, "application/json", KIB2)
                .withHeader("ETag", "\"v1\"").withHeader("Accept-Ranges", "bytes").withHeader("Cache-Control", "max-age=5");
        Response gz = GZIP.apply(Requests.get("/", "Accept-Encoding: gzip, br"), r, pool);
        assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(gz.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(gz.header("ETag")).isEqualTo("W/\"v1\"");
        assertThat(gz.header("Accept-Ranges")).isNull();
        assertThat(gz.header("Cache-Control")).isEqualTo("max-age=5");
        assertThat(gz.header("Content-Type")).isEqualTo("application/json");
        assertThat(GzipTest.gunzip(gz.body())).isEqualTo(KIB2);
        assertThat(gz.contentLength()).isEqualTo(gz.body().length).isLessThan(KIB2.length);
        assertThat(pool.live()).as("given back").isEqualTo(1);
    }

    @Test
    void aWeakETagStaysAsItIs() {
        Response r = json(200, 2048).withHeader("ETag", "W/\"v1\"");
        assertThat(GZIP.apply(Requests.get("/", "Accept-Encoding: gzip"), r, pool).header("ETag")).isEqualTo("W/\"v1\"");
    }

    @Test
    void severalAcceptEncodingLinesAreOneList() {
        Response r = json(200, 2048);
        assertThat(GZIP.decide(Requests.get("/", "Accept-Encoding: br", "Accept-Encoding: gzip"), r)).isEqualTo(Decision.GZIP);
        assertThat(GZIP.decide(Requests.get("/", "Accept-Encoding: gzip", "Accept-Encoding: gzip;q=0"), r)).isEqualTo(Decision.VARY);
        assertThat(GZIP.decide(Requests.parse("HEAD / HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n"), r)).isEqualTo(Decision.VARY);
    }

    @Test
    void varyIsAddedOnceAndMerged() {
        Request refuses = Requests.get("/", "Accept-Encoding: identity");
        Response plain = GZIP.apply(refuses, json(200, 2048), pool);
        assertThat(plain.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(plain.header("Content-Encoding")).isNull();
        assertThat(GZIP.apply(refuses, json(200, 2048).withHeader("Vary", "Origin"), pool).header("Vary")).isEqualTo("Origin, Accept-Encoding");
        Response already = json(200, 2048).withHeader("Vary", "origin, accept-encoding");
        assertThat(GZIP.apply(refuses, already, pool)).isSameAs(already);
        Response star = json(200, 2048).withHeader("vary", "*");
        assertThat(GZIP.apply(refuses, star, pool)).isSameAs(star);
        Response gz = GZIP.apply(Requests.get("/", "Accept-Encoding: gzip"), json(200, 2048).withHeader("Vary", "Cookie"), pool);
        assertThat(gz.headers().stream().filter(h -> h.name().equalsIgnoreCase("vary")).toList())
                .containsExactly(new Response.Header("Vary", "Cookie, Accept-Encoding"));
    }

    @Test
    void keptResponsesAreTheSameObject() {
        Request gzip = Requests.get("/", "Accept-Encoding: gzip");
        Response small = json(200, 100);
        assertThat(GZIP.apply(gzip, small, pool)).isSameAs(small);
        Response png = Response.bytes(200, "image/png", KIB2);
        assertThat(GZIP.apply(gzip, png, pool)).isSameAs(png);
        assertThat(pool.live()).as("no deflater made for them").isZero();
    }

    @Test
    void whatDoesNotShrinkGoesUncompressed() {
        byte[] noise = new byte[4096];
        new java.util.Random(5).nextBytes(noise);
        Response r = Response.bytes(200, "text/plain", noise);
        Response sent = GZIP.apply(Requests.get("/", "Accept-Encoding: gzip"), r, pool);
        assertThat(sent.header("Content-Encoding")).isNull();
        assertThat(sent.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(sent.body()).isSameAs(noise);
    }

    @Test
    void withNoDeflaterToBeHadAFixedBodyGoesUncompressed() {
        DeflaterPool full = new DeflaterPool(6, 0, 1);
        Deflater held = full.take();
        try {
            Response sent = GZIP.apply(Requests.get("/", "Accept-Encoding: gzip"), json(200, 2048), full);
            assertThat(sent.header("Content-Encoding")).isNull();
            assertThat(sent.header("Vary")).isEqualTo("Accept-Encoding");
        } finally {
            full.give(held);
            full.close();
        }
    }

    @Test
    void aStreamedBodyIsCompressedByItsWriterWhichGivesTheDeflaterBack() throws IOException {
        byte[] part = "data: {\"event\":1}\n\n".getBytes(StandardCharsets.US_ASCII);
        Response r = Response.stream(200, "text/event-stream", out -> {
            for (int i = 0; i < 100; i++) {
                out.write(part);
                out.flush();
            }
        });
        Response gz = GZIP.apply(Requests.get("/", "Accept-Encoding: gzip"), r, pool);
        assertThat(gz.isStreamed()).isTrue();
        assertThat(gz.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(pool.live()).as("nothing taken before the writer runs").isZero();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        gz.writer().writeTo(sink);
        assertThat(GzipTest.gunzip(sink.toByteArray())).hasSize(100 * part.length);
        assertThat(pool.live()).isEqualTo(1);
        // A writer that fails gives it back too, and one that closes its stream has finished it.
        Response failing = GZIP.apply(Requests.get("/", "Accept-Encoding: gzip"), Response.stream(200, "text/plain", out -> {
            out.write(part);
            throw new IOException("client gone");
        }), pool);
        assertThatThrownBy(() -> failing.writer().writeTo(new ByteArrayOutputStream())).isInstanceOf(IOException.class);
        ByteArrayOutputStream closed = new ByteArrayOutputStream();
        GZIP.apply(Requests.get("/", "Accept-Encoding: gzip"), Response.stream(200, "text/plain", out -> {
            out.write(part);
            out.close();
        }), pool).writer().writeTo(closed);
        assertThat(GzipTest.gunzip(closed.toByteArray())).isEqualTo(part);
        assertThat(pool.live()).isEqualTo(1);
    }
}
