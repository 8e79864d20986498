package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9110 §14.1.2 (byte ranges), §14.2 (Range), §13.1.5 (If-Range) and the denial-of-service policy of
 * {@link ByteRanges}. Expected results: IGNORE (200 whole), 416, or the ranges to send, "first-last" in order.
 */
class ByteRangesTest {

    static final long FIVE_GIB = 5L << 30;

    @ParameterizedTest(name = "[{index}] <{0}> of {1} → {2}")
    @CsvSource(delimiterString = "|", textBlock = """
            # §14.1.2's examples, for a representation of length 10000
            bytes=0-499                     | 10000 | 0-499
            bytes=500-999                   | 10000 | 500-999
            bytes=-500                      | 10000 | 9500-9999
            bytes=9500-                     | 10000 | 9500-9999
            bytes=0-0,-1                    | 10000 | 0-0,9999-9999
            bytes=0-999,4500-5499,-1000     | 10000 | 0-999,4500-5499,9000-9999
            bytes=500-600,601-999           | 10000 | 500-999
            bytes=500-700,601-999           | 10000 | 500-999
            # the unit is case-insensitive (§14.1); others are ignored (§14.2)
            BYTES=0-1                       | 10000 | 0-1
            Bytes=0-1                       | 10000 | 0-1
            items=0-1                       | 10000 | IGNORE
            byte=0-1                        | 10000 | IGNORE
            bytesx=0-1                      | 10000 | IGNORE
            bytes0-1                        | 10000 | IGNORE
            'bytes =0-1'                    | 10000 | IGNORE
            '=0-1'                          | 10000 | IGNORE
            # the list rule of §5.6.1: OWS around commas, empty elements
            'bytes=0-1 , 5-6'               | 10000 | 0-1,5-6
            'bytes=0-1,	5-6'                | 10000 | 0-1,5-6
            'bytes= 0-1'                    | 10000 | 0-1
            'bytes=,0-1'                    | 10000 | 0-1
            'bytes=0-1,,5-6,'               | 10000 | 0-1,5-6
            ' bytes=0-1 '                   | 10000 | 0-1
            # syntax errors ignore the whole header
            bytes=                          | 10000 | IGNORE
            'bytes=,'                       | 10000 | IGNORE
            'bytes= , ,'                    | 10000 | IGNORE
            bytes=-                         | 10000 | IGNORE
            bytes=--1                       | 10000 | IGNORE
            bytes=-1-2                      | 10000 | IGNORE
            bytes=1                         | 10000 | IGNORE
            bytes=a-b                       | 10000 | IGNORE
            bytes=1-a                       | 10000 | IGNORE
            bytes=+1-2                      | 10000 | IGNORE
            bytes=-+1                       | 10000 | IGNORE
            bytes=0x10-20                   | 10000 | IGNORE
            bytes=1.5-2                     | 10000 | IGNORE
            'bytes=1 -2'                    | 10000 | IGNORE
            'bytes=1- 2'                    | 10000 | IGNORE
            'bytes=0-1 5-6'                 | 10000 | IGNORE
            'bytes=0-1;5-6'                 | 10000 | IGNORE
            'bytes=0-1,x'                   | 10000 | IGNORE
            'bytes=0-1=2'                   | 10000 | IGNORE
            # §14.1.1: last-pos below first-pos is invalid, not unsatisfiable
            bytes=5-4                       | 10000 | IGNORE
            'bytes=0-1,5-4'                 | 10000 | IGNORE
            # clipping to the representation (§14.1.2)
            bytes=0-99999                   | 10000 | 0-9999
            bytes=-20000                    | 10000 | 0-9999
            bytes=-10000                    | 10000 | 0-9999
            bytes=9999-                     | 10000 | 9999-9999
            bytes=9999-9999                 | 10000 | 9999-9999
            bytes=0-                        | 10000 | 0-9999
            # unsatisfiable (§14.1.1): first-pos at or past the end, a zero suffix
            bytes=10000-                    | 10000 | 416
            bytes=10000-20000               | 10000 | 416
            bytes=-0                        | 10000 | 416
            'bytes=-0,10000-'               | 10000 | 416
            'bytes=10000-,0-1'              | 10000 | 0-1
            'bytes=-0,-1'                   | 10000 | 9999-9999
            # one byte
            bytes=0-0                       | 1     | 0-0
            bytes=-1                        | 1     | 0-0
            bytes=-2                        | 1     | 0-0
            bytes=1-                        | 1     | 416
            # zero length (§14.1.1): only a non-zero suffix is satisfiable, and it is the (empty) whole
            bytes=0-                        | 0     | 416
            bytes=0-0                       | 0     | 416
            bytes=-0                        | 0     | 416
            bytes=-1                        | 0     | IGNORE
            'bytes=0-,-5'                   | 0     | IGNORE
            # coalescing overlapping and adjacent ranges, order of first appearance kept
            'bytes=0-,0-,0-'                | 10000 | 0-9999
            'bytes=0-10,5-20'               | 10000 | 0-20
            'bytes=0-9,10-19'               | 10000 | 0-19
            'bytes=0-9,11-19'               | 10000 | 0-9,11-19
            'bytes=5-20,0-10'               | 10000 | 0-20
            'bytes=500-599,0-99'            | 10000 | 500-599,0-99
            'bytes=500-599,0-99,50-149'     | 10000 | 500-599,0-149
            'bytes=50-149,500-599,0-99'     | 10000 | 0-149,500-599
            'bytes=-100,9000-9949'          | 10000 | 9000-9999
            'bytes=9950-,9000-9949'         | 10000 | 9000-9999
            'bytes=0-0,2-2,1-1'             | 10000 | 0-2
            'bytes=0-1,4-5,8-9,2-3,6-7'     | 10000 | 0-9
            'bytes=0-100,10-20'             | 10000 | 0-100
            # 64-bit offsets: a 5 GiB file, Long.MAX, numbers that would overflow
            bytes=5368709119-               | 5368709120 | 5368709119-5368709119
            bytes=4294967296-4294967395     | 5368709120 | 4294967296-4294967395
            bytes=-4294967296               | 5368709120 | 1073741824-5368709119
            bytes=5368709120-               | 5368709120 | 416
            bytes=0-9223372036854775806     | 9223372036854775807 | 0-9223372036854775806
            bytes=9223372036854775806-      | 9223372036854775807 | 9223372036854775806-9223372036854775806
            bytes=9223372036854775807-      | 9223372036854775807 | 416
            bytes=-9223372036854775807      | 9223372036854775807 | 0-9223372036854775806
            bytes=99999999999999999999999-  | 10000 | 416
            bytes=0-99999999999999999999999 | 10000 | 0-9999
            bytes=-99999999999999999999999  | 10000 | 0-9999
            bytes=0000000000000000000000005-6 | 10000 | 5-6
            bytes=99999999999999999999-1    | 10000 | IGNORE
            bytes=9223372036854775808-9223372036854775807 | 10000 | 416
            """)
    void parse(String header, long length, String expected) {
        assertThat(describe(ByteRanges.parse(header, length))).isEqualTo(expected);
    }

    @Test
    void absentHeaderIsIgnored() {
        assertThat(ByteRanges.parse(null, 10)).isEqualTo(RangeSet.IGNORE);
    }

    @Test
    void negativeLengthIsTheCallersError() {
        assertThatThrownBy(() -> ByteRanges.parse("bytes=0-1", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rangeCountIsBoundedAtItsLimitBeforeCoalescing() {
        int max = ByteRanges.Limits.defaults().maxRanges();
        assertThat(max).isEqualTo(16);
        String atLimit = "bytes=" + IntStream.range(0, max).mapToObj(i -> i * 10 + "-" + i * 10)
                .collect(Collectors.joining(","));
        assertThat(ByteRanges.parse(atLimit, 10_000)).isInstanceOfSatisfying(RangeSet.Satisfiable.class,
                s -> assertThat(s.ranges()).hasSize(max));
        assertThat(ByteRanges.parse(atLimit + ",500-500", 10_000)).isEqualTo(RangeSet.IGNORE);
        // the count is of range-specs asked, so ranges that would coalesce or be unsatisfiable count too
        assertThat(ByteRanges.parse("bytes=" + "0-,".repeat(max) + "0-", 10_000)).isEqualTo(RangeSet.IGNORE);
        assertThat(ByteRanges.parse("bytes=" + "99999-,".repeat(max) + "0-0", 10_000)).isEqualTo(RangeSet.IGNORE);
        // empty elements do not count (§5.6.1)
        assertThat(ByteRanges.parse(atLimit + ",,,", 10_000)).isInstanceOf(RangeSet.Satisfiable.class);
    }

    @Test
    void fieldLengthIsBoundedAtItsLimit() {
        ByteRanges.Limits limits = ByteRanges.Limits.defaults();
        String head = "bytes=0-";
        String atLimit = head + "0".repeat(limits.maxFieldLength() - head.length() - 1) + "9";
        assertThat(atLimit).hasSize(limits.maxFieldLength());
        assertThat(describe(ByteRanges.parse(atLimit, 100))).isEqualTo("0-9");
        assertThat(ByteRanges.parse(atLimit + " ", 100)).isEqualTo(RangeSet.IGNORE);
    }

    @Test
    void customLimits() {
        ByteRanges.Limits two = new ByteRanges.Limits(2, 20);
        assertThat(describe(ByteRanges.parse("bytes=0-1,5-6", 100, two))).isEqualTo("0-1,5-6");
        assertThat(ByteRanges.parse("bytes=0-1,5-6,8-9", 100, two)).isEqualTo(RangeSet.IGNORE);
        assertThat(describe(ByteRanges.parse("bytes=0-1,     50-51", 100, two))).isEqualTo("0-1,50-51"); // 20 chars
        assertThat(ByteRanges.parse("bytes=0-1,      50-51", 100, two)).isEqualTo(RangeSet.IGNORE);
        assertThatThrownBy(() -> new ByteRanges.Limits(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ByteRanges.Limits(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** CVE-2011-3192: overlapping ranges never send more than the representation. */
    @Test
    void overlapCannotAmplify() {
        String header = "bytes=" + String.join(",", Collections.nCopies(16, "0-"));
        RangeSet r = ByteRanges.parse(header, FIVE_GIB);
        assertThat(r).isInstanceOfSatisfying(RangeSet.Satisfiable.class, s -> {
            assertThat(s.single()).isTrue();
            assertThat(s.totalLength()).isEqualTo(FIVE_GIB);
        });
        RangeSet staggered = ByteRanges.parse("bytes=" + IntStream.range(0, 16).mapToObj(i -> i + "-")
                .collect(Collectors.joining(",")), 1000);
        assertThat(describe(staggered)).isEqualTo("0-999");
    }

    static Stream<Long> seeds() {
        return new SplittableRandom(14).longs(300).boxed();
    }

    /**
     * For random headers of at most 16 ranges: the parts sent are disjoint, non-adjacent, inside the
     * representation, never more than it, and cover exactly the satisfiable bytes asked for.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void partsCoverExactlyWhatWasAskedAndNoMore(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int len = r.nextInt(0, 64);
        int n = r.nextInt(1, 17);
        List<String> specs = new ArrayList<>();
        TreeSet<Integer> asked = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(3);
            int a = r.nextInt(0, 70);
            int b = a + r.nextInt(0, 20);
            if (kind == 0) {
                specs.add(a + "-" + b);
                for (int x = a; x <= b && x < len; x++) {
                    asked.add(x);
                }
            } else if (kind == 1) {
                specs.add(a + "-");
                for (int x = a; x < len; x++) {
                    asked.add(x);
                }
            } else {
                specs.add("-" + a);
                for (int x = Math.max(0, len - a); x < len; x++) {
                    asked.add(x);
                }
            }
        }
        RangeSet got = ByteRanges.parse("bytes=" + String.join(", ", specs), len);
        if (asked.isEmpty()) {
            assertThat(got).isIn(RangeSet.UNSATISFIABLE, RangeSet.IGNORE); // IGNORE: a suffix of nothing
            return;
        }
        assertThat(got).isInstanceOf(RangeSet.Satisfiable.class);
        List<ByteRange> parts = ((RangeSet.Satisfiable) got).ranges();
        TreeSet<Integer> sent = new TreeSet<>();
        List<ByteRange> sorted = new ArrayList<>(parts);
        sorted.sort((x, y) -> Long.compare(x.first(), y.first()));
        for (int i = 0; i < sorted.size(); i++) {
            ByteRange p = sorted.get(i);
            assertThat(p.last()).isLessThan(len);
            if (i > 0) {
                assertThat(p.first()).isGreaterThan(sorted.get(i - 1).last() + 1);
            }
            for (long x = p.first(); x <= p.last(); x++) {
                sent.add((int) x);
            }
        }
        assertThat(sent).isEqualTo(asked);
        assertThat(((RangeSet.Satisfiable) got).totalLength()).isLessThanOrEqualTo(len);
        assertThat(parts.size()).isLessThanOrEqualTo(n);
    }

    @Test
    void contentRangeValues() {
        assertThat(new ByteRange(0, 99).contentRange(1234)).isEqualTo("bytes 0-99/1234");
        assertThat(new ByteRange(FIVE_GIB - 1, FIVE_GIB - 1).contentRange(FIVE_GIB))
                .isEqualTo("bytes 5368709119-5368709119/5368709120");
        assertThat(RangeSet.UNSATISFIABLE.contentRange(1234)).isEqualTo("bytes */1234");
        assertThat(RangeSet.UNSATISFIABLE.contentRange(0)).isEqualTo("bytes */0");
        assertThat(new ByteRange(10, 19).length()).isEqualTo(10);
        assertThatThrownBy(() -> new ByteRange(0, 1234).contentRange(1234))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RangeSet.UNSATISFIABLE.contentRange(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"-1, 0", "5, 4", "0, 9223372036854775807"})
    void byteRangeRefusesImpossibleBounds(long first, long last) {
        assertThatThrownBy(() -> new ByteRange(first, last)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void satisfiableNeedsARange() {
        assertThatThrownBy(() -> new RangeSet.Satisfiable(List.of())).isInstanceOf(IllegalArgumentException.class);
    }


    /** §13.1.5: a strong tag compared strongly, or a date equal to Last-Modified; anything else is false. */
    @ParameterizedTest(name = "[{index}] <{0}> current={1} lastModified={2} → {3}")
    @CsvSource(delimiterString = "|", nullValues = "NULL", textBlock = """
            NULL                            | "abc"   | 784111777  | true
            '"abc"'                         | "abc"   | 784111777  | true
            ' "abc" '                       | "abc"   | 784111777  | true
            '"xyz"'                         | "abc"   | 784111777  | false
            'W/"abc"'                       | "abc"   | 784111777  | false
            'W/"abc"'                       | W/"abc" | 784111777  | false
            '"abc"'                         | W/"abc" | 784111777  | false
            '"abc"'                         | NULL    | 784111777  | false
            '"abc", "xyz"'                  | "abc"   | 784111777  | false
            '"abc'                          | "abc"   | 784111777  | false
            abc                             | "abc"   | 784111777  | false
            *                               | "abc"   | 784111777  | false
            ''                              | "abc"   | 784111777  | false
            Sun, 06 Nov 1994 08:49:37 GMT   | "abc"   | 784111777  | true
            Sunday, 06-Nov-94 08:49:37 GMT  | "abc"   | 784111777  | true
            Sun Nov  6 08:49:37 1994        | "abc"   | 784111777  | true
            Sun, 06 Nov 1994 08:49:37 GMT   | NULL    | 784111777  | true
            Sun, 06 Nov 1994 08:49:38 GMT   | "abc"   | 784111777  | false
            Sun, 06 Nov 1994 08:49:36 GMT   | "abc"   | 784111777  | false
            Sun, 06 Nov 1994 08:49:37 GMT   | "abc"   | -1         | false
            Sun, 06 Nov 1994 08:49:37 GMTx  | "abc"   | 784111777  | false
            Wed, 31 Dec 2008 23:59:59 GMT   | "abc"   | 1230767999 | true
            Wednesday, 31-Dec-08 23:59:59 GMT | "abc" | 1230767999 | true
            Wed, 31 Dec 1969 23:59:59 GMT   | "abc"   | -1         | false
            """)
    void ifRange(String ifRange, String current, long lastModified, boolean expected) {
        EntityTag cur = current == null ? null : EntityTag.parse(current);
        assertThat(ByteRanges.ifRangeAllows(ifRange, cur, lastModified, 1_748_736_000L)).isEqualTo(expected);
        assertThat(ByteRanges.ifRangeAllows(ifRange, cur, lastModified)).isEqualTo(expected);
    }

    /** §8.8.2.2: a Last-Modified in the current second may still change within it, so it is weak. */
    @Test
    void ifRangeDateOfTheCurrentSecondIsWeak() {
        long now = 1_748_736_000L;
        EntityTag tag = EntityTag.strong("abc");
        assertThat(ByteRanges.ifRangeAllows(HttpDate.format(now - 1), tag, now - 1, now)).isTrue();
        assertThat(ByteRanges.ifRangeAllows(HttpDate.format(now), tag, now, now)).isFalse();
        assertThat(ByteRanges.ifRangeAllows(HttpDate.format(now + 60), tag, now + 60, now)).isFalse();
        // the tag is not affected: it changes with the nanoseconds
        assertThat(ByteRanges.ifRangeAllows("\"abc\"", tag, now, now)).isTrue();
    }

    private static String describe(RangeSet r) {
        return switch (r) {
            case RangeSet.Ignore i -> "IGNORE";
            case RangeSet.Unsatisfiable u -> "416";
            case RangeSet.Satisfiable s -> s.ranges().stream().map(b -> b.first() + "-" + b.last())
                    .collect(Collectors.joining(","));
        };
    }

    static Stream<String> noise() {
        return Stream.concat(Noise.strings(5, "bytes=BYTES0123456789-, \t", 40, 3000),
                Noise.mutations(6, "bytes=0-499, 500-, -100", "0123456789-, =b", 1000));
    }

    /** Never throws; whatever comes back for a length is within it. */
    @Test
    void neverThrows() {
        noise().forEach(value -> {
            for (long len : new long[] {0, 1, 500, Long.MAX_VALUE}) {
                if (ByteRanges.parse(value, len) instanceof RangeSet.Satisfiable s) {
                    assertThat(s.ranges()).allSatisfy(r -> assertThat(r.last()).isLessThan(len));
                    assertThat(s.ranges().size()).isLessThanOrEqualTo(16);
                }
            }
            assertThat(ByteRanges.ifRangeAllows(value, EntityTag.strong("a"), 0, 0)).isIn(true, false);
        });
    }
}
