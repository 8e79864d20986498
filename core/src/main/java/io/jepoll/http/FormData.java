package io.jepoll.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The name/value pairs of an {@code application/x-www-form-urlencoded} string: a query (RFC 3986 §3.4 gives it no
 * structure; this is the convention HTML forms made universal) or a form body, parsed as the WHATWG URL standard's
 * urlencoded parser does (§5.1): split on '&amp;', empty pieces skipped, each split at its first '=' (none: the value is
 * ""), then '+' as space and lenient percent-decoding ({@link PercentCoding#decodeForm}). Repeated names keep every
 * value in order.
 *
 * <p>Bounded: at most {@link #MAX_PAIRS} pairs are read and the rest of the input is not looked at, so a body of a
 * million '&amp;'-separated pairs costs one scan and {@link #MAX_PAIRS} Strings at most; the input itself is bounded by
 * the request-line limit (query) or the body limit (form). A handler that must see every pair of a larger form
 * parses {@link Request#body()} itself.
 */
final class FormData {

    /** Pairs read at most; later ones are ignored. A thousand form fields is far beyond any hand-made form. */
    static final int MAX_PAIRS = 1000;

    static final FormData EMPTY = new FormData(new String[0], 0);

    private final String[] pairs; // name, value, name, value...
    private final int count;

    private FormData(String[] pairs, int count) {
        this.pairs = pairs;
        this.count = count;
    }

    /** The pairs in b[from, to). */
    static FormData parse(byte[] b, int from, int to) {
        return parse(b, from, to, MAX_PAIRS);
    }

    static FormData parse(byte[] b, int from, int to, int maxPairs) {
        String[] pairs = new String[8];
        int count = 0;
        int p = from;
        while (p < to && count < maxPairs) {
            int end = p;
            while (end < to && b[end] != '&') end++;
            if (end > p) {
                int eq = p;
                while (eq < end && b[eq] != '=') eq++;
                if (count * 2 == pairs.length) pairs = java.util.Arrays.copyOf(pairs, pairs.length * 2);
                pairs[count * 2] = PercentCoding.decodeForm(b, p, eq);
                pairs[count * 2 + 1] = eq < end ? PercentCoding.decodeForm(b, eq + 1, end) : "";
                count++;
            }
            p = end + 1;
        }
        return count == 0 ? EMPTY : new FormData(pairs, count);
    }

    /** The first value of name, or null. */
    String first(String name) {
        for (int i = 0; i < count; i++) {
            if (pairs[i * 2].equals(name)) return pairs[i * 2 + 1];
        }
        return null;
    }

    /** Every value of name in order; an empty list when there is none. */
    List<String> all(String name) {
        List<String> values = null;
        for (int i = 0; i < count; i++) {
            if (pairs[i * 2].equals(name)) {
                if (values == null) values = new ArrayList<>(2);
                values.add(pairs[i * 2 + 1]);
            }
        }
        return values == null ? List.of() : Collections.unmodifiableList(values);
    }

    int size() {
        return count;
    }
}
