package io.jepoll.http;

import io.jepoll.http.TestEncoder.Field;
import io.jepoll.http.TestEncoder.Framing;
import io.jepoll.http.TestEncoder.Spec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** Input generators for {@link RequestParserProperties}: valid requests as clients write them, splits, and noise. */
final class Generators {

    private static final String TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"};
    private static final List<String> FRAMING_NAMES = List.of("host", "content-length", "transfer-encoding", "expect");
    private static final String[] EXTENSIONS = {"", ";a", ";name=value", " ; x = \"q \\\" ;,\"", ";a;b=c;d=\"\"", "\t;\tk\t=\tv"};
    private static final String[] SOUP = {
        "GET", "POST", "OPTIONS", "CONNECT", " ", "  ", "/", "/a?b=c", "*", "http://h/", "h:1", "HTTP/1.1", "HTTP/1.0",
        "HTTP/2.0", "HTTP/1.", "\r\n", "\n", "\r", "\r\n\r\n", "Host: h", "Host:", "Content-Length: ", "Content-Length: 5",
        "Transfer-Encoding: chunked", "Transfer-Encoding: gzip, chunked", "Transfer-Encoding:", "Expect: 100-continue",
        "Expect: x", "Connection: close", ":", ";", "=", "\"", "\\", ",", "0", "1", "5", "a", "F", "10",
        "FFFFFFFFFFFFFFFFF", "\t", "\0", "\u00ff", "#", "x", "hello", "0\r\n\r\n", "5\r\nhello\r\n",
    };
    private static final byte[] INTERESTING = bytes("\r\n \t:;=\",\\#*/?0159aAfFgzZ\0\u007f\u0080\u00ff");

    private Generators() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---- valid requests

    /** One to five requests for one connection. */
    static List<Spec> specs(SplittableRandom r) {
        int n = 1 + r.nextInt(5);
        List<Spec> specs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            specs.add(spec(r));
        }
        return specs;
    }

    static Spec spec(SplittableRandom r) {
        String method = r.nextInt(4) == 0 ? token(r, 1, 8) : METHODS[r.nextInt(METHODS.length)];
        int minor = r.nextInt(5) == 0 ? 0 : 1;
        String target = switch (method) {
            case "CONNECT" -> hostName(r) + ".example:" + r.nextInt(65536);
            case "OPTIONS" -> r.nextBoolean() ? "*" : originForm(r);
            default -> r.nextInt(6) == 0 ? absoluteForm(r) : originForm(r);
        };
        List<Field> fields = new ArrayList<>();
        int count = r.nextInt(9);
        for (int i = 0; i < count; i++) {
            fields.add(new Field(fieldName(r), fieldValue(r)));
        }
        if (minor == 1 || r.nextBoolean()) {
            fields.add(r.nextInt(fields.size() + 1), new Field(r.nextBoolean() ? "Host" : "host", "example.com:" + r.nextInt(65536)));
        }
        Framing framing = switch (r.nextInt(3)) {
            case 0 -> Framing.NONE;
            case 1 -> Framing.LENGTH;
            default -> minor == 1 ? Framing.CHUNKED : Framing.LENGTH;
        };
        byte[] body = framing == Framing.NONE ? new byte[0] : randomBytes(r, r.nextInt(4) == 0 ? 0 : r.nextInt(300));
        List<Integer> chunkSizes = new ArrayList<>();
        for (int i = r.nextInt(10); i > 0; i--) {
            chunkSizes.add(1 + r.nextInt(r.nextBoolean() ? 5 : 120));
        }
        List<String> extensions = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            extensions.add(EXTENSIONS[r.nextInt(EXTENSIONS.length)]);
        }
        List<Field> trailers = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            trailers.add(new Field(fieldName(r), fieldValue(r)));
        }
        String ows = new String[] {"", "", " ", "\t", " \t "}[r.nextInt(5)];
        return new Spec(method, target, minor, fields, body, framing, chunkSizes, extensions, trailers,
                r.nextInt(5) == 0, ows, r.nextInt(8) == 0 ? 1 + r.nextInt(2) : 0, r.nextInt(4) == 0 ? 1 + r.nextInt(16) : 0);
    }

    static byte[] encodeAll(List<Spec> specs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Spec s : specs) {
            out.writeBytes(TestEncoder.encode(s));
        }
        return out.toByteArray();
    }

    /** How a stream is cut into reads: a few sizes used cyclically, mostly small, sometimes large. */
    static int[] readSizes(SplittableRandom r) {
        int[] sizes = new int[1 + r.nextInt(8)];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = switch (r.nextInt(4)) {
                case 0 -> 1;
                case 1 -> 1 + r.nextInt(8);
                case 2 -> 1 + r.nextInt(64);
                default -> 1 + r.nextInt(700);
            };
        }
        return sizes;
    }

    // ---- noise

    /** Bytes that are mostly not HTTP: uniform bytes, HTTP-ish token soup, or a valid stream with a few mutations. */
    static byte[] noise(SplittableRandom r) {
        return switch (r.nextInt(3)) {
            case 0 -> randomBytes(r, r.nextInt(400));
            case 1 -> soup(r);
            default -> mutate(r, encodeAll(specs(r)));
        };
    }

    static byte[] soup(SplittableRandom r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = r.nextInt(80); i > 0; i--) {
            out.writeBytes(bytes(SOUP[r.nextInt(SOUP.length)]));
        }
        return out.toByteArray();
    }

    static byte[] mutate(SplittableRandom r, byte[] valid) {
        byte[] b = valid;
        for (int m = 1 + r.nextInt(4); m > 0 && b.length > 0; m--) {
            int at = r.nextInt(b.length);
            byte x = r.nextBoolean() ? INTERESTING[r.nextInt(INTERESTING.length)] : (byte) r.nextInt(256);
            b = switch (r.nextInt(5)) {
                case 0 -> { // replace a byte
                    byte[] c = b.clone();
                    c[at] = x;
                    yield c;
                }
                case 1 -> { // insert a byte
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = x;
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    yield c;
                }
                case 2 -> remove(b, at, 1);
                case 3 -> { // duplicate a stretch
                    int len = 1 + r.nextInt(Math.min(40, b.length - at));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    yield c;
                }
                default -> Arrays.copyOf(b, at); // truncate
            };
        }
        return b;
    }

    /** Smaller versions of b: without a half, a quarter, ... down to single bytes, from each position. */
    static List<byte[]> shrinkBytes(byte[] b) {
        List<byte[]> out = new ArrayList<>();
        for (int len = Math.max(1, b.length / 2); ; len /= 2) {
            for (int at = 0; at + len <= b.length; at += len) {
                out.add(remove(b, at, len));
            }
            if (len == 1) {
                break;
            }
        }
        return out;
    }

    /** Smaller versions of a request list: one request fewer, one field fewer, a shorter body. */
    static List<List<Spec>> shrinkSpecs(List<Spec> specs) {
        List<List<Spec>> out = new ArrayList<>();
        for (int i = 0; i < specs.size() && specs.size() > 1; i++) {
            List<Spec> fewer = new ArrayList<>(specs);
            fewer.remove(i);
            out.add(fewer);
        }
        for (int i = 0; i < specs.size(); i++) {
            Spec s = specs.get(i);
            for (int f = 0; f < s.fields().size(); f++) {
                if (s.fields().get(f).name().equalsIgnoreCase("host")) {
                    continue; // without it the request is invalid: a different failure, not a smaller one
                }
                List<Field> fields = new ArrayList<>(s.fields());
                fields.remove(f);
                out.add(with(specs, i, new Spec(s.method(), s.target(), s.versionMinor(), fields, s.body(), s.framing(),
                        s.chunkSizes(), s.extensions(), s.trailers(), s.lf(), s.ows(), s.leading(), s.sizeWidth())));
            }
            if (s.body().length > 0) {
                out.add(with(specs, i, new Spec(s.method(), s.target(), s.versionMinor(), s.fields(),
                        Arrays.copyOf(s.body(), s.body().length / 2), s.framing(), s.chunkSizes(), s.extensions(),
                        s.trailers(), s.lf(), s.ows(), s.leading(), s.sizeWidth())));
            }
        }
        return out;
    }

    static String describe(byte[] b) {
        StringBuilder sb = new StringBuilder().append(b.length).append(" bytes \"");
        for (byte x : b) {
            int c = x & 0xFF;
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                default -> sb.append(c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c));
            }
        }
        return sb.append('"').toString();
    }

    // ---- parts

    private static String originForm(SplittableRandom r) {
        StringBuilder t = new StringBuilder("/");
        appendTargetChars(r, t, r.nextInt(30), "?");
        if (r.nextInt(3) == 0) {
            t.append('?');
            appendTargetChars(r, t, r.nextInt(30), "");
        }
        return t.toString();
    }

    private static String absoluteForm(SplittableRandom r) {
        String scheme = r.nextBoolean() ? "http://" : "HTTPS://";
        String path = r.nextBoolean() ? "" : originForm(r);
        return scheme + "example.com" + (r.nextBoolean() ? ":" + r.nextInt(65536) : "") + path;
    }

    /** Bytes a request-target may hold (VCHAR but '#'), without the ones in except. */
    private static void appendTargetChars(SplittableRandom r, StringBuilder t, int n, String except) {
        while (n > 0) {
            char c = (char) (0x21 + r.nextInt(0x7E - 0x21 + 1));
            if (c != '#' && except.indexOf(c) < 0) {
                t.append(c);
                n--;
            }
        }
    }

    private static String hostName(SplittableRandom r) {
        StringBuilder h = new StringBuilder();
        for (int n = 1 + r.nextInt(10); n > 0; n--) {
            h.append(TCHARS.charAt(TCHARS.length() - 62 + r.nextInt(62))); // letters and digits
        }
        return h.toString();
    }

    private static String token(SplittableRandom r, int min, int max) {
        StringBuilder t = new StringBuilder();
        for (int n = min + r.nextInt(max - min + 1); n > 0; n--) {
            t.append(TCHARS.charAt(r.nextInt(TCHARS.length())));
        }
        return t.toString();
    }

    private static String fieldName(SplittableRandom r) {
        String name;
        do {
            name = r.nextInt(3) == 0 ? new String[] {"Accept", "User-Agent", "Cookie", "X-Trace", "Connection"}[r.nextInt(5)]
                    : token(r, 1, 14);
        } while (FRAMING_NAMES.contains(name.toLowerCase(Locale.ROOT)));
        return name;
    }

    /** A field value with no leading or trailing OWS (the parser trims those): VCHAR, obs-text, inner SP/HTAB. */
    private static String fieldValue(SplittableRandom r) {
        int n = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(40);
        StringBuilder v = new StringBuilder();
        for (int i = 0; i < n; i++) {
            boolean edge = i == 0 || i == n - 1;
            int kind = r.nextInt(10);
            char c;
            if (!edge && kind == 0) {
                c = r.nextBoolean() ? ' ' : '\t';
            } else if (kind == 1) {
                c = (char) (0x80 + r.nextInt(0x80));
            } else {
                c = (char) (0x21 + r.nextInt(0x7E - 0x21 + 1));
            }
            v.append(c);
        }
        return v.toString();
    }

    private static byte[] randomBytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static byte[] remove(byte[] b, int at, int len) {
        byte[] c = new byte[b.length - len];
        System.arraycopy(b, 0, c, 0, at);
        System.arraycopy(b, at + len, c, at, b.length - at - len);
        return c;
    }

    private static List<Spec> with(List<Spec> specs, int i, Spec s) {
        List<Spec> copy = new ArrayList<>(specs);
        copy.set(i, s);
        return copy;
    }
}
