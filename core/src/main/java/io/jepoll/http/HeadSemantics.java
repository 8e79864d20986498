package io.jepoll.http;

/**
 * What a complete head means: the form of the request-target (RFC 9112 §3.2) and the fields that decide framing and
 * connection handling: Host (§3.2), Content-Length and Transfer-Encoding (§6), Connection (§9.3), Expect (RFC 9110
 * §10.1.1).
 *
 * <p>It runs once per request over the offsets the scanner recorded, with the head contiguous in one array, so it
 * may look back freely. Only the few fields it cares about are examined, and only after a cheap length test on the
 * name; it allocates nothing.
 */
final class HeadSemantics {

    /** RFC 9112 does not bound Content-Length; 2^62 keeps every sum of sizes far from overflow. */
    static final long MAX_CONTENT_LENGTH = 1L << 62;

    private static final int CLOSE = 1, KEEP_ALIVE = 2;

    private HeadSemantics() {
    }

    /** Checks the head of r and sets its target parts and framing; maxBody is the effective body limit. */
    static void apply(Request r, long maxBody) throws HttpException {
        byte[] a = r.head;
        classifyTarget(r, a);

        int hosts = 0;
        int transferEncodings = 0;
        int connection = 0;
        long contentLength = -1;
        boolean expectContinue = false;
        boolean expectOther = false;
        int[] fields = r.fields;
        for (int f = 0, n = r.fieldCount; f < n; f++) {
            int k = f * 4;
            int ns = fields[k], ne = fields[k + 1], vs = fields[k + 2];
            int ve = Ascii.trimOws(a, vs, fields[k + 3]);
            fields[k + 3] = ve;
            switch (ne - ns) {
                case 4 -> {
                    if (Ascii.equalsIgnoreCase(a, ns, ne, "host")) {
                        hosts++;
                        checkHost(a, vs, ve);
                    }
                }
                case 6 -> {
                    if (Ascii.equalsIgnoreCase(a, ns, ne, "expect")) {
                        if (isContinue(a, vs, ve)) {
                            expectContinue = true;
                        } else {
                            expectOther = true;
                        }
                    }
                }
                case 10 -> {
                    if (Ascii.equalsIgnoreCase(a, ns, ne, "connection")) {
                        connection |= connectionOptions(a, vs, ve);
                    }
                }
                case 14 -> {
                    if (Ascii.equalsIgnoreCase(a, ns, ne, "content-length")) {
                        long v = contentLength(a, vs, ve);
                        if (contentLength >= 0 && v != contentLength) {
                            throw bad("conflicting Content-Length values");
                        }
                        contentLength = v;
                    }
                }
                case 17 -> {
                    if (Ascii.equalsIgnoreCase(a, ns, ne, "transfer-encoding")) {
                        transferEncodings++;
                    }
                }
                default -> {
                }
            }
        }

        boolean http11 = r.versionMinor >= 1;
        if (hosts > 1) {
            throw bad("more than one Host field");
        }
        if (hosts == 0 && http11) {
            throw bad("missing Host field");
        }
        if (transferEncodings > 0) {
            // A request smuggling vector when intermediaries disagree: refuse every ambiguous combination.
            if (!http11) {
                throw bad("Transfer-Encoding in an HTTP/1.0 request");
            }
            if (contentLength >= 0) {
                throw bad("both Content-Length and Transfer-Encoding");
            }
            checkTransferCodings(r, a);
            r.chunked = true;
            r.contentLength = -1;
        } else {
            if (contentLength > maxBody) {
                throw new HttpException(413, "content too large");
            }
            r.chunked = false;
            r.contentLength = contentLength;
        }
        if (expectOther) {
            throw new HttpException(417, "unsupported expectation");
        }
        r.expectContinue = expectContinue && http11;
        r.keepAlive = (connection & CLOSE) == 0 && (http11 || (connection & KEEP_ALIVE) != 0);
    }

    /** RFC 9112 §3.2: origin-form, absolute-form, authority-form only for CONNECT, asterisk-form only for OPTIONS. */
    private static void classifyTarget(Request r, byte[] a) throws HttpException {
        int ts = r.targetStart, te = r.targetEnd;
        r.queryStart = -1;
        r.queryEnd = te;
        if (Ascii.equals(a, r.methodStart, r.methodEnd, "CONNECT")) {
            checkAuthorityForm(a, ts, te);
            r.pathStart = ts;
            r.pathEnd = te;
            return;
        }
        if (a[ts] == '/') {
            splitPathQuery(r, a, ts, te);
            return;
        }
        if (te - ts == 1 && a[ts] == '*') {
            if (!Ascii.equals(a, r.methodStart, r.methodEnd, "OPTIONS")) {
                throw bad("asterisk-form request-target is only for OPTIONS");
            }
            r.pathStart = ts;
            r.pathEnd = te;
            return;
        }
        int authority = authorityStart(a, ts, te);
        if (authority < 0) {
            throw bad("invalid request-target");
        }
        int p = authority;
        while (p < te && a[p] != '/' && a[p] != '?') {
            if (a[p] == '@') {
                // RFC 9110 §4.2.4: userinfo in an http(s) target is to be treated as an error
                throw bad("userinfo in request-target");
            }
            p++;
        }
        if (p == authority) {
            throw bad("empty host in request-target"); // RFC 9110 §4.2.1
        }
        splitPathQuery(r, a, p, te); // an empty path reads as "/"
    }

    /** Index just past "http://" or "https://" (scheme case-insensitive) at ts, or -1. */
    private static int authorityStart(byte[] a, int ts, int te) {
        if (te - ts > 7 && Ascii.equalsIgnoreCase(a, ts, ts + 7, "http://")) {
            return ts + 7;
        }
        if (te - ts > 8 && Ascii.equalsIgnoreCase(a, ts, ts + 8, "https://")) {
            return ts + 8;
        }
        return -1;
    }

    private static void splitPathQuery(Request r, byte[] a, int from, int te) {
        int q = from;
        while (q < te && a[q] != '?') {
            q++;
        }
        r.pathStart = from;
        r.pathEnd = q;
        if (q < te) {
            r.queryStart = q + 1;
        }
    }

    /** RFC 9112 §3.2.3: uri-host ":" port. */
    private static void checkAuthorityForm(byte[] a, int ts, int te) throws HttpException {
        int colon = -1;
        for (int p = ts; p < te; p++) {
            byte b = a[p];
            if (b == '/' || b == '?' || b == '@') {
                throw bad("CONNECT needs an authority-form request-target");
            }
            if (b == ':') {
                colon = p;
            }
        }
        int digits = te - colon - 1;
        if (colon <= ts || digits < 1 || digits > 5) {
            throw bad("CONNECT needs an authority-form request-target");
        }
        int port = 0;
        for (int p = colon + 1; p < te; p++) {
            int d = a[p] - '0';
            if (d < 0 || d > 9) {
                throw bad("invalid port in CONNECT request-target");
            }
            port = port * 10 + d;
        }
        if (port > 65535) {
            throw bad("invalid port in CONNECT request-target");
        }
    }

    /**
     * RFC 9112 §3.2: a Host value must be uri-host [":" port] (RFC 3986 §3.2.2: IP-literal, or reg-name, which also
     * covers IPv4address; port = *DIGIT); any other value gets 400. An empty value is valid (no authority).
     */
    private static void checkHost(byte[] a, int vs, int ve) throws HttpException {
        int p = vs;
        if (p < ve && a[p] == '[') { // IP-literal = "[" ( IPv6address / IPvFuture ) "]"
            int close = ++p;
            while (close < ve && a[close] != ']') {
                if (!isHostChar(a[close]) && a[close] != ':' && a[close] != '%') { // '%': RFC 6874 zone ID
                    throw bad("invalid Host");
                }
                close++;
            }
            if (close == ve || close == p) {
                throw bad("invalid Host");
            }
            p = close + 1;
        } else { // reg-name = *( unreserved / pct-encoded / sub-delims )
            while (p < ve && a[p] != ':') {
                if (a[p] == '%') {
                    if (ve - p < 3 || Ascii.hexValue(a[p + 1]) < 0 || Ascii.hexValue(a[p + 2]) < 0) {
                        throw bad("invalid Host");
                    }
                    p += 3;
                } else if (isHostChar(a[p])) {
                    p++;
                } else {
                    throw bad("invalid Host");
                }
            }
        }
        if (p < ve) {
            if (a[p] != ':') {
                throw bad("invalid Host");
            }
            for (p++; p < ve; p++) {
                if (a[p] < '0' || a[p] > '9') {
                    throw bad("invalid port in Host");
                }
            }
        }
    }

    /** RFC 3986 unreserved / sub-delims: ALPHA DIGIT "-" "." "_" "~" "!" "$" "&amp;" "'" "(" ")" "*" "+" "," ";" "=". */
    private static boolean isHostChar(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || "-._~!$&'()*+,;=".indexOf(b) >= 0;
    }

    /** RFC 9110 §8.6: 1*DIGIT; a list of equal values counts as one value. */
    private static long contentLength(byte[] a, int vs, int ve) throws HttpException {
        long value = -1;
        for (int p = vs; ; ) {
            int e = Ascii.elementEnd(a, p, ve);
            int s = Ascii.skipOws(a, p, e), t = Ascii.trimOws(a, s, e);
            if (s == t) {
                throw bad("empty Content-Length");
            }
            long v = 0;
            for (int k = s; k < t; k++) {
                int d = a[k] - '0';
                if (d < 0 || d > 9) {
                    throw bad("invalid Content-Length");
                }
                if (v > (MAX_CONTENT_LENGTH - d) / 10) {
                    throw bad("Content-Length too large");
                }
                v = v * 10 + d;
            }
            if (value >= 0 && v != value) {
                throw bad("conflicting Content-Length values");
            }
            value = v;
            if (e >= ve) {
                return value;
            }
            p = e + 1;
        }
    }

    /** RFC 9112 §6.1 and §7: the final coding must be chunked, applied once; any other coding we cannot undo. */
    private static void checkTransferCodings(Request r, byte[] a) throws HttpException {
        int chunkedCount = 0;
        boolean lastChunked = false;
        boolean other = false;
        int[] fields = r.fields;
        for (int f = 0, n = r.fieldCount; f < n; f++) {
            int k = f * 4;
            if (!Ascii.equalsIgnoreCase(a, fields[k], fields[k + 1], "transfer-encoding")) {
                continue;
            }
            int ve = fields[k + 3];
            for (int p = fields[k + 2]; ; ) {
                int e = Ascii.elementEnd(a, p, ve);
                int s = Ascii.skipOws(a, p, e), t = Ascii.trimOws(a, s, e);
                if (s < t) { // empty list elements are allowed and ignored (RFC 9110 §5.6.1)
                    int name = s;
                    while (name < t && Ascii.isToken(a[name])) {
                        name++;
                    }
                    int params = Ascii.skipOws(a, name, t);
                    if (name == s || (params < t && a[params] != ';')) {
                        throw bad("invalid transfer-coding");
                    }
                    if (Ascii.equalsIgnoreCase(a, s, name, "chunked")) {
                        if (params < t) {
                            throw bad("chunked takes no parameters");
                        }
                        chunkedCount++;
                        lastChunked = true;
                    } else {
                        other = true;
                        lastChunked = false;
                    }
                }
                if (e >= ve) {
                    break;
                }
                p = e + 1;
            }
        }
        if (!lastChunked) {
            throw bad("final transfer-coding is not chunked");
        }
        if (chunkedCount > 1) {
            throw bad("chunked applied more than once");
        }
        if (other) {
            throw new HttpException(501, "unsupported transfer-coding");
        }
    }

    /** Whether every member of the Expect list is 100-continue (and there is one). */
    private static boolean isContinue(byte[] a, int vs, int ve) {
        boolean any = false;
        for (int p = vs; ; ) {
            int e = Ascii.elementEnd(a, p, ve);
            int s = Ascii.skipOws(a, p, e), t = Ascii.trimOws(a, s, e);
            if (s < t) {
                if (!Ascii.equalsIgnoreCase(a, s, t, "100-continue")) {
                    return false;
                }
                any = true;
            }
            if (e >= ve) {
                return any;
            }
            p = e + 1;
        }
    }

    /** The connection options of RFC 9112 §9.3 found in one Connection field. */
    private static int connectionOptions(byte[] a, int vs, int ve) {
        int found = 0;
        for (int p = vs; ; ) {
            int e = Ascii.elementEnd(a, p, ve);
            int s = Ascii.skipOws(a, p, e), t = Ascii.trimOws(a, s, e);
            if (Ascii.equalsIgnoreCase(a, s, t, "close")) {
                found |= CLOSE;
            } else if (Ascii.equalsIgnoreCase(a, s, t, "keep-alive")) {
                found |= KEEP_ALIVE;
            }
            if (e >= ve) {
                return found;
            }
            p = e + 1;
        }
    }

    private static HttpException bad(String reason) {
        return new HttpException(400, reason);
    }
}
