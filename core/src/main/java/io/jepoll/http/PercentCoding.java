package io.jepoll.http;

import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding of request bytes (RFC 3986 §2.1) in the two flavours a server needs.
 *
 * <ul>
 *   <li><b>Strict</b>, for path parameters: every '%' must start a valid escape, the octets must be well-formed
 *       UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF, nothing truncated), and no control
 *       character (C0, DEL, C1) may come out, as {@link TargetPath} decides for file paths. A value that breaks a rule
 *       is refused, never repaired: a path that two parts of a system could read two ways is an attack vector.
 *       The same loop validates without allocating ({@code out == null}) and decodes into chars.</li>
 *   <li><b>Lenient</b>, for {@code application/x-www-form-urlencoded} query strings and bodies, as the WHATWG URL
 *       standard's urlencoded parser does (§5.1): '+' is a space, a '%' that does not start a valid escape is kept as
 *       it is, and bytes that are not UTF-8 become U+FFFD. Browsers produce this format and it has no error
 *       handling of its own, so the server reads what the browser meant.</li>
 * </ul>
 */
final class PercentCoding {

    /** Strict decoding failed. */
    static final int INVALID = -1;

    private PercentCoding() {
    }

    /**
     * Strictly decodes b[from, to) into out (which needs to - from chars: decoding never lengthens) and returns the
     * number of chars, or {@link #INVALID}. With {@code out == null} it only validates, allocating nothing.
     *
     * @param slashAllowed whether an encoded '/' ({@code %2F}) may appear; a catch-all value refuses it, because
     *                     there "a%2Fb" and "a/b" would decode to the same text and mean different paths
     */
    static int decodeStrict(byte[] b, int from, int to, boolean slashAllowed, char[] out) {
        int o = 0;
        int p = from;
        while (p < to) {
            int b0 = octet(b, p, to);
            if (b0 < 0) return INVALID;
            boolean escaped = b[p] == '%';
            p += escaped ? 3 : 1;
            if (b0 < 0x80) {
                if (b0 < 0x20 || b0 == 0x7F || (b0 == '/' && escaped && !slashAllowed)) return INVALID;
                if (out != null) out[o] = (char) b0;
                o++;
                continue;
            }
            int need;
            int cp;
            int min2 = 0x80;
            int max2 = 0xBF;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                need = 1;
                cp = b0 & 0x1F;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                need = 2;
                cp = b0 & 0x0F;
                if (b0 == 0xE0) min2 = 0xA0; // E0 80..9F would be overlong
                if (b0 == 0xED) max2 = 0x9F; // ED A0..BF would be a surrogate
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                need = 3;
                cp = b0 & 0x07;
                if (b0 == 0xF0) min2 = 0x90; // F0 80..8F would be overlong
                if (b0 == 0xF4) max2 = 0x8F; // F4 90.. would exceed U+10FFFF
            } else {
                return INVALID; // 80..C1 (a continuation, or an overlong lead), F5..FF
            }
            for (int k = 1; k <= need; k++) {
                if (p >= to) return INVALID; // truncated
                int bk = octet(b, p, to);
                if (bk < 0) return INVALID;
                p += b[p] == '%' ? 3 : 1;
                if (bk < (k == 1 ? min2 : 0x80) || bk > (k == 1 ? max2 : 0xBF)) return INVALID;
                cp = cp << 6 | bk & 0x3F;
            }
            if (cp <= 0x9F) return INVALID; // C1 controls U+0080..U+009F
            if (out != null) Character.toChars(cp, out, o);
            o += Character.charCount(cp);
        }
        return o;
    }

    /** The strictly decoded String of b[from, to), or null when it is refused. */
    static String decodeStrict(byte[] b, int from, int to, boolean slashAllowed) {
        int p = from;
        while (p < to && b[p] > 0x20 && b[p] < 0x7F && b[p] != '%') p++;
        if (p == to) return new String(b, from, to - from, StandardCharsets.ISO_8859_1); // nothing to decode: one copy
        char[] out = new char[to - from];
        int n = decodeStrict(b, from, to, slashAllowed, out);
        return n < 0 ? null : new String(out, 0, n);
    }

    /** The WHATWG urlencoded decoding of b[from, to): '+' is a space, invalid escapes stay, bad UTF-8 is U+FFFD. */
    static String decodeForm(byte[] b, int from, int to) {
        boolean plain = true;
        for (int p = from; p < to; p++) {
            byte c = b[p];
            if (c == '%' || c == '+' || c < 0) {
                plain = false;
                break;
            }
        }
        if (plain) return new String(b, from, to - from, StandardCharsets.ISO_8859_1); // ASCII: the common case
        byte[] out = new byte[to - from];
        int o = 0;
        for (int p = from; p < to; p++) {
            byte c = b[p];
            if (c == '+') {
                out[o++] = ' ';
            } else if (c == '%' && p + 2 < to && Ascii.hexValue(b[p + 1]) >= 0 && Ascii.hexValue(b[p + 2]) >= 0) {
                out[o++] = (byte) (Ascii.hexValue(b[p + 1]) << 4 | Ascii.hexValue(b[p + 2]));
                p += 2;
            } else {
                out[o++] = c;
            }
        }
        return new String(out, 0, o, StandardCharsets.UTF_8);
    }

    /**
     * The octet at b[p]: the byte itself, or the value of the escape "%XX" that starts there; -1 for a '%' that does
     * not start a complete escape, and for a byte that may not appear in a path at all (not a VCHAR: the parser
     * already refused controls and spaces in the target, this keeps the function safe on its own).
     */
    private static int octet(byte[] b, int p, int to) {
        int c = b[p] & 0xFF;
        if (c != '%') return c > 0x20 && c < 0x7F ? c : -1;
        if (p + 2 >= to) return -1;
        int hi = Ascii.hexValue(b[p + 1]);
        int lo = Ascii.hexValue(b[p + 2]);
        return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
    }
}
