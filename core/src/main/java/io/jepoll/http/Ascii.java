package io.jepoll.http;

/**
 * Byte classes of RFC 9110 §5.5–§5.6 and RFC 9112 §3.2, and the few byte-range helpers the parser needs.
 *
 * <p>The classes live in one 256-entry table of flag bits, so testing a byte costs one load and a mask instead of a
 * chain of range comparisons; the methods are tiny so the JIT inlines them into the scanning loops.
 */
final class Ascii {

    private static final int TOKEN = 1;   // tchar
    private static final int TARGET = 2;  // what a request-target may hold: VCHAR except '#'
    private static final int VALUE = 4;   // field-vchar, SP, HTAB (obs-text included)
    private static final int QUOTED = 8;  // qdtext
    private static final byte[] CLASS = new byte[256];
    private static final byte[] HEX = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            boolean alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
            int f = 0;
            if (alnum || (c < 0x80 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                f |= TOKEN;
            }
            if (c >= 0x21 && c <= 0x7E && c != '#') {
                f |= TARGET;
            }
            if (c == '\t' || (c >= 0x20 && c <= 0x7E) || c >= 0x80) {
                f |= VALUE;
            }
            if (c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E) || c >= 0x80) {
                f |= QUOTED;
            }
            CLASS[c] = (byte) f;
            HEX[c] = (byte) (c >= '0' && c <= '9' ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10
                    : -1);
        }
    }

    private Ascii() {
    }

    static boolean isToken(byte b) {
        return (CLASS[b & 0xFF] & TOKEN) != 0;
    }

    /** A char of a String (header names given by handlers): tchar only in the ASCII range. */
    static boolean isToken(char c) {
        return c < 128 && (CLASS[c] & TOKEN) != 0;
    }

    static boolean isTargetChar(byte b) {
        return (CLASS[b & 0xFF] & TARGET) != 0;
    }

    static boolean isValueChar(byte b) {
        return (CLASS[b & 0xFF] & VALUE) != 0;
    }

    static boolean isQuotedChar(byte b) {
        return (CLASS[b & 0xFF] & QUOTED) != 0;
    }

    /** 0..15, or -1 when b is not a hex digit. */
    static int hexValue(byte b) {
        return HEX[b & 0xFF];
    }

    static boolean isOws(byte b) {
        return b == ' ' || b == '\t';
    }

    static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    /** ASCII case-insensitive comparison of a[from, to) with s; never matches a char above 0xFF. */
    static boolean equalsIgnoreCase(byte[] a, int from, int to, String s) {
        int n = to - from;
        if (s.length() != n) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            int b = a[from + k] & 0xFF;
            int c = s.charAt(k);
            if (b != c && lower(b) != lower(c)) {
                return false;
            }
        }
        return true;
    }

    /** Exact (case-sensitive) comparison of a[from, to) with s, whose chars are read as bytes 0..0xFF. */
    static boolean equals(byte[] a, int from, int to, String s) {
        int n = to - from;
        if (s.length() != n) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if ((a[from + k] & 0xFF) != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** First index in [from, to) that is not SP/HTAB, or to. */
    static int skipOws(byte[] a, int from, int to) {
        while (from < to && isOws(a[from])) {
            from++;
        }
        return from;
    }

    /** End of a[from, to) without its trailing SP/HTAB. */
    static int trimOws(byte[] a, int from, int to) {
        while (to > from && isOws(a[to - 1])) {
            to--;
        }
        return to;
    }

    /**
     * End of the list element (RFC 9110 §5.6.1) that starts at from: the next comma outside a quoted-string, or to.
     * Quotes matter because a transfer-parameter may quote a comma.
     */
    static int elementEnd(byte[] a, int from, int to) {
        boolean quoted = false;
        for (int p = from; p < to; p++) {
            byte b = a[p];
            if (quoted) {
                if (b == '\\') {
                    p++;
                } else if (b == '"') {
                    quoted = false;
                }
            } else if (b == '"') {
                quoted = true;
            } else if (b == ',') {
                return p;
            }
        }
        return to;
    }
}
