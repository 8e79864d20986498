package io.jepoll.http;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One {@code Set-Cookie} field value (RFC 6265 §4.1), checked when built so that what leaves is what the user agent
 * will store, never a malformed field that browsers would each repair in their own way.
 *
 * <pre>{@code
 * SetCookie session = SetCookie.builder("sid", token).path("/").secure(true).httpOnly(true)
 *         .sameSite(SetCookie.SameSite.LAX).maxAge(Duration.ofHours(8)).build();
 * return Response.ok("hi").withCookie(session);      // Set-Cookie: sid=...; Max-Age=28800; Path=/; Secure; HttpOnly; SameSite=Lax
 * }</pre>
 *
 * <p>The rules (§4.1.1, and RFC 6265bis, which browsers already follow, where it adds one):
 * <ul>
 *   <li>name: a token (RFC 9110 §5.6.2), not empty;</li>
 *   <li>value: cookie-octets ({@code %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E}: no space, DQUOTE, comma,
 *       semicolon or backslash), optionally the whole of it in DQUOTEs; empty is allowed. Anything else must be
 *       encoded by the application (base64url, percent-encoding);</li>
 *   <li>name and value together at most {@value #MAX_NAME_VALUE} bytes, Path and Domain at most
 *       {@value #MAX_ATTRIBUTE} (6265bis §5.7: user agents ignore longer ones);</li>
 *   <li>Max-Age: whole seconds, not negative. 0 lies outside the §4.1.1 grammar (non-zero-digit *DIGIT) but §5.2.2
 *       defines it (the cookie expires at once), and it is how a cookie is deleted;</li>
 *   <li>Expires: formatted as an IMF-fixdate (the rfc1123-date of §4.1.1);</li>
 *   <li>Path: starts with '/', then any CHAR but controls and ';' (§4.1.1 path-value);</li>
 *   <li>Domain: a host name (RFC 1034 §3.5 as RFC 1123 §2.1 relaxed it: labels of letters, digits and inner
 *       hyphens, 1-63 chars each, 253 in all); a leading '.' is refused, since §4.1.2.3 has it ignored;</li>
 *   <li>SameSite=None requires Secure (6265bis §4.1.2.7; browsers reject it otherwise); names starting with
 *       {@code __Secure-} require Secure, and {@code __Host-} requires Secure, Path=/ and no Domain (6265bis
 *       §4.1.3), matched without regard to case as browsers do.</li>
 * </ul>
 */
public final class SetCookie {

    /** Bytes of name plus value at most (RFC 6265 §6.1 asks user agents to keep at least 4096 per cookie). */
    public static final int MAX_NAME_VALUE = 4096;

    /** Chars of a Path or Domain value at most. */
    public static final int MAX_ATTRIBUTE = 1024;

    /** The SameSite attribute (RFC 6265bis §4.1.2.7). */
    public enum SameSite {
        /** Sent only with requests that start on the cookie's own site: not on a link followed from elsewhere. */
        STRICT("Strict"),
        /** Also sent when the user follows a link from another site (a top-level GET): most browsers' default. */
        LAX("Lax"),
        /** Sent with cross-site requests too; needs Secure. */
        NONE("None");

        private final String wire;

        SameSite(String wire) {
            this.wire = wire;
        }

        /** {@return the attribute value as it is sent: Strict, Lax or None} */
        public String wire() {
            return wire;
        }
    }

    private final String name, value, path, domain;
    private final long maxAgeSeconds; // -1: none
    private final Instant expires;    // null: none
    private final boolean secure, httpOnly;
    private final SameSite sameSite;  // null: none
    private final String header;

    private SetCookie(Builder b) {
        this.name = b.name;
        this.value = b.value;
        this.path = b.path;
        this.domain = b.domain;
        this.maxAgeSeconds = b.maxAgeSeconds;
        this.expires = b.expires;
        this.secure = b.secure;
        this.httpOnly = b.httpOnly;
        this.sameSite = b.sameSite;
        this.header = format();
    }

    /**
     * A cookie called name with that value; the name and value are checked here, the rest by {@link Builder#build}.
     *
     * @param name  a token, not empty; {@code __Secure-} and {@code __Host-} prefixes bring their rules
     * @param value cookie-octets, optionally in DQUOTEs, possibly empty; name and value at most
     *              {@value #MAX_NAME_VALUE} bytes together
     * @return a builder with no attributes set
     * @throws IllegalArgumentException when the name or the value breaks those rules
     */
    public static Builder builder(String name, String value) {
        return new Builder(name, value);
    }

    /** {@return the cookie's name, as given} */
    public String name() {
        return name;
    }

    /** {@return the cookie's value, as given (DQUOTEs included, if any)} */
    public String value() {
        return value;
    }

    /** {@return the field value: {@code name=value} then the attributes, in the order of §4.1.1's examples} */
    public String headerValue() {
        return header;
    }

    @Override
    public String toString() {
        return header;
    }

    private String format() {
        StringBuilder b = new StringBuilder(name.length() + value.length() + 64);
        b.append(name).append('=').append(value);
        if (maxAgeSeconds >= 0) b.append("; Max-Age=").append(maxAgeSeconds);
        if (expires != null) b.append("; Expires=").append(HttpDate.format(expires.getEpochSecond()));
        if (path != null) b.append("; Path=").append(path);
        if (domain != null) b.append("; Domain=").append(domain);
        if (secure) b.append("; Secure");
        if (httpOnly) b.append("; HttpOnly");
        if (sameSite != null) b.append("; SameSite=").append(sameSite.wire());
        return b.toString();
    }

    /** The attributes of one cookie; {@link #build()} checks how they combine. */
    public static final class Builder {
        private final String name, value;
        private String path, domain;
        private long maxAgeSeconds = -1;
        private Instant expires;
        private boolean secure, httpOnly;
        private SameSite sameSite;

        private Builder(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty()) throw new IllegalArgumentException("empty cookie name");
            for (int i = 0; i < name.length(); i++) {
                if (!FieldChars.isTokenChar(name.charAt(i))) {
                    throw new IllegalArgumentException("cookie name is not a token (RFC 6265 4.1.1): " + name);
                }
            }
            if (!isCookieValue(value)) {
                throw new IllegalArgumentException("cookie value has a char outside cookie-octet (RFC 6265 4.1.1);"
                        + " encode it first (base64url, percent-encoding): " + name);
            }
            if (name.length() + value.length() > MAX_NAME_VALUE) {
                throw new IllegalArgumentException("cookie name and value longer than " + MAX_NAME_VALUE + " bytes: " + name);
            }
            this.name = name;
            this.value = value;
        }

        /**
         * Max-Age in whole seconds (the fraction is dropped); {@link Duration#ZERO} deletes the cookie.
         *
         * @param age how long the user agent keeps the cookie, not negative
         * @return this builder
         * @throws IllegalArgumentException when age is negative
         */
        public Builder maxAge(Duration age) {
            Objects.requireNonNull(age, "age");
            if (age.isNegative()) throw new IllegalArgumentException("Max-Age must not be negative: " + age);
            this.maxAgeSeconds = age.getSeconds();
            return this;
        }

        /**
         * Expires at that instant (whole seconds; years 0000-9999). Max-Age, when also set, wins (§5.3 step 3).
         *
         * @param at when the user agent drops the cookie
         * @return this builder
         * @throws IllegalArgumentException when the year is outside 0000-9999
         */
        public Builder expires(Instant at) {
            Objects.requireNonNull(at, "at");
            HttpDate.format(at.getEpochSecond()); // refuses a year that an IMF-fixdate cannot spell
            this.expires = at;
            return this;
        }

        /**
         * The Path attribute: the cookie is sent only for request paths at or below it (§5.1.4).
         *
         * @param path starts with '/', then printable ASCII but ';', at most {@value #MAX_ATTRIBUTE} chars
         * @return this builder
         * @throws IllegalArgumentException when path breaks those rules
         */
        public Builder path(String path) {
            Objects.requireNonNull(path, "path");
            if (path.isEmpty() || path.charAt(0) != '/' || path.length() > MAX_ATTRIBUTE) {
                throw new IllegalArgumentException("Path must start with '/' and be at most " + MAX_ATTRIBUTE + " chars: " + path);
            }
            for (int i = 0; i < path.length(); i++) {
                char c = path.charAt(i);
                if (c < 0x20 || c >= 0x7F || c == ';') {
                    throw new IllegalArgumentException("Path has a control, non-ASCII char or ';' (RFC 6265 4.1.1): " + path);
                }
            }
            this.path = path;
            return this;
        }

        /**
         * The Domain attribute: the cookie is sent to that host and its subdomains too; without it, only to the
         * host that set it (§4.1.2.3).
         *
         * @param domain a host name without a leading '.', at most 253 chars
         * @return this builder
         * @throws IllegalArgumentException when domain is not a host name
         */
        public Builder domain(String domain) {
            Objects.requireNonNull(domain, "domain");
            if (!isHostName(domain)) {
                throw new IllegalArgumentException("Domain is not a host name (RFC 6265 4.1.2.3, RFC 1123 2.1): " + domain);
            }
            this.domain = domain;
            return this;
        }

        /**
         * Sent only over secure channels (§4.1.2.5).
         *
         * @param on true to add Secure
         * @return this builder
         */
        public Builder secure(boolean on) {
            this.secure = on;
            return this;
        }

        /**
         * Not shown to scripts (§4.1.2.6).
         *
         * @param on true to add HttpOnly
         * @return this builder
         */
        public Builder httpOnly(boolean on) {
            this.httpOnly = on;
            return this;
        }

        /**
         * The SameSite attribute.
         *
         * @param s the value, or null to send none (the browser's default then applies, Lax in most)
         * @return this builder
         */
        public Builder sameSite(SameSite s) {
            this.sameSite = s;
            return this;
        }

        /**
         * Checks how the attributes combine and formats the field value once.
         *
         * @return the cookie, immutable
         * @throws IllegalArgumentException when the attributes contradict each other or the name's prefix
         */
        public SetCookie build() {
            if (sameSite == SameSite.NONE && !secure) {
                throw new IllegalArgumentException("SameSite=None requires Secure (RFC 6265bis 4.1.2.7): " + name);
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("__secure-") && !secure) {
                throw new IllegalArgumentException("a __Secure- cookie requires Secure (RFC 6265bis 4.1.3.1): " + name);
            }
            if (lower.startsWith("__host-") && (!secure || !"/".equals(path) || domain != null)) {
                throw new IllegalArgumentException("a __Host- cookie requires Secure, Path=/ and no Domain (RFC 6265bis 4.1.3.2): " + name);
            }
            return new SetCookie(this);
        }
    }

    /** cookie-value = *cookie-octet / ( DQUOTE *cookie-octet DQUOTE ). */
    static boolean isCookieValue(String v) {
        int from = 0, to = v.length();
        if (to >= 1 && v.charAt(0) == '"') {
            if (to < 2 || v.charAt(to - 1) != '"') return false;
            from = 1;
            to--;
        }
        for (int i = from; i < to; i++) {
            char c = v.charAt(i);
            boolean octet = c == 0x21 || c >= 0x23 && c <= 0x2B || c >= 0x2D && c <= 0x3A
                    || c >= 0x3C && c <= 0x5B || c >= 0x5D && c <= 0x7E;
            if (!octet) return false;
        }
        return true;
    }

    /** Labels of letters, digits and inner hyphens, 1-63 chars each, at most 253 in all; no empty label. */
    static boolean isHostName(String d) {
        int n = d.length();
        if (n == 0 || n > 253) return false;
        int labelStart = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || d.charAt(i) == '.') {
                int len = i - labelStart;
                if (len < 1 || len > 63 || d.charAt(labelStart) == '-' || d.charAt(i - 1) == '-') return false;
                labelStart = i + 1;
                continue;
            }
            char c = d.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) return false;
        }
        return true;
    }
}
