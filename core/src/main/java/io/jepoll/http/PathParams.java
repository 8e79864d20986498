package io.jepoll.http;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The path parameters a route bound on a request: the route's names (shared, never copied) and where each value
 * lies in the request's bytes. A value is decoded into a String when first asked for, so matching allocates
 * nothing, and a value nobody reads costs nothing; the search has already checked that each one decodes.
 *
 * <p>The spans point into the request's head, valid while the request is: before the head moves
 * ({@link Request#ownHead()}, {@link Request#copy()}) every value is decoded ({@link #materialize()}).
 * One per {@link Request}, kept with its arrays across the requests of a connection.
 */
final class PathParams {
    private static final String[] NONE = new String[0];

    int[] bounds = new int[8];    // scratch of the search: [start, end) of each parameter's raw bytes
    private int[] spans = new int[8]; // the bound values' [start, end), copied out of the scratch
    private String[] names = NONE;
    private String[] values = new String[4]; // decoded on first use
    private int count;
    private boolean lastIsRest;   // the last value is a catch-all's: an encoded '/' was refused there
    private byte[] src;           // the bytes the spans point into; null once every value is decoded

    int[] bounds(int params) {
        if (bounds.length < params * 2) bounds = new int[params * 2];
        return bounds;
    }

    /** Binds names to the values at bounds in b; nothing is decoded yet. */
    void bind(String[] names, int[] bounds, boolean catchAll, byte[] b) {
        int n = names.length;
        if (values.length < n) values = new String[n];
        if (spans.length < n * 2) spans = new int[n * 2];
        Arrays.fill(values, 0, Math.max(n, count), null);
        System.arraycopy(bounds, 0, spans, 0, n * 2);
        this.names = names;
        this.count = n;
        this.lastIsRest = catchAll;
        this.src = n == 0 ? null : b;
    }

    String get(String name) {
        for (int i = 0; i < count; i++) if (names[i].equals(name)) return value(i);
        return null;
    }

    Map<String, String> asMap() {
        if (count == 0) return Map.of();
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) m.put(names[i], value(i));
        return Collections.unmodifiableMap(m);
    }

    /** Decodes every value, so that nothing refers to the request's bytes any more. */
    void materialize() {
        for (int i = 0; i < count; i++) value(i);
        src = null;
    }

    void clear() {
        Arrays.fill(values, 0, count, null);
        names = NONE;
        count = 0;
        src = null;
    }

    /** A copy that owns its values (call {@link #materialize()} first). */
    PathParams copy() {
        PathParams c = new PathParams();
        materialize();
        c.names = names;
        c.values = Arrays.copyOf(values, Math.max(1, count));
        c.count = count;
        return c;
    }

    private String value(int i) {
        String v = values[i];
        if (v == null) {
            boolean rest = lastIsRest && i == count - 1;
            v = values[i] = PercentCoding.decodeStrict(src, spans[2 * i], spans[2 * i + 1], !rest);
        }
        return v;
    }
}
