package io.jepoll.http;

import static io.jepoll.http.ParserDriver.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jepoll.http.RequestParser.Event;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestParserTest {

    private final RequestParser parser = new RequestParser(HttpLimits.defaults());

    /** Feeds s whole and expects one complete request that uses every byte. */
    private Request complete(String s) throws HttpException {
        byte[] b = bytes(s);
        int n = parser.feed(b, 0, b.length);
        assertThat(parser.event()).isEqualTo(Event.REQUEST_COMPLETE);
        assertThat(n).isEqualTo(b.length);
        return parser.request();
    }

    @Nested
    class HappyPaths {

        @Test
        void getAsCurlSendsIt() throws HttpException {
            Request r = complete("GET /index.html?x=1&y HTTP/1.1\r\nHost: example.com\r\n"
                    + "User-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n");
            assertThat(r.method()).isSameAs("GET");
            assertThat(r.isMethod("GET")).isTrue();
            assertThat(r.isMethod("get")).isFalse();
            assertThat(r.target()).isEqualTo("/index.html?x=1&y");
            assertThat(r.path()).isEqualTo("/index.html");
            assertThat(r.query()).isEqualTo("x=1&y");
            assertThat(r.versionMinor()).isEqualTo(1);
            assertThat(r.headerCount()).isEqualTo(3);
            assertThat(r.headerName(1)).isEqualTo("User-Agent");
            assertThat(r.headerValue(1)).isEqualTo("curl/8.5.0");
            assertThat(r.header("host")).isEqualTo("example.com");
            assertThat(r.header("HOST")).isEqualTo("example.com");
            assertThat(r.header("Cookie")).isNull();
            assertThat(r.headers("accept")).containsExactly("*/*");
            assertThat(r.headers("cookie")).isEmpty();
            assertThat(r.keepAlive()).isTrue();
            assertThat(r.expectContinue()).isFalse();
            assertThat(r.contentLength()).isEqualTo(-1);
            assertThat(r.chunked()).isFalse();
            assertThat(r.hasBody()).isFalse();
            assertThat(r.body()).isEmpty();
            assertThat(r.bodyText()).isEmpty();
            assertThat(r).hasToString("GET /index.html?x=1&y HTTP/1.1");
            assertThat(parser.inProgress()).isFalse();
        }

        @Test
        void stringsAreCachedUntilTheNextRequest() throws HttpException {
            Request r = complete("GET /p?q HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(r.target()).isSameAs(r.target());
            assertThat(r.path()).isSameAs(r.path());
            assertThat(r.headerValue(0)).isSameAs(r.header("Host"));
        }

        @Test
        void head() throws HttpException {
            Request r = complete("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(r.method()).isSameAs("HEAD");
            assertThat(r.path()).isEqualTo("/");
            assertThat(r.query()).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE"})
        void standardMethodsAreConstants(String m) throws HttpException {
            Request r = complete(m + " / HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(r.method()).isSameAs(m.intern()); // literals are interned: the same instance
        }

        @Test
        void otherMethodsAreReturnedAsSent() throws HttpException {
            Request r = complete("PROPFIND / HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(r.method()).isEqualTo("PROPFIND");
            assertThat(r.isMethod("PROPFIND")).isTrue();
            assertThat(r.isMethod("PROPFINDX")).isFalse();
        }

        @Test
        void postWithContentLengthReportsTheHeadFirst() throws HttpException {
            String head = "POST /submit HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\n";
            byte[] b = bytes(head + "hello world");
            int n = parser.feed(b, 0, b.length);
            assertThat(parser.event()).isEqualTo(Event.HEAD_COMPLETE);
            assertThat(n).isEqualTo(head.length());
            Request r = parser.request();
            assertThat(r.contentLength()).isEqualTo(11);
            assertThat(r.hasBody()).isTrue();
            assertThat(r.header("content-type")).isEqualTo("text/plain");
            assertThat(parser.inProgress()).isTrue();

            int m = parser.feed(b, n, b.length - n);
            assertThat(m).isEqualTo(11);
            assertThat(parser.event()).isEqualTo(Event.REQUEST_COMPLETE);
            assertThat(r.bodyText()).isEqualTo("hello world");
            assertThat(r.body()).hasSize(11);
        }

        @Test
        void chunkedWithExtensionsAndTrailers() throws HttpException {
            String head = "POST /up HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
            String body = "5;name=value;flag\r\nhello\r\n"
                    + "1 ; q=\"a \\\"quoted\\\" ; value\"\r\n,\r\n"
                    + "6\r\n world\r\n"
                    + "0;last\r\nExpires: never\r\nX-Checksum: 1234\r\n\r\n";
            byte[] b = bytes(head + body);
            int n = parser.feed(b, 0, b.length);
            assertThat(parser.event()).isEqualTo(Event.HEAD_COMPLETE);
            Request r = parser.request();
            assertThat(r.chunked()).isTrue();
            assertThat(r.contentLength()).isEqualTo(-1);
            int m = parser.feed(b, n, b.length - n);
            assertThat(n + m).isEqualTo(b.length);
            assertThat(parser.event()).isEqualTo(Event.REQUEST_COMPLETE);
            assertThat(r.bodyText()).isEqualTo("hello, world");
            assertThat(r.body()).hasSize(12);
            assertThat(r.headerCount()).as("trailers are dropped").isEqualTo(2);
            assertThat(r.header("Expires")).isNull();
        }

        @Test
        void emptyChunkedBody() throws HttpException {
            byte[] b = bytes("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
            int n = parser.feed(b, 0, b.length);
            n += parser.feed(b, n, b.length - n);
            assertThat(n).isEqualTo(b.length);
            assertThat(parser.request().body()).isEmpty();
        }

        @Test
        void absoluteForm() throws HttpException {
            Request r = complete("GET http://example.com:8080/a/b?c=d HTTP/1.1\r\nHost: example.com:8080\r\n\r\n");
            assertThat(r.target()).isEqualTo("http://example.com:8080/a/b?c=d");
            assertThat(r.path()).isEqualTo("/a/b");
            assertThat(r.query()).isEqualTo("c=d");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', nullValues = "null", value = {
            "http://example.com|/|null",
            "HTTPS://example.com?x=1|/|x=1",
            "https://example.com/|/|null",
            "http://[::1]:80/p?|/p|''",
        })
        void absoluteFormWithoutPath(String target, String path, String query) throws HttpException {
            Request r = complete("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(r.path()).isEqualTo(path);
            assertThat(r.isPath(path)).as("isPath agrees with path()").isTrue();
            assertThat(r.query()).isEqualTo(query);
        }

        /** isPath compares the raw path in place: exactly, case-sensitively, without the query, below a mount. */
        @Test
        void isPathComparesTheRawPath() throws HttpException {
            Request r = complete("GET /healthz?probe=1 HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(r.isPath("/healthz")).isTrue();
            assertThat(r.isPath("/healthz?probe=1")).isFalse();
            assertThat(r.isPath("/Healthz")).isFalse();
            assertThat(r.isPath("/health")).isFalse();
            assertThat(r.isPath("/healthz/")).isFalse();
            parser.reset();
            Request encoded = complete("GET /health%7A HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(encoded.isPath("/healthz")).as("raw, not percent-decoded").isFalse();
            parser.reset();
            Request mounted = complete("GET /ops/healthz HTTP/1.1\r\nHost: h\r\n\r\n");
            mounted.pathOffset(4);
            assertThat(mounted.isPath("/healthz")).as("what path() returns below a mount").isTrue();
            assertThat(mounted.isPath("/ops/healthz")).isFalse();
        }

        @Test
        void optionsAsterisk() throws HttpException {
            Request r = complete("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(r.method()).isSameAs("OPTIONS");
            assertThat(r.target()).isEqualTo("*");
            assertThat(r.path()).isEqualTo("*");
            assertThat(r.query()).isNull();
        }

        @Test
        void connectAuthority() throws HttpException {
            Request r = complete("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
            assertThat(r.method()).isSameAs("CONNECT");
            assertThat(r.path()).isEqualTo("example.com:443");
            assertThat(r.query()).isNull();
        }

        @Test
        void bareLfAndLeadingEmptyLines() throws HttpException {
            Request r = complete("\r\n\nGET /x HTTP/1.1\nHost: h\nA: 1\n\n");
            assertThat(r.path()).isEqualTo("/x");
            assertThat(r.header("a")).isEqualTo("1");
        }

        @Test
        void valuesAreTrimmedOfOwsAndKeepInnerWhitespaceAndObsText() throws HttpException {
            Request r = complete("GET / HTTP/1.1\r\nHost: h\r\nX: \t a \t b \t\r\nY:\r\nZ:caf\u00e9\r\n\r\n");
            assertThat(r.header("x")).isEqualTo("a \t b");
            assertThat(r.header("y")).isEmpty();
            assertThat(r.header("z")).isEqualTo("caf\u00e9");
            assertThat(r.header("z").getBytes(StandardCharsets.ISO_8859_1)).containsExactly('c', 'a', 'f', 0xE9);
        }

        @Test
        void repeatedFieldsInOrder() throws HttpException {
            Request r = complete("GET / HTTP/1.1\r\nHost: h\r\nAccept: a\r\naccept: b\r\nACCEPT: c\r\n\r\n");
            assertThat(r.headers("Accept")).containsExactly("a", "b", "c");
            assertThat(r.header("Accept")).isEqualTo("a");
        }

        @Test
        void minorVersionsAboveOneAreServedAsOne() throws HttpException {
            assertThat(complete("GET / HTTP/1.7\r\nHost: h\r\n\r\n").versionMinor()).isEqualTo(1);
        }

        @Test
        void httpTenWithoutHost() throws HttpException {
            Request r = complete("GET / HTTP/1.0\r\n\r\n");
            assertThat(r.versionMinor()).isZero();
            assertThat(r.keepAlive()).isFalse();
            assertThat(r).hasToString("GET / HTTP/1.0");
        }
    }

    @Nested
    class ConnectionAndExpect {

        @ParameterizedTest(name = "HTTP/1.{0} {1} → keepAlive={2}")
        @CsvSource(delimiter = '|', value = {
            "1|                                                 |true",
            "1|Connection: close                                |false",
            "1|Connection: Close                                |false",
            "1|Connection: keep-alive                           |true",
            "1|Connection: upgrade, close                       |false",
            "1|Connection: closed                               |true",
            "1|Connection: upgrade\\r\\nConnection: close     |false",
            "1|Connection: ,, CLOSE ,                           |false",
            "0|                                                 |false",
            "0|Connection: keep-alive                           |true",
            "0|Connection: Keep-Alive                           |true",
            "0|Connection: foo,keep-alive                       |true",
            "0|Connection: keep-alive, close                    |false",
            "0|Connection: keep-alive\\r\\nConnection: close  |false",
            "0|Connection: close                                |false",
            "0|Connection: keep-alives                          |false",
        })
        void keepAlive(int minor, String connection, boolean expected) throws HttpException {
            String fields = connection == null ? "" : connection.replace("\\r\\n", "\r\n") + "\r\n";
            Request r = complete("GET / HTTP/1." + minor + "\r\nHost: h\r\n" + fields + "\r\n");
            assertThat(r.keepAlive()).isEqualTo(expected);
        }

        @Test
        void expectContinueOnHttp11() throws HttpException {
            byte[] b = bytes("PUT /f HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
            parser.feed(b, 0, b.length);
            assertThat(parser.event()).isEqualTo(Event.HEAD_COMPLETE);
            assertThat(parser.request().expectContinue()).isTrue();
            byte[] body = bytes("abc");
            assertThat(parser.feed(body, 0, 3)).isEqualTo(3);
            assertThat(parser.event()).isEqualTo(Event.REQUEST_COMPLETE);
            assertThat(parser.request().bodyText()).isEqualTo("abc");
        }

        @Test
        void expectContinueIsIgnoredOnHttp10() throws HttpException {
            Request r = complete("GET / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n");
            assertThat(r.expectContinue()).isFalse();
        }
    }

    @Nested
    class Pipelining {

        @Test
        void sixteenRequestsInOneBufferComeOutInOrder() throws HttpException {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            List<Integer> lengths = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String req = switch (i % 4) {
                    case 0 -> "GET /r" + i + " HTTP/1.1\r\nHost: h\r\n\r\n";
                    case 1 -> "POST /r" + i + " HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n" + (i < 10 ? "0" + i : "" + i);
                    case 2 -> "PUT /r" + i + " HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + Integer.toHexString(String.valueOf(i).length()) + "\r\n" + i + "\r\n0\r\n\r\n";
                    default -> "\r\nDELETE /r" + i + "?x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
                };
                byte[] b = bytes(req);
                all.writeBytes(b);
                lengths.add(b.length);
            }
            byte[] buf = all.toByteArray();
            int off = 0;
            for (int i = 0; i < 16; i++) {
                int start = off;
                off += parser.feed(buf, off, buf.length - off);
                if (parser.event() == Event.HEAD_COMPLETE) {
                    off += parser.feed(buf, off, buf.length - off);
                }
                assertThat(parser.event()).isEqualTo(Event.REQUEST_COMPLETE);
                assertThat(off - start).as("bytes of request %d", i).isEqualTo(lengths.get(i));
                Request r = parser.request();
                assertThat(r.path()).isEqualTo("/r" + i);
                switch (i % 4) {
                    case 1 -> assertThat(r.bodyText()).isEqualTo(String.format("%02d", i));
                    case 2 -> assertThat(r.bodyText()).isEqualTo(String.valueOf(i));
                    case 3 -> assertThat(r.keepAlive()).isFalse();
                    default -> assertThat(r.body()).isEmpty();
                }
                parser.reset();
            }
            assertThat(off).isEqualTo(buf.length);
        }
    }

    @Nested
    class BufferOwnership {

        private final byte[] shared = new byte[4096];

        /** Puts s into the shared buffer at off, as a read would, after filling it with garbage. */
        private int read(String s, int off) {
            Arrays.fill(shared, (byte) '#');
            byte[] b = bytes(s);
            System.arraycopy(b, 0, shared, off, b.length);
            return b.length;
        }

        @Test
        void retainedRequestSurvivesTheBufferBeingOverwritten() throws HttpException {
            int n = read("GET /kept?x=1 HTTP/1.1\r\nHost: h\r\nX-A: b\r\n\r\n", 5);
            assertThat(parser.feed(shared, 5, n)).isEqualTo(n);
            assertThat(parser.event()).isEqualTo(Event.REQUEST_COMPLETE);
            parser.retainRequest();
            Arrays.fill(shared, (byte) '#');
            Request r = parser.request();
            assertThat(r.target()).isEqualTo("/kept?x=1");
            assertThat(r.query()).isEqualTo("x=1");
            assertThat(r.header("x-a")).isEqualTo("b");
            assertThat(r).hasToString("GET /kept?x=1 HTTP/1.1");
        }

        @Test
        void partialHeadSurvivesTheBufferBeingOverwritten() throws HttpException {
            int n = read("GET /first/part?q=1 HTTP/1.1\r\nHost: exam", 10);
            assertThat(parser.feed(shared, 10, n)).isEqualTo(n);
            assertThat(parser.event()).isEqualTo(Event.NEED_MORE);
            assertThat(parser.inProgress()).isTrue();
            n = read("ple.com\r\nAccept: text/", 0);
            assertThat(parser.feed(shared, 0, n)).isEqualTo(n);
            n = read("html\r\n\r\nGET /next", 100);
            int m = parser.feed(shared, 100, n);
            assertThat(m).isEqualTo(n - "GET /next".length());
            assertThat(parser.event()).isEqualTo(Event.REQUEST_COMPLETE);
            Request r = parser.request();
            Arrays.fill(shared, (byte) '#'); // the request owns its head now, as it was carried
            assertThat(r.target()).isEqualTo("/first/part?q=1");
            assertThat(r.header("host")).isEqualTo("example.com");
            assertThat(r.header("accept")).isEqualTo("text/html");
            assertThat(r).hasToString("GET /first/part?q=1 HTTP/1.1");
        }

        @Test
        void headCompleteAtTheEndOfARead() throws HttpException {
            int n = read("POST /p HTTP/1.1\r\nHost: h\r\nX-Long: " + "v".repeat(500) + "\r\nContent-Length: 4\r\n\r\n", 7);
            assertThat(parser.feed(shared, 7, n)).isEqualTo(n);
            assertThat(parser.event()).isEqualTo(Event.HEAD_COMPLETE);
            n = read("bo", 3); // the server read again into the same buffer before feeding
            parser.feed(shared, 3, n);
            assertThat(parser.event()).isEqualTo(Event.NEED_MORE);
            n = read("dy", 50);
            parser.feed(shared, 50, n);
            assertThat(parser.event()).isEqualTo(Event.REQUEST_COMPLETE);
            Request r = parser.request();
            assertThat(r.path()).isEqualTo("/p");
            assertThat(r.header("x-long")).isEqualTo("v".repeat(500));
            assertThat(r.bodyText()).isEqualTo("body");
        }

        @Test
        void chunkedBodySplitEverywhere() throws HttpException {
            String msg = "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4;x=\"y\"\r\nWiki\r\n5\r\npedia\r\n0\r\nT: v\r\n\r\n";
            ParserDriver.Outcome out = ParserDriver.oneByteAtATime(bytes(msg), HttpLimits.defaults());
            assertThat(out.status()).isZero();
            assertThat(out.requests()).singleElement().satisfies(s -> {
                assertThat(s.body()).isEqualTo("Wikipedia");
                assertThat(s.headers()).containsExactly("Host: h", "Transfer-Encoding: chunked");
            });
        }

        @Test
        void copyIsDetachedFromTheBufferAndFromTheParser() throws HttpException {
            int n = read("PATCH /doc?v=2 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc", 0);
            int m = parser.feed(shared, 0, n);
            parser.feed(shared, m, n - m);
            Request copy = parser.request().copy();
            Arrays.fill(shared, (byte) 0);
            parser.reset();
            read("GET /other HTTP/1.1\r\nHost: z\r\n\r\n", 0);
            parser.feed(shared, 0, 40);
            assertThat(copy.method()).isEqualTo("PATCH");
            assertThat(copy.path()).isEqualTo("/doc");
            assertThat(copy.query()).isEqualTo("v=2");
            assertThat(copy.header("host")).isEqualTo("h");
            assertThat(copy.bodyText()).isEqualTo("abc");
            assertThat(copy.contentLength()).isEqualTo(3);
            assertThat(copy).hasToString("PATCH /doc?v=2 HTTP/1.1");
            assertThat(copy.body()).isNotSameAs(parser.request().body());
        }

        @Test
        void maximalHeadOneByteAtATime() throws HttpException {
            // a head at the size limits, fed byte by byte: the scan resumes where it stopped
            HttpLimits limits = HttpLimits.defaults();
            StringBuilder head = new StringBuilder("GET /" + "p".repeat(limits.maxRequestLine() - 14) + " HTTP/1.1\r\n");
            head.append("Host: h\r\n");
            int left = limits.maxHeaderSize() - 9;
            for (int i = 0; left > 0; i++) {
                int line = Math.min(left, 200);
                String name = "X" + i;
                head.append(name).append(": ").append("v".repeat(line - name.length() - 4)).append("\r\n");
                left -= line;
            }
            head.append("\r\n");
            byte[] b = bytes(head.toString());
            ParserDriver.Outcome out = ParserDriver.oneByteAtATime(b, limits);
            assertThat(out.status()).isZero();
            assertThat(out.requests()).hasSize(1);
            assertThat(out.requests().getFirst().headers()).hasSizeGreaterThan(80);
        }
    }

    @Nested
    class Lifecycle {

        @Test
        void requestIsReusedAndForgetsThePreviousOne() throws HttpException {
            Request first = complete("POST /a?b HTTP/1.1\r\nHost: h\r\nX: 1\r\nY: 2\r\nContent-Length: 0\r\n\r\n");
            assertThat(first.header("y")).isEqualTo("2");
            parser.reset();
            assertThat(parser.inProgress()).isFalse();
            assertThat(parser.event()).isEqualTo(Event.NEED_MORE);
            Request second = complete("GET /c HTTP/1.1\r\nHost: h2\r\n\r\n");
            assertThat(second).isSameAs(first);
            assertThat(second.method()).isEqualTo("GET");
            assertThat(second.query()).isNull();
            assertThat(second.headerCount()).isEqualTo(1);
            assertThat(second.header("y")).isNull();
            assertThat(second.header("host")).isEqualTo("h2");
            assertThat(second.contentLength()).isEqualTo(-1);
        }

        @Test
        void bodyIsReleasedOnReset() throws HttpException {
            byte[] b = bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok");
            int n = parser.feed(b, 0, b.length);
            parser.feed(b, n, b.length - n);
            byte[] body = parser.request().body();
            parser.reset();
            assertThat(parser.request().body()).isEmpty();
            assertThat(body).containsExactly('o', 'k'); // the handler's reference stays valid
        }

        @Test
        void inProgressCountsLeadingEmptyLines() throws HttpException {
            assertThat(parser.inProgress()).isFalse();
            byte[] crlf = bytes("\r\n");
            parser.feed(crlf, 0, 2);
            assertThat(parser.inProgress()).isTrue();
            assertThat(parser.event()).isEqualTo(Event.NEED_MORE);
        }

        @Test
        void emptyFeedsAreHarmless() throws HttpException {
            byte[] b = bytes("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx");
            assertThat(parser.feed(b, 0, 0)).isZero();
            assertThat(parser.inProgress()).isFalse();
            int n = parser.feed(b, 0, b.length);
            assertThat(parser.feed(b, n, 0)).isZero();
            assertThat(parser.event()).isEqualTo(Event.NEED_MORE);
            assertThat(parser.feed(b, n, 1)).isOne();
            assertThat(parser.event()).isEqualTo(Event.REQUEST_COMPLETE);
        }

        @Test
        void aFailedParserStaysFailed() {
            byte[] b = bytes("GET / HTTP/2.0\r\n\r\n");
            assertThatThrownBy(() -> parser.feed(b, 0, b.length))
                    .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(505));
            byte[] good = bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThatThrownBy(() -> parser.feed(good, 0, good.length))
                    .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.status()).isEqualTo(505));
        }

        @Test
        void feedingACompleteRequestWithoutResetIsAProgrammingError() throws HttpException {
            complete("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
            byte[] more = bytes("GET");
            assertThatThrownBy(() -> parser.feed(more, 0, 3)).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void accessorsBeforeAnyRequest() {
            Request r = parser.request();
            assertThat(r.header("host")).isNull();
            assertThat(r.headerCount()).isZero();
            assertThat(r.body()).isEmpty();
            assertThat(r).hasToString("Request[none]");
            assertThatThrownBy(r::method).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void largeContentLengthBodyArrivingInPieces() throws HttpException {
            int size = 300_000;
            byte[] body = new byte[size];
            for (int i = 0; i < size; i++) {
                body[i] = (byte) (i * 31);
            }
            byte[] head = bytes("PUT /big HTTP/1.1\r\nHost: h\r\nContent-Length: " + size + "\r\n\r\n");
            parser.feed(head, 0, head.length);
            assertThat(parser.event()).isEqualTo(Event.HEAD_COMPLETE);
            for (int off = 0; off < size; off += 1000) {
                assertThat(parser.feed(body, off, Math.min(1000, size - off))).isEqualTo(Math.min(1000, size - off));
            }
            assertThat(parser.event()).isEqualTo(Event.REQUEST_COMPLETE);
            assertThat(parser.request().body()).isEqualTo(body);
        }
    }

    @Nested
    class Allocation {

        @Test
        void aSmallGetInOneBufferAllocatesNothing() throws HttpException {
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            byte[] b = bytes("GET /plaintext HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: wrk\r\n"
                    + "Accept: text/plain,text/html;q=0.9\r\nConnection: keep-alive\r\n\r\n");
            RequestParser p = new RequestParser(HttpLimits.defaults());
            int rounds = 20_000;
            runGets(p, b, rounds); // warm up: reach compiled code, and grow anything that grows once
            long before = threads.getCurrentThreadAllocatedBytes();
            int ok = runGets(p, b, rounds);
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(ok).isEqualTo(rounds);
            assertThat(allocated).as("bytes allocated for %d GETs", rounds).isLessThan(rounds / 4);
        }

        private int runGets(RequestParser p, byte[] b, int rounds) throws HttpException {
            int ok = 0;
            for (int i = 0; i < rounds; i++) {
                int n = p.feed(b, 0, b.length);
                if (n == b.length && p.event() == Event.REQUEST_COMPLETE && p.request().keepAlive()
                        && p.request().isMethod("GET")) {
                    ok++;
                }
                p.reset();
            }
            return ok;
        }
    }

    @Nested
    class Values {

        @Test
        void limitsDefaultsAndWithers() {
            HttpLimits d = HttpLimits.defaults();
            assertThat(d).isEqualTo(new HttpLimits(8192, 16384, 100, 1 << 20, 4096));
            HttpLimits l = d.withMaxRequestLine(1).withMaxHeaderSize(2).withMaxHeaderCount(3).withMaxBodySize(4).withMaxChunkLine(5);
            assertThat(l).isEqualTo(new HttpLimits(1, 2, 3, 4, 5));
            assertThatThrownBy(() -> d.withMaxRequestLine(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> d.withMaxHeaderSize(-1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> d.withMaxHeaderCount(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> d.withMaxBodySize(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> d.withMaxChunkLine(0)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void httpExceptionIsCheap() {
            HttpException e = new HttpException(431, "too many header fields");
            assertThat(e.status()).isEqualTo(431);
            assertThat(e.reason()).isEqualTo("too many header fields");
            assertThat(e.getMessage()).isEqualTo(e.reason());
            assertThat(e.getStackTrace()).isEmpty();
            assertThat(e).hasToString("HttpException: 431 too many header fields");
            assertThatThrownBy(() -> new HttpException(200, "ok")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
