package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The status helpers, redirects, JSON and Set-Cookie on Response, down to the bytes the encoder writes. */
class ResponseHelpersTest {

    private static String wire(Response r) {
        OutputBuffer out = new OutputBuffer(1024);
        byte[] rest = ResponseEncoder.encode(r, false, false, true, 0, out);
        assertThat(rest).isNull();
        return new String(out.array(), out.start(), out.readable(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void statusHelpers() {
        assertThat(Response.noContent().status()).isEqualTo(204);
        assertThat(wire(Response.noContent())).doesNotContain("Content-Length").endsWith("\r\n\r\n");
        Response created = Response.created("/users/7");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/users/7");
        assertThat(Response.notFound().status()).isEqualTo(404);
        assertThat(new String(Response.notFound().body(), StandardCharsets.UTF_8)).isEqualTo("Not Found\n");
        Response bad = Response.badRequest("no name\n");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void redirects(int status) {
        Response r = Response.redirect(status, "https://example.com/a?b=%20c");
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.header("Location")).isEqualTo("https://example.com/a?b=%20c");
        assertThat(r.body()).isEmpty();
        assertThat(wire(r)).contains("Location: https://example.com/a?b=%20c\r\n").contains("Content-Length: 0\r\n");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 300, 304, 305, 306, 309, 404})
    void onlyRedirectStatusesRedirect(int status) {
        assertThatThrownBy(() -> Response.redirect(status, "/x")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a b", "/a\r\nSet-Cookie: x=y", "/caf\u00e9", "/\t"})
    void aLocationIsVisibleAscii(String location) {
        assertThatThrownBy(() -> Response.redirect(302, location)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Response.created(location)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jsonHasNoCharsetParameterAndIsUtf8() {
        Response r = Response.json("{\"name\":\"J\u00fcrgen\"}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.body()).isEqualTo("{\"name\":\"J\u00fcrgen\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(Response.json(422, "{}").status()).isEqualTo(422);
    }

    @Test
    void severalCookiesAreSeveralFields() {
        Response r = Response.redirect(303, "/")
                .withCookie(SetCookie.builder("a", "1").path("/").build())
                .withCookie(SetCookie.builder("b", "2").httpOnly(true).build());
        assertThat(wire(r)).contains("\r\nSet-Cookie: a=1; Path=/\r\nSet-Cookie: b=2; HttpOnly\r\n");
    }
}
