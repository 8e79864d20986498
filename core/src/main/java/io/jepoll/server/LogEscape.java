package io.jepoll.server;

import java.nio.charset.StandardCharsets;

/**
 * Escaping that keeps every access log line one line with its fields where they belong, whatever a client sent.
 * The request's strings are Latin-1 (one char per byte, obs-text included), so the output is printable ASCII:
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
     * A JSON string's content (RFC 8259 §7): {@code \"}, {@code \\}, and {@code \}{@code uXXXX} for the control
     * characters and for everything outside printable ASCII, so a byte 0xE9 of obs-text is {@code \}{@code u00E9}
     * and reads back as the same Latin-1 char the request held.
     */
    static void json(String s, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7F) {
                out.append(c);
            } else {
                out.append("\\u").append(HEX[c >>> 12]).append(HEX[(c >>> 8) & 0xF]).append(HEX[(c >>> 4) & 0xF]).append(HEX[c & 0xF]);
            }
        }
    }

    private static void hexByte(int b, StringBuilder out) {
        out.append("\\x").append(HEX[b >>> 4]).append(HEX[b & 0xF]);
    }
}
