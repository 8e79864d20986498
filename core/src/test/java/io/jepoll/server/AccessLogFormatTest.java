package io.jepoll.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The three formats to the letter, and escaping that no client can break out of. */
class AccessLogFormatTest {
    private static final long T = Instant.parse("2026-12-01T18:00:00.042Z").toEpochMilli();
    private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();
    /** A combined line; the groups are the remote, the time, the request line, status, bytes, referer and agent. */
    static final Pattern COMBINED = Pattern.compile(
            "^(\\S+) - - \\[([^\\]]+)\\] \"([^\"]*)\" (\\d{3}) (\\d+|-) \"([^\"]*)\" \"([^\"]*)\"$");

    private static AccessLogEntry entry(String method, String target, int minor, int status, long bytes, String referer, String agent) {
        return new AccessLogEntry(T, LOCAL, method, target, minor, status, bytes, 1234, referer, agent);
    }

    private static String line(AccessLog.Format f, AccessLogEntry e) {
        StringBuilder b = new StringBuilder();
        new AccessLogFormat(f).append(e, b);
        return b.toString();
    }

    @Test
    void commonIsApachesCommonLogFormatInUtc() {
        assertThat(line(AccessLog.Format.COMMON, entry("GET", "/x?y=1", 1, 200, 13, "http://a/", "curl/8")))
                .isEqualTo("127.0.0.1 - - [01/Dec/2026:18:00:00 +0000] \"GET /x?y=1 HTTP/1.1\" 200 13");
    }

    @Test
    void anEmptyBodyIsADashAsApacheWritesIt() {
        assertThat(line(AccessLog.Format.COMMON, entry("HEAD", "/", 0, 304, 0, null, null)))
                .isEqualTo("127.0.0.1 - - [01/Dec/2026:18:00:00 +0000] \"HEAD / HTTP/1.0\" 304 -");
    }

    @Test
    void combinedAddsRefererAndUserAgentWithDashesForAbsentOrEmptyOnes() {
        assertThat(line(AccessLog.Format.COMBINED, entry("GET", "/x?y=1", 1, 200, 13, "http://a/b", "curl/8.5.0")))
                .isEqualTo("127.0.0.1 - - [01/Dec/2026:18:00:00 +0000] \"GET /x?y=1 HTTP/1.1\" 200 13 \"http://a/b\" \"curl/8.5.0\"");
        assertThat(line(AccessLog.Format.COMBINED, entry("GET", "/", 1, 404, 10, null, "")))
                .isEqualTo("127.0.0.1 - - [01/Dec/2026:18:00:00 +0000] \"GET / HTTP/1.1\" 404 10 \"-\" \"-\"");
    }

    @Test
    void jsonIsOneObjectWithEveryFieldAndNullForWhatIsAbsent() {
        assertThat(line(AccessLog.Format.JSON, entry("GET", "/x?y=1", 1, 200, 13, null, "curl/8.5.0")))
                .isEqualTo("{\"time\":\"2026-12-01T18:00:00.042Z\",\"remote\":\"127.0.0.1\",\"method\":\"GET\","
                        + "\"target\":\"/x?y=1\",\"protocol\":\"HTTP/1.1\",\"status\":200,\"bytes\":13,\"duration_us\":1234,"
                        + "\"referer\":null,\"user_agent\":\"curl/8.5.0\"}");
    }

    @Test
    void aRequestRefusedBeforeItsHeadIsADashOrNulls() {
        AccessLogEntry refused = new AccessLogEntry(T, null, null, null, 0, 400, 52, 0, null, null);
        assertThat(line(AccessLog.Format.COMBINED, refused))
                .isEqualTo("- - - [01/Dec/2026:18:00:00 +0000] \"-\" 400 52 \"-\" \"-\"");
        assertThat(line(AccessLog.Format.JSON, refused))
                .isEqualTo("{\"time\":\"2026-12-01T18:00:00.042Z\",\"remote\":null,\"method\":null,\"target\":null,"
                        + "\"protocol\":null,\"status\":400,\"bytes\":52,\"duration_us\":0,\"referer\":null,\"user_agent\":null}");
    }

    @Test
    void aRequestRefusedInsideItsHeadHasTheLineThatArrivedSplitInJsonWhenItHasTheShape() {
        AccessLogEntry line = AccessLogEntry.refused(T, LOCAL, "GET /x?\"y\" HTTP/1.1", 400, 36);
        assertThat(line(AccessLog.Format.COMBINED, line))
                .isEqualTo("127.0.0.1 - - [01/Dec/2026:18:00:00 +0000] \"GET /x?\\x22y\\x22 HTTP/1.1\" 400 36 \"-\" \"-\"");
        assertThat(line(AccessLog.Format.JSON, line))
                .isEqualTo("{\"time\":\"2026-12-01T18:00:00.042Z\",\"remote\":\"127.0.0.1\",\"method\":\"GET\",\"target\":\"/x?\\\"y\\\"\","
                        + "\"protocol\":\"HTTP/1.1\",\"status\":400,\"bytes\":36,\"duration_us\":0,\"referer\":null,\"user_agent\":null}");
        AccessLogEntry tls = AccessLogEntry.refused(T, LOCAL, "\u0016\u0003\u0001 \u00a5", 400, 36);
        assertThat(line(AccessLog.Format.COMMON, tls)).isEqualTo("127.0.0.1 - - [01/Dec/2026:18:00:00 +0000] \"\\x16\\x03\\x01 \\xA5\" 400 36");
        assertThat(line(AccessLog.Format.JSON, tls)).contains("\"method\":null,\"target\":null,\"protocol\":null");
        for (String notThree : new String[] {"GET /x", "GET  /x HTTP/1.1", "GET /x HTTP/1.1 x", "GET /x "}) {
            assertThat(line(AccessLog.Format.JSON, AccessLogEntry.refused(T, LOCAL, notThree, 400, 1))).as(notThree)
                    .contains("\"method\":null,\"target\":null,\"protocol\":null");
        }
    }

    @Test
    void everyMonthHasItsEnglishNameAndTheFieldsArePadded() {
        String[] months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        AccessLogFormat f = new AccessLogFormat(AccessLog.Format.COMMON); // one formatter: its second cache moves on
        for (int m = 1; m <= 12; m++) {
            long t = Instant.parse(String.format("2027-%02d-03T04:05:06.007Z", m)).toEpochMilli();
            StringBuilder b = new StringBuilder();
            f.append(new AccessLogEntry(t, LOCAL, "GET", "/", 1, 200, 1, 0, null, null), b);
            assertThat(b.toString()).contains("[03/" + months[m - 1] + "/2027:04:05:06 +0000]");
        }
        StringBuilder b = new StringBuilder();
        new AccessLogFormat(AccessLog.Format.JSON).append(new AccessLogEntry(Instant.parse("2027-01-03T04:05:06.007Z").toEpochMilli(),
                LOCAL, "GET", "/", 1, 200, 1, 0, null, null), b);
        assertThat(b.toString()).startsWith("{\"time\":\"2027-01-03T04:05:06.007Z\"");
    }

    @ParameterizedTest
    @CsvSource({
            "::1, ::1",
            "::, ::",
            "2001:db8:0:0:0:0:0:1, 2001:db8::1",
            "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
            "1:0:0:2:0:0:0:3, 1:0:0:2::3",
            "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "fe80:0:0:0:0:0:0:abcd, fe80::abcd",
            "1:2:3:4:5:6:7:0, 1:2:3:4:5:6:7:0",
            "1:0:0:0:0:0:0:0, 1::",
            "192.0.2.7, 192.0.2.7",
    })
    void addressesAreWrittenAsNginxWritesThemWithIpv6ShortenedPerRfc5952(String address, String text) throws Exception {
        assertThat(AccessLogFormat.host(InetAddress.getByName(address))).isEqualTo(text);
    }

    /** A dual-stack socket ("--host ::") sees IPv4 clients as mapped addresses: written in the mixed form. */
    @Test
    void anIpv4MappedAddressIsWrittenWithItsDottedQuad() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1};
        assertThat(AccessLogFormat.host(java.net.Inet6Address.getByAddress(null, mapped, -1))).isEqualTo("::ffff:127.0.0.1");
        byte[] almost = mapped.clone();
        almost[9] = 1;
        assertThat(AccessLogFormat.host(java.net.Inet6Address.getByAddress(null, almost, -1))).isEqualTo("::1:ffff:7f00:1");
    }

    @Test
    void everyByteOutsidePrintableAsciiAndTheQuoteAndBackslashAreEscapedInTheTextFormats() {
        for (int c = 0; c <= 0xFF; c++) {
            StringBuilder b = new StringBuilder();
            LogEscape.text(String.valueOf((char) c), b);
            boolean kept = c >= 0x20 && c < 0x7F && c != '"' && c != '\\';
            assertThat(b.toString()).as("char %d", c).isEqualTo(kept ? String.valueOf((char) c) : String.format("\\x%02X", c));
        }
        StringBuilder b = new StringBuilder();
        LogEscape.text("a\r\nb\"c\\d\u00e9\u20ac", b); // a char above 0xFF cannot come from a request: its UTF-8 bytes
        assertThat(b.toString()).isEqualTo("a\\x0D\\x0Ab\\x22c\\x5Cd\\xE9\\xE2\\x82\\xAC");
    }

    @Test
    void jsonEscapesQuoteBackslashControlsAndEverythingAboveAscii() {
        for (int c = 0; c <= 0xFF; c++) {
            StringBuilder b = new StringBuilder();
            LogEscape.json(String.valueOf((char) c), b);
            String expected = c == '"' || c == '\\' ? "\\" + (char) c
                    : c >= 0x20 && c < 0x7F ? String.valueOf((char) c)
                    : String.format("\\u%04X", c);
            assertThat(b.toString()).as("char %d", c).isEqualTo(expected);
        }
    }

    @Test
    void jsonWritesWellFormedUtf8AsTheCharactersItSpellsAndAnyOtherByteAsItsLatin1Char() {
        String[][] cases = {
            {"caf\u00C3\u00A9", "caf\\u00E9"},                                  // é, C3 A9
            {"\u00E2\u0082\u00AC1", "\\u20AC1"},                                // €, E2 82 AC
            {"\u00F0\u009F\u0098\u0080", "\\uD83D\\uDE00"},                  // U+1F600, a surrogate pair
            {"\u00C0\u00AF", "\\u00C0\\u00AF"},                                // overlong '/': not UTF-8
            {"\u00ED\u00A0\u0080", "\\u00ED\\u00A0\\u0080"},                // a surrogate's encoding: not UTF-8
            {"\u00F4\u0090\u0080\u0080", "\\u00F4\\u0090\\u0080\\u0080"}, // above U+10FFFF
            {"\u00E2\u0082", "\\u00E2\\u0082"},                                // cut short at the end
            {"\u00E2\u0082\"", "\\u00E2\\u0082\\\""},                      // cut short by a quote
            {"\u00E9t\u00E9", "\\u00E9t\\u00E9"},                              // Latin-1 é: a lone byte
        };
        for (String[] c : cases) {
            StringBuilder b = new StringBuilder();
            LogEscape.json(c[0], b);
            assertThat(b.toString()).as("%s", c[1]).isEqualTo(c[1]);
        }
    }

    /**
     * Whatever bytes a client puts in the target and the two fields, a line of any format is one line of
     * printable ASCII whose fields read back to exactly what was sent.
     */
    @Test
    void randomBytesNeverBreakALineAndReadBack() {
        Random random = new Random(20261201);
        for (int n = 0; n < 5_000; n++) {
            String target = hostile(random), referer = hostile(random), agent = hostile(random);
            AccessLogEntry e = entry("GET", target, 1, 200, 5, referer, agent);

            String text = line(AccessLog.Format.COMBINED, e);
            assertPrintableAscii(text);
            Matcher m = COMBINED.matcher(text);
            assertThat(m.matches()).as("%s", text).isTrue();
            assertThat(unescapeText(m.group(3))).isEqualTo("GET " + target + " HTTP/1.1");
            assertThat(unescapeText(m.group(6))).isEqualTo(referer.isEmpty() ? "-" : referer);
            assertThat(unescapeText(m.group(7))).isEqualTo(agent.isEmpty() ? "-" : agent);

            String json = line(AccessLog.Format.JSON, e);
            assertPrintableAscii(json);
            Map<String, Object> o = FlatJson.parse(json);
            assertThat(o).containsEntry("target", utf8Read(target)).containsEntry("referer", utf8Read(referer))
                    .containsEntry("user_agent", utf8Read(agent));
        }
    }

    /**
     * What the JSON format should say for a string of bytes, by the JDK's strict decoder: each run that decodes as
     * one UTF-8 character becomes it, and every other byte stays its Latin-1 char.
     */
    private static String utf8Read(String latin1) {
        byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            String one = null;
            for (int n = 2; n <= 4 && one == null && i + n <= bytes.length; n++) one = strictUtf8(bytes, i, n);
            if (one == null) {
                b.append((char) (bytes[i] & 0xFF));
            } else {
                b.append(one);
                i += one.getBytes(StandardCharsets.UTF_8).length - 1;
            }
        }
        return b.toString();
    }

    /** The one non-ASCII character that {@code n} bytes at {@code i} encode, or null. */
    private static String strictUtf8(byte[] bytes, int i, int n) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, i, n)).toString();
            return s.codePointCount(0, s.length()) == 1 && s.codePointAt(0) >= 0x80 ? s : null;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Latin-1 strings (a request holds nothing else), heavy in what could break a line: CR, LF, quotes, backslashes. */
    private static String hostile(Random r) {
        char[] special = {'\r', '\n', '"', '\\', '\t', 0, 0x7F, 0x85, 0xFF, ' ', 'x', '%', 0xC3, 0xE2, 0xF0, 0x9F, 0xA9};
        int len = r.nextInt(24);
        StringBuilder b = new StringBuilder(len);
        for (int i = 0; i < len; i++) b.append(r.nextBoolean() ? special[r.nextInt(special.length)] : (char) r.nextInt(256));
        return b.toString();
    }

    static void assertPrintableAscii(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c >= 0x7F) throw new AssertionError("char " + (int) c + " at " + i + " of " + line);
        }
    }

    /** Reads the text formats' escapes back: every backslash must start a {@code \xHH}. */
    static String unescapeText(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (s.charAt(i + 1) != 'x') throw new AssertionError("not a \\xHH escape at " + i + " of " + s);
            b.append((char) HexFormat.fromHexDigits(s, i + 2, i + 4));
            i += 3;
        }
        return b.toString();
    }
}
