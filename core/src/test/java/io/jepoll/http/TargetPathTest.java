package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TargetPath#decode} as an attack table: every refused row asserts null, every accepted row the exact
 * normalised path. Then the bounds at their limits, and the href / HTML encoders.
 */
class TargetPathTest {

    static Arguments ok(String raw, String decoded) {
        return Arguments.of(raw, decoded);
    }

    static Arguments refused(String raw) {
        return Arguments.of(raw, null);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // ---- ordinary paths
                ok("/", "/"),
                ok("/index.html", "/index.html"),
                ok("/a/b/c.txt", "/a/b/c.txt"),
                ok("/a/b/", "/a/b/"),
                ok("/~user/a;b=c,d!$&'()*+:@", "/~user/a;b=c,d!$&'()*+:@"),
                ok("/a%20b", "/a b"),
                ok("/caf%C3%A9", "/caf\u00e9"),
                ok("/caf%c3%a9", "/caf\u00e9"), // lower-case hex is the same octet (RFC 3986 §2.1)
                ok("/%E2%82%AC", "/\u20ac"),
                ok("/%F0%9F%98%80", "/\ud83d\ude00"),
                ok("/%C2%A0", "/\u00a0"), // NBSP is not a control
                ok("/%3F%23%25%22%3C%3E", "/?#%\"<>"), // encoded, these are plain name chars
                ok("/%41%42", "/AB"),
                ok("/...", "/..."),
                ok("/..a/a../.a./a.", "/..a/a../.a./a."),
                ok("/.hidden", "/.hidden"),
                // ---- empty segments collapse
                ok("//", "/"),
                ok("///", "/"),
                ok("/a//b", "/a/b"),
                ok("//a", "/a"),
                ok("//evil.example/x", "/evil.example/x"),
                ok("/a/b//", "/a/b/"),
                // ---- dot segments inside the root resolve (RFC 3986 §5.2.4)
                ok("/.", "/"),
                ok("/./", "/"),
                ok("/./a", "/a"),
                ok("/a/./b", "/a/b"),
                ok("/a/.", "/a/"),
                ok("/a/./", "/a/"),
                ok("/a/..", "/"),
                ok("/a/../", "/"),
                ok("/a/../b", "/b"),
                ok("/a/b/..", "/a/"),
                ok("/a/b/../", "/a/"),
                ok("/a/b/../../c", "/c"),
                ok("/a/b/../c/./d/..", "/a/c/"),
                ok("/a/.//../b", "/b"),
                // ---- encoded dots are dots (RFC 3986 §6.2.2.2), mixed case included
                ok("/%2e/a", "/a"),
                ok("/a/%2e%2e/b", "/b"),
                ok("/a/%2E%2E/b", "/b"),
                ok("/a/%2E%2e/b", "/b"),
                ok("/a/.%2e/b", "/b"),
                ok("/a/%2e./b", "/b"),
                // ---- decoded once, never twice
                ok("/%252e%252e/x", "/%2e%2e/x"),
                ok("/%25%32%65", "/%2e"),
                ok("/%252F", "/%2F"),
                ok("/%255c", "/%5c"),
                ok("/%2500", "/%00"),

                // ---- not an origin-form path (absolute-form and other leftovers)
                refused(null),
                refused(""),
                refused("a"),
                refused("*"),
                refused("index.html"),
                refused("http://host/a"),
                refused("https://host"),
                refused("host:80"),
                refused(" /a"),
                // ---- climbing above the root
                refused("/.."),
                refused("/../"),
                refused("/../a"),
                refused("/./../x"),
                refused("/a/../.."),
                refused("/a/../../b"),
                refused("/a/../../a"),
                refused("/a/b/../../../etc/passwd"),
                refused("//../a"),
                refused("/%2e%2e"),
                refused("/%2E%2E/"),
                refused("/%2e%2E/etc/passwd"),
                refused("/.%2e/x"),
                refused("/%2e./x"),
                refused("/a/%2e%2e/%2e%2e/x"),
                // ---- encoded slash and backslash, literal backslash
                refused("/a%2Fb"),
                refused("/a%2fb"),
                refused("/..%2F..%2Fetc"),
                refused("/%2e%2e%2f"),
                refused("/a%5Cb"),
                refused("/a%5cb"),
                refused("/..%5c..%5cwindows"),
                refused("/a\\b"),
                refused("/..\\..\\x"),
                refused("/\\"),
                // ---- NUL and other controls, raw or encoded
                refused("/a%00b"),
                refused("/a%00"),
                refused("/%00"),
                refused("/a.html%00.png"),
                refused("/a\u0000b"),
                refused("/a%01"),
                refused("/a%09"),
                refused("/a%0a"),
                refused("/a%0D%0ASet-Cookie:x"),
                refused("/a%1f"),
                refused("/a%7f"),
                refused("/a%7F"),
                refused("/a\tb"),
                refused("/a b"),
                refused("/a\u007fb"),
                refused("/a\r\nb"),
                refused("/%C2%80"), // C1 controls U+0080..U+009F
                refused("/%C2%85"),
                refused("/%c2%9f"),
                // ---- overlong UTF-8 (RFC 3629 §10): dot, slash, backslash, NUL in disguise
                refused("/%c0%ae"),
                refused("/%c0%ae%c0%ae/x"),
                refused("/%C0%AE%C0%AE/"),
                refused("/%c0%af"),
                refused("/..%c0%af..%c0%afetc"),
                refused("/%c1%9c"),
                refused("/%c0%80"),
                refused("/%e0%80%ae"),
                refused("/%e0%80%af"),
                refused("/%f0%80%80%ae"),
                refused("/%f8%80%80%80%ae"),
                refused("/%fc%80%80%80%80%ae"),
                // ---- other malformed UTF-8
                refused("/%ff"),
                refused("/%fe"),
                refused("/%80"),
                refused("/%bf"),
                refused("/%c3"),
                refused("/%c3/a"),
                refused("/%c3%28"),
                refused("/%c3%c3%a9"),
                refused("/%e2%82"),
                refused("/%e2%82/"),
                refused("/%e2%28%a1"),
                refused("/%f0%9f%98"),
                refused("/%ed%a0%80"), // a surrogate, U+D800
                refused("/%ed%bf%bf"), // U+DFFF
                refused("/%f4%90%80%80"), // U+110000
                refused("/%f5%80%80%80"),
                // ---- invalid escapes
                refused("/%"),
                refused("/%2"),
                refused("/a%"),
                refused("/a%2"),
                refused("/%zz"),
                refused("/%g0"),
                refused("/%0g"),
                refused("/%%32%65"),
                refused("/%u002e"),
                refused("/%u002e%u002e/x"),
                refused("/% 2e"),
                refused("/%+2e"),
                refused("/%-1"),
                // ---- the query and fragment must already be gone; non-ASCII must be encoded
                refused("/a?b"),
                refused("/a#b"),
                refused("/caf\u00e9"),
                refused("/\u2215etc"), // DIVISION SLASH, raw
                refused("/\uff0e\uff0e/x")); // FULLWIDTH FULL STOP, raw
    }

    @ParameterizedTest(name = "[{index}] {0} → {1}")
    @MethodSource("table")
    void decode(String raw, String expected) {
        assertThat(TargetPath.decode(raw)).isEqualTo(expected);
    }

    /** Encoded look-alikes are names, never separators or dots: the fullwidth dot and division slash decode. */
    @Test
    void unicodeLookAlikesAreOrdinaryNames() {
        assertThat(TargetPath.decode("/%EF%BC%8E%EF%BC%8E/x")).isEqualTo("/\uff0e\uff0e/x");
        assertThat(TargetPath.decode("/a%E2%88%95b")).isEqualTo("/a\u2215b");
        assertThat(TargetPath.segments(TargetPath.decode("/a%E2%88%95b"))).containsExactly("a\u2215b");
    }

    @Test
    void lengthIsBoundedAtItsLimit() {
        StringBuilder b = new StringBuilder();
        while (b.length() + 101 <= TargetPath.MAX_LENGTH) {
            b.append('/').append("x".repeat(100));
        }
        int rest = TargetPath.MAX_LENGTH - b.length() - 1;
        b.append('/').append("y".repeat(rest));
        String atLimit = b.toString();
        assertThat(atLimit).hasSize(TargetPath.MAX_LENGTH);
        assertThat(TargetPath.decode(atLimit)).isEqualTo(atLimit);
        assertThat(TargetPath.decode(atLimit + "z")).isNull();
        assertThat(TargetPath.decode("/" + "a".repeat(1_000_000))).isNull();
        assertThat(TargetPath.decode("/".repeat(TargetPath.MAX_LENGTH))).isEqualTo("/");
        assertThat(TargetPath.decode("/".repeat(TargetPath.MAX_LENGTH + 1))).isNull();
    }

    @Test
    void segmentCountIsBoundedAtItsLimit() {
        String atLimit = "/a".repeat(TargetPath.MAX_SEGMENTS);
        assertThat(TargetPath.decode(atLimit)).isEqualTo(atLimit);
        assertThat(TargetPath.decode(atLimit + "/a")).isNull();
        // dot segments count too: resolving them is work
        String dots = "/a/..".repeat(TargetPath.MAX_SEGMENTS / 2);
        assertThat(TargetPath.decode(dots)).isEqualTo("/");
        assertThat(TargetPath.decode(dots + "/.")).isNull();
        // empty ones do not
        assertThat(TargetPath.decode(atLimit + "//")).isEqualTo(atLimit + "/");
    }

    @Test
    void segmentBytesAreBoundedAtItsLimit() {
        String ascii = "n".repeat(TargetPath.MAX_SEGMENT_BYTES);
        assertThat(TargetPath.decode("/d/" + ascii + "/")).isEqualTo("/d/" + ascii + "/");
        assertThat(TargetPath.decode("/d/" + ascii + "n")).isNull();
        // counted in decoded UTF-8 bytes: é is two
        String e127 = "%C3%A9".repeat(127);
        assertThat(TargetPath.decode("/" + e127 + "a")).isEqualTo("/" + "\u00e9".repeat(127) + "a");
        assertThat(TargetPath.decode("/" + e127 + "%C3%A9")).isNull();
        // and one escape is one byte, not three
        String escaped = "%61".repeat(TargetPath.MAX_SEGMENT_BYTES);
        assertThat(TargetPath.decode("/" + escaped)).isEqualTo("/" + "a".repeat(TargetPath.MAX_SEGMENT_BYTES));
        assertThat(TargetPath.decode("/" + escaped + "%61")).isNull();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiterString = "|", textBlock = """
            /           | ''
            /a          | a
            /a/b/       | a,b
            /a b/c%d/   | a b,c%d
            """)
    void segments(String decoded, String expected) {
        List<String> want = expected.isEmpty() ? List.of() : List.of(expected.split(","));
        assertThat(TargetPath.segments(decoded)).isEqualTo(want);
    }

    @ParameterizedTest(name = "<{0}> → {1}")
    @CsvSource(delimiterString = "|", textBlock = """
            abcXYZ019-._~   | abcXYZ019-._~
            a b             | a%20b
            a/b             | a%2Fb
            a\\b            | a%5Cb
            100%            | 100%25
            a?b#c&d=e;f     | a%3Fb%23c%26d%3De%3Bf
            '"<>'''         | %22%3C%3E%27
            :@!$()*+,       | %3A%40%21%24%28%29%2A%2B%2C
            caf\u00e9       | caf%C3%A9
            \u20ac          | %E2%82%AC
            \ud83d\ude00    | %F0%9F%98%80
            """)
    void encodeSegment(String name, String expected) {
        String n = name.replace("\\\\", "\\");
        assertThat(TargetPath.encodeSegment(n)).isEqualTo(expected);
        // what an href carries decodes back to the name (for names decode accepts)
        assertThat(TargetPath.decode("/" + TargetPath.encodeSegment(n))).isIn("/" + n, null);
    }

    @Test
    void encodeSegmentRoundTripsThroughDecode() {
        for (String name : new String[] {"plain", "a b", "caf\u00e9", "x%2e%2e", "?#", "\ud83d\ude00", "..."}) {
            assertThat(TargetPath.decode("/dir/" + TargetPath.encodeSegment(name))).isEqualTo("/dir/" + name);
        }
    }

    @Test
    void encodeSegmentReplacesLoneSurrogates() {
        assertThat(TargetPath.encodeSegment("a\ud800b")).isEqualTo("a%EF%BF%BDb");
        assertThat(TargetPath.encodeSegment("\ude00")).isEqualTo("%EF%BF%BD");
        assertThat(TargetPath.encodeSegment("\ud83d")).isEqualTo("%EF%BF%BD");
    }

    @ParameterizedTest(name = "<{0}> → <{1}>")
    @CsvSource(delimiterString = "|", textBlock = """
            plain                               | plain
            ''                                  | ''
            a&b                                 | a&amp;b
            <script>alert(1)</script>           | &lt;script&gt;alert(1)&lt;/script&gt;
            '" onmouseover="x'                  | &quot; onmouseover=&quot;x
            'it''s'                             | it&#39;s
            &amp;                               | &amp;amp;
            caf\u00e9                           | caf\u00e9
            """)
    void escapeHtml(String text, String expected) {
        assertThat(TargetPath.escapeHtml(text)).isEqualTo(expected);
    }

    @Test
    void escapeHtmlReturnsTheSameStringWhenNothingNeedsEscaping() {
        String s = "nothing-to-do";
        assertThat(TargetPath.escapeHtml(s)).isSameAs(s);
    }

    static Stream<String> noise() {
        return Stream.concat(Noise.strings(10, "/./%2eE5cCfF0a\\", 40, 4000),
                Noise.mutations(11, "/a/%2e%2e/b/%C3%A9/./c", "/.%2eEcC0", 2000));
    }

    /**
     * Never throws, and what is accepted is safe by construction: rooted, no dot or empty segment, no
     * backslash, no control; and normalising it again changes nothing once its '%' are encoded.
     */
    @Test
    void neverThrowsAndWhatItAcceptsIsSafe() {
        AtomicInteger accepted = new AtomicInteger();
        noise().forEach(raw -> {
            String d = TargetPath.decode(raw);
            if (d == null) {
                return;
            }
            accepted.incrementAndGet();
            assertThat(d).startsWith("/").doesNotContain("//", "\\");
            for (String s : TargetPath.segments(d)) {
                assertThat(s).isNotIn(".", "..");
                assertThat(s.chars()).noneMatch(Character::isISOControl);
            }
            String again = "/" + String.join("/", TargetPath.segments(d).stream().map(TargetPath::encodeSegment)
                    .toList()) + (d.length() > 1 && d.endsWith("/") ? "/" : "");
            assertThat(TargetPath.decode(again)).isEqualTo(d);
        });
        assertThat(accepted.get()).as("the noise reaches accepted paths").isGreaterThan(100);
    }
}
