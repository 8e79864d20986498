package io.jepoll.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A strict reader of the access log's JSON lines, for tests: one flat object whose values are strings, integers
 * or null. Anything else (a raw control character in a string, an unknown escape, text after the object) fails, so
 * a line that reads back is well-formed JSON of the expected shape.
 */
final class FlatJson {
    private final String s;
    private int i;

    private FlatJson(String s) { this.s = s; }

    /** The object's members in order: String, Long or null values. */
    static Map<String, Object> parse(String line) {
        FlatJson p = new FlatJson(line);
        Map<String, Object> out = new LinkedHashMap<>();
        p.expect('{');
        do {
            String name = p.string();
            p.expect(':');
            if (out.put(name, p.value()) != null) throw new IllegalArgumentException("duplicate member " + name);
        } while (p.next(','));
        p.expect('}');
        if (p.i != line.length()) throw new IllegalArgumentException("text after the object at " + p.i + ": " + line);
        return out;
    }

    private Object value() {
        char c = s.charAt(i);
        if (c == '"') return string();
        if (s.startsWith("null", i)) {
            i += 4;
            return null;
        }
        int from = i;
        if (c == '-') i++;
        while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
        if (i == from) throw new IllegalArgumentException("no value at " + from + ": " + s);
        return Long.parseLong(s.substring(from, i));
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = s.charAt(i++);
            if (c == '"') return b.toString();
            if (c < 0x20) throw new IllegalArgumentException("raw control character " + (int) c + " at " + (i - 1));
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e + " at " + (i - 2));
            }
        }
    }

    private boolean next(char c) {
        if (i < s.length() && s.charAt(i) == c) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!next(c)) throw new IllegalArgumentException("expected '" + c + "' at " + i + ": " + s);
    }
}
