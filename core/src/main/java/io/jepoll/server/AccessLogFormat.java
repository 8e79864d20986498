package io.jepoll.server;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Turns entries into lines, on the writer thread (not thread-safe: it caches the current second's time text).
 *
 * <pre>
 * COMMON    127.0.0.1 - - [01/Dec/2026:18:00:00 +0000] "GET /x?y=1 HTTP/1.1" 200 13
 * COMBINED  127.0.0.1 - - [01/Dec/2026:18:00:00 +0000] "GET /x?y=1 HTTP/1.1" 200 13 "http://a/" "curl/8.5.0"
 * JSON      {"time":"2026-12-01T18:00:00.000Z","remote":"127.0.0.1","method":"GET","target":"/x?y=1",
 *            "protocol":"HTTP/1.1","status":200,"bytes":13,"duration_us":85,"referer":null,"user_agent":"curl/8.5.0"}
 * </pre>
 * The text formats are Apache's {@code %h %l %u %t "%r" %>s %b} (and {@code "%{Referer}i" "%{User-agent}i"}): the
 * time in UTC, {@code %b} "-" for an empty body as Apache writes it (nginx writes 0), "-" for an absent or empty
 * field. A request refused before its head was complete has as its request line what arrived of it, as nginx
 * writes it (bytes escaped, whatever they were), or "-" when nothing did; JSON splits such a line into method,
 * target and protocol when it has their shape (three parts between single spaces), else gives null there.
 * Every string is escaped by {@link LogEscape}.
 */
final class AccessLogFormat {
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private final AccessLog.Format format;
    private long second = Long.MIN_VALUE; // the second the two texts below are for
    private String clfTime;               // [01/Dec/2026:18:00:00 +0000]
    private String isoSecond;             // 2026-12-01T18:00:00

    AccessLogFormat(AccessLog.Format format) { this.format = format; }

    /** Appends the line for {@code e}, without its line feed. */
    void append(AccessLogEntry e, StringBuilder out) {
        long sec = Math.floorDiv(e.epochMillis(), 1000);
        if (sec != second) setSecond(sec);
        switch (format) {
            case COMMON -> common(e, out);
            case COMBINED -> {
                common(e, out);
                out.append(' ');
                quoted(e.referer(), out);
                out.append(' ');
                quoted(e.userAgent(), out);
            }
            case JSON -> json(e, out);
        }
    }

    private void common(AccessLogEntry e, StringBuilder out) {
        out.append(e.remote() == null ? "-" : host(e.remote())).append(" - - ").append(clfTime).append(" \"");
        if (e.method() == null) {
            if (e.lineSeen() == null) out.append('-');
            else LogEscape.text(e.lineSeen(), out);
        } else {
            LogEscape.text(e.method(), out);
            out.append(' ');
            LogEscape.text(e.target(), out);
            out.append(" HTTP/1.").append(e.versionMinor());
        }
        out.append("\" ").append(e.status()).append(' ');
        if (e.bodyBytes() == 0) out.append('-');
        else out.append(e.bodyBytes());
    }

    private static void quoted(String s, StringBuilder out) {
        out.append('"');
        if (s == null || s.isEmpty()) out.append('-');
        else LogEscape.text(s, out);
        out.append('"');
    }

    private void json(AccessLogEntry e, StringBuilder out) {
        out.append("{\"time\":\"").append(isoSecond).append('.');
        int millis = (int) Math.floorMod(e.epochMillis(), 1000);
        if (millis < 100) out.append('0');
        if (millis < 10) out.append('0');
        out.append(millis).append("Z\"");
        field("remote", e.remote() == null ? null : host(e.remote()), out);
        if (e.method() != null) {
            field("method", e.method(), out);
            field("target", e.target(), out);
            field("protocol", "HTTP/1." + e.versionMinor(), out);
        } else {
            String[] parts = threeParts(e.lineSeen());
            field("method", parts == null ? null : parts[0], out);
            field("target", parts == null ? null : parts[1], out);
            field("protocol", parts == null ? null : parts[2], out);
        }
        out.append(",\"status\":").append(e.status())
                .append(",\"bytes\":").append(e.bodyBytes())
                .append(",\"duration_us\":").append(e.durationMicros());
        field("referer", e.referer(), out);
        field("user_agent", e.userAgent(), out);
        out.append('}');
    }

    /** A refused request's line as method, target and protocol, when it is three parts between single spaces. */
    private static String[] threeParts(String line) {
        if (line == null) return null;
        String[] parts = line.split(" ", -1);
        if (parts.length != 3) return null;
        for (String p : parts) if (p.isEmpty()) return null;
        return parts;
    }

    private static void field(String name, String value, StringBuilder out) {
        out.append(",\"").append(name).append("\":");
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        LogEscape.json(value, out);
        out.append('"');
    }

    private void setSecond(long sec) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(sec, 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(28).append('[');
        two(t.getDayOfMonth(), b).append('/').append(MONTHS[t.getMonthValue() - 1]).append('/').append(t.getYear()).append(':');
        two(t.getHour(), b).append(':');
        two(t.getMinute(), b).append(':');
        two(t.getSecond(), b).append(" +0000]");
        clfTime = b.toString();
        b.setLength(0);
        b.append(t.getYear()).append('-');
        two(t.getMonthValue(), b).append('-');
        two(t.getDayOfMonth(), b).append('T');
        two(t.getHour(), b).append(':');
        two(t.getMinute(), b).append(':');
        two(t.getSecond(), b);
        isoSecond = b.toString();
        second = sec;
    }

    private static StringBuilder two(int n, StringBuilder b) {
        return b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
    }

    /**
     * The address as nginx's {@code $remote_addr} writes it: dotted IPv4, IPv6 in the short form of RFC 5952, and
     * an IPv4 client of a dual-stack socket as {@code ::ffff:192.0.2.1} (§5).
     */
    static String host(InetAddress a) {
        if (!(a instanceof Inet6Address)) return a.getHostAddress();
        byte[] b = a.getAddress();
        if (isV4Mapped(b)) return "::ffff:" + (b[12] & 0xFF) + '.' + (b[13] & 0xFF) + '.' + (b[14] & 0xFF) + '.' + (b[15] & 0xFF);
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        int bestStart = -1, bestLen = 1; // §4.2.2: a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { // §4.2.3: the longest run, the first of equal ones
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!s.isEmpty() && s.charAt(s.length() - 1) != ':') s.append(':');
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) if (b[i] != 0) return false;
        return b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
    }
}
