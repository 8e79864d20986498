package io.jepoll.http;

import java.util.List;

/** What a Range header asks of a representation (RFC 9110 §14.2); {@link ByteRanges#parse} makes one. */
public sealed interface RangeSet permits RangeSet.Ignore, RangeSet.Unsatisfiable, RangeSet.Satisfiable {

    /** The one {@link Ignore}. */
    Ignore IGNORE = new Ignore();
    /** The one {@link Unsatisfiable}. */
    Unsatisfiable UNSATISFIABLE = new Unsatisfiable();

    /** Absent, not understood, or refused by policy: send the whole representation with 200. */
    record Ignore() implements RangeSet {
    }

    /** No range-spec is satisfiable: 416 with {@link #contentRange}. */
    record Unsatisfiable() implements RangeSet {
        /**
         * The Content-Range a 416 carries (§14.4, §15.5.17): "bytes *&#47;" and the complete length.
         *
         * @param completeLength the representation's length in bytes, {@code >= 0}
         * @return the field value
         * @throws IllegalArgumentException when completeLength is negative
         */
        public String contentRange(long completeLength) {
            if (completeLength < 0) {
                throw new IllegalArgumentException("length " + completeLength);
            }
            return "bytes */" + completeLength;
        }
    }

    /**
     * 206: one range (a single part with Content-Range) or several (multipart/byteranges, §14.6), disjoint,
     * non-adjacent, in the order the client asked for them.
     *
     * @param ranges the ranges to send, one part each; copied
     */
    record Satisfiable(List<ByteRange> ranges) implements RangeSet {
        /**
         * Copies the list, so the record stays immutable.
         *
         * @throws IllegalArgumentException when ranges is empty
         */
        public Satisfiable {
            ranges = List.copyOf(ranges);
            if (ranges.isEmpty()) {
                throw new IllegalArgumentException("no ranges");
            }
        }

        /** {@return true for one range: a plain 206 rather than multipart/byteranges} */
        public boolean single() {
            return ranges.size() == 1;
        }

        /** {@return bytes of representation data to send, over all parts (part headers not counted)} */
        public long totalLength() {
            long sum = 0;
            for (ByteRange r : ranges) {
                sum += r.length();
            }
            return sum;
        }
    }
}
