package io.jepoll.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A route's path template, parsed and checked: {@code /users/{id}/posts}, {@code /files/{path...}}, {@code /a/}.
 *
 * <ul>
 *   <li>It starts with '/'; segments are separated by one '/' (an empty segment, "//", is refused); a final '/'
 *       is part of the template ({@code /a/} and {@code /a} are two templates for two paths).</li>
 *   <li>A literal segment is written decoded, as the text it matches: RFC 3986 pchar without '%' (unreserved,
 *       sub-delims, ':' and '@') plus any non-ASCII char but controls; it matches the request's segment when they
 *       are equal after decoding the escapes of unreserved and non-ASCII octets (§6.2.2.2), so {@code caf%C3%A9}
 *       matches "café" and {@code %61} matches "a", while {@code %3A} does not match ':' (§2.2: a reserved char
 *       and its escape are not equivalent). Paths are case-sensitive (§6.2.2.1).</li>
 *   <li>{@code {name}} is a whole segment, any non-empty one; {@code {name...}} ends the template and takes the
 *       rest of the path after its '/' (possibly empty, possibly with more '/'). A name is a Java-style
 *       identifier ({@code [A-Za-z_][A-Za-z0-9_]*}, at most {@value #MAX_NAME} chars), unique in its template.
 *       Part of a segment ({@code /file.{ext}}) cannot be a parameter.</li>
 *   <li>"." and ".." are not literals: clients resolve dot segments before sending (§5.2.4).</li>
 *   <li>At most {@value #MAX_SEGMENTS} segments, so matching recurses a bounded depth.</li>
 * </ul>
 */
final class PathTemplate {

    static final int MAX_SEGMENTS = 64;
    static final int MAX_NAME = 64;

    /** One segment: a literal (its UTF-8 bytes), a parameter or the catch-all. */
    sealed interface Segment permits Literal, Param, CatchAll {}

    record Literal(String text, byte[] utf8) implements Segment {}

    record Param(String name) implements Segment {}

    record CatchAll(String name) implements Segment {}

    final String text;
    final List<Segment> segments;
    final boolean trailingSlash;

    private PathTemplate(String text, List<Segment> segments, boolean trailingSlash) {
        this.text = text;
        this.segments = List.copyOf(segments);
        this.trailingSlash = trailingSlash;
    }

    /** @throws IllegalArgumentException saying what is wrong with the template and where */
    static PathTemplate parse(String template) {
        if (template == null || template.isEmpty() || template.charAt(0) != '/') {
            throw bad(template, "must start with '/'");
        }
        List<Segment> segments = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int n = template.length();
        if (n == 1) return new PathTemplate(template, segments, true); // "/": no segment, the root's slash
        int p = 1;
        boolean trailing = false;
        while (p < n) {
            int end = template.indexOf('/', p);
            if (end < 0) end = n;
            if (end == p) throw bad(template, "has an empty segment (\"//\")");
            if (!segments.isEmpty() && segments.getLast() instanceof CatchAll) {
                throw bad(template, "has a segment after the catch-all {" + ((CatchAll) segments.getLast()).name() + "...}");
            }
            if (segments.size() == MAX_SEGMENTS) throw bad(template, "has more than " + MAX_SEGMENTS + " segments");
            segments.add(segment(template, p, end, names));
            if (end == n - 1) {
                trailing = true;
                if (segments.getLast() instanceof CatchAll) {
                    throw bad(template, "ends with '/' after a catch-all: {name...} already takes every trailing slash");
                }
            }
            p = end + 1;
        }
        return new PathTemplate(template, segments, trailing);
    }

    /** The template with parameter names left out: two templates of one shape match exactly the same paths. */
    String shape() {
        StringBuilder b = new StringBuilder();
        for (Segment s : segments) {
            b.append('/').append(switch (s) {
                case Literal l -> l.text();
                case Param p -> "{}";
                case CatchAll c -> "{...}";
            });
        }
        if (trailingSlash) b.append('/');
        return b.isEmpty() ? "/" : b.toString();
    }

    /** The parameter names in order, the catch-all's last. */
    String[] names() {
        List<String> out = new ArrayList<>();
        for (Segment s : segments) {
            if (s instanceof Param p) out.add(p.name());
            else if (s instanceof CatchAll c) out.add(c.name());
        }
        return out.toArray(String[]::new);
    }

    boolean isLiteral() {
        for (Segment s : segments) if (!(s instanceof Literal)) return false;
        return true;
    }

    @Override
    public String toString() {
        return text;
    }

    private static Segment segment(String t, int from, int to, Set<String> names) {
        if (t.charAt(from) == '{') {
            if (t.charAt(to - 1) != '}') throw bad(t, "has a '{' that does not span its whole segment");
            boolean rest = to - from > 5 && t.startsWith("...}", to - 4);
            String name = t.substring(from + 1, rest ? to - 4 : to - 1);
            if (!isName(name)) {
                throw bad(t, "has parameter {" + name + "}: a name is [A-Za-z_][A-Za-z0-9_]*, at most " + MAX_NAME + " chars");
            }
            if (!names.add(name)) throw bad(t, "names {" + name + "} twice");
            return rest ? new CatchAll(name) : new Param(name);
        }
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (!isLiteralChar(c)) {
                String what = c == '%' ? "'%': write the literal decoded"
                        : c == '{' || c == '}' ? "a '" + c + "': a parameter is a whole segment"
                        : "the char U+" + String.format("%04X", (int) c);
                throw bad(t, "has " + what);
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= to || !Character.isLowSurrogate(t.charAt(i + 1))) throw bad(t, "has a lone surrogate");
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw bad(t, "has a lone surrogate");
            }
        }
        String text = t.substring(from, to);
        if (text.equals(".") || text.equals("..")) {
            throw bad(t, "has a dot segment: clients resolve them before sending (RFC 3986 5.2.4), no request would match");
        }
        return new Literal(text, text.getBytes(StandardCharsets.UTF_8));
    }

    /** pchar without pct-encoded (RFC 3986 §3.3), plus non-ASCII that is not a control. */
    private static boolean isLiteralChar(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') return true;
        if (c >= 0x80) return c > 0x9F;
        return "-._~!$&'()*+,;=:@".indexOf(c) >= 0;
    }

    private static boolean isName(String s) {
        if (s.isEmpty() || s.length() > MAX_NAME) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
            if (!letter && (i == 0 || c < '0' || c > '9')) return false;
        }
        return true;
    }

    private static IllegalArgumentException bad(String template, String why) {
        return new IllegalArgumentException("path template \"" + template + "\" " + why);
    }
}
