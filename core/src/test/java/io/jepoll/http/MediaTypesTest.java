package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The built-in extension table, how a name's extension is found, and registering types (RFC 9110 §8.3). */
class MediaTypesTest {

    static final MediaTypes TYPES = MediaTypes.defaults();

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiterString = "|", textBlock = """
            index.html      | text/html; charset=utf-8
            old.htm         | text/html; charset=utf-8
            site.css        | text/css; charset=utf-8
            app.js          | text/javascript; charset=utf-8
            mod.mjs         | text/javascript; charset=utf-8
            data.json       | application/json; charset=utf-8
            app.js.map      | application/json; charset=utf-8
            logo.svg        | image/svg+xml; charset=utf-8
            feed.xml        | application/xml; charset=utf-8
            page.xhtml      | application/xhtml+xml; charset=utf-8
            site.webmanifest | application/manifest+json; charset=utf-8
            notes.txt       | text/plain; charset=utf-8
            README.md       | text/markdown; charset=utf-8
            table.csv       | text/csv; charset=utf-8
            a.png           | image/png
            a.jpg           | image/jpeg
            a.jpeg          | image/jpeg
            a.gif           | image/gif
            a.webp          | image/webp
            a.avif          | image/avif
            favicon.ico     | image/vnd.microsoft.icon
            a.wasm          | application/wasm
            a.woff          | font/woff
            a.woff2         | font/woff2
            a.ttf           | font/ttf
            a.otf           | font/otf
            a.pdf           | application/pdf
            a.mp3           | audio/mpeg
            a.mp4           | video/mp4
            a.webm          | video/webm
            a.ogg           | audio/ogg
            a.zip           | application/zip
            a.gz            | application/gzip
            a.tar           | application/x-tar
            a.tar.gz        | application/gzip
            # case-insensitive
            INDEX.HTML      | text/html; charset=utf-8
            Photo.JpG       | image/jpeg
            # the last segment of a path
            /srv/www/a.css  | text/css; charset=utf-8
            dir.d/README    | application/octet-stream
            dir.css/        | application/octet-stream
            # no extension, a hidden file, a trailing dot, unknown ones
            Makefile        | application/octet-stream
            .bashrc         | application/octet-stream
            .config.json    | application/json; charset=utf-8
            name.           | application/octet-stream
            a.exe           | application/octet-stream
            a.html~         | application/octet-stream
            a.htmlx         | application/octet-stream
            a.jpg.bak       | application/octet-stream
            # only ASCII is folded: the long s (U+017F) upper-cases to S, but ſvg is not svg
            a.\u017Fvg      | application/octet-stream
            """)
    void forFileName(String name, String expected) {
        assertThat(TYPES.forFileName(name)).isEqualTo(expected);
    }

    @Test
    void everyTextTypeDeclaresUtf8AndNoOtherDoes() {
        for (String ext : new String[] {"html", "css", "js", "json", "txt", "md", "csv", "xml", "svg", "ics"}) {
            assertThat(TYPES.forExtension(ext)).as(ext).endsWith("; charset=utf-8");
        }
        for (String ext : new String[] {"png", "wasm", "woff2", "pdf", "mp4", "zip", "gz"}) {
            assertThat(TYPES.forExtension(ext)).as(ext).doesNotContain("charset");
        }
    }

    @Test
    void extensionLengthIsBoundedAtItsLimit() {
        String ext16 = "abcdefghijklmnop";
        assertThat(ext16).hasSize(MediaTypes.MAX_EXTENSION_LENGTH);
        MediaTypes t = TYPES.withType(ext16, "application/x-sixteen");
        assertThat(t.forFileName("f." + ext16)).isEqualTo("application/x-sixteen");
        assertThat(t.forExtension(ext16.toUpperCase())).isEqualTo("application/x-sixteen");
        assertThat(t.forFileName("f.q" + ext16)).isEqualTo(MediaTypes.DEFAULT_TYPE);
        assertThatThrownBy(() -> TYPES.withType("q" + ext16, "a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(TYPES.forFileName("f." + "x".repeat(100_000))).isEqualTo(MediaTypes.DEFAULT_TYPE);
    }

    @Test
    void withTypeReturnsANewTableAndLeavesThisOne() {
        MediaTypes custom = TYPES.withType("HTML", "text/html; charset=iso-8859-1").withType("log", "text/plain");
        assertThat(custom.forFileName("a.html")).isEqualTo("text/html; charset=iso-8859-1");
        assertThat(custom.forFileName("a.LOG")).isEqualTo("text/plain");
        assertThat(custom.forFileName("a.css")).isEqualTo("text/css; charset=utf-8");
        assertThat(TYPES.forFileName("a.html")).isEqualTo("text/html; charset=utf-8");
        assertThat(TYPES.forFileName("a.log")).isEqualTo(MediaTypes.DEFAULT_TYPE);
        assertThat(MediaTypes.defaults()).isSameAs(TYPES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "text/plain;charset=utf-8", "text/plain; charset=utf-8",
        "text/plain ; charset=utf-8", "text/plain;\tcharset=\"utf-8\"", "a/b; x=\"q\\\"uoted\"", "a/b;",
        "a/b;;c=d", "application/vnd.api+json", "multipart/x; boundary=\"a b,c\""})
    void acceptsMediaTypes(String contentType) {
        assertThat(TYPES.withType("x", contentType).forExtension("x")).isEqualTo(contentType);
    }

    /** Field-value injection, broken media-type grammar, and the length bound. */
    @ParameterizedTest
    @ValueSource(strings = {"", "text", "text/", "/plain", "text /plain", "text/ plain", "text/plain ",
        " text/plain", "text/plain\r\nSet-Cookie: a=b", "text/plain\n", "text/plain\u0000", "text/plain; charset",
        "text/plain; charset=", "text/plain; =utf-8", "text/plain; charset=\"utf-8", "text/plain; a=b c",
        "text/plain, text/html", "text/pl\u00e9in", "a/b/c", "a/b; x=\"\u0001\""})
    void refusesWhatIsNotAMediaType(String contentType) {
        assertThatThrownBy(() -> TYPES.withType("x", contentType)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void contentTypeLengthIsBoundedAtItsLimit() {
        String atLimit = "a/" + "b".repeat(MediaTypes.MAX_CONTENT_TYPE_LENGTH - 2);
        assertThat(TYPES.withType("x", atLimit).forExtension("x")).isEqualTo(atLimit);
        assertThatThrownBy(() -> TYPES.withType("x", atLimit + "b")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".html", "a.b", "a/b", "a b", "caf\u00e9", "a\u0000"})
    void refusesWhatIsNotAnExtension(String extension) {
        assertThatThrownBy(() -> TYPES.withType(extension, "a/b")).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<String> noise() {
        return Noise.strings(9, "a/b.;= \"\\x", 24, 2000);
    }

    /** Never throws but IllegalArgumentException, and whatever is accepted is a one-line field value. */
    @Test
    void neverThrowsButIllegalArgument() {
        noise().forEach(value -> {
            assertThat(TYPES.forFileName(value)).isNotNull();
            try {
                String got = TYPES.withType("x", value).forExtension("x");
                assertThat(got).doesNotContain("\r", "\n", "\u0000").isEqualTo(value);
            } catch (IllegalArgumentException expected) {
                // refused
            }
        });
    }
}
