package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SetCookie against RFC 6265 §4.1 (and 6265bis where browsers follow it): what is built, what is refused. */
class SetCookieTest {

    @Test
    void everyAttributeInOrder() {
        SetCookie c = SetCookie.builder("sid", "abc123").maxAge(Duration.ofHours(8))
                .expires(Instant.parse("2026-01-02T03:04:05Z")).path("/app").domain("example.com")
                .secure(true).httpOnly(true).sameSite(SetCookie.SameSite.STRICT).build();
        assertThat(c.headerValue()).isEqualTo("sid=abc123; Max-Age=28800; Expires=Fri, 02 Jan 2026 03:04:05 GMT;"
                + " Path=/app; Domain=example.com; Secure; HttpOnly; SameSite=Strict");
        assertThat(c.name()).isEqualTo("sid");
        assertThat(c.value()).isEqualTo("abc123");
    }

    @Test
    void justTheNameAndValue() {
        assertThat(SetCookie.builder("a", "").build().headerValue()).isEqualTo("a=");
        assertThat(SetCookie.builder("a", "\"quoted\"").build().headerValue()).isEqualTo("a=\"quoted\"");
        assertThat(SetCookie.builder("a", "!#$%&'()*+-./0-9:<=>?@A-Z[]^_`a-z{|}~").build().value())
                .isEqualTo("!#$%&'()*+-./0-9:<=>?@A-Z[]^_`a-z{|}~"); // every cookie-octet class
    }

    @Test
    void maxAgeZeroDeletesAndFractionsAreDropped() {
        assertThat(SetCookie.builder("a", "b").maxAge(Duration.ZERO).build().headerValue()).isEqualTo("a=b; Max-Age=0");
        assertThat(SetCookie.builder("a", "b").maxAge(Duration.ofMillis(1999)).build().headerValue()).isEqualTo("a=b; Max-Age=1");
        assertThatThrownBy(() -> SetCookie.builder("a", "b").maxAge(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SetCookie.builder("a", "b").expires(Instant.EPOCH).build().headerValue())
                .isEqualTo("a=b; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
        assertThatThrownBy(() -> SetCookie.builder("a", "b").expires(Instant.parse("+10000-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a;b", "a=b", "a,b", "a\"b", "(a)", "a/b", "a\tb", "caf\u00e9", "a\u0000"})
    void aNameMustBeAToken(String name) {
        assertThatThrownBy(() -> SetCookie.builder(name, "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a;b", "a,b", "a\\b", "a\"b", "\"", "\"a", "a\"", "\"a\"b\"", "caf\u00e9", "a\r\nX: y", "\u0000", "\u007f"})
    void aValueMustBeCookieOctets(String value) {
        assertThatThrownBy(() -> SetCookie.builder("n", value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nameAndValueAreBoundedTogether() {
        String value = "v".repeat(SetCookie.MAX_NAME_VALUE - 1);
        assertThat(SetCookie.builder("n", value).build().value()).hasSize(SetCookie.MAX_NAME_VALUE - 1);
        assertThatThrownBy(() -> SetCookie.builder("nn", value)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "app", "/a;b", "/a\r\n", "/caf\u00e9", "/\u007f"})
    void aBadPathIsRefused(String path) {
        assertThatThrownBy(() -> SetCookie.builder("n", "v").path(path)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPathAtItsBound() {
        String path = "/" + "p".repeat(SetCookie.MAX_ATTRIBUTE - 1);
        assertThat(SetCookie.builder("n", "v").path(path).build().headerValue()).endsWith("Path=" + path);
        assertThatThrownBy(() -> SetCookie.builder("n", "v").path(path + "p")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SetCookie.builder("n", "v").path("/a b,c").build().headerValue()).endsWith("Path=/a b,c"); // any CHAR but CTL and ';'
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".example.com", "example.com.", "a..b", "-a.com", "a-.com", "exa mple.com", "ex_ample.com",
        "caf\u00e9.fr", "a.com;x", "a.com\r\n"})
    void aBadDomainIsRefused(String domain) {
        assertThatThrownBy(() -> SetCookie.builder("n", "v").domain(domain)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void domainsAtTheirBounds() {
        String label = "a".repeat(63);
        assertThat(SetCookie.builder("n", "v").domain(label + ".com").build().headerValue()).endsWith("Domain=" + label + ".com");
        assertThatThrownBy(() -> SetCookie.builder("n", "v").domain(label + "a.com")).isInstanceOf(IllegalArgumentException.class);
        String long253 = (label + ".").repeat(3) + "a".repeat(253 - 64 * 3);
        assertThat(long253).hasSize(253);
        assertThat(SetCookie.builder("n", "v").domain(long253).build().headerValue()).endsWith(long253);
        assertThatThrownBy(() -> SetCookie.builder("n", "v").domain(long253 + "a")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SetCookie.builder("n", "v").domain("xn--caf-dma.fr").build().headerValue()).endsWith("xn--caf-dma.fr");
        assertThat(SetCookie.builder("n", "v").domain("127.0.0.1").build().headerValue()).endsWith("127.0.0.1");
    }

    @Test
    void sameSiteNoneRequiresSecure() {
        assertThatThrownBy(() -> SetCookie.builder("n", "v").sameSite(SetCookie.SameSite.NONE).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Secure");
        assertThat(SetCookie.builder("n", "v").sameSite(SetCookie.SameSite.NONE).secure(true).build().headerValue())
                .isEqualTo("n=v; Secure; SameSite=None");
        assertThat(SetCookie.builder("n", "v").sameSite(SetCookie.SameSite.LAX).build().headerValue()).isEqualTo("n=v; SameSite=Lax");
    }

    @Test
    void prefixesAreEnforced() {
        assertThatThrownBy(() -> SetCookie.builder("__Secure-id", "v").build()).isInstanceOf(IllegalArgumentException.class);
        assertThat(SetCookie.builder("__Secure-id", "v").secure(true).domain("a.com").build()).isNotNull();
        assertThatThrownBy(() -> SetCookie.builder("__Host-id", "v").secure(true).build()) // no Path=/
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetCookie.builder("__Host-id", "v").secure(true).path("/").domain("a.com").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetCookie.builder("__host-id", "v").path("/").build()) // case does not hide it
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SetCookie.builder("__Host-id", "v").secure(true).path("/").build().headerValue())
                .isEqualTo("__Host-id=v; Path=/; Secure");
    }
}
