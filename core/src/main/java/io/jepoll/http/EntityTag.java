package io.jepoll.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An entity tag (RFC 9110 §8.8.3): {@code opaque} is the opaque-tag without its quotes.
 *
 * <pre>
 *   entity-tag = [ weak ] opaque-tag      weak = %s"W/"      opaque-tag = DQUOTE *etagc DQUOTE
 *   etagc      = %x21 / %x23-7E / obs-text
 * </pre>
 *
 * <p>{@code etagc} includes the comma, so a list of tags cannot be split on commas: {@link #parseList} reads tag by
 * tag. Parsing never throws: a list that breaks the grammar or the bounds is {@link EntityTagList#INVALID}.
 *
 * @param weak   the {@code W/} prefix: the tag is a weak validator (§8.8.1)
 * @param opaque etagc chars only (0x21, 0x23-0x7E, 0x80-0xFF)
 */
public record EntityTag(boolean weak, String opaque) {

    /** Tags in one If-Match / If-None-Match value; more and the value is INVALID. */
    public static final int MAX_TAGS = 64;

    /** Chars in one If-Match / If-None-Match value; more and the value is INVALID without being read. */
    public static final int MAX_FIELD_LENGTH = 8192;

    /**
     * Checks that opaque can go between the quotes as it is.
     *
     * @throws IllegalArgumentException when opaque has a char that is not etagc (a DQUOTE, a control, SP...)
     */
    public EntityTag {
        Objects.requireNonNull(opaque, "opaque");
        for (int i = 0; i < opaque.length(); i++) {
            if (!isEtagc(opaque.charAt(i))) {
                throw new IllegalArgumentException("not an etagc at " + i + " in the opaque-tag: " + opaque);
            }
        }
    }

    /**
     * A strong tag: the representation is the same byte for byte while the tag is (§8.8.1).
     *
     * @param opaque the tag without quotes, etagc chars only
     * @return {@code "opaque"}
     */
    public static EntityTag strong(String opaque) {
        return new EntityTag(false, opaque);
    }

    /**
     * A weak tag: the representation is equivalent in meaning while the tag is, not byte for byte (§8.8.1), so it
     * serves If-None-Match but never a range.
     *
     * @param opaque the tag without quotes, etagc chars only
     * @return {@code W/"opaque"}
     */
    public static EntityTag weak(String opaque) {
        return new EntityTag(true, opaque);
    }

    /**
     * A strong tag for a file, in the spirit of nginx's {@code "mtime-size"} (both in hex) with the nanoseconds
     * of the mtime and the inode added: a file replaced within the same second by one of the same size (an
     * editor's write-and-rename, a deploy) gets another inode and usually other nanoseconds, so its tag differs.
     * It is strong in the sense of §8.8.1 as far as the filesystem's timestamps are: a change that keeps size,
     * inode and mtime to the nanosecond (a deliberate {@code touch -d} back) would not be seen; no server that
     * does not hash content can do better.
     *
     * <p>Shape: {@code "<mtime>[.<nanos>]-<size>-<inode>"}, lower-case hex, the nanos part only when non-zero;
     * negative mtimes and inodes above Long.MAX (unsigned on Linux) are written as their 64-bit two's complement.
     *
     * @param size         the file's length in bytes
     * @param mtimeSeconds its last modification, seconds since the epoch
     * @param mtimeNanos   the nanoseconds within that second, 0 where the filesystem has none
     * @param inode        its inode number (0 where unknown)
     * @return the strong tag
     * @throws IllegalArgumentException when size is negative or mtimeNanos is outside 0..999,999,999
     */
    public static EntityTag forFile(long size, long mtimeSeconds, long mtimeNanos, long inode) {
        if (size < 0) {
            throw new IllegalArgumentException("size " + size);
        }
        if (mtimeNanos < 0 || mtimeNanos > 999_999_999) {
            throw new IllegalArgumentException("mtimeNanos " + mtimeNanos);
        }
        StringBuilder b = new StringBuilder(56).append(Long.toHexString(mtimeSeconds));
        if (mtimeNanos != 0) {
            b.append('.').append(Long.toHexString(mtimeNanos));
        }
        b.append('-').append(Long.toHexString(size)).append('-').append(Long.toHexString(inode));
        return strong(b.toString());
    }

    /** {@return the field value form: {@code "abc"} or {@code W/"abc"}} */
    public String header() {
        return (weak ? "W/\"" : "\"") + opaque + '"';
    }

    /**
     * Strong comparison (§8.8.3.2), for If-Match and If-Range.
     *
     * @param other the tag to compare with, or null (no tag: no match)
     * @return true when both are strong and the opaque-tags identical, char for char
     */
    public boolean strongMatch(EntityTag other) {
        return other != null && !weak && !other.weak && opaque.equals(other.opaque);
    }

    /**
     * Weak comparison (§8.8.3.2), for If-None-Match.
     *
     * @param other the tag to compare with, or null (no tag: no match)
     * @return true when the opaque-tags are identical; either or both may be weak
     */
    public boolean weakMatch(EntityTag other) {
        return other != null && opaque.equals(other.opaque);
    }

    /**
     * One entity-tag that is the whole value (SP/HTAB around it allowed), as in If-Range or an ETag field.
     *
     * @param value the field value, or null
     * @return the tag, or null when the value is null, longer than {@link #MAX_FIELD_LENGTH} or not exactly one tag
     */
    public static EntityTag parse(String value) {
        if (value == null || value.length() > MAX_FIELD_LENGTH) {
            return null;
        }
        int to = FieldChars.trimOwsEnd(value, 0, value.length());
        int from = FieldChars.skipOws(value, 0, to);
        int end = tagEnd(value, from, to);
        return end == to ? tagAt(value, from, end) : null;
    }

    /**
     * An If-Match or If-None-Match field value (§13.1.1, §13.1.2): {@code "*"}, or a comma-separated list of
     * entity-tags under the list rule of §5.6.1 (OWS around commas, empty elements ignored, so {@code ""} and
     * {@code ", ,"} are lists of no tags). Null is taken as absent and gives INVALID too; callers test for null
     * first. More than {@link #MAX_TAGS} tags, or a value longer than {@link #MAX_FIELD_LENGTH}, is INVALID.
     *
     * @param fieldValue the field value as received
     * @return {@link EntityTagList#ANY}, the tags, or {@link EntityTagList#INVALID}; never null
     */
    public static EntityTagList parseList(String fieldValue) {
        if (fieldValue == null || fieldValue.length() > MAX_FIELD_LENGTH) {
            return EntityTagList.INVALID;
        }
        int n = fieldValue.length();
        int to = FieldChars.trimOwsEnd(fieldValue, 0, n);
        int from = FieldChars.skipOws(fieldValue, 0, to);
        if (to - from == 1 && fieldValue.charAt(from) == '*') {
            return EntityTagList.ANY;
        }
        List<EntityTag> tags = new ArrayList<>();
        boolean afterTag = false; // a tag must be followed by OWS and a comma, or the end
        int p = from;
        while (p < to) {
            char c = fieldValue.charAt(p);
            if (FieldChars.isOws(c)) {
                p++;
            } else if (c == ',') {
                afterTag = false;
                p++;
            } else if (afterTag || tags.size() == MAX_TAGS) {
                return EntityTagList.INVALID;
            } else {
                int end = tagEnd(fieldValue, p, to);
                if (end < 0) {
                    return EntityTagList.INVALID;
                }
                tags.add(tagAt(fieldValue, p, end));
                afterTag = true;
                p = end;
            }
        }
        return new EntityTagList.Tags(tags);
    }

    /** End of the entity-tag starting at from (just past its closing DQUOTE), or -1 if none starts there. */
    private static int tagEnd(String s, int from, int to) {
        int p = from;
        if (p + 1 < to && s.charAt(p) == 'W' && s.charAt(p + 1) == '/') {
            p += 2;
        }
        if (p >= to || s.charAt(p) != '"') {
            return -1;
        }
        for (p++; p < to; p++) {
            char c = s.charAt(p);
            if (c == '"') {
                return p + 1;
            }
            if (!isEtagc(c)) {
                return -1;
            }
        }
        return -1;
    }

    private static EntityTag tagAt(String s, int from, int end) {
        boolean weak = s.charAt(from) == 'W';
        return new EntityTag(weak, s.substring(from + (weak ? 3 : 1), end - 1));
    }

    private static boolean isEtagc(char c) {
        return c == 0x21 || c >= 0x23 && c <= 0x7E || c >= 0x80 && c <= 0xFF;
    }
}
