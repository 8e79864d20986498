package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 9110 §5.6.7: the three formats a recipient must accept, and the one a sender generates. */
class HttpDateTest {

    /** 2025-06-01T00:00:00Z: the clock for rfc850's two-digit years. */
    static final long NOW = 1_748_736_000L;
    static final long RFC_EXAMPLE = 784_111_777L; // Sun, 06 Nov 1994 08:49:37 GMT

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # §5.6.7's example in each of the three formats
            Sun, 06 Nov 1994 08:49:37 GMT      | 784111777
            Sunday, 06-Nov-94 08:49:37 GMT     | 784111777
            Sun Nov  6 08:49:37 1994           | 784111777
            # asctime date3 = month SP ( 2DIGIT / ( SP DIGIT ) ): both day forms
            Sun Nov 06 08:49:37 1994           | 784111777
            Thu Jan  1 00:00:00 1970           | 0
            Thu, 01 Jan 1970 00:00:00 GMT      | 0
            Wed, 31 Dec 1969 23:59:58 GMT      | -2
            # the whole 4DIGIT year range
            Sat, 01 Jan 0000 00:00:00 GMT      | -62167219200
            Fri, 31 Dec 9999 23:59:59 GMT      | 253402300799
            # leap years: 2000 is one (divisible by 400)
            Tue, 29 Feb 2000 12:00:00 GMT      | 951825600
            # second 60 (leap second): counted as the next minute's first second
            Wed, 31 Dec 2008 23:59:60 GMT      | 1230768000
            # a wrong day name is tolerated (documented policy): 06 Nov 1994 was a Sunday
            Mon, 06 Nov 1994 08:49:37 GMT      | 784111777
            Monday, 06-Nov-94 08:49:37 GMT     | 784111777
            Mon Nov  6 08:49:37 1994           | 784111777
            # every long day name
            Wednesday, 29-Feb-00 00:00:00 GMT  | 951782400
            Thursday, 01-Jan-70 00:00:00 GMT   | 3155760000
            """)
    void parsesValidDates(String value, long expected) {
        assertThat(HttpDate.parse(value, NOW)).isEqualTo(expected);
    }

    /** §5.6.7: a two-digit year more than 50 years in the future is the most recent past year with those digits. */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # now is 2025-06-01; the horizon is 2075-06-01
            Wednesday, 01-Jan-75 00:00:00 GMT  | 3313526400
            Saturday, 01-Nov-75 00:00:00 GMT   | 184032000
            Thursday, 01-Jan-76 00:00:00 GMT   | 189302400
            Sunday, 05-May-30 05:05:05 GMT     | 1904187905
            Sunday, 06-Nov-94 08:49:37 GMT     | 784111777
            Sunday, 01-Jun-25 00:00:00 GMT     | 1748736000
            """)
    void rfc850FiftyYearRule(String value, long expected) {
        assertThat(HttpDate.parse(value, NOW)).isEqualTo(expected);
    }

    @Test
    void rfc850CenturyFollowsTheClock() {
        long in2080 = HttpDate.parse("Thu, 01 Feb 2080 00:00:00 GMT", 0);
        // In 2080, "30" is 2130 (50 years ahead at most) and "94" is 2094.
        assertThat(HttpDate.parse("Sunday, 01-Jan-30 00:00:00 GMT", in2080))
                .isEqualTo(HttpDate.parse("Sun, 01 Jan 2130 00:00:00 GMT", 0));
        assertThat(HttpDate.parse("Sunday, 06-Nov-94 08:49:37 GMT", in2080))
                .isEqualTo(HttpDate.parse("Sun, 06 Nov 2094 08:49:37 GMT", 0));
        // In 2060, 29-Feb-00 cannot be 2100 (not a leap year): it is 2000.
        long in2060 = HttpDate.parse("Thu, 01 Jan 2060 00:00:00 GMT", 0);
        assertThat(HttpDate.parse("Tuesday, 29-Feb-00 00:00:00 GMT", in2060)).isEqualTo(951_782_400L);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            NULL
            ''
            garbage
            # trailing garbage, including old Netscape's length parameter
            'Sun, 06 Nov 1994 08:49:37 GMT x'
            Sun, 06 Nov 1994 08:49:37 GMT; length=34343
            Sun, 06 Nov 1994 08:49:37 GMTT
            'Sun Nov  6 08:49:37 1994 GMT'
            # HTTP-date is case-sensitive
            sun, 06 Nov 1994 08:49:37 GMT
            SUN, 06 Nov 1994 08:49:37 GMT
            Sun, 06 nov 1994 08:49:37 GMT
            Sun, 06 Nov 1994 08:49:37 gmt
            sunday, 06-Nov-94 08:49:37 GMT
            # other zones are not HTTP-dates
            Sun, 06 Nov 1994 08:49:37 UTC
            Sun, 06 Nov 1994 08:49:37 +0000
            # digit counts
            Sun, 6 Nov 1994 08:49:37 GMT
            Sun, 06 Nov 94 08:49:37 GMT
            Sun, 06 Nov 01994 08:49:37 GMT
            Sun, 06 Nov 1994 8:49:37 GMT
            Sun, 06 Nov 1994 08:49:7 GMT
            Sunday, 06-Nov-1994 08:49:37 GMT
            Sun Nov  6 08:49:37 94
            Sun Nov 6 08:49:37 1994
            Sun Nov   6 08:49:37 1994
            # separators
            Sun,  06 Nov 1994 08:49:37 GMT
            Sun 06 Nov 1994 08:49:37 GMT
            Sun, 06-Nov-1994 08:49:37 GMT
            Sun, 06 Nov 1994 08-49-37 GMT
            Sun, 06 Nov 1994 08:49:37  GMT
            Sun,	06 Nov 1994 08:49:37 GMT
            Sunday, 06 Nov 94 08:49:37 GMT
            Sunday,06-Nov-94 08:49:37 GMT
            # wrong day-name form for the format
            Sunday, 06 Nov 1994 08:49:37 GMT
            Sun, 06-Nov-94 08:49:37 GMT
            Sunday Nov  6 08:49:37 1994
            Fun, 06 Nov 1994 08:49:37 GMT
            Funday, 06-Nov-94 08:49:37 GMT
            # the calendar
            Sun, 00 Nov 1994 08:49:37 GMT
            Sun, 31 Nov 1994 08:49:37 GMT
            Sun, 32 Jan 1994 08:49:37 GMT
            Thu, 29 Feb 1900 08:49:37 GMT
            Thu, 29 Feb 2001 08:49:37 GMT
            Sun, 06 Nov 1994 24:00:00 GMT
            Sun, 06 Nov 1994 08:60:00 GMT
            Sun, 06 Nov 1994 08:49:61 GMT
            Sun, 06 Xyz 1994 08:49:37 GMT
            Sun Nov  0 08:49:37 1994
            # non-digits where digits go (sign, letter, Arabic-Indic digits)
            Sun, 06 Nov +994 08:49:37 GMT
            Sun, 06 Nov 199a 08:49:37 GMT
            Sun, ٠٦ Nov 1994 08:49:37 GMT
            Sun, 06 Nov 1994 08:49:-7 GMT
            # CR/LF are not whitespace to trim
            'Sun, 06 Nov 1994 08:49:37 GMT\r'
            """)
    void refusesInvalidDates(String value) {
        String v = value == null ? null : value.replace("\\r", "\r");
        assertThat(HttpDate.parse(v, NOW)).isEqualTo(HttpDate.INVALID);
        assertThat(HttpDate.seconds(v, NOW)).isEqualTo(HttpDate.NONE);
    }

    @Test
    void trimsSurroundingWhitespaceUpToTheLengthBound() {
        String date = "Sun, 06 Nov 1994 08:49:37 GMT";
        String padded = " \t" + date + "\t ";
        assertThat(HttpDate.parse(padded, NOW)).isEqualTo(RFC_EXAMPLE);
        String atLimit = " ".repeat(HttpDate.MAX_LENGTH - date.length()) + date;
        assertThat(atLimit).hasSize(HttpDate.MAX_LENGTH);
        assertThat(HttpDate.parse(atLimit, NOW)).isEqualTo(RFC_EXAMPLE);
        assertThat(HttpDate.parse(" " + atLimit, NOW)).isEqualTo(HttpDate.INVALID);
    }

    @Test
    void parseWithoutClockUsesTheSystemClock() {
        assertThat(HttpDate.parse("Sun, 06 Nov 1994 08:49:37 GMT")).isEqualTo(RFC_EXAMPLE);
        assertThat(HttpDate.parse("Sunday, 06-Nov-94 08:49:37 GMT")).isEqualTo(RFC_EXAMPLE); // until 2044
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0             | Thu, 01 Jan 1970 00:00:00 GMT
            784111777     | Sun, 06 Nov 1994 08:49:37 GMT
            951825600     | Tue, 29 Feb 2000 12:00:00 GMT
            -1            | Wed, 31 Dec 1969 23:59:59 GMT
            -62167219200  | Sat, 01 Jan 0000 00:00:00 GMT
            253402300799  | Fri, 31 Dec 9999 23:59:59 GMT
            """)
    void formatsImfFixdate(long epochSeconds, String expected) {
        assertThat(HttpDate.format(epochSeconds)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"-62167219201", "253402300800", "-9223372036854775808", "9223372036854775807"})
    void formatRefusesYearsImfFixdateCannotHold(long epochSeconds) {
        assertThatThrownBy(() -> HttpDate.format(epochSeconds)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> randomSeconds() {
        SplittableRandom r = new SplittableRandom(9110);
        return Stream.generate(() -> Arguments.of(r.nextLong(-62_167_219_200L, 253_402_300_800L))).limit(200);
    }

    /** Against java.time, the reference, over the whole year range: format, then parse back. */
    @ParameterizedTest
    @MethodSource("randomSeconds")
    void formatAgreesWithJavaTimeAndParsesBack(long epochSeconds) {
        String expected = DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", java.util.Locale.ROOT)
                .format(Instant.ofEpochSecond(epochSeconds).atOffset(ZoneOffset.UTC));
        String formatted = HttpDate.format(epochSeconds);
        assertThat(formatted).isEqualTo(expected);
        assertThat(HttpDate.parse(formatted, NOW)).isEqualTo(epochSeconds);
    }

    static Stream<String> noise() {
        return Stream.concat(Noise.strings(1, "SunMoTueWdhFriSatJnbMrApyJlgOcNvDGT, -:0123456789", 40, 3000),
                Noise.mutations(2, "Sunday, 06-Nov-94 08:49:37 GMT", " ,-:09SunGMT", 1000));
    }

    /** Never throws, and a value accepted is one format would write (or an obsolete form of a valid date). */
    @Test
    void neverThrows() {
        noise().forEach(value -> {
            long t = HttpDate.seconds(value, NOW);
            if (t != HttpDate.NONE) {
                assertThat(HttpDate.seconds(HttpDate.format(t), NOW)).isEqualTo(t);
            }
        });
    }
}
