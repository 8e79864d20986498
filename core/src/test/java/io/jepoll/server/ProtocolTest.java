package io.jepoll.server;

import io.jepoll.http.HttpLimits;
import io.jepoll.http.Request;
import io.jepoll.http.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Response rules of RFC 9110 that a client depends on to parse what follows, in every mode: 204 and 304 carry no
 * content and no framing for one (§6.4.1, §8.6, RFC 9112 §6.1), every response is dated with an IMF-fixdate
 * (§5.6.7, §6.6.1), and {@code Expect: 100-continue} (§10.1.1) is answered as docs/HTTP.md says.
 */
@ParameterizedClass
@MethodSource("io.jepoll.server.Mode#plaintext")
class ProtocolTest {
    @Parameter
    Mode mode;

    private static final String BODY_THAT_MUST_NOT_BE_SENT = "this content must not be sent";

    private HttpServer server;
    private Harness.LogCapture log;
    private final AtomicInteger handled = new AtomicInteger();

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

    /** /204 and /304 (fixed or streamed, each given content the server must drop), /stream, /404, /echo, else 200. */
    private Response route(Request req) {
        handled.incrementAndGet();
        byte[] content = BODY_THAT_MUST_NOT_BE_SENT.getBytes(StandardCharsets.US_ASCII);
        return switch (req.path()) {
            case "/204" -> Response.bytes(204, "text/plain", content);
            case "/304" -> Response.bytes(304, "text/plain", content).withHeader("ETag", "\"v1\"");
            case "/204-streamed" -> Response.stream(204, "text/plain", out -> out.write(content));
            case "/304-streamed" -> Response.stream(304, "text/plain", out -> out.write(content));
            case "/stream" -> Response.stream(200, "text/plain", out -> out.write("streamed".getBytes(StandardCharsets.US_ASCII)));
            case "/404" -> Response.text(404, "not here\n");
            case "/echo" -> Response.bytes(200, "application/octet-stream", req.body());
            default -> Response.ok("ok " + req.path());
        };
    }

    private HttpServer start(HttpServer.Builder b) throws Exception { return server = b.handler(this::route).start(); }

    // ---------------------------------------------------------------- 204 and 304

    @Test
    void noContentAndNotModifiedCarryNoBodyAndThePipelinedResponseAfterThemParses() throws Exception {
        start(mode.builder());
        String[] bodyless = {"/204", "/304", "/204-streamed", "/304-streamed"};
        StringBuilder pipeline = new StringBuilder();
        for (String p : bodyless) pipeline.append("GET ").append(p).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
        pipeline.append("HEAD /204 HTTP/1.1\r\nHost: x\r\n\r\n");
        pipeline.append("GET /after HTTP/1.1\r\nHost: x\r\n\r\n");
        try (RawClient c = new RawClient(server)) {
            c.send(pipeline.toString());
            for (String p : bodyless) {
                RawClient.Reply r = c.read();
                assertThat(r.status()).as(p).isEqualTo(Integer.parseInt(p.substring(1, 4)));
                // RFC 9110 §8.6: no Content-Length in a 204; in a 304 only the 200's length (jepoll sends none).
                // RFC 9112 §6.1: no Transfer-Encoding in a 204 (nor, from jepoll, in a 304: it has no content).
                assertThat(r.header("content-length")).as("Content-Length of %s", p).isNull();
                assertThat(r.header("transfer-encoding")).as("Transfer-Encoding of %s", p).isNull();
                assertThat(r.header("connection")).as("Connection of %s", p).isNull();
            }
            RawClient.Reply head = c.read(true);
            assertThat(head.status()).isEqualTo(204);
            assertThat(head.header("content-length")).isNull();
            // RawClient reads no body for 204 and 304: a stray byte of content would break this status line
            RawClient.Reply after = c.read();
            assertThat(after.statusLine()).isEqualTo("HTTP/1.1 200 OK");
            assertThat(after.text()).isEqualTo("ok /after");
        }
    }

    @Test
    void noContentAndNotModifiedEndAtTheirHeadWhenTheConnectionCloses() throws Exception {
        start(mode.builder());
        // Connection: close and HTTP/1.0 take the encoder's other path (no cached whole response): the head must
        // still be all there is, up to the close.
        for (String p : new String[]{"/204", "/304", "/204-streamed", "/304-streamed"}) {
            for (String request : new String[]{"GET " + p + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "GET " + p + " HTTP/1.0\r\n\r\n"}) {
                try (RawClient c = new RawClient(server)) {
                    c.send(request);
                    Harness.Received r = Harness.readToEnd(c.socket());
                    String what = request.substring(0, request.indexOf("\r\n"));
                    assertThat(r.end()).as("%s: closed by the server", what).isEqualTo(Harness.End.EOF);
                    assertThat(r.text()).as(what).startsWith("HTTP/1.1 " + p.substring(1, 4) + " ")
                            .endsWith("\r\n\r\n").doesNotContain(BODY_THAT_MUST_NOT_BE_SENT)
                            .doesNotContainIgnoringCase("\r\nContent-Length:").doesNotContainIgnoringCase("\r\nTransfer-Encoding:");
                    assertThat(r.text().indexOf("\r\n\r\n")).as("%s: one head and nothing after it", what).isEqualTo(r.text().length() - 4);
                }
            }
        }
    }

    // ---------------------------------------------------------------- Date

    private static final Pattern IMF_FIXDATE = Pattern.compile(
            "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$");
    private static final DateTimeFormatter IMF = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** RFC 9110 §5.6.7: exactly the IMF-fixdate form, a real date (weekday matching), within the exchange. */
    private static void assertImfFixdate(String date, String what, Instant before, Instant after) {
        assertThat(date).as("Date of %s", what).isNotNull().matches(IMF_FIXDATE);
        ZonedDateTime t = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME); // checks the weekday too
        assertThat(IMF.format(t)).as("Date of %s, formatted again", what).isEqualTo(date);
        // The second the response was made: not before the request was sent, not after it was received (a second's
        // slack each way for the server's once-a-second wall clock).
        assertThat(t.toInstant()).as("Date of %s", what)
                .isBetween(before.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1), after.plusSeconds(1));
    }

    @Test
    void everyResponseIsDatedWithAnImfFixdate() throws Exception {
        start(mode.builder().limits(HttpLimits.defaults().withMaxBodySize(10)));
        String[][] cases = {
                {"200, keep-alive", "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"},
                {"200, HTTP/1.0", "GET /b HTTP/1.0\r\n\r\n"},
                {"200, Connection: close", "GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"},
                {"200, streamed", "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"},
                {"204", "GET /204 HTTP/1.1\r\nHost: x\r\n\r\n"},
                {"304", "GET /304 HTTP/1.1\r\nHost: x\r\n\r\n"},
                {"404", "GET /404 HTTP/1.1\r\nHost: x\r\n\r\n"},
                {"HEAD", "HEAD /d HTTP/1.1\r\nHost: x\r\n\r\n"},
                {"400, refused by the parser", "GET / HTTP/1.1\r\n\r\n"},
                {"413, refused by the parser", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n"},
        };
        List<String> seen = new ArrayList<>();
        for (String[] c : cases) {
            try (RawClient client = new RawClient(server)) {
                Instant before = Instant.now();
                RawClient.Reply r = client.send(c[1]).read(c[0].equals("HEAD"));
                Instant after = Instant.now();
                assertImfFixdate(r.header("date"), c[0], before, after); // RawClient refuses a second Date field
                seen.add(c[0]);
            }
        }
        assertThat(seen).hasSize(cases.length);
    }

    // ---------------------------------------------------------------- Expect: 100-continue

    /** Waits (bounded) for anything from the server; returns what arrived, or null if it said nothing. */
    private static String whatArrivesWithin(RawClient c, int millis) throws IOException {
        int before = c.socket().getSoTimeout();
        c.socket().setSoTimeout(millis);
        try {
            int b = c.socket().getInputStream().read();
            return b < 0 ? "EOF" : "byte " + b;
        } catch (SocketTimeoutException quiet) {
            return null;
        } finally {
            c.socket().setSoTimeout(before);
        }
    }

    @Test
    void continueIsSentWhenTheClientWaitsWithTheBody() throws Exception {
        start(mode.builder());
        String[][] cases = {
                {"Content-Length", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n", "hello"},
                {"chunked", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n", "5\r\nhello\r\n0\r\n\r\n"},
                {"token in another case (RFC 9110 §10.1.1: case-insensitive)", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-Continue\r\n\r\n", "hello"},
        };
        try (RawClient c = new RawClient(server)) { // one connection: each exchange leaves it usable
            for (String[] k : cases) {
                RawClient.Reply interim = c.send(k[1]).read();
                assertThat(interim.statusLine()).as(k[0]).isEqualTo("HTTP/1.1 100 Continue");
                assertThat(interim.headers()).as("fields of the 100 (%s)", k[0]).isEmpty();
                RawClient.Reply fin = c.send(k[2]).read();
                assertThat(fin.status()).as("the final response follows the 100, and only one 100 (%s)", k[0]).isEqualTo(200);
                assertThat(fin.text()).isEqualTo("hello");
            }
        }
        assertThat(handled).hasValue(3);
    }

    @Test
    void noContinueWhenTheBodyArrivesWithTheHead() throws Exception {
        start(mode.builder());
        try (RawClient c = new RawClient(server)) {
            // RFC 9110 §10.1.1: a server MAY omit the 100 when it already received some or all of the content
            RawClient.Reply r = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello").read();
            assertThat(r.status()).as("the first response").isEqualTo(200);
            assertThat(r.text()).isEqualTo("hello");
            // nor for a request without content (the framing says none will come)
            r = c.send("GET /nothing HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            r = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEmpty();
            assertThat(c.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("ok /after");
        }
    }

    @Test
    void unknownExpectationGets417AndTheRequestIsNotHandled() throws Exception {
        start(mode.builder());
        for (String expect : new String[]{"something-else", "100-continue, something-else", "100-continue=1"}) {
            try (RawClient c = new RawClient(server)) {
                RawClient.Reply r = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: " + expect + "\r\n\r\n").read();
                assertThat(r.status()).as("Expect: %s", expect).isEqualTo(417);
                assertThat(r.header("connection")).isEqualTo("close");
                assertThat(c.closedByServer()).isTrue();
            }
        }
        assertThat(handled).hasValue(0);
    }

    @Test
    void declaredBodyOverTheLimitGets413WithoutA100() throws Exception {
        start(mode.builder().limits(HttpLimits.defaults().withMaxBodySize(1000)));
        for (String framing : new String[]{"Content-Length: 1001", "Content-Length: 99999999999"}) {
            try (RawClient c = new RawClient(server)) {
                RawClient.Reply r = c.send("POST /echo HTTP/1.1\r\nHost: x\r\n" + framing + "\r\nExpect: 100-continue\r\n\r\n").read();
                assertThat(r.status()).as("the first response to %s", framing).isEqualTo(413);
                assertThat(r.header("connection")).isEqualTo("close");
                assertThat(c.closedByServer()).isTrue();
            }
        }
        // at the limit it is accepted, with a 100 first
        try (RawClient c = new RawClient(server)) {
            assertThat(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n").read().status()).isEqualTo(100);
            assertThat(c.send("a".repeat(1000)).read().body()).hasSize(1000);
        }
        assertThat(handled).hasValue(1);
    }

    @Test
    void expectationIsIgnoredInAnHttp10Request() throws Exception {
        start(mode.builder());
        try (RawClient c = new RawClient(server)) {
            // RFC 9110 §10.1.1: "A server that receives a 100-continue expectation in an HTTP/1.0 request MUST
            // ignore that expectation." The client holds the body back for a while (the HTTP/1.1 test above shows
            // a 100 is sent at once), then sends it: the first thing that comes back must be the final response.
            c.send("POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(whatArrivesWithin(c, 300)).as("what the server sent while the client held the body back").isNull();
            RawClient.Reply r = c.send("hello").read();
            assertThat(r.status()).as("the first response").isEqualTo(200);
            assertThat(r.text()).isEqualTo("hello");
            assertThat(r.header("connection")).isEqualTo("keep-alive");
        }
        assertThat(handled).hasValue(1);
    }
}
