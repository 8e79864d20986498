package io.jepoll.http;

/**
 * Character tests and ASCII-only case folding for header field values held as Strings (RFC 9110 §5.5–§5.6).
 *
 * <p>{@link String#equalsIgnoreCase} folds Unicode (the Kelvin sign matches {@code k}); HTTP tokens are ASCII and
 * case-insensitive only in the ASCII sense, so these helpers never fold anything above 0x7F.
 */
final class FieldChars {

    private FieldChars() {
    }

    /** OWS = *( SP / HTAB ), RFC 9110 §5.6.3. */
    static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    /** tchar, RFC 9110 §5.6.2: the parser's own table (Ascii), one definition for bytes and Strings. */
    static boolean isTokenChar(char c) {
        return Ascii.isToken(c);
    }

    /** qdtext, RFC 9110 §5.6.4: HTAB, SP, VCHAR except DQUOTE and backslash, obs-text. */
    static boolean isQdText(char c) {
        return c == '\t' || c == ' ' || c == 0x21 || c >= 0x23 && c <= 0x5B || c >= 0x5D && c <= 0x7E
                || c >= 0x80 && c <= 0xFF;
    }

    /** field-vchar / SP / HTAB, RFC 9110 §5.5; chars above 0xFF cannot be sent as one octet each. */
    static boolean isFieldValueChar(char c) {
        return c == '\t' || c >= 0x20 && c <= 0x7E || c >= 0x80 && c <= 0xFF;
    }

    static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /** ASCII-case-insensitive comparison of s[from, to) with lowerCaseAscii, which must already be lower case. */
    static boolean regionEqualsLower(String s, int from, int to, String lowerCaseAscii) {
        int n = to - from;
        if (n != lowerCaseAscii.length()) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (lower(s.charAt(from + k)) != lowerCaseAscii.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** ASCII lower case of s[from, to); other chars unchanged. */
    static String lowerAscii(String s, int from, int to) {
        char[] out = new char[to - from];
        for (int k = 0; k < out.length; k++) {
            out[k] = lower(s.charAt(from + k));
        }
        return new String(out);
    }

    /** First index in [from, to) that is not OWS, or to. */
    static int skipOws(String s, int from, int to) {
        while (from < to && isOws(s.charAt(from))) {
            from++;
        }
        return from;
    }

    /** End of s[from, to) without trailing OWS. */
    static int trimOwsEnd(String s, int from, int to) {
        while (to > from && isOws(s.charAt(to - 1))) {
            to--;
        }
        return to;
    }
}
