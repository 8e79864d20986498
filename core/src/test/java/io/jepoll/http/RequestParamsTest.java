package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a handler reads beyond the head: query parameters, form fields, cookies, the media type; each at its bound. */
class RequestParamsTest {

    // ---------------------------------------------------------------- query

    @ParameterizedTest(name = "{0} -> {1} = [{2}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "/p?a=1&b=2          | a     | 1",
        "/p?a=1&b=2          | b     | 2",
        "/p?a=1&b=2          | c     | NULL",
        "/p?a                | a     | ''",       // no '=': the value is empty (WHATWG urlencoded §5.1)
        "/p?a=               | a     | ''",
        "/p?=x               | ''    | x",
        "/p?&&a=1&&          | a     | 1",         // empty pieces are skipped
        "/p?q=hello+world%21 | q     | hello world!",
        "/p?q=a%2Bb          | q     | a+b",       // an encoded '+' is a plus
        "/p?a+b=c            | a b   | c",         // names are decoded too
        "/p?q=%E2%82%AC      | q     | \u20ac",
        "/p?q=%e2%82%ac      | q     | \u20ac",   // hex digits in either case
        "/p?q=100%           | q     | 100%",      // a '%' that starts no escape is kept
        "/p?q=%zz%2          | q     | %zz%2",
        "/p?q=%FF            | q     | \ufffd",   // not UTF-8: the replacement character, as browsers read it
        "/p?q=a=b            | q     | a=b",       // split at the first '='
        "/p?Q=1              | q     | NULL",      // names are case-sensitive
        "/p                  | a     | NULL",
        "/p?                 | a     | NULL",
    })
    void queryParametersAreDecodedAsFormsAre(String target, String name, String value) {
        assertThat(Requests.get(target).queryParam(name)).isEqualTo(value);
    }

    @Test
    void repeatedNamesKeepEveryValueInOrder() {
        Request r = Requests.get("/p?a=1&b=x&a=2&a=3");
        assertThat(r.queryParam("a")).isEqualTo("1");
        assertThat(r.queryParams("a")).containsExactly("1", "2", "3");
        assertThat(r.queryParams("b")).containsExactly("x");
        assertThat(r.queryParams("none")).isEmpty();
    }

    @Test
    void plusIsASpaceOnlyInTheQuery() {
        Request r = Requests.get("/a+b?c=d+e");
        assertThat(r.path()).isEqualTo("/a+b");
        assertThat(r.queryParam("c")).isEqualTo("d e");
    }

    @Test
    void atMostMaxPairsAreRead() {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i <= FormData.MAX_PAIRS; i++) q.append("k").append(i).append("=v").append(i).append('&');
        Request r = Requests.parse("GET /p?" + q + " HTTP/1.1\r\nHost: x\r\n\r\n",
                HttpLimits.defaults().withMaxRequestLine(64 * 1024));
        assertThat(r.queryParam("k0")).isEqualTo("v0");
        assertThat(r.queryParam("k" + (FormData.MAX_PAIRS - 1))).isEqualTo("v" + (FormData.MAX_PAIRS - 1));
        assertThat(r.queryParam("k" + FormData.MAX_PAIRS)).isNull(); // the pair after the bound is not read
    }

    @Test
    void emptyPiecesDoNotCountTowardsTheBound() {
        String q = "&".repeat(5000) + "a=1";
        Request r = Requests.parse("GET /p?" + q + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(r.queryParam("a")).isEqualTo("1");
    }

    @Test
    void repeatedValuesAtTheBound() {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < FormData.MAX_PAIRS + 10; i++) q.append("a=").append(i).append('&');
        byte[] b = q.toString().getBytes(StandardCharsets.US_ASCII);
        FormData f = FormData.parse(b, 0, b.length);
        assertThat(f.size()).isEqualTo(FormData.MAX_PAIRS);
        assertThat(f.all("a")).hasSize(FormData.MAX_PAIRS).endsWith(Integer.toString(FormData.MAX_PAIRS - 1));
    }

    @Test
    void theQueryStringItselfIsUnchanged() {
        Request r = Requests.get("/p?a=%41+b");
        assertThat(r.query()).isEqualTo("a=%41+b");
        assertThat(r.queryParam("a")).isEqualTo("A b");
    }

    // ---------------------------------------------------------------- form bodies

    @Test
    void aFormBodyIsReadWhenItsTypeSaysSo() {
        Request r = Requests.withBody("POST", "/f?a=query", "application/x-www-form-urlencoded",
                "a=1&name=J%C3%BCrgen+M&a=2&empty=");
        assertThat(r.formParam("a")).isEqualTo("1");
        assertThat(r.formParams("a")).containsExactly("1", "2");
        assertThat(r.formParam("name")).isEqualTo("J\u00fcrgen M");
        assertThat(r.formParam("empty")).isEmpty();
        assertThat(r.formParam("none")).isNull();
        assertThat(r.queryParam("a")).isEqualTo("query"); // query and body are separate
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "application/x-www-form-urlencoded; charset=UTF-8",
        "Application/X-WWW-Form-URLEncoded",
        "application/x-www-form-urlencoded ;charset=utf-8",
    })
    void theMediaTypeIsMatchedWithoutParametersAndCase(String type) {
        assertThat(Requests.withBody("POST", "/f", type, "a=1").formParam("a")).isEqualTo("1");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {"text/plain", "application/json", "multipart/form-data; boundary=x", "NULL"})
    void anotherBodyHasNoFormFields(String type) {
        Request r = Requests.withBody("POST", "/f", type, "a=1");
        assertThat(r.formParam("a")).isNull();
        assertThat(r.formParams("a")).isEmpty();
    }

    @Test
    void aFormIsReadUpToTheBound() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i <= FormData.MAX_PAIRS; i++) body.append("f").append(i).append("=x&");
        Request r = Requests.withBody("POST", "/f", "application/x-www-form-urlencoded", body.toString());
        assertThat(r.formParam("f" + (FormData.MAX_PAIRS - 1))).isEqualTo("x");
        assertThat(r.formParam("f" + FormData.MAX_PAIRS)).isNull();
    }

    // ---------------------------------------------------------------- cookies

    @ParameterizedTest(name = "[{0}] {1} = [{2}]")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "a=1; b=2                | a   | 1",
        "a=1; b=2                | b   | 2",
        "a=1;b=2                 | b   | 2",          // no space after ';'
        "a = 1 ;   b=2           | a   | 1",          // OWS around names and values
        "a=\"quoted value\"        | a   | quoted value", // DQUOTEs are not part of the value (RFC 6265 §4.1.1)
        "a=\"\"                    | a   | ''",
        "a=\"                     | a   | \"",          // a lone quote is kept
        "a=                      | a   | ''",
        "a=x=y                   | a   | x=y",
        "a=%41                   | a   | %41",         // values are opaque, not decoded
        "a=1; a=2                | a   | 1",           // the first is the most specific (§5.4)
        "A=1                     | a   | NULL",        // names are case-sensitive
        "bad name=1; c=3         | c   | 3",           // a piece that is not token=value is skipped
        "bad name=1; c=3         | bad name | NULL",
        "noequals; d=4           | d   | 4",
        "noequals; d=4           | noequals | NULL",
        ";;; ; e=5 ;;            | e   | 5",
        "=6; f=7                 | f   | 7",
    })
    void cookiesAreReadTolerantly(String header, String name, String value) {
        assertThat(Requests.get("/", "Cookie: " + header).cookie(name)).isEqualTo(value);
    }

    @Test
    void severalCookieFieldsAreOneList() {
        Request r = Requests.get("/", "Cookie: a=1", "Cookie: b=2; a=3");
        assertThat(r.cookie("a")).isEqualTo("1");
        assertThat(r.cookie("b")).isEqualTo("2");
        assertThat(Requests.get("/").cookie("a")).isNull();
    }

    @Test
    void atMostMaxCookiesAreRead() {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i <= CookieHeader.MAX_COOKIES; i++) pieces.add("c" + i + "=v" + i);
        Request r = Requests.get("/", "Cookie: " + String.join("; ", pieces));
        assertThat(r.cookie("c" + (CookieHeader.MAX_COOKIES - 1))).isEqualTo("v" + (CookieHeader.MAX_COOKIES - 1));
        assertThat(r.cookie("c" + CookieHeader.MAX_COOKIES)).isNull();
    }

    @Test
    void skippedPiecesDoNotCountTowardsTheBound() {
        Request r = Requests.get("/", "Cookie: " + "x; ".repeat(CookieHeader.MAX_COOKIES * 2) + "a=1");
        assertThat(r.cookie("a")).isEqualTo("1");
    }

    // ---------------------------------------------------------------- content type, copies

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
        "Content-Type: application/json                  | application/json",
        "Content-Type: Application/JSON ; charset=utf-8   | application/json",
        "Content-Type: text/html;charset=utf-8            | text/html",
        "Content-Type: ;charset=utf-8                     | NULL",
        "X-None: 1                                        | NULL",
    })
    void theMediaTypeOfContentType(String field, String type) {
        assertThat(Requests.get("/", field).contentType()).isEqualTo(type);
    }

    @Test
    void aCopyKeepsWhatWasParsedAndTheRemoteAddress() {
        Request r = Requests.get("/p?a=1", "Cookie: c=2", "Content-Type: text/plain");
        java.net.InetSocketAddress peer = new java.net.InetSocketAddress("127.0.0.1", 4242);
        assertThat(r.remoteAddress()).isNull();
        r.remoteAddress(peer);
        assertThat(r.queryParam("a")).isEqualTo("1");
        Request c = r.copy();
        assertThat(c.queryParam("a")).isEqualTo("1");
        assertThat(c.cookie("c")).isEqualTo("2");
        assertThat(c.contentType()).isEqualTo("text/plain");
        assertThat(c.remoteAddress()).isEqualTo(peer);
    }

    @Test
    void theNextRequestOnAParserForgetsEverything() throws HttpException {
        RequestParser parser = new RequestParser(HttpLimits.defaults());
        byte[] first = "GET /p?a=1 HTTP/1.1\r\nHost: x\r\nCookie: c=1\r\nContent-Type: text/plain\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        parser.feed(first, 0, first.length);
        Request r = parser.request();
        r.remoteAddress(new java.net.InetSocketAddress("127.0.0.1", 1));
        assertThat(r.queryParam("a")).isEqualTo("1");
        assertThat(r.cookie("c")).isEqualTo("1");
        assertThat(r.contentType()).isEqualTo("text/plain");
        parser.reset();
        byte[] second = "GET /q HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        parser.feed(second, 0, second.length);
        assertThat(r.queryParam("a")).isNull();
        assertThat(r.cookie("c")).isNull();
        assertThat(r.contentType()).isNull();
        assertThat(r.remoteAddress()).isNull();
    }
}
