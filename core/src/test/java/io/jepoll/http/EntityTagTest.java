package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9110 §8.8.3: entity-tag syntax, the two comparison functions, and the If-Match / If-None-Match lists. */
class EntityTagTest {

    /** The table of §8.8.3.2, verbatim. */
    @ParameterizedTest(name = "{0} vs {1}: strong {2}, weak {3}")
    @CsvSource(delimiterString = "|", textBlock = """
            W/"1" | W/"1" | false | true
            W/"1" | W/"2" | false | false
            W/"1" | "1"   | false | true
            "1"   | "1"   | true  | true
            # and the cases the table implies
            "1"   | W/"1" | false | true
            "1"   | "2"   | false | false
            "a"   | "A"   | false | false
            ""    | ""    | true  | true
            """)
    void comparisonTableOfSection8_8_3_2(String a, String b, boolean strong, boolean weak) {
        EntityTag x = EntityTag.parse(a);
        EntityTag y = EntityTag.parse(b);
        assertThat(x.strongMatch(y)).isEqualTo(strong);
        assertThat(y.strongMatch(x)).isEqualTo(strong);
        assertThat(x.weakMatch(y)).isEqualTo(weak);
        assertThat(y.weakMatch(x)).isEqualTo(weak);
    }

    @Test
    void nothingMatchesNull() {
        assertThat(EntityTag.strong("a").strongMatch(null)).isFalse();
        assertThat(EntityTag.strong("a").weakMatch(null)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "|", textBlock = """
            false | abc      | "abc"
            true  | abc      | W/"abc"
            false | ''       | ""
            false | a,b      | "a,b"
            false | W/x      | "W/x"
            false | !#$%&'() | "!#$%&'()"
            """)
    void headerFormAndBack(boolean weak, String opaque, String header) {
        EntityTag t = new EntityTag(weak, opaque);
        assertThat(t.header()).isEqualTo(header);
        assertThat(EntityTag.parse(header)).isEqualTo(t);
    }

    @Test
    void obsTextIsEtagc() {
        assertThat(EntityTag.strong("caf\u00e9\u0080\u00ff").header()).isEqualTo("\"caf\u00e9\u0080\u00ff\"");
    }

    /** Not etagc: DQUOTE, SP, controls, DEL, chars that are not one octet. */
    @ParameterizedTest
    @ValueSource(strings = {"a\"b", "a b", "\t", "\u0000", "a\r\nX: y", "\u007f", "\u0100", "\u20ac"})
    void constructorRefusesNonEtagc(String opaque) {
        assertThatThrownBy(() -> EntityTag.strong(opaque)).isInstanceOf(IllegalArgumentException.class);
        assertThat(EntityTag.parse("\"" + opaque + "\"")).isNull();
    }

    @ParameterizedTest(name = "[{index}] <{0}>")
    @CsvSource(delimiterString = "|", nullValues = "NULL", textBlock = """
            NULL
            ''
            abc
            '"abc'
            'abc"'
            w/"abc"
            'W/ "abc"'
            'W/abc'
            'W"abc"'
            '"a" "b"'
            '"a", "b"'
            '"abc"x'
            '*'
            """)
    void parseOneRefuses(String value) {
        assertThat(EntityTag.parse(value)).isNull();
    }

    @Test
    void parseOneTrimsOws() {
        assertThat(EntityTag.parse(" \tW/\"x\" ")).isEqualTo(EntityTag.weak("x"));
    }

    /** §13.1.1 / §13.1.2 field values under the list rule of §5.6.1; expected tags as header forms. */
    @ParameterizedTest(name = "<{0}> → {1}")
    @CsvSource(delimiterString = "=>", textBlock = """
            *                              => ANY
            ' * '                          => ANY
            '"xyzzy"'                      => ["xyzzy"]
            '"xyzzy", "r2d2xxxx", "c3piozzzz"' => ["xyzzy" "r2d2xxxx" "c3piozzzz"]
            'W/"xyzzy", W/"r2d2xxxx"'      => [W/"xyzzy" W/"r2d2xxxx"]
            '"a,b", "c"'                   => ["a,b" "c"]
            '"a",W/"b"'                    => ["a" W/"b"]
            '"a"  ,	"b"'                   => ["a" "b"]
            ', "a" ,, , "b",'              => ["a" "b"]
            '""'                           => [""]
            ''                             => []
            ' , ,'                         => []
            # invalid: "*" inside a list, missing commas, bad tags
            '*, "a"'                       => INVALID
            '"a", *'                       => INVALID
            '**'                           => INVALID
            '"a" "b"'                      => INVALID
            '"a""b"'                       => INVALID
            'W/"a"W/"b"'                   => INVALID
            'abc'                          => INVALID
            '"abc'                         => INVALID
            'w/"abc"'                      => INVALID
            'W/ "abc"'                     => INVALID
            '"a", b'                       => INVALID
            '"a b"'                        => INVALID
            '"a";q=1'                      => INVALID
            """)
    void parseList(String value, String expected) {
        assertThat(describe(EntityTag.parseList(value))).isEqualTo(expected);
    }

    @Test
    void parseListOfNullIsInvalid() {
        assertThat(EntityTag.parseList(null)).isEqualTo(EntityTagList.INVALID);
    }

    @Test
    void tagCountIsBoundedAtItsLimit() {
        String atLimit = ("\"t\", ").repeat(EntityTag.MAX_TAGS);
        assertThat(EntityTag.parseList(atLimit)).isInstanceOfSatisfying(EntityTagList.Tags.class,
                t -> assertThat(t.tags()).hasSize(EntityTag.MAX_TAGS));
        assertThat(EntityTag.parseList(atLimit + "\"u\"")).isEqualTo(EntityTagList.INVALID);
        // empty elements do not count (§5.6.1)
        assertThat(EntityTag.parseList(atLimit + ",,,,")).isInstanceOf(EntityTagList.Tags.class);
    }

    @Test
    void fieldLengthIsBoundedAtItsLimit() {
        String big = "\"" + "x".repeat(EntityTag.MAX_FIELD_LENGTH - 2) + "\"";
        assertThat(big).hasSize(EntityTag.MAX_FIELD_LENGTH);
        assertThat(EntityTag.parseList(big)).isInstanceOf(EntityTagList.Tags.class);
        assertThat(EntityTag.parse(big)).isNotNull();
        assertThat(EntityTag.parseList(big + " ")).isEqualTo(EntityTagList.INVALID);
        assertThat(EntityTag.parse(big + " ")).isNull();
    }

    /** §13.1.1 uses strong comparison, §13.1.2 weak; "*" matches only an existing representation. */
    @ParameterizedTest(name = "<{0}> vs {1}: strong {2}, weak {3}")
    @CsvSource(delimiterString = "|", nullValues = "NULL", textBlock = """
            *              | "a"   | true  | true
            *              | NULL  | false | false
            '"a", "b"'     | "b"   | true  | true
            '"a", W/"b"'   | "b"   | false | true
            '"a", "b"'     | W/"b" | false | true
            '"a", "b"'     | "c"   | false | false
            '"a"'          | NULL  | false | false
            ''             | "a"   | false | false
            'garbage'      | "a"   | false | false
            """)
    void listMatching(String list, String current, boolean strong, boolean weak) {
        EntityTag cur = current == null ? null : EntityTag.parse(current);
        EntityTagList l = EntityTag.parseList(list);
        assertThat(l.matchesStrongly(cur)).isEqualTo(strong);
        assertThat(l.matchesWeakly(cur)).isEqualTo(weak);
    }

    @Test
    void forFileIsStrongHexOfMtimeSizeAndInode() {
        EntityTag t = EntityTag.forFile(1234, 0x5f3b2c1aL, 0, 42);
        assertThat(t.weak()).isFalse();
        assertThat(t.header()).isEqualTo("\"5f3b2c1a-4d2-2a\"");
        assertThat(EntityTag.forFile(1234, 0x5f3b2c1aL, 500_000_000, 42).header())
                .isEqualTo("\"5f3b2c1a.1dcd6500-4d2-2a\"");
        // 5 GiB, a pre-1970 mtime and an inode above Long.MAX still give valid tags
        assertThat(EntityTag.forFile(5L << 30, -1, 999_999_999, -1).header())
                .isEqualTo("\"ffffffffffffffff.3b9ac9ff-140000000-ffffffffffffffff\"");
        assertThat(EntityTag.parse(t.header())).isEqualTo(t);
    }

    /** Any one of the four inputs changing changes the tag, and so does moving a digit between fields. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "inode,       100, 1700000000, 5, 8",
        "size,        101, 1700000000, 5, 7",
        "seconds,     100, 1700000001, 5, 7",
        "nanos,       100, 1700000000, 6, 7",
        "no nanos,    100, 1700000000, 0, 7",
        "shifted,     10,  1700000000, 5, 7"
    })
    void forFileDiffersWhenAnyInputDiffers(String what, long size, long sec, long nanos, long inode) {
        EntityTag base = EntityTag.forFile(100, 1_700_000_000, 5, 7);
        EntityTag other = EntityTag.forFile(size, sec, nanos, inode);
        assertThat(other.strongMatch(base)).as(what).isFalse();
        assertThat(EntityTag.forFile(100, 1_700_000_000, 5, 7).strongMatch(base)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"-1, 0", "0, -1", "0, 1000000000"})
    void forFileRefusesImpossibleStat(long size, long nanos) {
        assertThatThrownBy(() -> EntityTag.forFile(size, 0, nanos, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String describe(EntityTagList l) {
        return switch (l) {
            case EntityTagList.Any a -> "ANY";
            case EntityTagList.Invalid i -> "INVALID";
            case EntityTagList.Tags t -> t.tags().stream().map(EntityTag::header)
                    .collect(Collectors.joining(" ", "[", "]"));
        };
    }

    static Stream<String> noise() {
        return Noise.strings(3, "W/\"a, *\t", 30, 3000);
    }

    /** Never throws, and every tag parsed prints back to a value that parses to the same tag. */
    @Test
    void neverThrows() {
        noise().forEach(value -> {
            if (EntityTag.parseList(value) instanceof EntityTagList.Tags tags) {
                for (EntityTag t : tags.tags()) {
                    assertThat(EntityTag.parse(t.header())).isEqualTo(t);
                }
            }
            EntityTag one = EntityTag.parse(value);
            if (one != null) {
                assertThat(EntityTag.parse(one.header())).isEqualTo(one);
            }
        });
    }
}
