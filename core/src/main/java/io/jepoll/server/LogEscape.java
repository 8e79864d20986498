package io.jepoll.server;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
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
        for (int i = 0; i < s.length(); ) {
            char c = s.charAt(i);
            if (c >= 0x80 && c <= 0xFF) {
                i = bytesAboveAscii(s, i, out);
                continue;
            }
            if (c == '"' || c == '\\') out.append('\\').append(c);
            else if (c >= 0x20 && c < 0x7F) out.append(c);
            else unicode(c, out); // a control character, or a char no request holds (a caller's own string)
            i++;
        }
    }

    /**
     * The run of bytes above 0x7F that starts at {@code from}, escaped: decoded by the JDK's UTF-8 decoder, which
     * refuses what RFC 3629 does (overlong forms, surrogates, past U+10FFFF, cut sequences), each byte it refuses
     * kept as its Latin-1 char. Every UTF-8 sequence is such a run, so nothing outside one is needed. Returns where
     * the run ends.
     */
    private static int bytesAboveAscii(String s, int from, StringBuilder out) {
        int end = from;
        while (end < s.length() && s.charAt(end) >= 0x80 && s.charAt(end) <= 0xFF) end++;
        ByteBuffer in = ByteBuffer.wrap(s.substring(from, end).getBytes(StandardCharsets.ISO_8859_1));
        CharBuffer chars = CharBuffer.allocate(end - from); // UTF-8 or Latin-1: never more chars than bytes
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder(); // a new decoder reports errors, replaces none
        for (CoderResult r; (r = utf8.decode(in, chars, true)).isError(); ) {
            for (int k = 0; k < r.length(); k++) chars.put((char) (in.get() & 0xFF));
        }
        utf8.flush(chars); // nothing held back for UTF-8, but the protocol ends with it
        chars.flip();
        while (chars.hasRemaining()) unicode(chars.get(), out);
        return end;
    }

    private static void unicode(char c, StringBuilder out) {
        out.append("\\u").append(HEX[c >>> 12]).append(HEX[(c >>> 8) & 0xF]).append(HEX[(c >>> 4) & 0xF]).append(HEX[c & 0xF]);
    }

    private static void hexByte(int b, StringBuilder out) {
        out.append("\\x").append(HEX[b >>> 4]).append(HEX[b & 0xF]);
    }
}
