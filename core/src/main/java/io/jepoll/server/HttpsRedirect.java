package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.http.Response;

/**
 * What the plain listener of {@link HttpServer.Builder#redirectHttp(int)} answers: 308 Permanent Redirect to the same
 * target over HTTPS, on the host the client named. 308 rather than 301 so that a POST is repeated as a POST (RFC
 * 9110 §15.4.9).
 *
 * <p>The Location is built from what the parser has already checked (a Host of RFC 3986 characters, a target
 * without controls or spaces), and checked again here: the host part must be non-empty and of URI characters, the
 * port (if any) digits, and every byte of the target outside visible ASCII is percent-encoded, so nothing the client
 * sent can end the field or add one. A request without a Host (HTTP/1.0), with an empty or invalid one, or with the
 * asterisk-form target ({@code OPTIONS *}) gets 400.
 */
final class HttpsRedirect implements Handler {
    private final String portSuffix; // ":8443", or "" for 443

    /** @param httpsPort the port the TLS listener has bound (what the clients are sent to) */
    HttpsRedirect(int httpsPort) { this.portSuffix = httpsPort == 443 ? "" : ":" + httpsPort; }

    @Override
    public Response handle(Request req) {
        String host = hostWithoutPort(req.header("Host"));
        String path = req.path();
        if (host == null || !path.startsWith("/")) return Response.badRequest("a Host is needed to redirect to https\n");
        StringBuilder location = new StringBuilder(8 + host.length() + portSuffix.length() + path.length() + 16)
                .append("https://").append(host).append(portSuffix);
        appendEncoded(location, path);
        String query = req.query();
        if (query != null) appendEncoded(location.append('?'), query);
        return Response.redirect(308, location.toString());
    }

    /**
     * The host of a Host field, without its port: an IP literal in brackets or a reg-name. Null when the field is
     * missing, empty, or holds a character a URI's host cannot (the parser refused those already; this is the
     * second line).
     */
    static String hostWithoutPort(String value) {
        if (value == null || value.isEmpty()) return null;
        int end;
        if (value.charAt(0) == '[') {
            end = value.indexOf(']') + 1;
            if (end <= 2) return null;
        } else {
            int colon = value.indexOf(':');
            end = colon < 0 ? value.length() : colon;
            if (end == 0) return null;
        }
        boolean literal = value.charAt(0) == '[';
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (!isHostChar(c) || (!literal && (c == '[' || c == ']'))) return null;
        }
        if (end < value.length()) { // ":" port
            if (value.charAt(end) != ':' || value.length() - end - 1 > 5) return null;
            for (int i = end + 1; i < value.length(); i++) if (value.charAt(i) < '0' || value.charAt(i) > '9') return null;
        }
        return value.substring(0, end);
    }

    /** RFC 3986 host characters: unreserved, sub-delims, '%' of pct-encoded, and ':' '[' ']' of an IP literal. */
    private static boolean isHostChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~!$&'()*+,;=%:[]".indexOf(c) >= 0;
    }

    /** Appends {@code s} (Latin-1, as the request carried it) with every byte outside visible ASCII as %XX. */
    private static void appendEncoded(StringBuilder b, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0x20 && c < 0x7f) b.append(c);
            else b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4 & 0xf, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
        }
    }
}
