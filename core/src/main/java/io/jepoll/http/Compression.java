package io.jepoll.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.Deflater;

/**
 * Response compression: gzip (RFC 9110 §8.4.1.3) for the clients that accept it, applied by the server to
 * what the handler answered. {@code HttpServer.builder().compression(Compression.gzip())} turns it on.
 *
 * <pre>{@code
 * Compression.gzip()                       // level 6, bodies of 1 KiB or more
 * Compression.gzip().level(1).minSize(4096)
 * }</pre>
 *
 * <p>{@link #decide} says what happens to one response; every condition must hold for gzip:
 * <ul>
 *   <li>the body is bytes or streamed: a file response ({@link Response#file}) is left alone, it has
 *       precompressed siblings and sendfile (see StaticFiles);</li>
 *   <li>the status allows a body and is not 206 (a range of the identity form), and there is no
 *       Content-Range;</li>
 *   <li>no Content-Encoding yet (the handler encoded it itself), and no {@code Cache-Control: no-transform};</li>
 *   <li>the Content-Type is text ({@link #isCompressible}): already-compressed formats (images, video,
 *       archives, fonts, wasm) gain nothing and cost CPU;</li>
 *   <li>a fixed body has at least {@link #minSize} bytes (below, the 18 bytes of framing and the CPU
 *       outweigh the gain); a streamed body's length is unknown, so its type decides;</li>
 *   <li>the request is not HEAD, and its Accept-Encoding prefers gzip to identity with q &gt; 0, by name,
 *       as x-gzip, or through {@code *} ({@link AcceptEncoding#preferred}). No Accept-Encoding at all
 *       means identity, as every server does: a client that did not ask may not decode.</li>
 * </ul>
 * When all but the last hold, the answer depended on Accept-Encoding, so it says {@code Vary:
 * Accept-Encoding} whether it is compressed or not (unless Vary already covers it).
 *
 * <p>The gzip form ({@link #apply}): Content-Encoding gzip, Content-Length of the compressed bytes (a
 * streamed body stays chunked), a strong ETag made weak ({@code "x"} becomes {@code W/"x"}, as nginx does:
 * the compressed bytes are not the identity bytes, and a cache must never answer a range or a strong
 * comparison of one with the other), and no Accept-Ranges (ranges would be of the gzip form, which no
 * handler serves). A fixed body is compressed at once; when the result is not smaller, the identity
 * form is sent. A streamed body is compressed as its writer writes, on the writer's thread; the writer's
 * {@code flush()} becomes a sync flush, so what it flushed reaches the client decodable (server-sent
 * events stay live through gzip). A 304 is left as the handler made it: it has no body to code.
 *
 * @param level   deflate level, 1 (fastest) to 9 (smallest)
 * @param minSize fixed bodies shorter than this many bytes are sent as they are
 */
public record Compression(int level, int minSize) {

    /** The default level: see README ("Compression") for the measurements behind it. */
    public static final int DEFAULT_LEVEL = 6;

    /** The default smallest body worth compressing, in bytes (nginx's gzip_min_length is 20, Netty's 0, Apache's 68, many proxies 1 KiB). */
    public static final int DEFAULT_MIN_SIZE = 1024;

    private static final Compression DEFAULTS = new Compression(DEFAULT_LEVEL, DEFAULT_MIN_SIZE);
    private static final List<String> GZIP = List.of("gzip");

    /** What the server does with one response. */
    public enum Decision {
        /** Sent as the handler made it: compression does not apply, whatever the client accepts. */
        KEEP,
        /** Sent uncompressed with {@code Vary: Accept-Encoding}: another client would have had gzip. */
        VARY,
        /** Compressed, with {@code Vary: Accept-Encoding}. */
        GZIP
    }

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException when the level is not 1 to 9 or minSize is negative
     */
    public Compression {
        if (level < 1 || level > 9) throw new IllegalArgumentException("gzip level must be 1 to 9: " + level);
        if (minSize < 0) throw new IllegalArgumentException("minimum size must be >= 0: " + minSize);
    }

    /**
     * gzip at {@link #DEFAULT_LEVEL} for bodies of {@link #DEFAULT_MIN_SIZE} bytes or more.
     *
     * @return the defaults
     */
    public static Compression gzip() { return DEFAULTS; }

    /**
     * This setting with another deflate level.
     *
     * @param level 1 (fastest) to 9 (smallest); 6 is zlib's own default
     * @return a copy
     */
    public Compression level(int level) { return new Compression(level, minSize); }

    /**
     * This setting with another smallest body worth compressing.
     *
     * @param bytes fixed bodies shorter than this are sent as they are; 0 compresses every non-empty one
     * @return a copy
     */
    public Compression minSize(int bytes) { return new Compression(level, bytes); }

    /**
     * What to do with {@code r}, the answer to {@code req} (see the class comment).
     *
     * @param req the request, for its method and Accept-Encoding
     * @param r   the handler's response
     * @return the decision
     */
    public Decision decide(Request req, Response r) {
        if (!eligible(r)) return Decision.KEEP; // before reading the request: most responses stop here
        return forRequest(req.isMethod("HEAD"), joined(req.headers("Accept-Encoding")));
    }

    /**
     * What to do with {@code r}, for a request of that method and Accept-Encoding.
     *
     * @param head           the request is HEAD
     * @param acceptEncoding the request's Accept-Encoding, its lines joined with commas; null when absent
     * @param r              the handler's response
     * @return the decision
     */
    public Decision decide(boolean head, String acceptEncoding, Response r) {
        return eligible(r) ? forRequest(head, acceptEncoding) : Decision.KEEP;
    }

    /** The request's part, for a response some client would get compressed. */
    private static Decision forRequest(boolean head, String acceptEncoding) {
        if (head) return Decision.VARY; // the fields of a GET, which varies, but no body to code
        return AcceptEncoding.preferred(acceptEncoding, GZIP) != null ? Decision.GZIP : Decision.VARY;
    }

    /**
     * The response to send: {@code r} itself, {@code r} with Vary, or its gzip form (class comment). A
     * fixed body is compressed here, with a deflater from {@code deflaters} (none to be had: sent
     * uncompressed); a streamed body's writer takes one when it starts and gives it back when it ends,
     * well or not (none to be had: stored blocks, see {@link GzipStream}).
     *
     * @param req       the request
     * @param r         the handler's response
     * @param deflaters where deflaters of this setting's level come from
     * @return what to send
     */
    public Response apply(Request req, Response r, DeflaterPool deflaters) {
        switch (decide(req, r)) {
            case KEEP -> { return r; }
            case VARY -> { return vary(r); }
            case GZIP -> { }
        }
        if (r.isStreamed()) {
            BodyWriter writer = r.writer();
            return encoded(r, null, out -> writeGzip(writer, out, deflaters));
        }
        byte[] body = r.body();
        Deflater d = deflaters.take();
        if (d == null) return vary(r);
        byte[] gz;
        try {
            gz = Gzip.compress(d, body, 0, body.length);
        } finally {
            deflaters.give(d);
        }
        return gz.length < body.length ? encoded(r, gz, null) : vary(r);
    }

    /** On the writer's thread: the handler's writer writes into a gzip stream; the deflater always goes back. */
    private static void writeGzip(BodyWriter writer, OutputStream out, DeflaterPool deflaters) throws IOException {
        Deflater d = deflaters.take();
        try {
            GzipStream gz = new GzipStream(out, d);
            writer.writeTo(gz);
            gz.finish(); // idempotent: the writer may have closed it
        } finally {
            deflaters.give(d);
        }
    }

    /**
     * Whether a body of this Content-Type is worth compressing: {@code text/*}, JSON, JavaScript, XML
     * and SVG, that is {@code application/json}, {@code application/*+json}, {@code application/javascript},
     * {@code application/xml}, {@code application/*+xml} and {@code image/svg+xml}. Parameters (charset)
     * and ASCII case do not matter. Null is false.
     *
     * @param contentType a Content-Type value, or null
     * @return true for the types above
     */
    public static boolean isCompressible(String contentType) {
        if (contentType == null) return false;
        int semi = contentType.indexOf(';');
        int to = FieldChars.trimOwsEnd(contentType, 0, semi < 0 ? contentType.length() : semi);
        int from = FieldChars.skipOws(contentType, 0, to);
        int slash = contentType.indexOf('/', from);
        if (slash < 0 || slash >= to - 1) return false;
        int sub = slash + 1;
        if (FieldChars.regionEqualsLower(contentType, from, slash, "text")) return true;
        if (FieldChars.regionEqualsLower(contentType, from, slash, "image")) {
            return FieldChars.regionEqualsLower(contentType, sub, to, "svg+xml");
        }
        if (!FieldChars.regionEqualsLower(contentType, from, slash, "application")) return false;
        return FieldChars.regionEqualsLower(contentType, sub, to, "json")
                || FieldChars.regionEqualsLower(contentType, sub, to, "javascript")
                || FieldChars.regionEqualsLower(contentType, sub, to, "xml")
                || to - sub > 5 && FieldChars.regionEqualsLower(contentType, to - 5, to, "+json")
                || to - sub > 4 && FieldChars.regionEqualsLower(contentType, to - 4, to, "+xml");
    }

    /** Everything but the request's part of the decision: would some client get gzip? */
    private boolean eligible(Response r) {
        byte[] body = r.body();
        if (body == null && !r.isStreamed()) return false; // a file, or regions of one
        int status = r.status();
        if (Status.forbidsBody(status) || status == 206) return false;
        if (body != null && (body.length == 0 || body.length < minSize)) return false;
        String type = null;
        for (Response.Header h : r.headers()) {
            String name = h.name();
            if (name.equalsIgnoreCase("Content-Type")) type = h.value();
            else if (name.equalsIgnoreCase("Content-Encoding") || name.equalsIgnoreCase("Content-Range")) return false;
            else if (name.equalsIgnoreCase("Cache-Control") && h.value().toLowerCase(Locale.ROOT).contains("no-transform")) return false;
        }
        return isCompressible(type);
    }

    /** {@code r} with Accept-Encoding in its Vary (added to the first Vary field, or a new one), unless Vary covers it. */
    static Response vary(Response r) {
        List<Response.Header> fields = r.headers();
        int first = -1;
        for (int i = 0; i < fields.size(); i++) {
            Response.Header h = fields.get(i);
            if (!h.name().equalsIgnoreCase("Vary")) continue;
            if (varyCovers(h.value())) return r;
            if (first < 0) first = i;
        }
        List<Response.Header> out = new ArrayList<>(fields.size() + 1);
        out.addAll(fields);
        if (first < 0) {
            out.add(new Response.Header("Vary", "Accept-Encoding"));
        } else {
            Response.Header h = fields.get(first);
            String v = h.value().strip();
            out.set(first, new Response.Header(h.name(), v.isEmpty() ? "Accept-Encoding" : v + ", Accept-Encoding"));
        }
        return r.recoded(out, r.body(), r.writer());
    }

    /** The gzip form's fields around a new body: Vary, a weak ETag, no Accept-Ranges, Content-Encoding. */
    static Response encoded(Response r, byte[] body, BodyWriter writer) {
        List<Response.Header> varied = vary(r).headers();
        List<Response.Header> out = new ArrayList<>(varied.size() + 1);
        for (Response.Header h : varied) {
            if (h.name().equalsIgnoreCase("Accept-Ranges")) continue;
            if (h.name().equalsIgnoreCase("ETag") && h.value().startsWith("\"")) {
                out.add(new Response.Header(h.name(), "W/" + h.value()));
            } else {
                out.add(h);
            }
        }
        out.add(new Response.Header("Content-Encoding", "gzip"));
        return r.recoded(out, body, writer);
    }

    /** Whether a Vary value lists Accept-Encoding or is "*". */
    private static boolean varyCovers(String value) {
        int p = 0;
        int n = value.length();
        while (p <= n) {
            int comma = value.indexOf(',', p);
            int end = comma < 0 ? n : comma;
            int from = FieldChars.skipOws(value, p, end);
            int to = FieldChars.trimOwsEnd(value, from, end);
            if (FieldChars.regionEqualsLower(value, from, to, "accept-encoding") || FieldChars.regionEqualsLower(value, from, to, "*")) {
                return true;
            }
            p = end + 1;
        }
        return false;
    }

    /** Several field lines of a list are one list (RFC 9110 §5.3). */
    private static String joined(List<String> values) {
        return switch (values.size()) {
            case 0 -> null;
            case 1 -> values.get(0);
            default -> String.join(", ", values);
        };
    }
}
