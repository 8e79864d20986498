package io.jepoll.http;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One parsed request: offsets into the bytes that hold its head, plus the body.
 *
 * <p>The parser reuses one instance per connection, so nothing is allocated to parse a request; Strings are made
 * only when asked for, then cached until the next request. The head bytes may be the caller's read buffer (see
 * {@link RequestParser}), which is why a handler that keeps a request past its own return, or hands it to another
 * thread, takes a {@link #copy()}.
 *
 * <p>Field values are decoded as ISO-8859-1: every byte becomes one char, so obs-text is kept as sent
 * ({@code value.getBytes(ISO_8859_1)} gives back the bytes) rather than guessed at (RFC 9110 §5.5).
 */
public final class Request {

    // Methods named in RFC 9110 §9 and RFC 5789: returned as these constants, so method() allocates nothing for them.
    private static final String[] KNOWN_METHODS = {
        "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"
    };
    private static final int INITIAL_FIELDS = 16;
    private static final String NO_CONTENT_TYPE = new String("none"); // contentType() absent; compared by identity

    // Written by the parser. Offsets are into head; fields holds nameStart, nameEnd, valueStart, valueEnd per field.
    byte[] head;
    int headEnd;
    int methodStart, methodEnd, targetStart, targetEnd, lineEnd;
    int pathStart, pathEnd, queryStart = -1, queryEnd;
    int versionMinor;
    int[] fields;
    int fieldCount;
    boolean keepAlive, expectContinue, chunked;
    long contentLength = -1;
    byte[] body = BodyBuffer.EMPTY;
    int pathOffset;      // raw path chars a mount has taken off the front (RouteTree); 0 when none
    PathParams params;   // bound by a route (RouteTree); made on first use, kept across requests

    private String method, target, path, query, bodyText;
    private FormData queryData, formData; // parsed on first use
    private CookieHeader cookies;          // parsed on first use
    private String contentType;            // media type, made on first use; NO_CONTENT_TYPE when there is none
    private InetSocketAddress remoteAddress;
    private AddressSource addressSource;   // asked on the first remoteAddress(); null once asked, or when none
    private String[] fieldStrings; // name, value per field; made on first use, kept across requests like fields

    Request() {
        this(INITIAL_FIELDS);
    }

    private Request(int fieldCapacity) {
        fields = new int[fieldCapacity * 4];
    }

    /** {@return the method, case-sensitive; the standard ones are returned as constants, without allocating} */
    public String method() {
        requireParsed();
        if (method == null) {
            for (String m : KNOWN_METHODS) {
                if (Ascii.equals(head, methodStart, methodEnd, m)) {
                    return method = m;
                }
            }
            method = latin1(methodStart, methodEnd);
        }
        return method;
    }

    /**
     * Whether the method is exactly m (methods are case-sensitive, RFC 9110 §9.1); allocates nothing.
     *
     * @param m a method name such as "POST"
     * @return true when the request's method is m, char for char
     */
    public boolean isMethod(String m) {
        requireParsed();
        return Ascii.equals(head, methodStart, methodEnd, m);
    }

    /** {@return the request-target as sent: path and query, not decoded} */
    public String target() {
        requireParsed();
        if (target == null) {
            target = latin1(targetStart, targetEnd);
        }
        return target;
    }

    /**
     * The raw path (not percent-decoded): for origin-form up to '?'; for absolute-form the path part, "/" when empty;
     * "*" for asterisk-form; the authority for CONNECT.
     *
     * @return the path after what mounts took off ({@link #pathOffset()}); "/" when they took all of it
     */
    public String path() {
        requireParsed();
        if (path == null) {
            int from = pathStart + pathOffset;
            path = from == pathEnd ? "/" : latin1(from, pathEnd);
        }
        return path;
    }

    /**
     * Whether {@link #path()} is exactly {@code p} (raw, case-sensitive), compared in place: nothing is allocated,
     * so the engine can test every request against its health path at no cost.
     *
     * @param p the raw path to compare with
     * @return true when the path, as {@link #path()} would return it, equals {@code p}
     */
    public boolean isPath(String p) {
        requireParsed();
        int from = pathStart + pathOffset;
        return from == pathEnd ? p.equals("/") : Ascii.equals(head, from, pathEnd, p);
    }

    /**
     * The value of path parameter name of the route that matched ({@code /users/{id}}: {@code pathParam("id")}),
     * percent-decoded as UTF-8, or null when the route has no such parameter or no route matched.
     *
     * @param name the parameter's name in the template, without braces
     * @return the decoded value, or null
     */
    public String pathParam(String name) {
        return params == null ? null : params.get(name);
    }

    /** {@return every path parameter of the route that matched, name to decoded value, in template order; empty when none} */
    public Map<String, String> pathParams() {
        return params == null ? Map.of() : params.asMap();
    }

    /**
     * The raw start of the path that mounts took off (see {@link #pathOffset()}): {@code "/assets"} for a handler
     * mounted there and asked for {@code /assets/app.js}, whose {@link #path()} is {@code /app.js}; "" when none.
     * A mounted handler puts it in front of the absolute paths it sends back (a Location, a link).
     *
     * @return the raw prefix, not decoded; "" when no mount took any
     */
    public String basePath() {
        requireParsed();
        return pathOffset == 0 ? "" : latin1(pathStart, pathStart + pathOffset);
    }

    /** {@return how many raw chars at the start of the path are hidden from {@link #path()} by mounts; 0 when none} */
    public int pathOffset() {
        return pathOffset;
    }

    /**
     * Hides the first n raw chars of the path from {@link #path()}, for a handler that hands requests under a
     * prefix to another one (a router's mount), and puts it back afterwards with the value it found. The request
     * itself is not copied or changed otherwise.
     *
     * @param n raw chars of the path to hide, counted from its start (not from the current offset)
     * @throws IllegalArgumentException unless n is 0, the path's length, or the index of one of its '/'s
     */
    public void pathOffset(int n) {
        requireParsed();
        int length = pathEnd - pathStart;
        if (n < 0 || n > length || (n > 0 && n < length && head[pathStart + n] != '/')) {
            throw new IllegalArgumentException("offset " + n + " does not end a segment of " + latin1(pathStart, pathEnd));
        }
        if (n != pathOffset) {
            pathOffset = n;
            path = null;
        }
    }

    /** {@return the raw query after '?', not decoded; "" for a bare '?', null when the target has no '?'} */
    public String query() {
        requireParsed();
        if (query == null && queryStart >= 0) {
            query = latin1(queryStart, queryEnd);
        }
        return query;
    }

    /** {@return 0 or 1, the minor version of HTTP/1.x (HTTP/1.2 to HTTP/1.9 are served as HTTP/1.1)} */
    public int versionMinor() {
        return versionMinor;
    }

    /**
     * The first value of a field; several fields of one name are not joined (see {@link #headers}).
     *
     * @param name the field name, matched case-insensitively
     * @return the value, OWS-trimmed, or null when the request has no such field
     */
    public String header(String name) {
        for (int f = 0; f < fieldCount; f++) {
            if (nameIs(f, name)) {
                return headerValue(f);
            }
        }
        return null;
    }

    /**
     * Every field of a name, for fields that may come more than once; values are not split on commas.
     *
     * @param name the field name, matched case-insensitively
     * @return the values, OWS-trimmed, in the order received; an empty list when there is none
     */
    public List<String> headers(String name) {
        List<String> values = null;
        for (int f = 0; f < fieldCount; f++) {
            if (nameIs(f, name)) {
                if (values == null) {
                    values = new ArrayList<>(2);
                }
                values.add(headerValue(f));
            }
        }
        return values == null ? List.of() : Collections.unmodifiableList(values);
    }

    /** {@return how many header fields the request has, for {@link #headerName} and {@link #headerValue}} */
    public int headerCount() {
        return fieldCount;
    }

    /**
     * The name of field i as sent (original case).
     *
     * @param i 0 to {@link #headerCount()} - 1, in the order received
     * @return the name
     * @throws IndexOutOfBoundsException when i is out of that range
     */
    public String headerName(int i) {
        return fieldString(Objects.checkIndex(i, fieldCount), 0);
    }

    /**
     * The value of field i.
     *
     * @param i 0 to {@link #headerCount()} - 1, in the order received
     * @return the value, OWS-trimmed
     * @throws IndexOutOfBoundsException when i is out of that range
     */
    public String headerValue(int i) {
        return fieldString(Objects.checkIndex(i, fieldCount), 1);
    }

    /**
     * RFC 9112 §9.3: an HTTP/1.1 connection persists unless a Connection field has the "close" option; an HTTP/1.0
     * one only with "keep-alive" (and no "close").
     *
     * @return true when the client asked to keep the connection open after this exchange
     */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** {@return true for Expect: 100-continue on an HTTP/1.1 request (RFC 9110 §10.1.1 has HTTP/1.0 ones ignored)} */
    public boolean expectContinue() {
        return expectContinue;
    }

    /** {@return the declared Content-Length in bytes, or -1 when there is none or the body is chunked} */
    public long contentLength() {
        return contentLength;
    }

    /** {@return true when the body comes in chunks (Transfer-Encoding: chunked), its length unknown until the end} */
    public boolean chunked() {
        return chunked;
    }

    /** {@return true when the request declares a body: a Content-Length above 0, or chunked (which may be empty)} */
    public boolean hasBody() {
        return contentLength > 0 || chunked;
    }

    /** {@return the whole body (a shared empty array when there is none, so do not write to it); complete after REQUEST_COMPLETE} */
    public byte[] body() {
        return body;
    }

    /** {@return the body decoded as UTF-8, malformed bytes replaced; "" when there is none} */
    public String bodyText() {
        if (bodyText == null) {
            bodyText = body.length == 0 ? "" : new String(body, StandardCharsets.UTF_8);
        }
        return bodyText;
    }

    /**
     * The first value of query parameter name, decoded ('+' is a space, then percent-decoding as UTF-8), or null.
     * The query is read as {@code application/x-www-form-urlencoded} (see {@link FormData} for the rules and the
     * bound of {@value FormData#MAX_PAIRS} pairs); {@code ?a} gives a = "" and {@code ?a=1&a=2} gives a = "1".
     *
     * @param name the parameter's name, decoded (matched after decoding the query's names)
     * @return the decoded value, or null when there is no such parameter
     */
    public String queryParam(String name) {
        return queryData().first(name);
    }

    /**
     * Every value of a query parameter, as {@link #queryParam} decodes them.
     *
     * @param name the parameter's name, decoded
     * @return the values in order; an empty list when there is none
     */
    public List<String> queryParams(String name) {
        return queryData().all(name);
    }

    /**
     * The first value of a field of an {@code application/x-www-form-urlencoded} body, decoded as a query is, or
     * null; always null when the Content-Type is another one (a JSON or multipart body has no form fields).
     *
     * @param name the field's name, decoded
     * @return the decoded value, or null
     */
    public String formParam(String name) {
        return formData().first(name);
    }

    /**
     * Every value of a form field, as {@link #formParam} decodes them.
     *
     * @param name the field's name, decoded
     * @return the values in order; an empty list when there is none (or the body is not a form)
     */
    public List<String> formParams(String name) {
        return formData().all(name);
    }

    /**
     * The value of the cookie called name from the Cookie field(s) (RFC 6265 §4.2), without surrounding DQUOTEs
     * and not decoded, or null; names are case-sensitive. See {@link CookieHeader} for the tolerance and the bound
     * of {@value CookieHeader#MAX_COOKIES} cookies.
     *
     * @param name the cookie's name, case-sensitive
     * @return the value as sent, or null when there is no such cookie
     */
    public String cookie(String name) {
        if (cookies == null) {
            List<String> fields = headers("Cookie");
            cookies = fields.isEmpty() ? CookieHeader.EMPTY : CookieHeader.parse(fields);
        }
        return cookies.get(name);
    }

    /**
     * The media type of the Content-Type field, lower-cased, without parameters ({@code "application/json"} for
     * {@code Application/JSON; charset=utf-8}; RFC 9110 §8.3.1 makes type and subtype case-insensitive), or null
     * when there is none. {@code header("Content-Type")} gives the field as sent.
     *
     * @return the media type, or null
     */
    public String contentType() {
        if (contentType == null) {
            String v = header("Content-Type");
            if (v == null) {
                contentType = NO_CONTENT_TYPE;
            } else {
                int semi = v.indexOf(';');
                int end = FieldChars.trimOwsEnd(v, 0, semi < 0 ? v.length() : semi);
                contentType = end == 0 ? NO_CONTENT_TYPE : FieldChars.lowerAscii(v, 0, end);
            }
        }
        return contentType == NO_CONTENT_TYPE ? null : contentType;
    }

    /**
     * The address of the client: the connection's peer, or, behind a load balancer speaking the PROXY protocol,
     * the address its header carried. Null only when the engine could not tell (the connection is gone).
     *
     * <p>An engine may leave the lookup to the first call ({@link #remoteAddressFrom}): a handler that never asks
     * costs no system call.
     *
     * @return the client's address and port, or null
     */
    public InetSocketAddress remoteAddress() {
        if (remoteAddress == null && addressSource != null) {
            remoteAddress = addressSource.remoteAddress();
            addressSource = null;
        }
        return remoteAddress;
    }

    /**
     * Records the client's address for this request: for engines, before the handler runs.
     *
     * @param address the client's address
     */
    public void remoteAddress(InetSocketAddress address) {
        this.remoteAddress = address;
        this.addressSource = null;
    }

    /**
     * Lets the engine look the client's address up only if {@link #remoteAddress()} is called. The source is
     * asked at most once per request, on the thread that asks; it is asked at the latest when the request stops
     * viewing the engine's buffers ({@link #copy()}, {@link RequestParser#retainRequest()}), so a source needs to
     * stay valid only while the engine owns the exchange.
     *
     * @param source where the address comes from
     */
    public void remoteAddressFrom(AddressSource source) {
        this.remoteAddress = null;
        this.addressSource = source;
    }

    /** Where an engine finds a request's client address when it is first asked for ({@link #remoteAddressFrom}). */
    @FunctionalInterface
    public interface AddressSource {
        /**
         * Looks the client's address up.
         *
         * @return the address, or null when it cannot be known any more
         */
        InetSocketAddress remoteAddress();
    }

    /**
     * Whether a head is in place: the request line and the fields can be read. True from HEAD_COMPLETE (or
     * REQUEST_COMPLETE) until the next request, and for a head the parser refused once it was complete (a bad
     * Content-Length, a missing Host); false before the first request, between requests, and when the request line
     * or the fields themselves were refused.
     *
     * @return true when the request line and the fields can be read
     */
    public boolean isParsed() {
        return head != null;
    }

    /**
     * A detached deep copy that owns all its bytes: safe to keep after the handler returns or to use on another thread.
     *
     * @return the copy; this request is unchanged
     * @throws IllegalStateException when no request is parsed ({@link #isParsed()} is false)
     */
    public Request copy() {
        requireParsed();
        Request c = new Request(0);
        int from = methodStart;
        c.head = Arrays.copyOfRange(head, from, headEnd);
        c.headEnd = headEnd;
        c.methodStart = methodStart;
        c.methodEnd = methodEnd;
        c.targetStart = targetStart;
        c.targetEnd = targetEnd;
        c.lineEnd = lineEnd;
        c.pathStart = pathStart;
        c.pathEnd = pathEnd;
        c.queryStart = queryStart;
        c.queryEnd = queryEnd;
        c.fields = Arrays.copyOf(fields, fieldCount * 4);
        c.fieldCount = fieldCount;
        c.rebase(-from);
        c.versionMinor = versionMinor;
        c.keepAlive = keepAlive;
        c.expectContinue = expectContinue;
        c.chunked = chunked;
        c.contentLength = contentLength;
        c.body = body.length == 0 ? BodyBuffer.EMPTY : body.clone();
        // Strings are immutable: the copy may share the ones already made.
        c.method = method;
        c.target = target;
        c.path = path;
        c.query = query;
        c.bodyText = bodyText;
        c.queryData = queryData;
        c.formData = formData;
        c.cookies = cookies;
        c.contentType = contentType;
        c.remoteAddress = remoteAddress(); // the copy may outlive the source
        c.pathOffset = pathOffset;
        c.params = params == null ? null : params.copy();
        return c;
    }

    /** The request line, for logs. */
    @Override
    public String toString() {
        return head == null ? "Request[none]" : latin1(methodStart, lineEnd);
    }

    // ---- used by the parser ----

    void addField(int nameStart, int nameEnd, int valueStart, int valueEnd) {
        int k = fieldCount * 4;
        if (k == fields.length) {
            fields = Arrays.copyOf(fields, Math.max(16, k * 2));
        }
        fields[k] = nameStart;
        fields[k + 1] = nameEnd;
        fields[k + 2] = valueStart;
        fields[k + 3] = valueEnd;
        fieldCount++;
    }

    /** Copies the head into an array of its own, so it no longer views a buffer someone else will reuse. */
    void ownHead() {
        if (head == null) return;
        if (params != null) params.materialize(); // its values point into the head that is about to move
        remoteAddress(); // the request may leave the engine's thread: its source need not go with it
        int from = methodStart;
        head = Arrays.copyOfRange(head, from, headEnd);
        rebase(-from);
    }

    /** Moves every offset by shift: the head bytes were copied to another array. */
    void rebase(int shift) {
        headEnd += shift;
        methodStart += shift;
        methodEnd += shift;
        targetStart += shift;
        targetEnd += shift;
        lineEnd += shift;
        pathStart += shift;
        pathEnd += shift;
        if (queryStart >= 0) {
            queryStart += shift;
        }
        queryEnd += shift;
        for (int k = 0, n = fieldCount * 4; k < n; k++) {
            fields[k] += shift;
        }
    }

    /** Forgets the request but keeps the offset arrays, so the next request on the connection allocates nothing. */
    void clear() {
        if (fieldStrings != null) {
            Arrays.fill(fieldStrings, 0, Math.min(fieldStrings.length, fieldCount * 2), null);
        }
        head = null;
        headEnd = methodStart = methodEnd = targetStart = targetEnd = lineEnd = 0;
        pathStart = pathEnd = queryEnd = 0;
        queryStart = -1;
        versionMinor = 0;
        fieldCount = 0;
        keepAlive = expectContinue = chunked = false;
        contentLength = -1;
        body = BodyBuffer.EMPTY;
        method = target = path = query = bodyText = null;
        queryData = formData = null;
        cookies = null;
        contentType = null;
        remoteAddress = null;
        addressSource = null;
        pathOffset = 0;
        if (params != null) params.clear();
    }

    int[] pathParamBounds(int count) {
        if (params == null) params = new PathParams();
        return params.bounds(count);
    }

    void bindPathParams(String[] names, int[] bounds, boolean catchAll, byte[] b) {
        params.bind(names, bounds, catchAll, b);
    }

    private FormData queryData() {
        if (queryData == null) {
            requireParsed();
            queryData = queryStart < 0 || queryStart == queryEnd ? FormData.EMPTY : FormData.parse(head, queryStart, queryEnd);
        }
        return queryData;
    }

    private FormData formData() {
        if (formData == null) {
            formData = body.length == 0 || !"application/x-www-form-urlencoded".equals(contentType())
                    ? FormData.EMPTY : FormData.parse(body, 0, body.length);
        }
        return formData;
    }

    private boolean nameIs(int f, String name) {
        int k = f * 4;
        return Ascii.equalsIgnoreCase(head, fields[k], fields[k + 1], name);
    }

    private String fieldString(int f, int which) {
        int slot = f * 2 + which;
        if (fieldStrings == null || fieldStrings.length <= slot) {
            String[] grown = new String[fields.length / 2];
            if (fieldStrings != null) {
                System.arraycopy(fieldStrings, 0, grown, 0, fieldStrings.length);
            }
            fieldStrings = grown;
        }
        String s = fieldStrings[slot];
        if (s == null) {
            int k = f * 4 + which * 2;
            s = fieldStrings[slot] = latin1(fields[k], fields[k + 1]);
        }
        return s;
    }

    private String latin1(int from, int to) {
        return new String(head, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private void requireParsed() {
        if (head == null) {
            throw new IllegalStateException("no request parsed yet");
        }
    }
}
