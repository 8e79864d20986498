package io.jepoll.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The {@code Range} request header for the {@code bytes} unit (RFC 9110 §14.1.2, §14.2) and {@code If-Range}
 * (§13.1.5). Pure: the caller knows the representation's length, tag and date; this says what to send.
 *
 * <pre>
 *   Range        = ranges-specifier          ranges-specifier = range-unit "=" range-set
 *   range-set    = 1#range-spec              range-spec       = int-range / suffix-range / other-range
 *   int-range    = first-pos "-" [ last-pos ]
 *   suffix-range = "-" suffix-length
 * </pre>
 *
 * <p>Reading: the unit is case-insensitive (§14.1); a unit other than bytes is ignored (§14.2: "MUST ignore a
 * Range header field that contains a range unit it does not understand"). OWS is allowed around commas and
 * after '=' (the lenient list rule of §5.6.1), empty list elements are skipped, and anything else that breaks
 * the grammar (whitespace inside a range-spec, a sign, last-pos below first-pos, an empty range-set) makes the
 * whole header {@link RangeSet.Ignore}: §14.2 lets a server ignore an invalid ranges-specifier, and a 200 with
 * the whole representation is always a correct answer. Numbers of any length are read without overflow: a
 * value past Long.MAX_VALUE saturates, which is beyond every representation and so means what it says.
 *
 * <p>Satisfiability (§14.1.1): an int-range whose first-pos is below the length, a suffix-range with a non-zero
 * suffix-length. Unsatisfiable range-specs are dropped; when none is left the answer is 416
 * ({@link RangeSet.Unsatisfiable}). last-pos past the end, and a suffix longer than the representation, are
 * clipped to it. A zero-length representation has no satisfiable int-range; a non-zero suffix is satisfiable
 * and means the whole (empty) representation, which no Content-Range can describe ({@code bytes 0--1/0}), so
 * that case is {@link RangeSet.Ignore}: 200 with the empty body, which is what "the entire representation" is.
 *
 * <p>Denial-of-service policy (CVE-2011-3192 "Apache Killer", §14.2, §17.15), in this order:
 * <ol>
 *   <li>The header is at most {@link Limits#maxFieldLength} chars and holds at most {@link Limits#maxRanges}
 *       range-specs (default 16, counted before anything is dropped or merged; empty elements do not count).
 *       More is {@link RangeSet.Ignore}, as nginx's max_ranges does: no legitimate client needs more, and the
 *       attack needed hundreds.</li>
 *   <li>Overlapping or adjacent ranges are coalesced (§14.2 allows it "regardless of the order"), so the parts
 *       sent are disjoint: the body never exceeds the representation plus one part header per range, whatever
 *       the overlap asked for. "0-,0-,0-" is one part, not three copies.</li>
 *   <li>The remaining parts keep the order in which the client asked for them (§15.3.7.2: the server SHOULD
 *       send them in that order); a coalesced part takes the place of its earliest member. Disorder is not
 *       refused: with at most maxRanges disjoint parts, each one a positioned read, "many small ranges out of
 *       order" (§14.2) costs at most maxRanges reads and part headers, which the first rule already bounds.</li>
 * </ol>
 * Gaps between ranges are not bridged, even small ones: that would send bytes nobody asked for.
 *
 * <p>The caller applies the rest of §14.2: Range only for GET, only after the preconditions, only when
 * {@link #ifRangeAllows} says so, and a 206 with the parts given here.
 */
public final class ByteRanges {

    /**
     * Bounds on what a Range header may ask.
     *
     * @param maxRanges      range-specs in one header (before coalescing); more is ignored
     * @param maxFieldLength chars of the header value; longer is ignored without being read
     */
    public record Limits(int maxRanges, int maxFieldLength) {

        /**
         * Checks the bounds.
         *
         * @throws IllegalArgumentException when a bound is not positive
         */
        public Limits {
            if (maxRanges < 1 || maxFieldLength < 1) {
                throw new IllegalArgumentException("limits must be positive: " + maxRanges + ", " + maxFieldLength);
            }
        }

        /** {@return 16 ranges, 1024 chars: room for 16 ranges of 64-bit offsets with spaces} */
        public static Limits defaults() {
            return new Limits(16, 1024);
        }
    }

    private ByteRanges() {
    }

    /**
     * {@link #parse(String, long, Limits)} with {@link Limits#defaults()}.
     *
     * @param rangeHeader          the Range field value, or null when the request had none
     * @param representationLength the length in bytes of what would be sent whole, {@code >= 0}
     * @return what to send
     */
    public static RangeSet parse(String rangeHeader, long representationLength) {
        return parse(rangeHeader, representationLength, Limits.defaults());
    }

    /**
     * What to send for a Range header value (null: absent) against a representation of the given length.
     * Never throws for any header value.
     *
     * @param rangeHeader          the Range field value, or null when the request had none
     * @param representationLength the length in bytes of what would be sent whole, {@code >= 0}
     * @param limits               the bounds past which the header is ignored
     * @return {@link RangeSet.Ignore} (send 200 and the whole), {@link RangeSet.Unsatisfiable} (416), or the
     *         disjoint ranges to send in a 206
     * @throws IllegalArgumentException when representationLength is negative
     */
    public static RangeSet parse(String rangeHeader, long representationLength, Limits limits) {
        Objects.requireNonNull(limits, "limits");
        if (representationLength < 0) {
            throw new IllegalArgumentException("length " + representationLength);
        }
        if (rangeHeader == null || rangeHeader.length() > limits.maxFieldLength()) {
            return RangeSet.IGNORE;
        }
        String s = rangeHeader;
        int to = FieldChars.trimOwsEnd(s, 0, s.length());
        int p = FieldChars.skipOws(s, 0, to);
        int eq = s.indexOf('=', p);
        if (eq < 0 || eq >= to || !FieldChars.regionEqualsLower(s, p, eq, "bytes")) {
            return RangeSet.IGNORE;
        }
        long len = representationLength;
        List<Part> parts = new ArrayList<>();
        int specs = 0;
        boolean emptyWhole = false; // a non-zero suffix of a zero-length representation
        boolean afterSpec = false;
        p = eq + 1;
        while (p < to) {
            char c = s.charAt(p);
            if (FieldChars.isOws(c)) {
                p++;
                continue;
            }
            if (c == ',') {
                afterSpec = false;
                p++;
                continue;
            }
            if (afterSpec || ++specs > limits.maxRanges()) {
                return RangeSet.IGNORE;
            }
            afterSpec = true;
            if (c == '-') { // suffix-range
                int end = digitsEnd(s, p + 1, to);
                if (end == p + 1) {
                    return RangeSet.IGNORE;
                }
                long suffix = value(s, p + 1, end);
                p = end;
                if (suffix > 0 && len == 0) {
                    emptyWhole = true;
                } else if (suffix > 0) {
                    parts.add(new Part(len - Math.min(suffix, len), len - 1, parts.size()));
                }
                continue;
            }
            int firstEnd = digitsEnd(s, p, to);
            if (firstEnd == p || firstEnd == to || s.charAt(firstEnd) != '-') {
                return RangeSet.IGNORE;
            }
            long first = value(s, p, firstEnd);
            int lastEnd = digitsEnd(s, firstEnd + 1, to);
            long last = lastEnd == firstEnd + 1 ? Long.MAX_VALUE : value(s, firstEnd + 1, lastEnd);
            if (last < first) {
                return RangeSet.IGNORE; // §14.1.1: "invalid if the last-pos value is ... less than the first-pos"
            }
            p = lastEnd;
            if (first < len) {
                parts.add(new Part(first, Math.min(last, len - 1), parts.size()));
            }
        }
        if (specs == 0) {
            return RangeSet.IGNORE; // 1#range-spec: "bytes=" and "bytes=," are invalid
        }
        if (parts.isEmpty()) {
            return emptyWhole ? RangeSet.IGNORE : RangeSet.UNSATISFIABLE;
        }
        return new RangeSet.Satisfiable(coalesce(parts));
    }

    /** A satisfiable range and the position of its range-spec among the satisfiable ones. */
    private record Part(long first, long last, int order) {
    }

    /** Merges overlapping and adjacent parts; the result is in request order (each part at its earliest member). */
    private static List<ByteRange> coalesce(List<Part> parts) {
        if (parts.size() == 1) {
            Part only = parts.getFirst();
            return List.of(new ByteRange(only.first, only.last));
        }
        List<Part> byFirst = new ArrayList<>(parts);
        byFirst.sort(Comparator.comparingLong(Part::first));
        List<Part> merged = new ArrayList<>();
        Part cur = byFirst.getFirst();
        for (int i = 1; i < byFirst.size(); i++) {
            Part next = byFirst.get(i);
            if (next.first <= cur.last + 1) { // overlapping or adjacent; last < len <= Long.MAX, so no overflow
                cur = new Part(cur.first, Math.max(cur.last, next.last), Math.min(cur.order, next.order));
            } else {
                merged.add(cur);
                cur = next;
            }
        }
        merged.add(cur);
        merged.sort(Comparator.comparingInt(Part::order));
        List<ByteRange> out = new ArrayList<>(merged.size());
        for (Part m : merged) {
            out.add(new ByteRange(m.first, m.last));
        }
        return out;
    }

    private static int digitsEnd(String s, int from, int to) {
        int p = from;
        while (p < to && s.charAt(p) >= '0' && s.charAt(p) <= '9') {
            p++;
        }
        return p;
    }

    /** The decimal value of s[from, to), saturated at Long.MAX_VALUE. */
    private static long value(String s, int from, int to) {
        long v = 0;
        for (int p = from; p < to; p++) {
            int d = s.charAt(p) - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                return Long.MAX_VALUE;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /**
     * {@link #ifRangeAllows(String, EntityTag, long, long)} against the system clock.
     *
     * @param ifRange             the If-Range field value, or null when the request had none
     * @param current             the representation's entity-tag, or null when it has none
     * @param lastModifiedSeconds its Last-Modified in epoch seconds, or negative when it has none
     * @return true when the Range header may be honoured
     */
    public static boolean ifRangeAllows(String ifRange, EntityTag current, long lastModifiedSeconds) {
        return ifRangeAllows(ifRange, current, lastModifiedSeconds, Math.floorDiv(System.currentTimeMillis(), 1000));
    }

    /**
     * Whether the Range header may be honoured given If-Range (§13.1.5); false means send the whole
     * representation with 200. Null (absent) allows. An entity-tag must match current by strong comparison, so a
     * weak tag never allows. An HTTP-date must equal lastModifiedSeconds exactly (negative: there is no date, so
     * nothing matches). A value that is neither is false. Never throws.
     *
     * <p>§13.1.5 also asks that the date be a strong validator (§8.8.2.2: the server knows the representation did
     * not change twice within that second). Only one case is visible here: a Last-Modified in the current second
     * (or later), which can still change within it, so it is weak and the date does not match, as Apache httpd
     * does. A file changed twice within a past second cannot be seen in whole seconds; callers that send an ETag
     * (from {@link EntityTag#forFile}, with nanoseconds) have clients use it instead (§8.8.3, §13.1.5).
     *
     * @param ifRange             the If-Range field value, or null when the request had none
     * @param current             the representation's entity-tag, or null when it has none
     * @param lastModifiedSeconds its Last-Modified in epoch seconds, or negative when it has none
     * @param nowEpochSeconds     the current time in epoch seconds: a Last-Modified this late is weak
     * @return true when the Range header may be honoured
     */
    public static boolean ifRangeAllows(String ifRange, EntityTag current, long lastModifiedSeconds,
            long nowEpochSeconds) {
        if (ifRange == null) {
            return true;
        }
        int to = FieldChars.trimOwsEnd(ifRange, 0, ifRange.length());
        int from = FieldChars.skipOws(ifRange, 0, to);
        if (from < to && (ifRange.charAt(from) == '"' || ifRange.charAt(from) == 'W')) {
            EntityTag tag = EntityTag.parse(ifRange);
            if (tag != null) {
                return tag.strongMatch(current);
            }
        }
        long date = HttpDate.seconds(ifRange, nowEpochSeconds);
        return date != HttpDate.NONE && lastModifiedSeconds >= 0 && date == lastModifiedSeconds
                && lastModifiedSeconds < nowEpochSeconds;
    }
}
