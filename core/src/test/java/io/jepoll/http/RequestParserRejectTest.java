package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every refusal rule, one row each, with the RFC section it comes from; limits are tested at the bound (accepted)
 * and one past it (refused). Each row runs twice: the input fed whole, and fed one byte at a time, which must
 * give the same answer (errors are found as the bytes arrive, not only when a line is complete).
 */
class RequestParserRejectTest {

    /** The input is one complete, valid request. */
    static final int COMPLETE = 200;
    /** The input is a valid prefix: no error yet, no request yet. */
    static final int INCOMPLETE = -1;

    record Case(String name, byte[] input, HttpLimits limits, int expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final HttpLimits D = HttpLimits.defaults();
    private static final String H11 = " HTTP/1.1\r\nHost: h\r\n";
    private static final String CHUNKED_HEAD = "POST /" + H11 + "Transfer-Encoding: chunked\r\n\r\n";

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();

        // ---- message framing of lines: RFC 9112 §2.2
        add(c, "RFC 9112 §2.2: CRLF line ends → complete", "GET /" + H11 + "\r\n", COMPLETE);
        add(c, "RFC 9112 §2.2: bare LF line ends → complete", "GET / HTTP/1.1\nHost: h\n\n", COMPLETE);
        add(c, "RFC 9112 §2.2: leading empty lines are ignored → complete", "\r\n\n\r\nGET /" + H11 + "\r\n", COMPLETE);
        add(c, "RFC 9112 §2.2: bare CR in a leading empty line → 400", "\r\rGET /" + H11 + "\r\n", 400);
        add(c, "RFC 9112 §2.2: bare CR ending the request line → 400", "GET / HTTP/1.1\rHost: h\r\n\r\n", 400);
        add(c, "RFC 9112 §2.2: bare CR inside a field value → 400", "GET /" + H11 + "X: a\rb\r\n\r\n", 400);
        add(c, "RFC 9112 §2.2: bare CR ending a field line → 400", "GET /" + H11 + "X: a\rY: b\r\n\r\n", 400);
        add(c, "RFC 9112 §2.2: bare CR in the final empty line → 400", "GET /" + H11 + "\rX", 400);
        add(c, "RFC 9112 §2.2: whitespace between request line and first field → 400",
                "GET / HTTP/1.1\r\n Host: h\r\n\r\n", 400);

        // ---- request line: RFC 9112 §3
        add(c, "RFC 9112 §3: two spaces after the method → 400", "GET  /" + H11 + "\r\n", 400);
        add(c, "RFC 9112 §3: two spaces before the version → 400", "GET /  HTTP/1.1\r\nHost: h\r\n\r\n", 400);
        add(c, "RFC 9112 §3: HTAB as separator → 400", "GET\t/" + H11 + "\r\n", 400);
        add(c, "RFC 9112 §3: space after the version → 400", "GET / HTTP/1.1 \r\nHost: h\r\n\r\n", 400);
        add(c, "RFC 9112 §3: space before the method → 400", " GET /" + H11 + "\r\n", 400);
        add(c, "RFC 9112 §3: no request-target nor version → 400", "GET\r\nHost: h\r\n\r\n", 400);
        add(c, "RFC 9112 §3: no version (HTTP/0.9 form) → 400", "GET /\r\nHost: h\r\n\r\n", 400);
        add(c, "RFC 9112 §3: empty version → 400", "GET / \r\nHost: h\r\n\r\n", 400);
        add(c, "RFC 9110 §9.1: method must be a token → 400", "G(T /" + H11 + "\r\n", 400);
        add(c, "RFC 9110 §9.1: NUL in method → 400", "GE\0T /" + H11 + "\r\n", 400);
        add(c, "RFC 9110 §9.1: unknown token method → complete", "BREW /" + H11 + "\r\n", COMPLETE);

        // ---- HTTP-version: RFC 9112 §2.3, RFC 9110 §15.6.6
        add(c, "RFC 9112 §2.3: HTTP/1.0 → complete", "GET / HTTP/1.0\r\n\r\n", COMPLETE);
        add(c, "RFC 9112 §2.3: HTTP/1.9 served as 1.1 → complete", "GET / HTTP/1.9\r\nHost: h\r\n\r\n", COMPLETE);
        add(c, "RFC 9112 §2.3: two-digit minor HTTP/1.10 → 400", "GET / HTTP/1.10\r\nHost: h\r\n\r\n", 400);
        add(c, "RFC 9112 §2.3: lower-case http/1.1 → 400", "GET / http/1.1\r\nHost: h\r\n\r\n", 400);
        add(c, "RFC 9112 §2.3: no minor HTTP/1 → 400", "GET / HTTP/1\r\nHost: h\r\n\r\n", 400);
        add(c, "RFC 9112 §2.3: no dot HTTP/11 → 400", "GET / HTTP/11\r\nHost: h\r\n\r\n", 400);
        add(c, "RFC 9112 §2.3: HTTPS/1.1 → 400", "GET / HTTPS/1.1\r\nHost: h\r\n\r\n", 400);
        add(c, "RFC 9112 §2.3: letter as minor HTTP/1.x → 400", "GET / HTTP/1.x\r\nHost: h\r\n\r\n", 400);
        add(c, "RFC 9110 §15.6.6: major 2 → 505", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505);
        add(c, "RFC 9110 §15.6.6: major 9 → 505", "GET / HTTP/9.9\r\nHost: h\r\n\r\n", 505);
        add(c, "RFC 9110 §15.6.6: major 0 (HTTP/0.9) → 505", "GET / HTTP/0.9\r\n\r\n", 505);

        // ---- request-target: RFC 9112 §3.2
        add(c, "RFC 9112 §3.2: fragment '#' in target → 400", "GET /a#b" + H11 + "\r\n", 400);
        add(c, "RFC 9112 §3.2: control byte in target → 400", "GET /a\u0001b" + H11 + "\r\n", 400);
        add(c, "RFC 9112 §3.2: DEL in target → 400", "GET /a\u007fb" + H11 + "\r\n", 400);
        add(c, "RFC 9112 §3.2: non-ASCII byte in target → 400", "GET /caf\u00e9" + H11 + "\r\n", 400);
        add(c, "RFC 9112 §3.2: every VCHAR but '#' is allowed → complete",
                "GET /!\"$%&'()*+,-./:;<=>?@[\\]^_`{|}~" + H11 + "\r\n", COMPLETE);
        add(c, "RFC 9112 §3.2: relative target without '/' → 400", "GET index.html" + H11 + "\r\n", 400);
        add(c, "RFC 9112 §3.2.1: origin-form → complete", "GET /a/b?c=d" + H11 + "\r\n", COMPLETE);
        add(c, "RFC 9112 §3.2.2: absolute-form http → complete", "GET http://example.com:8080/p?q" + H11 + "\r\n", COMPLETE);
        add(c, "RFC 9112 §3.2.2: absolute-form HTTPS scheme any case → complete", "GET HTTPS://example.com" + H11 + "\r\n", COMPLETE);
        add(c, "RFC 9112 §3.2.2: scheme other than http(s) → 400", "GET ftp://example.com/" + H11 + "\r\n", 400);
        add(c, "RFC 9110 §4.2.1: absolute-form with empty host → 400", "GET http:///p" + H11 + "\r\n", 400);
        add(c, "RFC 9110 §4.2.1: absolute-form with nothing after scheme → 400", "GET http://" + H11 + "\r\n", 400);
        add(c, "RFC 9110 §4.2.4: userinfo in absolute-form → 400", "GET http://u:p@example.com/" + H11 + "\r\n", 400);
        add(c, "RFC 9112 §3.2.3: CONNECT authority-form → complete", "CONNECT example.com:443" + H11 + "\r\n", COMPLETE);
        add(c, "RFC 9112 §3.2.3: CONNECT IPv6 authority → complete", "CONNECT [::1]:443" + H11 + "\r\n", COMPLETE);
        add(c, "RFC 9112 §3.2.3: CONNECT without port → 400", "CONNECT example.com" + H11 + "\r\n", 400);
        add(c, "RFC 9112 §3.2.3: CONNECT with port above 65535 → 400", "CONNECT example.com:65536" + H11 + "\r\n", 400);
        add(c, "RFC 9112 §3.2.3: CONNECT with origin-form → 400", "CONNECT /" + H11 + "\r\n", 400);
        add(c, "RFC 9112 §3.2.3: CONNECT with absolute-form → 400", "CONNECT http://example.com:443/" + H11 + "\r\n", 400);
        add(c, "RFC 9112 §3.2.3: authority-form with GET → 400", "GET example.com:443" + H11 + "\r\n", 400);
        add(c, "RFC 9112 §3.2.4: OPTIONS * → complete", "OPTIONS *" + H11 + "\r\n", COMPLETE);
        add(c, "RFC 9112 §3.2.4: asterisk-form with GET → 400", "GET *" + H11 + "\r\n", 400);
        add(c, "RFC 9112 §3.2.4: '*' followed by more → 400", "OPTIONS *x" + H11 + "\r\n", 400);

        // ---- request line limit: RFC 9112 §3 (414 per RFC 9110 §15.5.15)
        int rl = 64;
        HttpLimits rlLimits = D.withMaxRequestLine(rl);
        String lineOf64 = "GET /" + "a".repeat(rl - 14) + " HTTP/1.1"; // 14 = "GET /" + " HTTP/1.1"
        c.add(new Case("RFC 9112 §3: request line of exactly maxRequestLine → complete",
                ParserDriver.bytes(lineOf64 + "\r\nHost: h\r\n\r\n"), rlLimits, COMPLETE));
        c.add(new Case("RFC 9112 §3: request line of maxRequestLine+1 → 414",
                ParserDriver.bytes("GET /a" + lineOf64.substring(5) + "\r\nHost: h\r\n\r\n"), rlLimits, 414));
        c.add(new Case("RFC 9112 §3: request line of maxRequestLine, LF only → complete",
                ParserDriver.bytes(lineOf64 + "\nHost: h\n\n"), rlLimits, COMPLETE));
        c.add(new Case("RFC 9112 §3: maxRequestLine bytes with no line end yet → incomplete",
                ParserDriver.bytes("GET /" + "a".repeat(rl - 5)), rlLimits, INCOMPLETE));
        c.add(new Case("RFC 9112 §3: maxRequestLine+1 bytes with no line end → 414 at once",
                ParserDriver.bytes("GET /" + "a".repeat(rl - 4)), rlLimits, 414));
        c.add(new Case("RFC 9112 §2.2: leading empty lines count toward maxRequestLine (at the bound) → complete",
                ParserDriver.bytes("\r\nGET /" + "a".repeat(rl - 16) + " HTTP/1.1\r\nHost: h\r\n\r\n"), rlLimits, COMPLETE));
        c.add(new Case("RFC 9112 §2.2: leading empty lines count toward maxRequestLine (one past) → 414",
                ParserDriver.bytes("\r\nGET /" + "a".repeat(rl - 15) + " HTTP/1.1\r\nHost: h\r\n\r\n"), rlLimits, 414));
        c.add(new Case("RFC 9112 §2.2: endless empty lines → 414",
                ParserDriver.bytes("\r\n".repeat(rl / 2 + 1)), rlLimits, 414));

        // ---- field syntax: RFC 9112 §5, RFC 9110 §5.5
        add(c, "RFC 9112 §5.1: space between field name and colon → 400", "GET /" + H11 + "X : y\r\n\r\n", 400);
        add(c, "RFC 9112 §5.1: HTAB between field name and colon → 400", "GET /" + H11 + "X\t: y\r\n\r\n", 400);
        add(c, "RFC 9112 §5.1: field line without colon → 400", "GET /" + H11 + "Xy\r\n\r\n", 400);
        add(c, "RFC 9112 §5.1: empty field name → 400", "GET /" + H11 + ": y\r\n\r\n", 400);
        add(c, "RFC 9110 §5.1: field name must be a token → 400", "GET /" + H11 + "X(y): z\r\n\r\n", 400);
        add(c, "RFC 9110 §5.1: non-ASCII byte in field name → 400", "GET /" + H11 + "X\u00e9: z\r\n\r\n", 400);
        add(c, "RFC 9112 §5.2: obs-fold with SP → 400", "GET /" + H11 + "X: a\r\n b\r\n\r\n", 400);
        add(c, "RFC 9112 §5.2: obs-fold with HTAB → 400", "GET /" + H11 + "X: a\r\n\tb\r\n\r\n", 400);
        add(c, "RFC 9110 §5.5: NUL in field value → 400", "GET /" + H11 + "X: a\0b\r\n\r\n", 400);
        add(c, "RFC 9110 §5.5: control byte in field value → 400", "GET /" + H11 + "X: a\u001bb\r\n\r\n", 400);
        add(c, "RFC 9110 §5.5: DEL in field value → 400", "GET /" + H11 + "X: a\u007fb\r\n\r\n", 400);
        add(c, "RFC 9110 §5.5: obs-text and HTAB in field value → complete",
                "GET /" + H11 + "X: caf\u00e9\tau lait \u00ff\r\n\r\n", COMPLETE);
        add(c, "RFC 9110 §5.5: empty field value → complete", "GET /" + H11 + "X:\r\nY: \t \r\n\r\n", COMPLETE);

        // ---- header section limits: RFC 6585 §5 (431)
        int hs = 100;
        HttpLimits hsLimits = D.withMaxHeaderSize(hs);
        String hostLine = "Host: h\r\n"; // 9 bytes; "X: " + v + "\r\n" is 5 + |v|
        c.add(new Case("RFC 6585 §5: field lines of exactly maxHeaderSize → complete",
                ParserDriver.bytes("GET / HTTP/1.1\r\n" + hostLine + "X: " + "v".repeat(hs - 14) + "\r\n\r\n"), hsLimits, COMPLETE));
        c.add(new Case("RFC 6585 §5: field lines of maxHeaderSize+1 → 431",
                ParserDriver.bytes("GET / HTTP/1.1\r\n" + hostLine + "X: " + "v".repeat(hs - 13) + "\r\n\r\n"), hsLimits, 431));
        c.add(new Case("RFC 6585 §5: maxHeaderSize bytes of an open field line → incomplete",
                ParserDriver.bytes("GET / HTTP/1.1\r\n" + hostLine + "X: " + "v".repeat(hs - 12)), hsLimits, INCOMPLETE));
        c.add(new Case("RFC 6585 §5: maxHeaderSize+1 bytes of an open field line → 431 at once",
                ParserDriver.bytes("GET / HTTP/1.1\r\n" + hostLine + "X: " + "v".repeat(hs - 11)), hsLimits, 431));
        c.add(new Case("RFC 6585 §5: many small fields over maxHeaderSize → 431",
                ParserDriver.bytes("GET / HTTP/1.1\r\n" + hostLine + "X: y\r\n".repeat(20) + "\r\n"), hsLimits, 431));
        int hc = 5;
        HttpLimits hcLimits = D.withMaxHeaderCount(hc);
        c.add(new Case("RFC 6585 §5: exactly maxHeaderCount fields → complete",
                ParserDriver.bytes("GET / HTTP/1.1\r\n" + hostLine + "X: y\r\n".repeat(hc - 1) + "\r\n"), hcLimits, COMPLETE));
        c.add(new Case("RFC 6585 §5: maxHeaderCount+1 fields → 431",
                ParserDriver.bytes("GET / HTTP/1.1\r\n" + hostLine + "X: y\r\n".repeat(hc) + "\r\n"), hcLimits, 431));

        // ---- Host: RFC 9112 §3.2, RFC 9110 §7.2
        add(c, "RFC 9112 §3.2: HTTP/1.1 without Host → 400", "GET / HTTP/1.1\r\n\r\n", 400);
        add(c, "RFC 9112 §3.2: HTTP/1.1 with two Host fields → 400", "GET /" + H11 + "Host: h\r\n\r\n", 400);
        add(c, "RFC 9112 §3.2: HTTP/1.0 with two Host fields → 400", "GET / HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n", 400);
        add(c, "RFC 9112 §3.2: HTTP/1.0 without Host → complete", "GET / HTTP/1.0\r\n\r\n", COMPLETE);
        add(c, "RFC 9110 §7.2: empty Host → complete", "GET / HTTP/1.1\r\nHost:\r\n\r\n", COMPLETE);
        add(c, "RFC 9110 §7.2: Host name case-insensitive → complete", "GET / HTTP/1.1\r\nhOST: h:80\r\n\r\n", COMPLETE);
        add(c, "RFC 9110 §7.2: space inside Host → 400", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400);
        add(c, "RFC 9110 §7.2: HTAB inside Host → 400", "GET / HTTP/1.1\r\nHost: a\tb\r\n\r\n", 400);
        add(c, "RFC 9110 §7.2: '/' in Host → 400", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", 400);
        add(c, "RFC 9110 §7.2: '?' in Host → 400", "GET / HTTP/1.1\r\nHost: a?b\r\n\r\n", 400);
        add(c, "RFC 9110 §7.2: '#' in Host → 400", "GET / HTTP/1.1\r\nHost: a#b\r\n\r\n", 400);
        add(c, "RFC 9110 §7.2: '@' in Host → 400", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400);

        // ---- Content-Length: RFC 9110 §8.6, RFC 9112 §6.3
        add(c, "RFC 9110 §8.6: Content-Length with body → complete", "POST /" + H11 + "Content-Length: 3\r\n\r\nabc", COMPLETE);
        add(c, "RFC 9110 §8.6: Content-Length 0 → complete", "POST /" + H11 + "Content-Length: 0\r\n\r\n", COMPLETE);
        add(c, "RFC 9110 §8.6: leading zeros → complete", "POST /" + H11 + "Content-Length: 003\r\n\r\nabc", COMPLETE);
        add(c, "RFC 9110 §8.6: equal values as a list → complete", "POST /" + H11 + "Content-Length: 3, 3\r\n\r\nabc", COMPLETE);
        add(c, "RFC 9110 §8.6: equal values in two fields → complete",
                "POST /" + H11 + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc", COMPLETE);
        add(c, "RFC 9110 §8.6: differing values as a list → 400", "POST /" + H11 + "Content-Length: 3, 4\r\n\r\nabcd", 400);
        add(c, "RFC 9110 §8.6: differing values in two fields → 400",
                "POST /" + H11 + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400);
        add(c, "RFC 9110 §8.6: empty Content-Length → 400", "POST /" + H11 + "Content-Length:\r\n\r\n", 400);
        add(c, "RFC 9110 §8.6: empty list element → 400", "POST /" + H11 + "Content-Length: 3,\r\n\r\nabc", 400);
        add(c, "RFC 9110 §8.6: sign '+' → 400", "POST /" + H11 + "Content-Length: +3\r\n\r\nabc", 400);
        add(c, "RFC 9110 §8.6: negative → 400", "POST /" + H11 + "Content-Length: -1\r\n\r\n", 400);
        add(c, "RFC 9110 §8.6: space inside the number → 400", "POST /" + H11 + "Content-Length: 1 2\r\n\r\n", 400);
        add(c, "RFC 9110 §8.6: hex number → 400", "POST /" + H11 + "Content-Length: 0x3\r\n\r\nabc", 400);
        add(c, "RFC 9110 §8.6: letters → 400", "POST /" + H11 + "Content-Length: abc\r\n\r\n", 400);
        add(c, "RFC 9110 §8.6: above 2^62 → 400", "POST /" + H11 + "Content-Length: 4611686018427387905\r\n\r\n", 400);
        add(c, "RFC 9110 §8.6: beyond long → 400", "POST /" + H11 + "Content-Length: 99999999999999999999999\r\n\r\n", 400);
        add(c, "RFC 9110 §15.5.14: 2^62 is valid but above maxBodySize → 413",
                "POST /" + H11 + "Content-Length: 4611686018427387904\r\n\r\n", 413);
        int mb = 100;
        HttpLimits mbLimits = D.withMaxBodySize(mb);
        c.add(new Case("RFC 9110 §15.5.14: Content-Length of exactly maxBodySize → complete",
                ParserDriver.bytes("POST /" + H11 + "Content-Length: 100\r\n\r\n" + "b".repeat(mb)), mbLimits, COMPLETE));
        c.add(new Case("RFC 9110 §15.5.14: Content-Length of maxBodySize+1 → 413 before the body",
                ParserDriver.bytes("POST /" + H11 + "Content-Length: 101\r\n\r\n"), mbLimits, 413));

        // ---- Transfer-Encoding: RFC 9112 §6.1, §6.3, §7
        add(c, "RFC 9112 §6.1: chunked → complete", CHUNKED_HEAD + "0\r\n\r\n", COMPLETE);
        add(c, "RFC 9112 §7: coding names are case-insensitive → complete",
                "POST /" + H11 + "Transfer-Encoding: ChUnKeD\r\n\r\n0\r\n\r\n", COMPLETE);
        add(c, "RFC 9110 §5.6.1: empty list elements ignored → complete",
                "POST /" + H11 + "Transfer-Encoding: , chunked ,\r\n\r\n0\r\n\r\n", COMPLETE);
        add(c, "RFC 9112 §6.3: Content-Length and Transfer-Encoding together → 400",
                "POST /" + H11 + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
        add(c, "RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 → 400",
                "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
        add(c, "RFC 9112 §6.3: final coding not chunked → 400", "POST /" + H11 + "Transfer-Encoding: gzip\r\n\r\n", 400);
        add(c, "RFC 9112 §6.3: chunked not last → 400", "POST /" + H11 + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400);
        add(c, "RFC 9112 §6.3: chunked not last across fields → 400",
                "POST /" + H11 + "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n", 400);
        add(c, "RFC 9112 §6.1: chunked twice → 400", "POST /" + H11 + "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", 400);
        add(c, "RFC 9112 §6.1: chunked twice across fields → 400",
                "POST /" + H11 + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400);
        add(c, "RFC 9112 §6.1: empty Transfer-Encoding → 400", "POST /" + H11 + "Transfer-Encoding:\r\n\r\n", 400);
        add(c, "RFC 9112 §7: chunked with parameters → 400", "POST /" + H11 + "Transfer-Encoding: chunked;a=b\r\n\r\n", 400);
        add(c, "RFC 9112 §7: coding that is not a token → 400", "POST /" + H11 + "Transfer-Encoding: gz ip, chunked\r\n\r\n", 400);
        add(c, "RFC 9112 §7: gzip then chunked → 501", "POST /" + H11 + "Transfer-Encoding: gzip, chunked\r\n\r\n", 501);
        add(c, "RFC 9112 §7: identity then chunked → 501", "POST /" + H11 + "Transfer-Encoding: identity, chunked\r\n\r\n", 501);
        add(c, "RFC 9112 §7: deflate then chunked across fields → 501",
                "POST /" + H11 + "Transfer-Encoding: deflate\r\nTransfer-Encoding: chunked\r\n\r\n", 501);
        add(c, "RFC 9112 §7: coding with a quoted comma in a parameter → 501",
                "POST /" + H11 + "Transfer-Encoding: x;p=\"a,b\", chunked\r\n\r\n", 501);

        // ---- Expect: RFC 9110 §10.1.1
        add(c, "RFC 9110 §10.1.1: Expect 100-continue → complete", "POST /" + H11 + "Expect: 100-continue\r\nContent-Length: 1\r\n\r\nx", COMPLETE);
        add(c, "RFC 9110 §10.1.1: Expect is case-insensitive → complete", "GET /" + H11 + "Expect: 100-Continue\r\n\r\n", COMPLETE);
        add(c, "RFC 9110 §10.1.1: other expectation → 417", "GET /" + H11 + "Expect: 200-ok\r\n\r\n", 417);
        add(c, "RFC 9110 §10.1.1: other expectation in a list → 417", "GET /" + H11 + "Expect: 100-continue, x\r\n\r\n", 417);
        add(c, "RFC 9110 §10.1.1: empty expectation → 417", "GET /" + H11 + "Expect:\r\n\r\n", 417);

        // ---- chunked body: RFC 9112 §7.1
        add(c, "RFC 9112 §7.1: several chunks and a last-chunk → complete", CHUNKED_HEAD + "3\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n", COMPLETE);
        add(c, "RFC 9112 §7.1: bare LF everywhere in chunked → complete", CHUNKED_HEAD + "3\nabc\n0\nT: v\n\n", COMPLETE);
        add(c, "RFC 9112 §7.1: 16 hex digits → complete", CHUNKED_HEAD + "0000000000000003\r\nabc\r\n0\r\n\r\n", COMPLETE);
        add(c, "RFC 9112 §7.1: 17 hex digits → 400", CHUNKED_HEAD + "00000000000000003\r\nabc\r\n0\r\n\r\n", 400);
        add(c, "RFC 9112 §7.1: chunk size overflows 64 bits → 400", CHUNKED_HEAD + "FFFFFFFFFFFFFFFF\r\n", 400);
        add(c, "RFC 9112 §7.1: chunk size above maxBodySize → 413", CHUNKED_HEAD + "7FFFFFFFFFFFFFFF\r\n", 413);
        add(c, "RFC 9112 §7.1: missing chunk size → 400", CHUNKED_HEAD + "\r\nabc\r\n", 400);
        add(c, "RFC 9112 §7.1: non-hex chunk size → 400", CHUNKED_HEAD + "g\r\n", 400);
        add(c, "RFC 9112 §7.1: negative chunk size → 400", CHUNKED_HEAD + "-1\r\n", 400);
        add(c, "RFC 9112 §7.1: whitespace before chunk size → 400", CHUNKED_HEAD + " 3\r\nabc\r\n0\r\n\r\n", 400);
        add(c, "RFC 9112 §7.1: whitespace after chunk size without extension → 400", CHUNKED_HEAD + "3 \r\nabc\r\n0\r\n\r\n", 400);
        add(c, "RFC 9112 §7.1: bare CR ending a chunk line → 400", CHUNKED_HEAD + "3\rabc\r\n0\r\n\r\n", 400);
        add(c, "RFC 9112 §7.1: chunk data longer than its size → 400", CHUNKED_HEAD + "3\r\nabcd\r\n0\r\n\r\n", 400);
        add(c, "RFC 9112 §7.1: chunk data followed by CR and not LF → 400", CHUNKED_HEAD + "3\r\nabc\rX0\r\n\r\n", 400);
        add(c, "RFC 9112 §7.1: missing last-chunk → incomplete", CHUNKED_HEAD + "3\r\nabc\r\n", INCOMPLETE);
        add(c, "RFC 9112 §7.1: missing final empty line → incomplete", CHUNKED_HEAD + "0\r\n", INCOMPLETE);

        // ---- chunk extensions: RFC 9112 §7.1.1
        add(c, "RFC 9112 §7.1.1: extension name only → complete", CHUNKED_HEAD + "3;a\r\nabc\r\n0;b\r\n\r\n", COMPLETE);
        add(c, "RFC 9112 §7.1.1: extensions with token and quoted values, BWS → complete",
                CHUNKED_HEAD + "3 ; a = b ;c=\"x \\\" ;y\"\t;d\r\nabc\r\n0\r\n\r\n", COMPLETE);
        add(c, "RFC 9112 §7.1.1: ';' without a name → 400", CHUNKED_HEAD + "3;\r\nabc\r\n0\r\n\r\n", 400);
        add(c, "RFC 9112 §7.1.1: '=' without a value → 400", CHUNKED_HEAD + "3;a=\r\nabc\r\n0\r\n\r\n", 400);
        add(c, "RFC 9112 §7.1.1: value without a name → 400", CHUNKED_HEAD + "3;=b\r\nabc\r\n0\r\n\r\n", 400);
        add(c, "RFC 9112 §7.1.1: unterminated quoted value → 400", CHUNKED_HEAD + "3;a=\"b\r\nabc\r\n0\r\n\r\n", 400);
        add(c, "RFC 9112 §7.1.1: two tokens as a value → 400", CHUNKED_HEAD + "3;a=b c\r\nabc\r\n0\r\n\r\n", 400);
        add(c, "RFC 9112 §7.1.1: name that is not a token → 400", CHUNKED_HEAD + "3;a(b\r\nabc\r\n0\r\n\r\n", 400);
        add(c, "RFC 9112 §7.1.1: whitespace at the end of an extension → 400", CHUNKED_HEAD + "3;a \r\nabc\r\n0\r\n\r\n", 400);
        add(c, "RFC 9112 §7.1.1: control byte in a quoted value → 400", CHUNKED_HEAD + "3;a=\"\u0001\"\r\nabc\r\n0\r\n\r\n", 400);

        // ---- chunk line limit
        int cl = 16;
        HttpLimits clLimits = D.withMaxChunkLine(cl);
        c.add(new Case("RFC 9112 §7.1: chunk line of exactly maxChunkLine → complete",
                ParserDriver.bytes(CHUNKED_HEAD + "3;a=" + "b".repeat(cl - 4) + "\r\nabc\r\n0\r\n\r\n"), clLimits, COMPLETE));
        c.add(new Case("RFC 9112 §7.1: chunk line of maxChunkLine+1 → 400",
                ParserDriver.bytes(CHUNKED_HEAD + "3;a=" + "b".repeat(cl - 3) + "\r\nabc\r\n0\r\n\r\n"), clLimits, 400));
        c.add(new Case("RFC 9112 §7.1: maxChunkLine bytes of an open chunk line → incomplete",
                ParserDriver.bytes(CHUNKED_HEAD + "3;a=" + "b".repeat(cl - 4)), clLimits, INCOMPLETE));
        c.add(new Case("RFC 9112 §7.1: maxChunkLine+1 bytes of an open chunk line → 400 at once",
                ParserDriver.bytes(CHUNKED_HEAD + "3;a=" + "b".repeat(cl - 3)), clLimits, 400));

        // ---- chunked body limit
        c.add(new Case("RFC 9110 §15.5.14: chunks adding up to exactly maxBodySize → complete",
                ParserDriver.bytes(CHUNKED_HEAD + "63\r\n" + "b".repeat(mb - 1) + "\r\n1\r\nb\r\n0\r\n\r\n"), mbLimits, COMPLETE));
        c.add(new Case("RFC 9110 §15.5.14: chunks adding up to maxBodySize+1 → 413 at the chunk line",
                ParserDriver.bytes(CHUNKED_HEAD + "64\r\n" + "b".repeat(mb) + "\r\n1\r\n"), mbLimits, 413));
        c.add(new Case("RFC 9110 §15.5.14: one chunk of maxBodySize+1 → 413 before its data",
                ParserDriver.bytes(CHUNKED_HEAD + "65\r\n"), mbLimits, 413));

        // ---- trailer section: RFC 9112 §7.1.2
        add(c, "RFC 9112 §7.1.2: trailer fields → complete", CHUNKED_HEAD + "0\r\nA: 1\r\nB: 2\r\n\r\n", COMPLETE);
        add(c, "RFC 9112 §7.1.2: space before colon in a trailer → 400", CHUNKED_HEAD + "0\r\nA : 1\r\n\r\n", 400);
        add(c, "RFC 9112 §7.1.2: obs-fold in trailers → 400", CHUNKED_HEAD + "0\r\nA: 1\r\n 2\r\n\r\n", 400);
        add(c, "RFC 9112 §7.1.2: NUL in a trailer value → 400", CHUNKED_HEAD + "0\r\nA: \0\r\n\r\n", 400);
        add(c, "RFC 9112 §7.1.2: trailer without colon → 400", CHUNKED_HEAD + "0\r\nA\r\n\r\n", 400);
        add(c, "RFC 9112 §7.1.2: bare CR ending the trailer section → 400", CHUNKED_HEAD + "0\r\n\rX", 400);
        HttpLimits tcLimits = D.withMaxHeaderCount(4); // Host and Transfer-Encoding are 2 of them
        c.add(new Case("RFC 9112 §7.1.2: trailers count toward maxHeaderCount (at the bound) → complete",
                ParserDriver.bytes(CHUNKED_HEAD + "0\r\nA: 1\r\nB: 2\r\n\r\n"), tcLimits, COMPLETE));
        c.add(new Case("RFC 9112 §7.1.2: trailers count toward maxHeaderCount (one past) → 431",
                ParserDriver.bytes(CHUNKED_HEAD + "0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), tcLimits, 431));
        HttpLimits tsLimits = D.withMaxHeaderSize(60); // 37 bytes of header fields; "T: " + v + CRLF is 5 + |v|
        c.add(new Case("RFC 9112 §7.1.2: trailers count toward maxHeaderSize (at the bound) → complete",
                ParserDriver.bytes(CHUNKED_HEAD + "0\r\nT: " + "v".repeat(18) + "\r\n\r\n"), tsLimits, COMPLETE));
        c.add(new Case("RFC 9112 §7.1.2: trailers count toward maxHeaderSize (one past) → 431",
                ParserDriver.bytes(CHUNKED_HEAD + "0\r\nT: " + "v".repeat(19) + "\r\n\r\n"), tsLimits, 431));

        return c.stream();
    }

    private static void add(List<Case> c, String name, String input, int expect) {
        c.add(new Case(name, ParserDriver.bytes(input), D, expect));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void fedWhole(Case c) {
        check(c, ParserDriver.whole(c.input(), c.limits()));
    }

    @ParameterizedTest(name = "byte at a time: {0}")
    @MethodSource("cases")
    void fedOneByteAtATime(Case c) {
        check(c, ParserDriver.oneByteAtATime(c.input(), c.limits()));
    }

    private static void check(Case c, ParserDriver.Outcome out) {
        switch (c.expect()) {
            case COMPLETE -> {
                assertThat(out.status()).as("error status").isZero();
                assertThat(out.requests()).hasSize(1);
                assertThat(out.inProgressAtEnd()).isFalse();
            }
            case INCOMPLETE -> {
                assertThat(out.status()).as("error status").isZero();
                assertThat(out.requests()).isEmpty();
                assertThat(out.inProgressAtEnd()).isTrue();
            }
            default -> assertThat(out.status()).as("error status").isEqualTo(c.expect());
        }
    }
}
