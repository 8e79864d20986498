package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9110 §12.5.3 Accept-Encoding: acceptability of one coding, and the choice among precompressed files. */
class AcceptEncodingTest {

    @ParameterizedTest(name = "[{index}] <{0}> accepts {1}: {2}")
    @CsvSource(delimiterString = "|", nullValues = "NULL", textBlock = """
            # no header: anything goes
            NULL                                      | gzip     | true
            NULL                                      | identity | true
            # §12.5.3's examples
            compress, gzip                            | gzip     | true
            compress, gzip                            | compress | true
            compress, gzip                            | br       | false
            compress, gzip                            | identity | true
            ''                                        | identity | true
            ''                                        | gzip     | false
            *                                         | gzip     | true
            *                                         | identity | true
            compress;q=0.5, gzip;q=1.0                | compress | true
            compress;q=0.5, gzip;q=1.0                | gzip     | true
            gzip;q=1.0, identity; q=0.5, *;q=0        | gzip     | true
            gzip;q=1.0, identity; q=0.5, *;q=0        | identity | true
            gzip;q=1.0, identity; q=0.5, *;q=0        | br       | false
            # q=0 refuses, in every spelling
            gzip;q=0                                  | gzip     | false
            gzip;q=0.                                 | gzip     | false
            gzip;q=0.0                                | gzip     | false
            gzip;q=0.000                              | gzip     | false
            gzip;q=0.001                              | gzip     | true
            gzip;Q=0                                  | gzip     | false
            'gzip ; q=0'                              | gzip     | false
            'gzip;	q=0'                              | gzip     | false
            gzip;q=1.                                 | gzip     | true
            gzip;q=1.000                              | gzip     | true
            # identity: acceptable unless refused by name, or by *;q=0 without naming it
            identity;q=0                              | identity | false
            *;q=0                                     | identity | false
            *;q=0, identity                           | identity | true
            *;q=0, identity;q=0.5                     | identity | true
            gzip;q=0                                  | identity | true
            br                                        | identity | true
            # * covers what is not named, a name beats *
            *;q=0, gzip                               | gzip     | true
            *;q=0, gzip                               | br       | false
            *, gzip;q=0                               | gzip     | false
            *, gzip;q=0                               | br       | true
            # case-insensitive names; x-gzip is gzip (§8.4.1.3)
            GZIP                                      | gzip     | true
            gzip                                      | GZip     | true
            x-gzip                                    | gzip     | true
            gzip                                      | x-gzip   | true
            X-Compress                                | compress | true
            IDENTITY;q=0                              | identity | false
            # a coding listed twice takes its lowest q
            gzip, gzip;q=0                            | gzip     | false
            gzip;q=0, gzip                            | gzip     | false
            # list rule: empty elements, OWS
            ', gzip ,, br ,'                          | br       | true
            # broken values are read as empty: identity only
            gzip;q=1.1                                | gzip     | false
            gzip;q=2                                  | gzip     | false
            gzip;q=0.1234                             | gzip     | false
            gzip;q=-1                                 | gzip     | false
            gzip;q=05                                 | gzip     | false
            gzip;q=.5                                 | gzip     | false
            gzip;q=                                   | gzip     | false
            'gzip;q = 0.5'                            | gzip     | false
            gzip;level=1                              | gzip     | false
            gzip;q=0.5;x=y                            | gzip     | false
            gzip;                                     | gzip     | false
            'gzip br'                                 | gzip     | false
            gzip/1                                    | gzip     | false
            '"gzip"'                                  | gzip     | false
            gzip;q=1.1                                | identity | true
            *;q=0, gzip;q=2                           | identity | true
            """)
    void accepts(String header, String coding, boolean expected) {
        assertThat(AcceptEncoding.accepts(header, coding)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] <{0}> of [{1}] → {2}")
    @CsvSource(delimiterString = "|", nullValues = "NULL", textBlock = """
            # what browsers send
            gzip, deflate, br, zstd                   | br gzip  | br
            gzip, deflate                             | br gzip  | gzip
            gzip, deflate, br                         | gzip br  | gzip
            # q first, then the server's order
            br;q=0.5, gzip                            | br gzip  | gzip
            br;q=0.9, gzip;q=0.9                      | br gzip  | br
            br;q=0.9, gzip;q=0.9                      | gzip br  | gzip
            br;q=0.001                                | br gzip  | br
            # refusals and identity
            br;q=0, gzip;q=0                          | br gzip  | NULL
            identity                                  | br gzip  | NULL
            ''                                        | br gzip  | NULL
            NULL                                      | br gzip  | NULL
            garbage;q=9                               | br gzip  | NULL
            gzip;q=0.5, identity                      | br gzip  | NULL
            gzip;q=0.5, identity;q=0.4                | br gzip  | gzip
            gzip, identity                            | br gzip  | gzip
            # the wildcard
            *                                         | br gzip  | br
            *;q=0.1, gzip;q=0.5                       | br gzip  | gzip
            *, br;q=0                                 | br gzip  | gzip
            *;q=0                                     | br gzip  | NULL
            # aliases and case; the caller's own string comes back
            x-gzip                                    | BR GZIP  | GZIP
            """)
    void preferred(String header, String available, String expected) {
        List<String> codings = Arrays.asList(available.split(" "));
        assertThat(AcceptEncoding.preferred(header, codings)).isEqualTo(expected);
    }

    @Test
    void preferredSkipsIdentityAndTheWildcardInAvailable() {
        assertThat(AcceptEncoding.preferred("*", List.of("identity", "*", "gzip"))).isEqualTo("gzip");
        assertThat(AcceptEncoding.preferred("gzip", List.of())).isNull();
    }

    @Test
    void codingCountIsBoundedAtItsLimit() {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < AcceptEncoding.MAX_CODINGS; i++) {
            b.append("c").append(i).append(", ");
        }
        String atLimit = b + "gzip";
        assertThat(AcceptEncoding.accepts(atLimit, "gzip")).isTrue();
        assertThat(AcceptEncoding.accepts(atLimit + ", br", "gzip")).isFalse();
        assertThat(AcceptEncoding.accepts(atLimit + ", br", "identity")).isTrue();
        assertThat(AcceptEncoding.accepts(atLimit + ",,, ", "gzip")).isTrue(); // empty elements do not count
    }

    @Test
    void fieldLengthIsBoundedAtItsLimit() {
        String atLimit = " ".repeat(AcceptEncoding.MAX_FIELD_LENGTH - 4) + "gzip";
        assertThat(atLimit).hasSize(AcceptEncoding.MAX_FIELD_LENGTH);
        assertThat(AcceptEncoding.accepts(atLimit, "gzip")).isTrue();
        assertThat(AcceptEncoding.preferred(atLimit, List.of("gzip"))).isEqualTo("gzip");
        assertThat(AcceptEncoding.accepts(" " + atLimit, "gzip")).isFalse();
        assertThat(AcceptEncoding.preferred(" " + atLimit, List.of("gzip"))).isNull();
    }

    static Stream<String> noise() {
        return Stream.concat(Noise.strings(7, "gzipbr*identity;q=0.1, \t", 40, 3000),
                Noise.mutations(8, "br;q=0.9, gzip;q=0.8, *;q=0", "bgz;q=.0,1 ", 1000));
    }

    /** Never throws; what preferred returns is one of the available codings and is acceptable. */
    @Test
    void neverThrows() {
        noise().forEach(value -> {
            String chosen = AcceptEncoding.preferred(value, List.of("br", "gzip"));
            if (chosen != null) {
                assertThat(chosen).isIn("br", "gzip");
                assertThat(AcceptEncoding.accepts(value, chosen)).isTrue();
            }
            AcceptEncoding.accepts(value, "identity");
        });
    }
}
