package io.jepoll.server;

import java.nio.charset.StandardCharsets;

/**
 * Escaping that keeps every access log line one line with its fields where they belong, whatever a client sent.
 * The request's strings are Latin-1 (one char per byte, obs-text included); the output is printable ASCII:
 * no CR, LF or other control character, no quote that could close a field early, can ever reach the file.
 */
final class LogEscape {
    private LogEscape() {}

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * For the text formats, as nginx escapes its log variables: printable ASCII stays, and every other byte, the
     * double quote and the backslash become {@code \xHH} (a char above 0xFF, which a request cannot hold, is
     * escaped as the bytes of its UTF-8 form). So a field is one run between two quotes, and the original bytes
     * come back by reading each {@code \xHH}.
     */
    static void text(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                out.append(c);
            } else if (c <= 0xFF) {
                hexByte(c, out);
            } else {
                int cp = s.codePointAt(i);
                if (Character.isSupplementaryCodePoint(cp)) i++;
                for (byte b : Character.toString(cp).getBytes(StandardCharsets.UTF_8)) hexByte(b & 0xFF, out);
            }
        }
    }

    /**
     * A JSON string's content (RFC 8259 §7), all printable ASCII: {@code \"}, {@code \\}, and {@code \}{@code uXXXX}
     * for the control characters and for everything outside ASCII. A request's strings are bytes (Latin-1 chars);
     * where they run as well-formed UTF-8 (what clients put in a User-Agent or Referer that is not ASCII), the
     * characters they spell are written, so {@code é} sent as C3 A9 reads back as {@code é}, not {@code Ã©}. Any
     * other byte above 0x7F is written as the Latin-1 char of its value ({@code \}{@code u00FF} for 0xFF), so it
     * stays visible.
     */
    static void json(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7F) {
                out.append(c);
            } else if (c < 0x80 || c > 0xFF) {
                unicode(c, out); // a control character, or a char no request holds (a caller's own string)
            } else {
                int n = Utf8.sequenceLength(s, i);
                if (n == 0) {
                    unicode(c, out);
                    continue;
                }
                int cp = Utf8.decode(s, i, n);
                if (Character.isSupplementaryCodePoint(cp)) {
                    unicode(Character.highSurrogate(cp), out);
                    unicode(Character.lowSurrogate(cp), out);
                } else {
                    unicode((char) cp, out);
                }
                i += n - 1;
            }
        }
    }

    private static void unicode(char c, StringBuilder out) {
        out.append("\\u").append(HEX[c >>> 12]).append(HEX[(c >>> 8) & 0xF]).append(HEX[(c >>> 4) & 0xF]).append(HEX[c & 0xF]);
    }

    /** Well-formed UTF-8 (RFC 3629 §4) in a string of bytes held as Latin-1 chars. */
    private static final class Utf8 {
        /** The length of the well-formed sequence at {@code i}, 2 to 4, or 0 when none starts there. */
        static int sequenceLength(String s, int i) {
            int b0 = s.charAt(i);
            int n, lo = 0x80, hi = 0xBF; // the bounds of the second byte: narrower after E0, ED, F0 and F4
            if (b0 >= 0xC2 && b0 <= 0xDF) n = 2;
            else if (b0 >= 0xE0 && b0 <= 0xEF) {
                n = 3;
                if (b0 == 0xE0) lo = 0xA0;      // no overlong forms
                else if (b0 == 0xED) hi = 0x9F; // no surrogates
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                n = 4;
                if (b0 == 0xF0) lo = 0x90;
                else if (b0 == 0xF4) hi = 0x8F; // nothing above U+10FFFF
            } else return 0;                    // ASCII, a continuation byte, C0, C1, F5..FF
            if (i + n > s.length()) return 0;
            int b1 = s.charAt(i + 1);
            if (b1 < lo || b1 > hi) return 0;
            for (int k = 2; k < n; k++) {
                int b = s.charAt(i + k);
                if (b < 0x80 || b > 0xBF) return 0;
            }
            return n;
        }

        /** The code point of the {@code n}-byte sequence at {@code i}, which {@link #sequenceLength} accepted. */
        static int decode(String s, int i, int n) {
            int cp = s.charAt(i) & (0xFF >>> (n + 1));
            for (int k = 1; k < n; k++) cp = (cp << 6) | (s.charAt(i + k) & 0x3F);
            return cp;
        }
    }

    private static void hexByte(int b, StringBuilder out) {
        out.append("\\x").append(HEX[b >>> 4]).append(HEX[b & 0xF]);
    }
}
