package io.jepoll.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The path of a request-target made safe to map onto a directory (RFC 3986 §2.1, §3.3, §5.2.4; RFC 9112 §3.2.1),
 * and the reverse: a file name made safe for an href and for HTML.
 *
 * <p>{@link #decode} percent-decodes exactly once, as UTF-8, and normalises, or refuses (null). Decisions:
 * <ul>
 *   <li><b>Dot segments</b> ("." and "..", also when spelled {@code %2e}, which §6.2.2.2 makes the same
 *       character) are resolved as §5.2.4 does, as long as they stay inside the root: {@code /a/../b} is
 *       {@code /b}. One that would climb above the root ({@code /..}, {@code /a/../..}) is refused rather than
 *       clamped as §5.2.4 would: no honest client sends it (browsers resolve dot segments before sending), so it
 *       is a probe, and a refusal is easier to see in a log than a quiet rewrite.</li>
 *   <li><b>Empty segments</b> collapse: {@code //a///b} is {@code /a/b}. The filesystem would read them the same
 *       way, and a path that starts with {@code //} is a network-path reference in an href or a Location
 *       ({@code //evil.example/}), so keeping one could turn a directory redirect into an open redirect.</li>
 *   <li><b>A trailing slash</b> is kept, and a final dot segment leaves one ({@code /a/b/..} is {@code /a/}, as
 *       in §5.2.4): the caller uses it to tell a directory request from a file request.</li>
 *   <li><b>Refused</b>: a path that does not start with '/' (absolute-form, authority-form, asterisk-form
 *       leftovers); an invalid escape ({@code %}, {@code %2}, {@code %zz}, {@code %u002e}); a literal char that
 *       is not VCHAR, or is '\', '?' or '#' (the query and fragment must already be gone); an encoded '/' or '\'
 *       ({@code %2F}, {@code %5C}: they would change the segment structure after the checks); any control
 *       character after decoding, NUL and C1 (U+0080..U+009F) included; bytes that are not well-formed UTF-8
 *       (RFC 3629: overlong forms such as {@code %C0%AE}, surrogates, above U+10FFFF, truncated).</li>
 *   <li><b>Bounds</b>: {@link #MAX_LENGTH} chars of raw path, {@link #MAX_SEGMENTS} non-empty segments (dot
 *       segments count, since each costs work), {@link #MAX_SEGMENT_BYTES} UTF-8 bytes in one decoded segment
 *       (Linux's NAME_MAX: no longer name can exist).</li>
 * </ul>
 * Decoding once matters: {@code %252e%252e} is the segment named "%2e%2e", never "..". The result must not be
 * decoded again by anything downstream.
 */
public final class TargetPath {

    /** Chars of the raw path; longer is refused (Linux's PATH_MAX). */
    public static final int MAX_LENGTH = 4096;

    /** Non-empty segments in the raw path, dot segments included; more is refused. */
    public static final int MAX_SEGMENTS = 128;

    /** UTF-8 bytes of one decoded segment; longer is refused (Linux's NAME_MAX). */
    public static final int MAX_SEGMENT_BYTES = 255;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private TargetPath() {
    }

    /**
     * The decoded, normalised path, starting with '/', or null when it must be refused. Never throws.
     *
     * @param rawPath the path of the request-target as sent, without query, such as {@link Request#path()}
     * @return the path to map onto a directory, or null (answer 400 or 404)
     */
    public static String decode(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.length() > MAX_LENGTH || rawPath.charAt(0) != '/') {
            return null;
        }
        int n = rawPath.length();
        StringBuilder out = new StringBuilder(n);
        int[] segmentStarts = new int[MAX_SEGMENTS]; // where each kept segment begins in out, for ".."
        int depth = 0;
        int segments = 0;
        boolean trailingSlash = false;
        byte[] segment = new byte[MAX_SEGMENT_BYTES];
        int p = 1;
        while (true) {
            int len = 0;
            int q = p;
            while (q < n && rawPath.charAt(q) != '/') {
                char c = rawPath.charAt(q);
                int b;
                if (c == '%') {
                    if (q + 2 >= n) {
                        return null;
                    }
                    int hi = hexValue(rawPath.charAt(q + 1));
                    int lo = hexValue(rawPath.charAt(q + 2));
                    if (hi < 0 || lo < 0) {
                        return null;
                    }
                    b = hi << 4 | lo;
                    if (b == '/' || b == '\\') {
                        return null;
                    }
                    q += 3;
                } else if (c > 0x20 && c < 0x7F && c != '\\' && c != '?' && c != '#') {
                    b = c;
                    q++;
                } else {
                    return null;
                }
                if (b < 0x20 || b == 0x7F || len == MAX_SEGMENT_BYTES) {
                    return null;
                }
                segment[len++] = (byte) b;
            }
            boolean last = q >= n;
            if (len > 0) {
                if (++segments > MAX_SEGMENTS) {
                    return null;
                }
                boolean dot = len == 1 && segment[0] == '.';
                boolean dotDot = len == 2 && segment[0] == '.' && segment[1] == '.';
                if (dotDot) {
                    if (depth == 0) {
                        return null; // above the root
                    }
                    out.setLength(segmentStarts[--depth]);
                } else if (!dot) {
                    String name = utf8(segment, len);
                    if (name == null) {
                        return null;
                    }
                    segmentStarts[depth++] = out.length();
                    out.append('/').append(name);
                }
                trailingSlash = dot || dotDot;
            } else {
                trailingSlash = true; // only the last empty segment's value survives the loop
            }
            if (last) {
                break;
            }
            p = q + 1;
        }
        if (depth == 0) {
            return "/";
        }
        return trailingSlash ? out.append('/').toString() : out.toString();
    }

    /**
     * The non-empty segments of a decoded path: "/a/b/" is [a, b], "/" is [].
     *
     * @param decodedPath a path from {@link #decode}
     * @return the segments in order, to resolve one by one under a root
     */
    public static List<String> segments(String decodedPath) {
        Objects.requireNonNull(decodedPath, "decodedPath");
        List<String> out = new ArrayList<>();
        int n = decodedPath.length();
        int start = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || decodedPath.charAt(i) == '/') {
                if (i > start) {
                    out.add(decodedPath.substring(start, i));
                }
                start = i + 1;
            }
        }
        return out;
    }

    /**
     * A name percent-encoded for one path segment of an href: every byte of its UTF-8 form but the unreserved
     * chars (RFC 3986 §2.3: ALPHA DIGIT - . _ ~) becomes %XX, upper-case (§2.1). A lone surrogate, which has no
     * UTF-8 form, is encoded as U+FFFD. "." and ".." stay as they are: no file has those names.
     *
     * @param name a file name, any chars
     * @return the segment, ASCII only
     */
    public static String encodeSegment(String name) {
        Objects.requireNonNull(name, "name");
        StringBuilder b = new StringBuilder(name.length() + 16);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (isUnreserved(c)) {
                b.append(c);
                continue;
            }
            int cp = c;
            boolean pair = Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(i + 1));
            if (pair) {
                cp = Character.toCodePoint(c, name.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                cp = 0xFFFD;
            }
            if (cp < 0x80) {
                percent(b, cp);
            } else if (cp < 0x800) {
                percent(b, 0xC0 | cp >> 6);
                percent(b, 0x80 | cp & 0x3F);
            } else if (cp < 0x10000) {
                percent(b, 0xE0 | cp >> 12);
                percent(b, 0x80 | cp >> 6 & 0x3F);
                percent(b, 0x80 | cp & 0x3F);
            } else {
                percent(b, 0xF0 | cp >> 18);
                percent(b, 0x80 | cp >> 12 & 0x3F);
                percent(b, 0x80 | cp >> 6 & 0x3F);
                percent(b, 0x80 | cp & 0x3F);
            }
        }
        return b.toString();
    }

    /**
     * Text made inert in HTML content and in quoted attribute values: {@code & < > " '}.
     *
     * @param text any text, such as a file name
     * @return the text with those five replaced by character references
     */
    public static String escapeHtml(String text) {
        Objects.requireNonNull(text, "text");
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            String entity = switch (text.charAt(i)) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (entity != null && b == null) {
                b = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (b != null) {
                if (entity != null) {
                    b.append(entity);
                } else {
                    b.append(text.charAt(i));
                }
            }
        }
        return b == null ? text : b.toString();
    }

    /**
     * The String of a well-formed UTF-8 sequence (RFC 3629 §4) with no C1 control, or null. Strict: overlong
     * forms, surrogates (U+D800..U+DFFF), values above U+10FFFF and truncated sequences are all refused, where
     * the JDK's decoder would silently substitute U+FFFD.
     */
    private static String utf8(byte[] b, int len) {
        char[] out = new char[len];
        int o = 0;
        int i = 0;
        while (i < len) {
            int b0 = b[i] & 0xFF;
            int cp;
            int need;
            int min2;
            int max2 = 0xBF;
            if (b0 < 0x80) {
                out[o++] = (char) b0;
                i++;
                continue;
            } else if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
                cp = b0 & 0x1F;
                min2 = 0x80;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                cp = b0 & 0x0F;
                min2 = b0 == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
                max2 = b0 == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                cp = b0 & 0x07;
                min2 = b0 == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
                max2 = b0 == 0xF4 ? 0x8F : 0xBF; // F4 90.. would exceed U+10FFFF
            } else {
                return null; // 80..C1 (continuation or overlong lead), F5..FF
            }
            if (i + need >= len) {
                return null; // truncated
            }
            for (int k = 1; k <= need; k++) {
                int bk = b[i + k] & 0xFF;
                int lo = k == 1 ? min2 : 0x80;
                int hi = k == 1 ? max2 : 0xBF;
                if (bk < lo || bk > hi) {
                    return null;
                }
                cp = cp << 6 | bk & 0x3F;
            }
            i += need + 1;
            if (cp <= 0x9F) {
                return null; // C1 controls U+0080..U+009F (C0 and DEL never got this far)
            }
            o += Character.toChars(cp, out, o);
        }
        return new String(out, 0, o);
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char l = FieldChars.lower(c);
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }

    private static boolean isUnreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                || c == '_' || c == '~';
    }

    private static void percent(StringBuilder b, int octet) {
        b.append('%').append(HEX[octet >> 4]).append(HEX[octet & 0xF]);
    }
}
