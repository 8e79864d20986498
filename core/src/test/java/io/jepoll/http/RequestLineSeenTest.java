package io.jepoll.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RequestParser#requestLineSeen()}: what an access log shows of a request refused inside its head, or cut
 * off by a 408. The same line however the bytes were split, as long as the failing call held them.
 */
class RequestLineSeenTest {

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    /** Feeds {@code input} cut at {@code cut} (two calls; none when cut is 0), expecting a refusal; the line seen. */
    private static String refusedAt(String input, int cut) {
        RequestParser p = new RequestParser(HttpLimits.defaults());
        byte[] b = bytes(input);
        assertThatThrownBy(() -> {
            int off = 0;
            if (cut > 0) off = p.feed(b, 0, cut);
            while (off < b.length) off += p.feed(b, off, b.length - off);
        }).isInstanceOf(HttpException.class);
        return p.requestLineSeen();
    }

    @Test
    void aBadFieldLeavesTheWholeRequestLineHoweverTheBytesWereSplit() throws Exception {
        String input = "\r\n\r\nGET /x?y=1 HTTP/1.1\r\nHost: h\r\nno colon\r\n\r\n";
        for (int cut = 0; cut < input.indexOf("no colon") + 3; cut++) {
            assertThat(refusedAt(input, cut)).as("cut at %d", cut).isEqualTo("GET /x?y=1 HTTP/1.1");
        }
        RequestParser p = new RequestParser(HttpLimits.defaults()); // one byte at a time
        byte[] b = bytes(input);
        assertThatThrownBy(() -> { for (int i = 0; i < b.length; i++) p.feed(b, i, 1); }).isInstanceOf(HttpException.class);
        assertThat(p.requestLineSeen()).isEqualTo("GET /x?y=1 HTTP/1.1");
    }

    @Test
    void bytesThatAreNoRequestAreWhatTheFailingCallHeldUpToALineEnd() {
        String hello = "\u0016\u0003\u0001\u0000\u00a5\u0001\u0000";
        assertThat(refusedAt(hello, 0)).isEqualTo(hello);
        assertThat(refusedAt(hello + "\r\nmore", 0)).isEqualTo(hello);
        assertThat(refusedAt("G(T / HTTP/1.1\r\n\r\n", 0)).isEqualTo("G(T / HTTP/1.1");
        assertThat(refusedAt("GET /\u00e9\u0000 HTTP/1.1\r\n\r\n", 0)).isEqualTo("GET /\u00e9\u0000 HTTP/1.1");
    }

    @Test
    void theLineIsCutAtItsBound() {
        String target = "/" + "a".repeat(3 * RequestParser.MAX_LINE_SEEN);
        String seen = refusedAt("GET " + target + " HTTP/1.1\r\nHost: h\r\nbad\r\n\r\n", 100);
        assertThat(seen).hasSize(RequestParser.MAX_LINE_SEEN).isEqualTo(("GET " + target).substring(0, RequestParser.MAX_LINE_SEEN));
        HttpLimits small = HttpLimits.defaults().withMaxRequestLine(2 * RequestParser.MAX_LINE_SEEN);
        RequestParser p = new RequestParser(small);
        byte[] b = bytes("GET " + target + " HTTP/1.1\r\n");
        assertThatThrownBy(() -> p.feed(b, 0, b.length)).isInstanceOf(HttpException.class)
                .satisfies(e -> assertThat(((HttpException) e).status()).isEqualTo(414));
        assertThat(p.requestLineSeen()).hasSize(RequestParser.MAX_LINE_SEEN);
    }

    @Test
    void onlyEmptyLinesSeeNoLine() {
        assertThat(refusedAt("\r\n\r\n\r\r", 0)).isNull();
        assertThat(refusedAt("\r\n\r\n\r\r", 3)).isNull();
    }

    @Test
    void aHeadStillArrivingShowsWhatArrivedAndACompleteOneNone() throws Exception {
        RequestParser p = new RequestParser(HttpLimits.defaults());
        assertThat(p.requestLineSeen()).isNull();
        byte[] part = bytes("\r\nGET /sl");
        p.feed(part, 0, part.length);
        assertThat(p.requestLineSeen()).isEqualTo("GET /sl");
        byte[] more = bytes("ow HTTP/1.1\r\nHost: a\r\n");
        p.feed(more, 0, more.length);
        assertThat(p.event()).isEqualTo(RequestParser.Event.NEED_MORE);
        assertThat(p.requestLineSeen()).isEqualTo("GET /slow HTTP/1.1");
        byte[] end = bytes("\r\n");
        p.feed(end, 0, end.length);
        assertThat(p.event()).isEqualTo(RequestParser.Event.REQUEST_COMPLETE);
        assertThat(p.requestLineSeen()).isNull();
        p.reset();
        assertThat(p.requestLineSeen()).isNull();
    }

    @Test
    void aPipelinedRequestRefusedAfterAGoodOneShowsItsOwnLine() throws Exception {
        RequestParser p = new RequestParser(HttpLimits.defaults());
        byte[] b = bytes("GET /good HTTP/1.1\r\nHost: h\r\n\r\nPUT /bad HTTP/1.1\r\nHost: h\r\nX : y\r\n\r\n");
        int off = p.feed(b, 0, b.length);
        assertThat(p.event()).isEqualTo(RequestParser.Event.REQUEST_COMPLETE);
        p.reset();
        int from = off;
        assertThatThrownBy(() -> p.feed(b, from, b.length - from)).isInstanceOf(HttpException.class);
        assertThat(p.requestLineSeen()).isEqualTo("PUT /bad HTTP/1.1");
    }
}
