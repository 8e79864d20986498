package io.jepoll.http;

import java.util.Arrays;
import java.util.List;

/**
 * The cookies of a request's {@code Cookie} fields (RFC 6265 §4.2.1: {@code cookie-pair *( ";" SP cookie-pair )}).
 *
 * <p>Tolerant, since what arrives is what user agents and scripts really send rather than the grammar: pairs are
 * split on ';', OWS around names and values is dropped (§5.4 has the UA join them with "; ", hand-made clients
 * forget the space or add more), a value in DQUOTEs loses them (§4.1.1 allows the quotes; they are not part of the
 * value), and a piece that is not {@code token=value} (no '=', an empty or non-token name) is skipped, not fatal:
 * one bad cookie set by some other application on the domain must not lock a user out. Values are not decoded:
 * a cookie value is opaque octets (§4.1.1), and what encoding it carries is the application's business.
 *
 * <p>Several Cookie fields (HTTP/1.1 clients should send one, §5.4; proxies merging HTTP/2 ones may not) are read
 * in order as one list. When a name repeats, the first wins: §5.4 orders cookies with longer paths first, so the
 * first is the most specific one. Bounded: at most {@link #MAX_COOKIES} pairs are read, the rest ignored.
 */
final class CookieHeader {

    /** Pairs read at most: above what browsers store per domain (Chrome 180, Firefox 150; §6.1 asks for 50). */
    static final int MAX_COOKIES = 200;

    static final CookieHeader EMPTY = new CookieHeader(new String[0], 0);

    private final String[] pairs; // name, value, ...
    private final int count;

    private CookieHeader(String[] pairs, int count) {
        this.pairs = pairs;
        this.count = count;
    }

    /** The cookies of the given field values, in order. */
    static CookieHeader parse(List<String> fieldValues) {
        String[] pairs = new String[8];
        int count = 0;
        for (String v : fieldValues) {
            int n = v.length();
            int p = 0;
            while (p < n && count < MAX_COOKIES) {
                int end = v.indexOf(';', p);
                if (end < 0) end = n;
                int eq = v.indexOf('=', p);
                if (eq >= 0 && eq < end) {
                    int nameStart = FieldChars.skipOws(v, p, eq), nameEnd = FieldChars.trimOwsEnd(v, nameStart, eq);
                    int valueStart = FieldChars.skipOws(v, eq + 1, end), valueEnd = FieldChars.trimOwsEnd(v, valueStart, end);
                    if (valueEnd - valueStart >= 2 && v.charAt(valueStart) == '"' && v.charAt(valueEnd - 1) == '"') {
                        valueStart++;
                        valueEnd--;
                    }
                    if (isToken(v, nameStart, nameEnd)) {
                        if (count * 2 == pairs.length) pairs = Arrays.copyOf(pairs, pairs.length * 2);
                        pairs[count * 2] = v.substring(nameStart, nameEnd);
                        pairs[count * 2 + 1] = v.substring(valueStart, valueEnd);
                        count++;
                    }
                }
                p = end + 1;
            }
        }
        return count == 0 ? EMPTY : new CookieHeader(pairs, count);
    }

    /** The value of the first cookie called name (case-sensitive, as cookie names are), or null. */
    String get(String name) {
        for (int i = 0; i < count; i++) {
            if (pairs[i * 2].equals(name)) return pairs[i * 2 + 1];
        }
        return null;
    }

    int size() {
        return count;
    }

    private static boolean isToken(String s, int from, int to) {
        if (from == to) return false;
        for (int i = from; i < to; i++) {
            if (!FieldChars.isTokenChar(s.charAt(i))) return false;
        }
        return true;
    }
}
