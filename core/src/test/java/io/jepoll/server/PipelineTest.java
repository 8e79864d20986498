package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.http.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pipelined requests whose responses differ in every way that matters to the write path, sent in one write and read
 * back by a client that reads in small pieces through a small receive window: each response must come back whole,
 * with its own framing, in request order.
 *
 * <p>The sizes straddle the encoder's and the connection's thresholds: 0 and 1 byte, 16 KiB - 1 and 16 KiB (the
 * largest body copied next to its head, and the first sent from its own array), 32 KiB - 1 and 32 KiB (the first
 * written straight from the caller's array), 100 KiB and 3 MiB (larger than the socket buffers: partial writes,
 * a backlog, and, behind them, the high-water mark that stops the next requests from being read); streamed bodies
 * (chunked, written in pieces of 1 B to 70 KB, one of them empty); a HEAD and a 204 (no body at all); a POST with
 * a body. Every body is a pattern seeded by the request's position, and every response names its request in
 * X-Id, so an answer given to the wrong request, or bytes of one leaking into the next, fail the comparison.
 */
@ParameterizedClass
@EnumSource(Mode.class)
class PipelineTest {
    @Parameter
    Mode mode;

    private static final int[] PIECES = {1, 7, 1000, 8192, 70_000, 3};

    private HttpServer server;
    private Harness.LogCapture log;

    static byte[] pattern(int n, int id) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + id * 101 + 7);
        return b;
    }

    /** /fixed/ID/N: N pattern bytes; /stream/ID/N: the same, streamed; /204/ID; POST /echo/ID: the body back. */
    static Response route(Request req) {
        String[] p = req.path().split("/");
        String id = p[2];
        Response r = switch (p[1]) {
            case "fixed" -> Response.bytes(200, "application/octet-stream", pattern(Integer.parseInt(p[3]), Integer.parseInt(id)));
            case "stream" -> {
                byte[] all = pattern(Integer.parseInt(p[3]), Integer.parseInt(id));
                yield Response.stream(200, "application/octet-stream", out -> {
                    for (int off = 0, k = 0; off < all.length; k++) {
                        int n = Math.min(PIECES[k % PIECES.length], all.length - off);
                        out.write(all, off, n);
                        off += n;
                    }
                });
            }
            case "204" -> Response.of(204);
            case "echo" -> Response.bytes(200, "application/octet-stream", req.body());
            default -> Response.text(404, "no route " + req.path() + "\n");
        };
        return r.withHeader("X-Id", id);
    }

    enum Framing { LENGTH, CHUNKED, NONE }

    /** One request of the pipeline and what must come back for it. */
    record Step(String request, int id, int status, Framing framing, byte[] body, boolean head) {}

    static List<Step> steps() {
        List<Step> s = new ArrayList<>();
        int[] fixed = {1, 100 * 1024, 3 << 20, 0, 16 * 1024 - 1, 16 * 1024, 32 * 1024 - 1, 32 * 1024};
        int[] streamed = {300_000, 0, 1};
        int id = 0;
        for (int i = 0; i < Math.max(fixed.length, streamed.length); i++) {
            if (i < fixed.length) {
                id++;
                s.add(new Step("GET /fixed/" + id + "/" + fixed[i] + " HTTP/1.1\r\nHost: x\r\n\r\n", id, 200, Framing.LENGTH, pattern(fixed[i], id), false));
            }
            if (i < streamed.length) {
                id++;
                s.add(new Step("GET /stream/" + id + "/" + streamed[i] + " HTTP/1.1\r\nHost: x\r\n\r\n", id, 200, Framing.CHUNKED, pattern(streamed[i], id), false));
            }
            if (i == 1) {
                id++;
                s.add(new Step("HEAD /fixed/" + id + "/" + (100 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n", id, 200, Framing.LENGTH, new byte[0], true));
                id++;
                s.add(new Step("GET /204/" + id + " HTTP/1.1\r\nHost: x\r\n\r\n", id, 204, Framing.NONE, new byte[0], false));
            }
            if (i == 3) {
                id++;
                byte[] body = pattern(20_000, id);
                s.add(new Step("POST /echo/" + id + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n"
                        + new String(body, StandardCharsets.ISO_8859_1), id, 200, Framing.LENGTH, body, false));
            }
        }
        return s;
    }

    @BeforeEach
    void captureLogs() { log = new Harness.LogCapture(); }

    @AfterEach
    void stop() {
        try {
            if (server != null) server.close();
            assertThat(log.unexpected()).as("warnings and errors logged by jepoll").isEmpty();
        } finally {
            log.close();
        }
    }

    @ParameterizedTest(name = "virtual threads: {0}")
    @ValueSource(booleans = {false, true})
    void mixedResponsesToOneWriteOfRequestsComeBackWholeAndInOrderToASlowReader(boolean virtualThreads) throws Exception {
        server = mode.builder().virtualThreads(virtualThreads).handler(PipelineTest::route).start();
        List<Step> steps = steps();
        StringBuilder all = new StringBuilder();
        for (Step s : steps) all.append(s.request());
        try (RawClient c = new RawClient(server)) {
            // A small window and reads of 1000 bytes. (Not smaller than 32 KiB: on loopback, whose MSS is 64 KiB, a
            // window of a few KiB is reopened only by delayed-ACK and persist timers, and 3 MiB then take 45 s.)
            c.socket().setReceiveBufferSize(32 * 1024);
            c.limitReads(1000);
            c.send(all.toString()); // one write: the server finds them all at once
            for (Step s : steps) {
                String what = s.request().substring(0, s.request().indexOf(" HTTP/"));
                RawClient.Reply r = c.read(s.head());
                assertThat(r.status()).as("status of %s", what).isEqualTo(s.status());
                assertThat(r.header("x-id")).as("the request %s was answered by", what).isEqualTo(String.valueOf(s.id()));
                switch (s.framing()) {
                    case LENGTH -> {
                        int declared = s.head() ? 100 * 1024 : s.body().length;
                        assertThat(r.header("content-length")).as("Content-Length of %s", what).isEqualTo(String.valueOf(declared));
                        assertThat(r.header("transfer-encoding")).as("Transfer-Encoding of %s", what).isNull();
                    }
                    case CHUNKED -> {
                        assertThat(r.header("transfer-encoding")).as("Transfer-Encoding of %s", what).isEqualTo("chunked");
                        assertThat(r.header("content-length")).as("Content-Length of %s", what).isNull();
                    }
                    case NONE -> {
                        assertThat(r.header("content-length")).as("Content-Length of %s", what).isNull();
                        assertThat(r.header("transfer-encoding")).as("Transfer-Encoding of %s", what).isNull();
                    }
                }
                assertThat(r.body().length).as("body length of %s", what).isEqualTo(s.body().length);
                assertThat(Arrays.equals(r.body(), s.body())).as("body of %s", what).isTrue();
                assertThat(r.header("connection")).as("Connection of %s", what).isNull();
            }
            // still in step: the next request gets its own answer
            RawClient.Reply after = c.send("GET /fixed/99/5 HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(after.header("x-id")).isEqualTo("99");
            assertThat(after.body()).isEqualTo(pattern(5, 99));
        } catch (IOException e) {
            throw new AssertionError("the response stream did not parse: " + e.getMessage(), e);
        }
    }
}
