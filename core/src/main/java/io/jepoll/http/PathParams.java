package io.jepoll.http;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The path parameters a route bound on a request: the route's names (shared, never copied) and the decoded values.
 * One per {@link Request}, kept with its arrays across the requests of a connection, so binding allocates only the
 * value Strings.
 */
final class PathParams {
    private static final String[] NONE = new String[0];

    int[] bounds = new int[8];  // scratch of the search: [start, end) of each parameter's raw bytes
    private String[] names = NONE;
    private String[] values = new String[4];
    private int count;

    int[] bounds(int params) {
        if (bounds.length < params * 2) bounds = new int[params * 2];
        return bounds;
    }

    /** Decodes the values found at bounds; the search has already checked that each decodes. */
    void bind(String[] names, int[] bounds, boolean catchAll, byte[] b) {
        if (values.length < names.length) values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            boolean rest = catchAll && i == names.length - 1;
            values[i] = PercentCoding.decodeStrict(b, bounds[2 * i], bounds[2 * i + 1], !rest);
        }
        if (count > names.length) Arrays.fill(values, names.length, count, null);
        this.names = names;
        this.count = names.length;
    }

    String get(String name) {
        for (int i = 0; i < count; i++) if (names[i].equals(name)) return values[i];
        return null;
    }

    Map<String, String> asMap() {
        if (count == 0) return Map.of();
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) m.put(names[i], values[i]);
        return Collections.unmodifiableMap(m);
    }

    void clear() {
        Arrays.fill(values, 0, count, null);
        names = NONE;
        count = 0;
    }

    PathParams copy() {
        PathParams c = new PathParams();
        c.names = names;
        c.values = Arrays.copyOf(values, Math.max(1, count));
        c.count = count;
        return c;
    }
}
