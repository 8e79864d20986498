package io.jepoll.server;

import io.jepoll.http.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request smuggling and framing ambiguity at the socket level (issue 4), in every transport and trigger mode.
 *
 * <p>Each row names the RFC 9112 / RFC 9110 rule it checks and is exact bytes. A refused row must get its status
 * (400 unless named), {@code Connection: close}, then EOF, and <b>no byte of it may reach the handler</b>: the
 * handler records every request it sees, rows hide a second request in their body or in an ambiguous framing, and
 * the test asserts the handler saw none of them. An accepted row must give exactly the responses listed and leave
 * the connection usable (a following request is answered), which proves its framing was read correctly.
 *
 * <p>Every row runs three ways: sent in one write; sent one byte per write; and pipelined behind a valid request
 * in the same write (which must be answered, then the refusal).
 *
 * <p>Line terminators: jepoll accepts a bare LF wherever CRLF is expected (RFC 9112 §2.2 allows it) and refuses
 * a bare CR (§2.2: "MUST ... reject the message or replace each bare CR with SP"), including inside chunked
 * framing. Both halves of that policy are rows here.
 */
@ParameterizedClass
@EnumSource(Mode.class)
class SmugglingTest {
    @Parameter
    Mode mode;

    private static HttpServer server;
    private static final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger ids = new AtomicInteger();

    /** Answers and records "METHOD path [body]". */
    private static Response record(io.jepoll.http.Request req) {
        String s = req.method() + " " + req.path() + " [" + req.bodyText() + "]";
        seen.add(s);
        return Response.ok(s);
    }

    @BeforeParameterizedClassInvocation
    static void start(Mode mode) throws Exception {
        server = mode.builder().handler(SmugglingTest::record).start();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        server.close();
        server = null;
    }

    @AfterEach
    void serverStillServes() throws IOException {
        try (RawClient c = new RawClient(server)) {
            assertThat(c.send("GET /still-alive HTTP/1.1\r\nHost: h\r\n\r\n").read().text()).isEqualTo("GET /still-alive []");
        }
    }

    // ---------------------------------------------------------------- the table

    enum Variant { WHOLE, BYTE_BY_BYTE, BEHIND_VALID }

    /**
     * One case. {@code request} builds the bytes from a unique id (paths are "/id/..."); for accepted rows
     * {@code expected} builds the responses' bodies (the handler's record lines) in order.
     */
    record Row(String rule, int status, Function<String, String> request, Function<String, List<String>> expected) {
        boolean refused() { return status != 200; }

        @Override
        public String toString() { return rule; }
    }

    static Row refuse(String rule, Function<String, String> request) { return new Row(rule, 400, request, id -> List.of()); }

    static Row refuse(String rule, int status, Function<String, String> request) { return new Row(rule, status, request, id -> List.of()); }

    @SafeVarargs
    static Row accept(String rule, Function<String, String> request, Function<String, String>... expected) {
        return new Row(rule, 200, request, id -> Stream.of(expected).map(f -> f.apply(id)).toList());
    }

    /** A request hidden where only a misreading of the framing would find it. */
    static String hidden(String id) { return "GET /" + id + "/smuggled HTTP/1.1\r\nHost: h\r\n\r\n"; }

    static String chunk(String data) { return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n"; }

    /** POST /id/req over HTTP/1.1 with Host, the given field lines (each ending in CRLF), the end of the head, then body. */
    static String post(String id, String fields, String body) {
        return "POST /" + id + "/req HTTP/1.1\r\nHost: h\r\n" + fields + "\r\n" + body;
    }

    static String get(String id, String fields) { return "GET /" + id + "/req HTTP/1.1\r\nHost: h\r\n" + fields + "\r\n"; }

    /** A chunked body whose one chunk is the hidden request: a server reading it by Content-Length would run it. */
    static String chunkedHiding(String id) { return chunk(hidden(id)) + "0\r\n\r\n"; }

    static List<Row> rows() {
        List<Row> r = new ArrayList<>();

        // ---- Content-Length together with Transfer-Encoding: RFC 9112 §6.1, §6.3
        r.add(refuse("RFC 9112 §6.3: Content-Length then Transfer-Encoding (CL.TE) → 400", id -> {
            String body = "0\r\n\r\n" + hidden(id);
            return post(id, "Content-Length: " + body.length() + "\r\nTransfer-Encoding: chunked\r\n", body);
        }));
        r.add(refuse("RFC 9112 §6.3: Transfer-Encoding then Content-Length (TE.CL) → 400", id ->
                post(id, "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n", chunkedHiding(id))));
        r.add(refuse("RFC 9112 §6.3: Content-Length: 0 with Transfer-Encoding → 400", id ->
                post(id, "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n", chunkedHiding(id))));
        r.add(refuse("RFC 9112 §6.3: upper-case TRANSFER-ENCODING: CHUNKED with Content-Length → 400", id ->
                post(id, "content-length: 3\r\nTRANSFER-ENCODING: CHUNKED\r\n", chunkedHiding(id))));
        r.add(refuse("RFC 9112 §6.1: Content-Length and Transfer-Encoding in HTTP/1.0 → 400", id -> {
            String body = "0\r\n\r\n" + hidden(id);
            return "POST /" + id + "/req HTTP/1.0\r\nContent-Length: " + body.length() + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body;
        }));
        r.add(refuse("RFC 9112 §6.1: Transfer-Encoding then Content-Length in HTTP/1.0 → 400", id ->
                "POST /" + id + "/req HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n" + chunkedHiding(id)));
        r.add(refuse("RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 (faulty framing) → 400", id ->
                "POST /" + id + "/req HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedHiding(id)));

        // ---- Content-Length values: RFC 9110 §8.6, RFC 9112 §6.3
        r.add(refuse("RFC 9110 §8.6: two Content-Length lines that differ → 400", id ->
                post(id, "Content-Length: 0\r\nContent-Length: " + hidden(id).length() + "\r\n", hidden(id))));
        r.add(refuse("RFC 9110 §8.6: differing values in one Content-Length list → 400", id ->
                post(id, "Content-Length: 0, " + hidden(id).length() + "\r\n", hidden(id))));
        r.add(refuse("RFC 9110 §8.6: equal list on one line, different on another → 400", id ->
                post(id, "Content-Length: 3, 3\r\nContent-Length: 0\r\n", "abc" + hidden(id))));
        r.add(refuse("RFC 9110 §8.6: Content-Length with a plus sign → 400", id -> post(id, "Content-Length: +3\r\n", "abc" + hidden(id))));
        r.add(refuse("RFC 9110 §8.6: negative Content-Length → 400", id -> post(id, "Content-Length: -1\r\n", hidden(id))));
        r.add(refuse("RFC 9110 §8.6: hexadecimal Content-Length → 400", id -> post(id, "Content-Length: 0x3\r\n", "abc" + hidden(id))));
        r.add(refuse("RFC 9110 §8.6: space inside Content-Length → 400", id -> post(id, "Content-Length: 1 0\r\n", "abcdefghij" + hidden(id))));
        r.add(refuse("RFC 9110 §8.6: empty Content-Length → 400", id -> post(id, "Content-Length:\r\n", hidden(id))));
        r.add(refuse("RFC 9110 §8.6: Content-Length list of empty elements → 400", id -> post(id, "Content-Length: ,\r\n", hidden(id))));
        r.add(refuse("RFC 9110 §8.6: Content-Length with a trailing comma → 400", id -> post(id, "Content-Length: 3,\r\n", "abc" + hidden(id))));
        r.add(refuse("RFC 9110 §8.6: decimal fraction Content-Length → 400", id -> post(id, "Content-Length: 3.0\r\n", "abc" + hidden(id))));
        r.add(refuse("RFC 9110 §8.6: Content-Length that overflows 64 bits → 400", id ->
                post(id, "Content-Length: 18446744073709551619\r\n", "abc" + hidden(id))));
        r.add(refuse("RFC 9110 §15.5.14: Content-Length above the body limit → 413", 413, id ->
                post(id, "Content-Length: 2000000\r\n", hidden(id))));

        // ---- Transfer-Encoding: RFC 9112 §6.1, §7
        r.add(refuse("RFC 9112 §6.1: final coding not chunked (chunked, gzip) → 400", id ->
                post(id, "Transfer-Encoding: chunked, gzip\r\n", chunkedHiding(id))));
        r.add(refuse("RFC 9112 §6.1: Transfer-Encoding: identity → 400", id ->
                post(id, "Transfer-Encoding: identity\r\n", chunkedHiding(id))));
        r.add(refuse("RFC 9112 §6.1: final coding not chunked across two lines (chunked / identity) → 400", id ->
                post(id, "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", chunkedHiding(id))));
        r.add(refuse("RFC 9112 §7: chunked twice in one list → 400", id ->
                post(id, "Transfer-Encoding: chunked, chunked\r\n", chunkedHiding(id))));
        r.add(refuse("RFC 9112 §7: chunked twice on two lines → 400", id ->
                post(id, "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", chunkedHiding(id))));
        r.add(refuse("RFC 9112 §5.1: Transfer-Encoding with a space before the colon → 400", id ->
                post(id, "Transfer-Encoding : chunked\r\n", chunkedHiding(id))));
        r.add(refuse("RFC 9112 §5.2: Transfer-Encoding continued by obs-fold → 400", id ->
                post(id, "Transfer-Encoding:\r\n chunked\r\n", chunkedHiding(id))));
        r.add(refuse("RFC 9112 §5.2: Transfer-Encoding list continued by obs-fold (HTAB) → 400", id ->
                post(id, "Transfer-Encoding: gzip,\r\n\tchunked\r\n", chunkedHiding(id))));
        r.add(refuse("RFC 9112 §6.1: empty Transfer-Encoding → 400", id -> post(id, "Transfer-Encoding:\r\n", chunkedHiding(id))));
        r.add(refuse("RFC 9112 §7: chunked with a parameter → 400", id -> post(id, "Transfer-Encoding: chunked;q=1\r\n", chunkedHiding(id))));
        r.add(refuse("RFC 9112 §6.1: quoted \"chunked\" is not the chunked coding → 400", id ->
                post(id, "Transfer-Encoding: \"chunked\"\r\n", chunkedHiding(id))));
        r.add(refuse("RFC 9112 §6.1: xchunked is not chunked → 400", id -> post(id, "Transfer-Encoding: xchunked\r\n", chunkedHiding(id))));
        r.add(refuse("RFC 9110 §5.5: vertical tab before chunked → 400", id -> post(id, "Transfer-Encoding: \u000bchunked\r\n", chunkedHiding(id))));
        r.add(refuse("RFC 9112 §6.1: unknown coding before chunked (gzip, chunked) → 501", 501, id ->
                post(id, "Transfer-Encoding: gzip, chunked\r\n", chunkedHiding(id))));

        // ---- chunk sizes: RFC 9112 §7.1
        String te = "Transfer-Encoding: chunked\r\n";
        r.add(refuse("RFC 9112 §7.1: non-hex chunk size → 400", id -> post(id, te, "zz\r\n" + hidden(id) + "\r\n0\r\n\r\n")));
        r.add(refuse("RFC 9112 §7.1: chunk size of 17 hex digits (overflow) → 400", id ->
                post(id, te, "1" + "0".repeat(16) + "\r\n" + hidden(id) + "\r\n0\r\n\r\n")));
        r.add(refuse("RFC 9112 §7.1: chunk size of 17 hex digits with leading zeros → 400", id ->
                post(id, te, "0".repeat(16) + "5\r\nhello\r\n0\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §7.1: chunk size 2^64-1 → 400", id -> post(id, te, "ffffffffffffffff\r\n" + hidden(id) + "\r\n0\r\n\r\n")));
        r.add(refuse("RFC 9112 §7.1: negative chunk size → 400", id -> post(id, te, "-5\r\nhello\r\n0\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §7.1: missing chunk size → 400", id -> post(id, te, "\r\n" + hidden(id) + "\r\n0\r\n\r\n")));
        r.add(refuse("RFC 9112 §7.1: 0x prefix on a chunk size → 400", id -> post(id, te, "0x5\r\nhello\r\n0\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §7.1: plus sign on a chunk size → 400", id -> post(id, te, "+5\r\nhello\r\n0\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §7.1: space before a chunk size → 400", id -> post(id, te, " 5\r\nhello\r\n0\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §7.1: whitespace after a chunk size without extension → 400", id ->
                post(id, te, "5 \r\nhello\r\n0\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9110 §15.5.14: chunk larger than the body limit → 413", 413, id ->
                post(id, te, "100001\r\n" + hidden(id) + "\r\n0\r\n\r\n")));

        // ---- chunk extensions: RFC 9112 §7.1.1
        r.add(refuse("RFC 9112 §7.1.1: ';' without an extension name → 400", id -> post(id, te, "5;\r\nhello\r\n0\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §7.1.1: extension value without a name → 400", id -> post(id, te, "5;=v\r\nhello\r\n0\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §7.1.1: '=' without a value → 400", id -> post(id, te, "5;a=\r\nhello\r\n0\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §7.1.1: unterminated quoted value → 400", id -> post(id, te, "5;a=\"open\r\nhello\r\n0\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §7.1.1: two names without '=' or ';' → 400", id -> post(id, te, "5;a b\r\nhello\r\n0\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §7.1.1: token value followed by garbage → 400", id -> post(id, te, "5;a=b c\r\nhello\r\n0\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §7.1.1: NUL in an extension value → 400", id -> post(id, te, "5;a=\0\r\nhello\r\n0\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §7.1.1: bare CR inside a quoted extension → 400", id -> post(id, te, "5;a=\"x\ry\"\r\nhello\r\n0\r\n\r\n" + hidden(id))));

        // ---- chunk data and line ends: RFC 9112 §7.1, §2.2
        r.add(refuse("RFC 9112 §7.1: chunk data longer than its size → 400", id -> post(id, te, "3\r\nhello\r\n0\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §7.1: chunk data followed by a bare CR → 400", id -> post(id, te, "5\r\nhello\r0\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §7.1: chunk data followed by other bytes → 400", id -> post(id, te, "5\r\nhelloXY0\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §2.2: chunk-size line ended by a bare CR → 400", id -> post(id, te, "5\rhello\r\n0\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §2.2: last-chunk line ended by a bare CR → 400", id -> post(id, te, "0\r\r\n" + hidden(id))));

        // ---- trailer section: RFC 9112 §7.1.2
        r.add(refuse("RFC 9112 §5.2: obs-fold in a trailer field → 400", id -> post(id, te, "0\r\nX-T: a\r\n b\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §2.2: bare CR in a trailer field → 400", id -> post(id, te, "0\r\nX-T: a\rb\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9110 §5.5: NUL in a trailer value → 400", id -> post(id, te, "0\r\nX-T: a\0b\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §5.1: trailer line without a colon → 400", id -> post(id, te, "0\r\nX-T\r\n\r\n" + hidden(id))));
        r.add(refuse("RFC 9112 §5.1: space before the colon in a trailer → 400", id -> post(id, te, "0\r\nX-T : v\r\n\r\n" + hidden(id))));

        // ---- bare CR: RFC 9112 §2.2
        r.add(refuse("RFC 9112 §2.2: request line ended by a bare CR → 400", id ->
                "GET /" + id + "/req HTTP/1.1\rHost: h\r\n\r\n" + hidden(id)));
        r.add(refuse("RFC 9112 §2.2: bare CR inside a field value hiding Content-Length → 400", id ->
                post(id, "X: y\rContent-Length: " + hidden(id).length() + "\r\n", hidden(id))));
        r.add(refuse("RFC 9112 §2.2: field line ended by a bare CR → 400", id -> get(id, "X: y\rZ: w\r\n") + hidden(id)));
        r.add(refuse("RFC 9112 §2.2: head ended by CR CR → 400", id -> "GET /" + id + "/req HTTP/1.1\r\nHost: h\r\n\r\r" + hidden(id)));
        r.add(refuse("RFC 9112 §2.2: bare CR in a leading empty line → 400", id -> "\r\r" + get(id, "")));

        // ---- obs-fold: RFC 9112 §5.2
        r.add(refuse("RFC 9112 §5.2: obs-fold (SP) in an ordinary field → 400", id -> get(id, "X-A: a\r\n b\r\n") + hidden(id)));
        r.add(refuse("RFC 9112 §5.2: obs-fold (HTAB) after Host → 400", id -> "GET /" + id + "/req HTTP/1.1\r\nHost: h\r\n\tx\r\n\r\n" + hidden(id)));
        r.add(refuse("RFC 9112 §5.2: Content-Length value on a folded line → 400", id ->
                post(id, "Content-Length:\r\n " + hidden(id).length() + "\r\n", hidden(id))));

        // ---- field name and colon: RFC 9112 §5.1, §2.2
        r.add(refuse("RFC 9112 §5.1: space between Host and colon → 400", id -> "GET /" + id + "/req HTTP/1.1\r\nHost : h\r\n\r\n" + hidden(id)));
        r.add(refuse("RFC 9112 §5.1: HTAB between Content-Length and colon → 400", id ->
                post(id, "Content-Length\t: " + hidden(id).length() + "\r\n", hidden(id))));
        r.add(refuse("RFC 9112 §2.2: whitespace before the first field line → 400", id ->
                "GET /" + id + "/req HTTP/1.1\r\n Host: h\r\n\r\n" + hidden(id)));

        // ---- control characters: RFC 9110 §5.1 (names are tokens), §5.5 (values)
        r.add(refuse("RFC 9110 §5.1: NUL in a field name → 400", id -> get(id, "X\0Y: z\r\n") + hidden(id)));
        r.add(refuse("RFC 9110 §5.5: NUL in a field value → 400", id -> get(id, "X: a\0b\r\n") + hidden(id)));
        r.add(refuse("RFC 9110 §5.1: DEL in a field name → 400", id -> get(id, "X\u007fY: z\r\n") + hidden(id)));
        r.add(refuse("RFC 9110 §5.5: DEL in a field value → 400", id -> get(id, "X: a\u007fb\r\n") + hidden(id)));
        r.add(refuse("RFC 9110 §5.1: 0x01 in a field name → 400", id -> get(id, "X\u0001Y: z\r\n") + hidden(id)));
        r.add(refuse("RFC 9110 §5.5: 0x01 in a field value → 400", id -> get(id, "X: a\u0001b\r\n") + hidden(id)));
        r.add(refuse("RFC 9110 §5.1: obs-text in a field name → 400", id -> get(id, "X\u00e9: z\r\n") + hidden(id)));
        r.add(refuse("RFC 9112 §3.2: NUL in the request-target → 400", id -> "GET /" + id + "/a\0b HTTP/1.1\r\nHost: h\r\n\r\n" + hidden(id)));

        // ---- Host: RFC 9112 §3.2
        r.add(refuse("RFC 9112 §3.2: HTTP/1.1 without Host → 400", id -> "GET /" + id + "/req HTTP/1.1\r\n\r\n" + hidden(id)));
        r.add(refuse("RFC 9112 §3.2: two identical Host lines → 400", id -> get(id, "Host: h\r\n") + hidden(id)));
        r.add(refuse("RFC 9112 §3.2: two different Host lines → 400", id -> get(id, "Host: evil\r\n") + hidden(id)));
        r.add(refuse("RFC 9112 §3.2: Host with a space inside → 400", id -> "GET /" + id + "/req HTTP/1.1\r\nHost: a b\r\n\r\n" + hidden(id)));
        r.add(refuse("RFC 9110 §4.2.4: Host with userinfo → 400", id -> "GET /" + id + "/req HTTP/1.1\r\nHost: u@h\r\n\r\n" + hidden(id)));
        for (String host : new String[]{"a<b", "a\"b", "a{b}", "a\\b", "a|b", "caf\u00e9", "a%zz", "a%4", "h:8o", "a:1:2",
                "[::1", "[]", "[::1]x", "[::1]:8o", "[::<1]"}) {
            r.add(refuse("RFC 9112 §3.2: Host " + host + " is not uri-host [\":\" port] → 400", id ->
                    "GET /" + id + "/req HTTP/1.1\r\nHost: " + host + "\r\n\r\n" + hidden(id)));
        }

        // ---- request line: RFC 9112 §3, §2.3
        r.add(refuse("RFC 9112 §3: two spaces after the method → 400", id -> "GET  /" + id + "/req HTTP/1.1\r\nHost: h\r\n\r\n" + hidden(id)));
        r.add(refuse("RFC 9112 §3: two spaces before the version → 400", id -> "GET /" + id + "/req  HTTP/1.1\r\nHost: h\r\n\r\n" + hidden(id)));
        r.add(refuse("RFC 9112 §3: HTAB as a separator → 400", id -> "GET\t/" + id + "/req HTTP/1.1\r\nHost: h\r\n\r\n" + hidden(id)));
        r.add(refuse("RFC 9112 §3: missing version (HTTP/0.9 form) → 400", id -> "GET /" + id + "/req\r\nHost: h\r\n\r\n" + hidden(id)));
        r.add(refuse("RFC 9112 §2.3: lower-case http/1.1 → 400", id -> "GET /" + id + "/req http/1.1\r\nHost: h\r\n\r\n" + hidden(id)));
        r.add(refuse("RFC 9112 §2.3: HTTP/1.10 → 400", id -> "GET /" + id + "/req HTTP/1.10\r\nHost: h\r\n\r\n" + hidden(id)));
        r.add(refuse("RFC 9112 §3: space after the version → 400", id -> "GET /" + id + "/req HTTP/1.1 \r\nHost: h\r\n\r\n" + hidden(id)));
        r.add(refuse("RFC 9112 §3: space before the method → 400", id -> " GET /" + id + "/req HTTP/1.1\r\nHost: h\r\n\r\n" + hidden(id)));
        r.add(refuse("RFC 9112 §3: space inside the request-target → 400", id -> "GET /" + id + "/a b HTTP/1.1\r\nHost: h\r\n\r\n" + hidden(id)));
        r.add(refuse("RFC 9110 §15.6.6: HTTP/2.0 on an HTTP/1.1 connection → 505", 505, id ->
                "GET /" + id + "/req HTTP/2.0\r\nHost: h\r\n\r\n" + hidden(id)));

        // ---- valid edge cases that must be accepted, with the framing read right
        r.add(accept("RFC 9110 §8.6: identical duplicate Content-Length lines → accepted",
                id -> post(id, "Content-Length: 5\r\nContent-Length: 5\r\n", "hello"), id -> "POST /" + id + "/req [hello]"));
        r.add(accept("RFC 9110 §8.6: list of identical Content-Length values → accepted",
                id -> post(id, "Content-Length: 5, 5\r\n", "hello"), id -> "POST /" + id + "/req [hello]"));
        r.add(accept("RFC 9110 §8.6: Content-Length with leading zeros and trailing OWS → accepted",
                id -> post(id, "Content-Length: 005 \r\n", "hello"), id -> "POST /" + id + "/req [hello]"));
        r.add(accept("RFC 9112 §6.3: a request inside a Content-Length body stays body",
                id -> post(id, "Content-Length: " + hidden(id).length() + "\r\n", hidden(id)),
                id -> "POST /" + id + "/req [" + hidden(id) + "]"));
        r.add(accept("RFC 9112 §7.1.2: chunked with trailer fields → accepted",
                id -> post(id, te, "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n"),
                id -> "POST /" + id + "/req [hello world]"));
        r.add(accept("RFC 9112 §7.1.2: Content-Length and Transfer-Encoding in trailers do not change framing",
                id -> post(id, te, "5\r\nhello\r\n0\r\nContent-Length: 500\r\nTransfer-Encoding: identity\r\n\r\n"),
                id -> "POST /" + id + "/req [hello]"));
        r.add(accept("RFC 9112 §7.1.1: chunk extensions (token, quoted with ';' and '\\\"', BWS) → accepted",
                id -> post(id, te, "5;a=b;c\r\nhello\r\n1 ; n = \"q;\\\"x\" ; m\r\n!\r\n0;last=yes\r\n\r\n"),
                id -> "POST /" + id + "/req [hello!]"));
        r.add(accept("RFC 9112 §7.1: chunk sizes with leading zeros and upper-case hex → accepted",
                id -> post(id, te, "0005\r\nhello\r\n00A\r\n0123456789\r\n000\r\n\r\n"),
                id -> "POST /" + id + "/req [hello0123456789]"));
        r.add(accept("RFC 9112 §6.1: transfer-coding names are case-insensitive (Chunked) → accepted",
                id -> post(id, "Transfer-Encoding: Chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"), id -> "POST /" + id + "/req [hello]"));
        r.add(accept("RFC 9112 §7.1: a request inside a chunk stays body", id -> post(id, te, chunkedHiding(id)),
                id -> "POST /" + id + "/req [" + hidden(id) + "]"));
        r.add(accept("RFC 9112 §2.2: bare LF ends every line of a GET → accepted",
                id -> "GET /" + id + "/req HTTP/1.1\nHost: h\nX: y\n\n", id -> "GET /" + id + "/req []"));
        r.add(accept("RFC 9112 §2.2: bare LF in chunk lines, after data and in trailers → accepted",
                id -> "POST /" + id + "/req HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n5\nhello\n1;e=v\n!\n0\nX-T: t\n\n",
                id -> "POST /" + id + "/req [hello!]"));
        r.add(accept("RFC 9112 §2.2: bare LF inside what looks like one value ends the field line",
                id -> "POST /" + id + "/req HTTP/1.1\r\nHost: h\r\nX: a\nContent-Length: 5\r\n\nhello",
                id -> "POST /" + id + "/req [hello]"));
        r.add(accept("RFC 9112 §2.2: leading empty lines (CRLF and LF) before the request line → accepted",
                id -> "\r\n\n" + get(id, ""), id -> "GET /" + id + "/req []"));
        r.add(accept("RFC 9110 §5.5: obs-text and HTAB in a field value → accepted",
                id -> get(id, "X: caf\u00e9\tau lait\r\n"), id -> "GET /" + id + "/req []"));
        r.add(accept("RFC 9112 §3.2: empty Host value → accepted",
                id -> "GET /" + id + "/req HTTP/1.1\r\nHost:\r\n\r\n", id -> "GET /" + id + "/req []"));
        for (String host : new String[]{"[::1]:8080", "[fe80::1%25eth0]", "[v1.x]", "127.0.0.1:80", "xn--bcher-kva.example:443",
                "a-b_c~d!$&'()*+,;=e", "a%2Db", "h:"}) {
            r.add(accept("RFC 9112 §3.2: Host " + host + " (uri-host [\":\" port]) → accepted",
                    id -> "GET /" + id + "/req HTTP/1.1\r\nHost: " + host + "\r\n\r\n", id -> "GET /" + id + "/req []"));
        }
        r.add(accept("RFC 9112 §3.2: HTTP/1.0 without Host (keep-alive) → accepted",
                id -> "GET /" + id + "/req HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", id -> "GET /" + id + "/req []"));
        r.add(accept("RFC 9112 §9.3: two pipelined requests with bodies are both answered in order",
                id -> post(id, "Content-Length: 3\r\n", "abc") + post(id, te, "2\r\nde\r\n0\r\n\r\n"),
                id -> "POST /" + id + "/req [abc]", id -> "POST /" + id + "/req [de]"));
        return r;
    }

    // ---------------------------------------------------------------- the check

    /** One test per row and mode; the three ways of sending run inside it (a test costs the runner ~4 ms). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void row(Row row) throws Exception {
        for (Variant v : Variant.values()) {
            try {
                run(row, v);
            } catch (AssertionError | IOException e) {
                throw new AssertionError("sent " + v + ": " + e.getMessage(), e);
            }
        }
    }

    private void run(Row row, Variant variant) throws IOException {
        String id = "c" + ids.incrementAndGet();
        String prefix = "/" + id + "/";
        byte[] bytes = row.request().apply(id).getBytes(StandardCharsets.ISO_8859_1);
        List<String> want = new ArrayList<>();
        if (variant == Variant.BEHIND_VALID) want.add("GET " + prefix + "ok []");
        want.addAll(row.expected().apply(id));

        try (RawClient c = new RawClient(server)) {
            switch (variant) {
                case WHOLE -> c.send(bytes);
                case BYTE_BY_BYTE -> trickle(c, bytes);
                case BEHIND_VALID -> {
                    byte[] valid = ("GET " + prefix + "ok HTTP/1.1\r\nHost: h\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
                    byte[] both = new byte[valid.length + bytes.length];
                    System.arraycopy(valid, 0, both, 0, valid.length);
                    System.arraycopy(bytes, 0, both, valid.length, bytes.length);
                    c.send(both);
                }
            }
            for (String w : want) {
                RawClient.Reply ok = c.read();
                assertThat(ok.status()).as("status of the response to %s", w).isEqualTo(200);
                assertThat(ok.text()).isEqualTo(w);
            }
            if (row.refused()) {
                RawClient.Reply r = c.read();
                assertThat(r.status()).as("status; body: %s", r.text()).isEqualTo(row.status());
                assertThat(r.header("connection")).isEqualTo("close");
                assertThat(c.closedByServer()).as("connection closed right after the refusal").isTrue();
            } else {
                // the framing was read right: the connection is still in step
                assertThat(c.send("GET " + prefix + "after HTTP/1.1\r\nHost: h\r\n\r\n").read().text()).isEqualTo("GET " + prefix + "after []");
                want.add("GET " + prefix + "after []");
            }
        }
        List<String> handled = seen.stream().filter(s -> s.contains(prefix)).toList();
        assertThat(handled).as("requests of this row that reached the handler").isEqualTo(want);
    }

    /** One byte per write; a server that refused early may stop reading (its reset is not this test's concern). */
    private static void trickle(RawClient c, byte[] bytes) {
        try {
            for (byte b : bytes) c.send(new byte[]{b});
        } catch (IOException e) {
            // the refusal is already on its way; the reads below check it
        }
    }
}
