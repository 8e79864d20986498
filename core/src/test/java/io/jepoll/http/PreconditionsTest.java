package io.jepoll.http;

import static io.jepoll.http.Preconditions.Outcome.NOT_MODIFIED;
import static io.jepoll.http.Preconditions.Outcome.PRECONDITION_FAILED;
import static io.jepoll.http.Preconditions.Outcome.PROCEED;
import static org.assertj.core.api.Assertions.assertThat;

import io.jepoll.http.Preconditions.Outcome;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 9110 §13.1 and the evaluation order of §13.2.2, against a representation with ETag "abc" last modified at
 * LM. Dates in the table: LM itself, OLD (a day before), NEW (a day after), FUTURE (year 2100), BAD (not an
 * HTTP-date); "-" is a header that is absent.
 */
class PreconditionsTest {

    static final EntityTag CURRENT = EntityTag.strong("abc");
    static final long LM = 784_111_777L;
    static final long NOW = 1_748_736_000L;

    @ParameterizedTest(name = "[{index}] {0} If-Match={1} IUS={2} INM={3} IMS={4} → {5}")
    @CsvSource(delimiterString = "|", textBlock = """
            GET  | -             | -      | -             | -      | PROCEED
            # §13.1.1 If-Match: strong comparison, * needs a representation, unreadable fails
            GET  | "abc"         | -      | -             | -      | PROCEED
            PUT  | "abc"         | -      | -             | -      | PROCEED
            GET  | "xyz"         | -      | -             | -      | PRECONDITION_FAILED
            PUT  | "xyz"         | -      | -             | -      | PRECONDITION_FAILED
            PUT  | W/"abc"       | -      | -             | -      | PRECONDITION_FAILED
            PUT  | *             | -      | -             | -      | PROCEED
            PUT  | "x", "abc"    | -      | -             | -      | PROCEED
            PUT  | abc           | -      | -             | -      | PRECONDITION_FAILED
            PUT  | ''            | -      | -             | -      | PRECONDITION_FAILED
            # §13.1.4 If-Unmodified-Since: 412 when modified after the date; invalid ignored
            PUT  | -             | OLD    | -             | -      | PRECONDITION_FAILED
            GET  | -             | OLD    | -             | -      | PRECONDITION_FAILED
            PUT  | -             | LM     | -             | -      | PROCEED
            PUT  | -             | NEW    | -             | -      | PROCEED
            PUT  | -             | BAD    | -             | -      | PROCEED
            PUT  | -             | LM850  | -             | -      | PROCEED
            # §13.2.2 steps 1-2: If-Unmodified-Since only when If-Match is absent
            PUT  | "abc"         | OLD    | -             | -      | PROCEED
            PUT  | "xyz"         | NEW    | -             | -      | PRECONDITION_FAILED
            # §13.1.2 If-None-Match: weak comparison; 304 for GET/HEAD, 412 otherwise
            GET  | -             | -      | "abc"         | -      | NOT_MODIFIED
            HEAD | -             | -      | "abc"         | -      | NOT_MODIFIED
            GET  | -             | -      | W/"abc"       | -      | NOT_MODIFIED
            GET  | -             | -      | "x", W/"abc"  | -      | NOT_MODIFIED
            PUT  | -             | -      | "abc"         | -      | PRECONDITION_FAILED
            POST | -             | -      | W/"abc"       | -      | PRECONDITION_FAILED
            DELETE | -           | -      | *             | -      | PRECONDITION_FAILED
            GET  | -             | -      | *             | -      | NOT_MODIFIED
            GET  | -             | -      | "xyz"         | -      | PROCEED
            PUT  | -             | -      | "xyz"         | -      | PROCEED
            GET  | -             | -      | "ABC"         | -      | PROCEED
            GET  | -             | -      | abc           | -      | PROCEED
            GET  | -             | -      | ''            | -      | PROCEED
            # §13.1.3 If-Modified-Since: GET/HEAD only, 304 unless modified after the date, invalid ignored
            GET  | -             | -      | -             | LM     | NOT_MODIFIED
            HEAD | -             | -      | -             | LM     | NOT_MODIFIED
            GET  | -             | -      | -             | NEW    | NOT_MODIFIED
            GET  | -             | -      | -             | FUTURE | NOT_MODIFIED
            GET  | -             | -      | -             | OLD    | PROCEED
            GET  | -             | -      | -             | BAD    | PROCEED
            GET  | -             | -      | -             | LM850  | NOT_MODIFIED
            GET  | -             | -      | -             | LMASC  | NOT_MODIFIED
            GET  | -             | -      | -             | TWO    | PROCEED
            PUT  | -             | -      | -             | LM     | PROCEED
            POST | -             | -      | -             | NEW    | PROCEED
            # §13.2.2 steps 3-4: If-Modified-Since only when If-None-Match is absent
            GET  | -             | -      | "xyz"         | NEW    | PROCEED
            GET  | -             | -      | garbage       | NEW    | PROCEED
            GET  | -             | -      | "abc"         | OLD    | NOT_MODIFIED
            # §13.2.2 order: the state-changing checks come first
            GET  | "xyz"         | -      | "abc"         | -      | PRECONDITION_FAILED
            GET  | "abc"         | -      | "abc"         | -      | NOT_MODIFIED
            PUT  | "abc"         | -      | "abc"         | -      | PRECONDITION_FAILED
            GET  | -             | OLD    | "abc"         | LM     | PRECONDITION_FAILED
            GET  | -             | NEW    | "abc"         | -      | NOT_MODIFIED
            GET  | -             | OLD    | -             | LM     | PRECONDITION_FAILED
            GET  | "abc"         | OLD    | "xyz"         | NEW    | PROCEED
            GET  | "abc"         | OLD    | -             | NEW    | NOT_MODIFIED
            """)
    void evaluationOrderOfSection13_2_2(String method, String ifMatch, String ius, String inm, String ims,
            Outcome expected) {
        boolean getOrHead = method.equals("GET") || method.equals("HEAD");
        Outcome got = Preconditions.evaluate(getOrHead, value(ifMatch), value(ius), value(inm), value(ims),
                CURRENT, LM, NOW);
        assertThat(got).isEqualTo(expected);
    }

    /** With no current representation (null tag): "*" and any tag fail If-Match, and pass If-None-Match. */
    @ParameterizedTest(name = "{0} If-Match={1} INM={2} → {3}")
    @CsvSource(delimiterString = "|", textBlock = """
            PUT | *     | -     | PRECONDITION_FAILED
            PUT | "abc" | -     | PRECONDITION_FAILED
            PUT | -     | *     | PROCEED
            GET | -     | *     | PROCEED
            GET | -     | "abc" | PROCEED
            """)
    void withoutCurrentRepresentation(String method, String ifMatch, String inm, Outcome expected) {
        assertThat(Preconditions.evaluate(method.equals("GET"), value(ifMatch), null, value(inm), null, null, LM,
                NOW)).isEqualTo(expected);
    }

    /** A negative Last-Modified means there is none: §13.1.3 and §13.1.4 say to ignore both date headers. */
    @Test
    void withoutModificationDateTheDatesAreIgnored() {
        assertThat(Preconditions.evaluate(false, null, value("OLD"), null, null, CURRENT, -1, NOW)).isEqualTo(PROCEED);
        assertThat(Preconditions.evaluate(true, null, null, null, value("NEW"), CURRENT, -1, NOW)).isEqualTo(PROCEED);
        assertThat(Preconditions.evaluate(true, null, null, null, value("FUTURE"), CURRENT, Long.MIN_VALUE, NOW))
                .isEqualTo(PROCEED);
    }

    /** 1969-12-31T23:59:59Z is a valid date even though HttpDate.parse answers -1 for it. */
    @Test
    void theSecondBeforeTheEpochIsAValidDate() {
        String last1969 = "Wed, 31 Dec 1969 23:59:59 GMT";
        assertThat(Preconditions.evaluate(false, null, last1969, null, null, CURRENT, 0, NOW))
                .isEqualTo(PRECONDITION_FAILED);
        assertThat(Preconditions.evaluate(true, null, null, null, last1969, CURRENT, 0, NOW)).isEqualTo(PROCEED);
    }

    @Test
    void systemClockOverloadAgrees() {
        assertThat(Preconditions.evaluate(true, null, null, "\"abc\"", null, CURRENT, LM)).isEqualTo(NOT_MODIFIED);
        assertThat(Preconditions.evaluate(true, null, null, null, value("LM850"), CURRENT, LM))
                .isEqualTo(NOT_MODIFIED);
    }

    private static String value(String cell) {
        return switch (cell) {
            case "-" -> null;
            case "LM" -> HttpDate.format(LM);
            case "LM850" -> "Sunday, 06-Nov-94 08:49:37 GMT";
            case "LMASC" -> "Sun Nov  6 08:49:37 1994";
            case "OLD" -> HttpDate.format(LM - 86_400);
            case "NEW" -> HttpDate.format(LM + 86_400);
            case "FUTURE" -> "Fri, 01 Jan 2100 00:00:00 GMT";
            case "BAD" -> "Sun, 06 Nov 1994 08:49:37";
            case "TWO" -> HttpDate.format(LM) + ", " + HttpDate.format(LM);
            default -> cell;
        };
    }

    static Stream<String> noise() {
        return Noise.strings(4, "W/\"abc, *Sun06Nov1994:GMT", 32, 1000);
    }

    @Test
    void neverThrows() {
        noise().forEach(value -> {
            assertThat(Preconditions.evaluate(true, value, value, null, null, CURRENT, LM, NOW)).isNotNull();
            assertThat(Preconditions.evaluate(false, null, null, value, value, CURRENT, LM, NOW)).isNotNull();
            assertThat(Preconditions.evaluate(true, null, value, value, value, null, -1, NOW)).isNotNull();
        });
    }
}
