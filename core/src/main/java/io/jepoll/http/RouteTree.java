package io.jepoll.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Path templates ({@link PathTemplate}) compiled into a tree of segments, and the search of a request's path in it:
 * no regex, no String of the path, nothing allocated (parameter values are decoded when first read).
 *
 * <p><b>Precedence.</b> At each segment a literal beats a parameter, which beats the catch-all (or a mount) at
 * the same place, whatever the order of registration; the first segment where two templates differ decides. The
 * search is depth-first in that order and backtracks, so {@code /a/b/c} and {@code /a/{x}/d} both match what they
 * should. Each tree node is entered at most once per search (a node has one parent), so the cost is bounded by the
 * tree's size, never exponential. The caller's {@link Accept} can turn a candidate down (the router asks whether
 * the route has the request's method), and the search goes on to the next one in precedence order.
 *
 * <p><b>The path</b> is the raw path of the request after any {@link Request#pathOffset() offset} a mount set,
 * cut at every '/'; dot segments are not resolved. {@code /a} and {@code /a/} are two paths, and an empty segment
 * ({@code /a//b}) matches no literal and no parameter. A parameter matches one non-empty segment that decodes
 * strictly ({@link PercentCoding#decodeStrict}: valid escapes, well-formed UTF-8, no control) and is not a dot
 * segment ("." or "..", also as {@code %2e}); a catch-all takes the rest after the '/' under the same rules, with
 * an encoded '/' refused as well, since "a%2Fb" and "a/b" would be the same value. A segment that breaks a rule
 * matches nothing: the request gets whatever else matches, typically 404.
 *
 * <p>A mount is a catch-all that takes every method and hands the rest of the path on: on a match the request's
 * {@link Request#pathOffset()} moves past the prefix.
 *
 * @param <T> what a template leads to (for the router, a route's handlers by method); immutable once built
 */
public final class RouteTree<T> {

    /**
     * Whether the search may stop at this candidate.
     *
     * @param <T> the tree's values
     */
    @FunctionalInterface
    public interface Accept<T> {
        /**
         * Takes or turns down one match; runs on the searching thread, so it must be cheap and not block.
         *
         * @param value   the value of a template that matches the path
         * @param request the request searched for, its parameters not yet bound
         * @return true to stop the search with value, false to go on to the next match
         */
        boolean test(T value, Request request);
    }

    private static final byte[] ROOT = {'/'}; // the path of an absolute-form target with an empty path

    private final Node<T> root;
    private final int maxParams;

    private RouteTree(Node<T> root, int maxParams) {
        this.root = root;
        this.maxParams = maxParams;
    }

    /**
     * An empty builder: add routes and mounts, then {@link Builder#build()} once.
     *
     * @param <T> the values the tree will hold
     * @return a new builder, for one thread
     */
    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /**
     * The most specific value whose template matches the request's path and that {@code accept} takes, or null.
     * When found, its parameters are bound ({@link Request#pathParam}) and, for a mount, the path offset is moved
     * past the prefix. {@code accept} sees every candidate in precedence order until it takes one, which also
     * lists every match (take none).
     *
     * @param req    a parsed request; its path parameters and offset change on a match
     * @param accept the test each match must pass, in precedence order
     * @return the value found, or null when no template matches (or accept takes none)
     * @throws IllegalStateException when req holds no parsed request
     */
    public T find(Request req, Accept<? super T> accept) {
        Objects.requireNonNull(accept, "accept");
        byte[] b = req.head;
        if (b == null) throw new IllegalStateException("no request parsed yet");
        int start = req.pathStart + req.pathOffset, end = req.pathEnd;
        if (start == end) { // absolute-form "http://h", or all of it taken by mounts: the path "/"
            b = ROOT;
            start = 0;
            end = 1;
        }
        if (start >= end || b[start] != '/') return null; // "*", an authority
        int[] bounds = req.pathParamBounds(Math.max(1, maxParams));
        Leaf<T> leaf = search(root, b, start, end, 0, bounds, req, accept);
        if (leaf == null) return null;
        req.bindPathParams(leaf.names, bounds, leaf.catchAll, b);
        if (leaf.mount && b == req.head) req.pathOffset = leaf.mountEnd(bounds) - req.pathStart;
        return leaf.value;
    }

    /**
     * Depth-first in precedence order. pos is the '/' before the next segment, or end when the path is used up.
     * bounds receives [start, end) of each parameter so far (k of them); a catch-all or mount records the rest.
     * It recurses only where there is something to come back to (a parameter or catch-all after the literal, a
     * catch-all after the parameter); a last alternative is followed in the loop, so a typical path costs one
     * frame or two, not one per segment.
     */
    private Leaf<T> search(Node<T> n, byte[] b, int pos, int end, int k, int[] bounds, Request req, Accept<? super T> accept) {
        while (true) {
            if (pos == end) return offer(n.exact, req, accept);
            int segStart = pos + 1;
            int segEnd = segStart;
            boolean escaped = false; // found in the same pass, so a plain segment is never scanned twice
            for (byte c; segEnd < end && (c = b[segEnd]) != '/'; segEnd++) escaped |= c == '%';
            if (segEnd == segStart) {
                if (segStart == end) {
                    Leaf<T> l = offer(n.slash, req, accept);
                    if (l != null) return l;
                }
                return offerTail(n, b, segStart, end, k, bounds, req, accept);
            }
            Node<T> lit = n.literal(b, segStart, segEnd, escaped);
            if (lit != null) {
                if (n.param == null && n.tail == null) { // nothing else to try here: no need to come back
                    n = lit;
                    pos = segEnd;
                    continue;
                }
                Leaf<T> l = search(lit, b, segEnd, end, k, bounds, req, accept);
                if (l != null) return l;
            }
            if (n.param != null && (escaped ? isParamValue(b, segStart, segEnd, true) : !isPlainDotSegment(b, segStart, segEnd))) {
                bounds[2 * k] = segStart;
                bounds[2 * k + 1] = segEnd;
                if (n.tail == null) {
                    n = n.param;
                    pos = segEnd;
                    k++;
                    continue;
                }
                Leaf<T> l = search(n.param, b, segEnd, end, k + 1, bounds, req, accept);
                if (l != null) return l;
            }
            return offerTail(n, b, segStart, end, k, bounds, req, accept);
        }
    }

    /** The catch-all or mount of n, taking b[from, end). */
    private static <T> Leaf<T> offerTail(Node<T> n, byte[] b, int from, int end, int k, int[] bounds, Request req,
                                         Accept<? super T> accept) {
        Leaf<T> tail = n.tail;
        if (tail == null || !(tail.mount || isRest(b, from, end))) return null;
        bounds[2 * k] = from;
        bounds[2 * k + 1] = end;
        return offer(tail, req, accept);
    }

    private static <T> Leaf<T> offer(Leaf<T> leaf, Request req, Accept<? super T> accept) {
        return leaf != null && accept.test(leaf.value, req) ? leaf : null;
    }

    /** A segment a parameter may take: decodes strictly and is not a dot segment. */
    private static boolean isParamValue(byte[] b, int from, int to, boolean slashAllowed) {
        int p = from;
        while (p < to && b[p] != '%') p++;
        if (p == to) return !isPlainDotSegment(b, from, to);
        return PercentCoding.decodeStrict(b, from, to, slashAllowed, null) > 0 && !isDotSegment(b, from, to);
    }

    /**
     * For a non-empty segment without escapes, which the parser allows only visible ASCII, so it decodes as it is:
     * whether it is "." or "..".
     */
    private static boolean isPlainDotSegment(byte[] b, int from, int to) {
        int len = to - from;
        return b[from] == '.' && (len == 1 || len == 2 && b[from + 1] == '.');
    }

    /** What a catch-all may take: every segment decodes strictly, no encoded '/', no dot segment. */
    private static boolean isRest(byte[] b, int from, int to) {
        int s = from;
        for (int p = from; p <= to; p++) {
            if (p == to || b[p] == '/') {
                if (p > s && !isParamValue(b, s, p, false)) return false;
                s = p + 1;
            }
        }
        return true;
    }

    /** "." or "..", literally or with '.' as %2E (RFC 3986 §6.2.2.2 makes them the same). */
    private static boolean isDotSegment(byte[] b, int from, int to) {
        int dots = 0;
        int p = from;
        while (p < to) {
            if (b[p] == '.') {
                p++;
            } else if (b[p] == '%' && p + 2 < to && b[p + 1] == '2' && (b[p + 2] == 'e' || b[p + 2] == 'E')) {
                p += 3;
            } else {
                return false;
            }
            if (++dots > 2) return false;
        }
        return dots > 0;
    }

    /**
     * Where a template ends, with the parameter names it binds. A mount binds none (its prefix is literal) and
     * records the rest in bounds[0, 1].
     */
    private record Leaf<T>(T value, String template, String[] names, boolean catchAll, boolean mount) {
        /** For a mount: the index of the '/' that follows the prefix, the rest starting just after it. */
        int mountEnd(int[] bounds) {
            return bounds[0] - 1;
        }
    }

    /**
     * One segment position. Its literal children are compared in turn when they are few; more go in an
     * open-addressing table keyed by a hash of a key's length and first and last bytes: O(1) to compute, and the
     * full comparison after it settles collisions. A segment spelled with escapes is compared decoded against
     * every key (rare: clients escape only what they must).
     */
    private static final class Node<T> {
        final List<byte[]> building = new ArrayList<>();     // the keys while building, then compiled into:
        final List<Node<T>> buildingChildren = new ArrayList<>();
        byte[][] keys;                                         // all keys, in order (few, and the escaped path)
        Node<T>[] children;
        byte[][] table;                                        // when more than LINEAR_MAX: keys by slot, null empty
        Node<T>[] tableChildren;
        int mask;
        Node<T> param;
        Leaf<T> exact, slash, tail;

        Node<T> literalChild(byte[] key) {
            for (int i = 0; i < building.size(); i++) if (Arrays.equals(building.get(i), key)) return buildingChildren.get(i);
            Node<T> c = new Node<>();
            building.add(key);
            buildingChildren.add(c);
            return c;
        }

        Node<T> literalChildIfAny(byte[] key) {
            for (int i = 0; i < building.size(); i++) if (Arrays.equals(building.get(i), key)) return buildingChildren.get(i);
            return null;
        }

        @SuppressWarnings("unchecked")
        void compile() {
            if (!building.isEmpty()) {
                keys = building.toArray(new byte[0][]);
                children = buildingChildren.toArray(new Node[0]);
            }
            if (building.size() > LINEAR_MAX) {
                int size = Integer.highestOneBit(building.size() * 2 - 1) << 1;
                table = new byte[size][];
                tableChildren = new Node[size];
                mask = size - 1;
                for (int i = 0; i < keys.length; i++) {
                    byte[] key = keys[i];
                    int slot = hash(key.length, key[0], key[key.length - 1]) & mask;
                    while (table[slot] != null) slot = (slot + 1) & mask;
                    table[slot] = key;
                    tableChildren[slot] = children[i];
                }
            }
            for (Node<T> c : buildingChildren) c.compile();
            if (param != null) param.compile();
        }

        /** The literal child equal to the raw, non-empty segment b[from, to), or null. */
        Node<T> literal(byte[] b, int from, int to, boolean escaped) {
            if (keys == null) return null;
            if (escaped) {
                for (int i = 0; i < keys.length; i++) if (equalsDecoded(b, from, to, keys[i])) return children[i];
                return null;
            }
            int len = to - from;
            if (table == null) {
                for (int i = 0; i < keys.length; i++) {
                    byte[] key = keys[i];
                    if (key.length == len && sameBytes(b, from, key)) return children[i];
                }
                return null;
            }
            for (int slot = hash(len, b[from], b[to - 1]) & mask; ; slot = (slot + 1) & mask) {
                byte[] key = table[slot];
                if (key == null) return null;
                if (key.length == len && sameBytes(b, from, key)) return tableChildren[slot];
            }
        }
    }

    /** Nodes with at most this many literal children compare them in turn; more get a hash table. */
    private static final int LINEAR_MAX = 8;

    private static int hash(int length, byte first, byte last) {
        int h = length * 0x9E3779B1 ^ (first & 0xFF) * 0x85EBCA6B ^ (last & 0xFF) * 0xC2B2AE35;
        return h ^ h >>> 16;
    }

    private static boolean sameBytes(byte[] b, int from, byte[] key) {
        for (int k = 0; k < key.length; k++) if (b[from + k] != key[k]) return false;
        return true;
    }

    /**
     * The octet of the escape at b[p] when it may stand for a literal's char: an unreserved char or a non-ASCII
     * octet (RFC 3986 §6.2.2.2); -1 for a reserved one (§2.2: not equivalent to the char) or a broken escape.
     */
    static int equivalentOctet(byte[] b, int p, int to) {
        if (p + 2 >= to) return -1;
        int hi = Ascii.hexValue(b[p + 1]), lo = Ascii.hexValue(b[p + 2]);
        if (hi < 0 || lo < 0) return -1;
        int v = hi << 4 | lo;
        boolean unreserved = v >= 'a' && v <= 'z' || v >= 'A' && v <= 'Z' || v >= '0' && v <= '9'
                || v == '-' || v == '.' || v == '_' || v == '~';
        return unreserved || v >= 0x80 ? v : -1;
    }

    private static boolean equalsDecoded(byte[] b, int from, int to, byte[] key) {
        int k = 0;
        for (int p = from; p < to; p++, k++) {
            int c = b[p] & 0xFF;
            if (c == '%') {
                c = equivalentOctet(b, p, to);
                p += 2;
            }
            if (k >= key.length || c != (key[k] & 0xFF)) return false;
        }
        return k == key.length;
    }

    /**
     * Collects templates; every conflict is refused here, with the two templates named.
     *
     * @param <T> the values the tree will hold
     */
    public static final class Builder<T> {
        private final Node<T> root = new Node<>();
        private final List<Leaf<T>> leaves = new ArrayList<>();
        private boolean built;

        private Builder() {
        }

        /**
         * The value at template, made by create on first use. Templates of one shape (the same paths, for example
         * {@code /u/{id}} and {@code /u/{name}}) share the value, so they must name their parameters alike.
         *
         * @param template a path template ({@link PathTemplate}), such as {@code /users/{id}}
         * @param create   makes the value the first time this shape is seen
         * @return the value at that place, new or already there
         * @throws IllegalArgumentException for a bad template, a shape named differently, or a mount in the way
         * @throws IllegalStateException    after {@link #build()}
         */
        public T route(String template, Supplier<? extends T> create) {
            return place(PathTemplate.parse(template), create, null).value;
        }

        /**
         * Whether a route (not a mount) of this template's shape has a value.
         *
         * @param template a path template; parameter names do not matter, only the shape
         * @return true when {@link #route} has placed a value there
         * @throws IllegalArgumentException for a bad template
         */
        public boolean has(String template) {
            PathTemplate t = PathTemplate.parse(template);
            Node<T> n = walk(t, false);
            Leaf<T> l = n == null ? null : slot(n, t);
            return l != null && !l.mount;
        }

        /**
         * A mount at prefix: literal segments, no trailing slash ("/" mounts at the root). It takes every path
         * below the prefix ({@code prefix + "/..."}), for every method, at the precedence of a catch-all.
         *
         * @param prefix such as {@code /static}; the rest of the path is left for value to read
         * @param value  what the mount leads to; not null
         * @throws IllegalArgumentException for a bad prefix, or one where a catch-all or another mount is
         * @throws IllegalStateException    after {@link #build()}
         */
        public void mount(String prefix, T value) {
            Objects.requireNonNull(value, "value");
            PathTemplate t = PathTemplate.parse(prefix);
            if (!t.isLiteral()) throw new IllegalArgumentException("mount prefix \"" + prefix + "\" must be literal segments only");
            if (!prefix.equals("/") && t.trailingSlash) {
                throw new IllegalArgumentException("mount prefix \"" + prefix + "\" must not end with '/'");
            }
            place(PathTemplate.parse((prefix.equals("/") ? "" : prefix) + "/{rest...}"), () -> value, prefix);
        }

        /**
         * Compiles the tree; the builder is spent.
         *
         * @return the tree, immutable and safe to search from any thread
         * @throws IllegalStateException when called twice
         */
        public RouteTree<T> build() {
            if (built) throw new IllegalStateException("already built");
            built = true;
            root.compile();
            int max = 0;
            for (Leaf<T> l : leaves) max = Math.max(max, l.names.length);
            return new RouteTree<>(root, max);
        }

        /** Puts a route (mountPrefix null) or a mount at t's place, or returns the route already there. */
        private Leaf<T> place(PathTemplate t, Supplier<? extends T> create, String mountPrefix) {
            if (built) throw new IllegalStateException("already built");
            Node<T> n = walk(t, true);
            Leaf<T> old = slot(n, t);
            boolean mount = mountPrefix != null;
            String[] names = mount ? new String[0] : t.names();
            String what = mount ? "the mount at " + mountPrefix : t.text;
            if (old != null) {
                if (old.mount || mount) {
                    String oldWhat = old.mount ? "the mount at " + old.template : old.template;
                    throw new IllegalArgumentException(what + " takes the same paths as " + oldWhat);
                }
                if (!Arrays.equals(old.names, names)) {
                    throw new IllegalArgumentException(t.text + " matches the same paths as " + old.template
                            + " but names its parameters differently");
                }
                return old;
            }
            T value = Objects.requireNonNull(create.get(), "created value");
            boolean catchAll = isCatchAll(t);
            Leaf<T> leaf = new Leaf<>(value, mount ? mountPrefix : t.text, names, catchAll && !mount, mount);
            if (catchAll) n.tail = leaf;
            else if (t.trailingSlash) n.slash = leaf;
            else n.exact = leaf;
            leaves.add(leaf);
            return leaf;
        }

        private static boolean isCatchAll(PathTemplate t) {
            return !t.segments.isEmpty() && t.segments.getLast() instanceof PathTemplate.CatchAll;
        }

        private static <T> Leaf<T> slot(Node<T> n, PathTemplate t) {
            return isCatchAll(t) ? n.tail : t.trailingSlash ? n.slash : n.exact;
        }

        /** The node where t's last non-catch-all segment ends; created when asked, else null when missing. */
        private Node<T> walk(PathTemplate t, boolean create) {
            Node<T> n = root;
            for (PathTemplate.Segment seg : t.segments) {
                switch (seg) {
                    case PathTemplate.Literal l -> {
                        if (create) {
                            n = n.literalChild(l.utf8());
                        } else {
                            n = n.literalChildIfAny(l.utf8());
                        }
                    }
                    case PathTemplate.Param p -> {
                        if (n.param == null && create) n.param = new Node<>();
                        n = n.param;
                    }
                    case PathTemplate.CatchAll c -> { }
                }
                if (n == null) return null;
            }
            return n;
        }
    }
}
