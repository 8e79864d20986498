package io.jepoll.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What a handler answers: a status, header fields and a body (bytes, text or streamed).
 * Immutable, so one instance can be returned for every request from every loop; its
 * constant part (status line, fields, Content-Length) is encoded once and reused.
 *
 * <pre>{@code
 * Response.ok("Hello")                                  // 200 text/plain
 * Response.of(404).withHeader("Cache-Control", "no-store")
 * Response.bytes(200, "application/json", json)
 * Response.stream(200, "text/plain", out -> out.write(...))
 * Response.file(path, info -> Response.fileParts(200, List.of(new FilePart.Region(0, info.size()))))
 * Response.json("{\"id\":7}")                           // 200 application/json
 * Response.created("/users/7"), Response.noContent(), Response.notFound(), Response.badRequest("no name\n")
 * Response.redirect(303, "/done").withCookie(SetCookie.builder("sid", id).httpOnly(true).build())
 * }</pre>
 * The server writes Date, Content-Length or Transfer-Encoding, and Connection itself.
 */
public final class Response {
    /**
     * A header field as given; name case is kept for the wire.
     *
     * @param name  the field name, a token (checked by {@link Response#withHeader})
     * @param value the field value, without CR or LF
     */
    public record Header(String name, String value) {}

    private static final byte[] EMPTY = new byte[0];

    private final int status;
    private final List<Header> headers;
    private final byte[] body;          // null when streamed or from a file
    private final BodyWriter writer;    // null unless streamed
    private final FileSource file;      // null unless the body is a file the server opens first
    private final List<FilePart> parts; // null unless the body is regions of an open file
    private volatile byte[] head;       // status line + fields (+ Content-Length), built on first use
    private volatile Whole whole;       // the whole keep-alive response for the current Date second

    /** A complete response for one Date line: identity of {@code date} tells whether it is still current. */
    private record Whole(byte[] date, byte[] bytes) {}

    /** A file to open, and what to answer once its facts are known. */
    private record FileSource(Path path, FileResponder responder) {}

    private Response(int status, List<Header> headers, byte[] body, BodyWriter writer, FileSource file, List<FilePart> parts) {
        if (status < 200 || status > 999) throw new IllegalArgumentException("status out of range [200, 999]: " + status);
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.writer = writer;
        this.file = file;
        this.parts = parts;
    }

    private Response(int status, List<Header> headers, byte[] body, BodyWriter writer) {
        this(status, headers, body, writer, null, null);
    }

    /**
     * 200 with a UTF-8 text body.
     *
     * @param text the body, sent as {@code text/plain; charset=utf-8}
     * @return the response
     */
    public static Response ok(String text) { return text(200, text); }

    /**
     * A status with an empty body.
     *
     * @param status 200 to 999 (1xx are the server's own business)
     * @return the response, with no header fields
     * @throws IllegalArgumentException when status is out of that range
     */
    public static Response of(int status) { return new Response(status, List.of(), EMPTY, null); }

    /**
     * A UTF-8 text body with any status.
     *
     * @param status 200 to 999
     * @param text   the body, sent as {@code text/plain; charset=utf-8}
     * @return the response
     */
    public static Response text(int status, String text) {
        return bytes(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * 201 with the new resource's URI in Location (RFC 9110 §15.3.2) and an empty body.
     *
     * @param location a URI reference of visible ASCII, as for {@link #redirect}
     * @return the response
     * @throws IllegalArgumentException when location is empty or has a space, a control or a non-ASCII char
     */
    public static Response created(String location) {
        return of(201).withHeader("Location", checkLocation(location));
    }

    /**
     * 204: no body at all (RFC 9110 §15.3.5); the server sends no Content-Length either.
     *
     * @return one shared instance
     */
    public static Response noContent() { return NO_CONTENT; }

    /**
     * 400 with a short text saying what was wrong.
     *
     * @param text the body, for the person reading the client's error; end it with a newline for curl
     * @return the response
     */
    public static Response badRequest(String text) { return text(400, text); }

    /**
     * 404 "Not Found".
     *
     * @return one shared instance, with a short text body
     */
    public static Response notFound() { return NOT_FOUND; }

    /**
     * A redirect to location with an empty body. Only the statuses that mean "go there" are accepted
     * (RFC 9110 §15.4): 301 and 308 permanent, 302 and 307 temporary, 303 "see other" (the client follows with
     * GET). 307 and 308 keep the method and body, 301 and 302 may lose them (§15.4.2-3), so 307/308 are the right
     * ones after a POST the target must see again. The location is a URI reference: visible ASCII only (encode the
     * rest), which also keeps CR and LF out of the field.
     *
     * @param status   301, 302, 303, 307 or 308
     * @param location where to go: a URI reference, absolute or relative to the request's
     * @return the response
     * @throws IllegalArgumentException for another status, or a location that is empty or not visible ASCII
     */
    public static Response redirect(int status, String location) {
        switch (status) {
            case 301, 302, 303, 307, 308 -> { }
            default -> throw new IllegalArgumentException("not a redirect status (301, 302, 303, 307, 308): " + status);
        }
        return of(status).withHeader("Location", checkLocation(location));
    }

    /**
     * 200 with a JSON body, sent as UTF-8 (RFC 8259 §8.1) with {@code Content-Type: application/json}: the type
     * defines no charset parameter (§11) and one would be ignored. The text is not checked to be JSON.
     *
     * @param json the body, already serialised
     * @return the response
     */
    public static Response json(String json) { return json(200, json); }

    /**
     * A JSON body with any status, as {@link #json(String)}.
     *
     * @param status 200 to 999
     * @param json   the body, already serialised; not null
     * @return the response
     */
    public static Response json(int status, String json) {
        if (json == null) throw new IllegalArgumentException("json is null");
        return bytes(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A body of bytes, used as given (not copied: do not change the array afterwards).
     *
     * @param status      200 to 999
     * @param contentType the Content-Type field value, or null to send none
     * @param body        the body; not null (use {@link #of} for an empty one)
     * @return the response
     */
    public static Response bytes(int status, String contentType, byte[] body) {
        if (body == null) throw new IllegalArgumentException("body is null");
        Response r = new Response(status, List.of(), body, null);
        return contentType == null ? r : r.withHeader("Content-Type", contentType);
    }

    /**
     * A streamed body of unknown length, produced by {@code writer} on a virtual thread.
     *
     * @param status      200 to 999
     * @param contentType the Content-Type field value, or null to send none
     * @param writer      writes the body; sent chunked on HTTP/1.1, until close on HTTP/1.0
     * @return the response
     */
    public static Response stream(int status, String contentType, BodyWriter writer) {
        if (writer == null) throw new IllegalArgumentException("writer is null");
        Response r = new Response(status, List.of(), null, writer);
        return contentType == null ? r : r.withHeader("Content-Type", contentType);
    }

    /**
     * A body from the file at {@code path}: the server opens it, then asks {@code responder}
     * for the response with the facts of the open file ({@link FileInfo}). A file that cannot
     * be opened is answered 404 (missing, not a regular file) or 500 by the server.
     *
     * @param path      the file to open, once the handler has returned
     * @param responder answers once the file is open; header fields of this response are added to its answer
     * @return the response
     */
    public static Response file(Path path, FileResponder responder) {
        if (path == null || responder == null) throw new IllegalArgumentException("path and responder are required");
        return new Response(200, List.of(), null, null, new FileSource(path, responder), null);
    }

    /**
     * For a {@link FileResponder}: a body made of regions of the open file and framing bytes,
     * sent in order; Content-Length is their sum.
     *
     * @param status 200 to 999, typically 200 or 206
     * @param parts  the regions and bytes, copied
     * @return the response
     */
    public static Response fileParts(int status, List<FilePart> parts) {
        if (parts == null) throw new IllegalArgumentException("parts is null");
        return new Response(status, List.of(), null, null, null, List.copyOf(parts));
    }

    /**
     * A copy with one more header field. Field syntax is checked here, not on the wire.
     *
     * @param name  a token; not Content-Length, Transfer-Encoding, Connection or Date, which the server sets
     * @param value the field value: Latin-1, no controls but HTAB, so no CR or LF
     * @return a new response; this one is unchanged
     * @throws IllegalArgumentException when the name or the value is invalid, or the field is the server's
     */
    public Response withHeader(String name, String value) {
        checkName(name);
        checkValue(name, value);
        String lower = name.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "content-length", "transfer-encoding", "connection", "date" ->
                    throw new IllegalArgumentException(name + " is set by the server");
            default -> { }
        }
        List<Header> more = new ArrayList<>(headers.size() + 1);
        more.addAll(headers);
        more.add(new Header(name, value));
        return new Response(status, Collections.unmodifiableList(more), body, writer, file, parts);
    }

    /**
     * A copy with other fields and body, for the engine's content coding ({@link Compression}): the fields
     * are this response's own, rearranged, so they are not checked again.
     */
    Response recoded(List<Header> fields, byte[] newBody, BodyWriter newWriter) {
        return new Response(status, Collections.unmodifiableList(fields), newBody, newWriter);
    }

    /**
     * A copy with one more Set-Cookie field; each call adds one (RFC 6265 §3: one cookie per field, never folded).
     *
     * @param cookie the cookie to set; not null
     * @return a new response; this one is unchanged
     */
    public Response withCookie(SetCookie cookie) {
        if (cookie == null) throw new IllegalArgumentException("cookie is null");
        return withHeader("Set-Cookie", cookie.headerValue());
    }

    /** {@return the status code, 200 to 999} */
    public int status() { return status; }

    /** {@return the header fields in the order added, unmodifiable; without those the server writes} */
    public List<Header> headers() { return headers; }

    /**
     * The first value of a field, or null.
     *
     * @param name the field name, matched case-insensitively
     * @return the value of the first field so named, or null when there is none
     */
    public String header(String name) {
        for (Header h : headers) if (h.name().equalsIgnoreCase(name)) return h.value();
        return null;
    }

    /** {@return the body bytes (not a copy), or null for a streamed or file response} */
    public byte[] body() { return body; }

    /** {@return true for {@link #file}: the server must open the file and ask {@link #fileResponder()}} */
    public boolean isFile() { return file != null; }

    /** {@return the file a {@link #file} response names, or null for any other} */
    public Path filePath() { return file == null ? null : file.path(); }

    /** {@return what answers once the file of a {@link #file} response is open, or null for any other} */
    public FileResponder fileResponder() { return file == null ? null : file.responder(); }

    /** {@return the parts of a {@link #fileParts} body, or null} */
    public List<FilePart> fileParts() { return parts; }

    /** {@return the body's length when it is known before sending (bytes or file parts), -1 otherwise} */
    public long contentLength() {
        if (body != null) return body.length;
        if (parts == null) return -1;
        long n = 0;
        for (FilePart p : parts) n += p.length();
        return n;
    }

    /** {@return true for a {@link #stream} response, whose length is not known until it ends} */
    public boolean isStreamed() { return writer != null; }

    /** {@return what writes a {@link #stream} body, or null for any other} */
    public BodyWriter writer() { return writer; }

    /** The constant part of the head, encoded once per Response. */
    byte[] head() {
        byte[] h = head;
        if (h == null) head = h = ResponseEncoder.encodeHead(this);
        return h;
    }

    /**
     * The whole response (head, Date, empty line, body) for the common case, a small body
     * on a keep-alive HTTP/1.1 connection: rebuilt once a second, then one array copy per
     * request. Null when the body is too large to be worth caching, or streamed.
     */
    byte[] whole(byte[] dateLine) {
        Whole w = whole;
        if (w != null && w.date == dateLine) return w.bytes;
        if (body == null || body.length >= ResponseEncoder.INLINE_BODY_MAX) return null;
        byte[] h = head();
        byte[] b = Status.forbidsBody(status) ? EMPTY : body;
        byte[] all = new byte[h.length + dateLine.length + 2 + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(dateLine, 0, all, h.length, dateLine.length);
        all[h.length + dateLine.length] = '\r';
        all[h.length + dateLine.length + 1] = '\n';
        System.arraycopy(b, 0, all, h.length + dateLine.length + 2, b.length);
        whole = new Whole(dateLine, all);
        return all;
    }

    private static final Response NO_CONTENT = of(204);
    private static final Response NOT_FOUND = text(404, "Not Found\n");

    private static String checkLocation(String location) {
        if (location == null || location.isEmpty()) throw new IllegalArgumentException("empty location");
        for (int i = 0; i < location.length(); i++) {
            char c = location.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                throw new IllegalArgumentException("location must be a URI reference of visible ASCII (percent-encode the rest): " + location);
            }
        }
        return location;
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("empty header name");
        for (int i = 0; i < name.length(); i++) {
            if (!Ascii.isToken(name.charAt(i))) throw new IllegalArgumentException("invalid header name: " + name);
        }
    }

    private static void checkValue(String name, String value) {
        if (value == null) throw new IllegalArgumentException("null value for " + name);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // CR or LF would let a value start a new field or a new response (response splitting).
            if (c > 0xFF || (c < 0x20 && c != '\t') || c == 0x7F) {
                throw new IllegalArgumentException("invalid character in value of " + name);
            }
        }
    }

    @Override
    public String toString() { return "Response[" + status + ", " + headers + "]"; }
}
