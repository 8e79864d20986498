package io.jepoll.http;

import java.nio.charset.StandardCharsets;

/** Complete requests parsed from text, for tests of what a handler reads from a {@link Request}. */
public final class Requests {
    private Requests() {
    }

    /** The request in raw (ISO-8859-1 bytes), which must be exactly one complete request. */
    public static Request parse(String raw) {
        return parse(raw, HttpLimits.defaults());
    }

    public static Request parse(String raw, HttpLimits limits) {
        byte[] b = raw.getBytes(StandardCharsets.ISO_8859_1);
        RequestParser parser = new RequestParser(limits);
        try {
            int n = parser.feed(b, 0, b.length);
            if (parser.event() == RequestParser.Event.HEAD_COMPLETE) n += parser.feed(b, n, b.length - n); // the body
            if (n != b.length || parser.event() != RequestParser.Event.REQUEST_COMPLETE) {
                throw new IllegalArgumentException("not one complete request: " + parser.event() + " after " + n);
            }
        } catch (HttpException e) {
            throw new IllegalArgumentException("refused: " + e, e);
        }
        return parser.request();
    }

    /** A GET of target with a Host field and the given extra field lines. */
    public static Request get(String target, String... fieldLines) {
        StringBuilder s = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: x\r\n");
        for (String f : fieldLines) s.append(f).append("\r\n");
        return parse(s.append("\r\n").toString());
    }

    /** A request with a body of Content-Type type. */
    public static Request withBody(String method, String target, String type, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return parse(method + " " + target + " HTTP/1.1\r\nHost: x\r\n"
                + (type == null ? "" : "Content-Type: " + type + "\r\n")
                + "Content-Length: " + bytes.length + "\r\n\r\n"
                + new String(bytes, StandardCharsets.ISO_8859_1));
    }
}
