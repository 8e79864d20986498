package io.jepoll.http;

/**
 * Strict textual IP addresses, read from bytes without ever asking a resolver: IPv4 as four dotted decimal
 * parts (0 to 255, no leading zeros, which some parsers read as octal), IPv6 in the forms of RFC 4291 §2.2
 * (hex groups, at most one {@code ::}, an optional dotted IPv4 tail), without zone or brackets.
 */
final class InetLiterals {
    private InetLiterals() {}

    /** The 4 bytes of the IPv4 address in {@code b[from, to)}, or null when it is not one. */
    static byte[] ipv4(byte[] b, int from, int to) {
        byte[] out = new byte[4];
        return ipv4Into(b, from, to, out, 0) ? out : null;
    }

    private static boolean ipv4Into(byte[] b, int from, int to, byte[] out, int at) {
        int part = 0, i = from;
        while (part < 4) {
            int start = i, value = 0;
            while (i < to && i - start < 3 && isDigit(b[i])) value = value * 10 + (b[i++] - '0');
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && b[start] == '0')) return false;
            out[at + part++] = (byte) value;
            if (part < 4) {
                if (i >= to || b[i] != '.') return false;
                i++;
            }
        }
        return i == to;
    }

    /** The 16 bytes of the IPv6 address in {@code b[from, to)}, or null when it is not one. */
    static byte[] ipv6(byte[] b, int from, int to) {
        byte[] out = new byte[16];
        int groups = 0;   // 16-bit groups written to out so far
        int gap = -1;     // where "::" stands, in groups
        int i = from;
        if (to - from >= 2 && b[i] == ':' && b[i + 1] == ':') {
            gap = 0;
            i += 2;
        }
        while (i < to) {
            if (groups <= 6 && hasDot(b, i, to)) { // the last 32 bits written as IPv4
                if (!ipv4Into(b, i, to, out, groups * 2)) return null;
                groups += 2;
                i = to;
                break;
            }
            int start = i, value = 0;
            while (i < to && i - start < 4 && Ascii.hexValue(b[i]) >= 0) value = value * 16 + Ascii.hexValue(b[i++]);
            if (i == start || groups == 8) return null;
            out[groups * 2] = (byte) (value >> 8);
            out[groups * 2 + 1] = (byte) value;
            groups++;
            if (i == to) break;
            if (b[i] != ':') return null;
            i++;
            if (i < to && b[i] == ':') {
                if (gap >= 0) return null; // "::" at most once
                gap = groups;
                i++;
            } else if (i == to) {
                return null; // a single trailing ':'
            }
        }
        if (gap < 0) return groups == 8 ? out : null;
        if (groups > 7) return null; // "::" stands for at least one group
        // Move the groups after the gap to the end; zeros fill the gap.
        int tail = (groups - gap) * 2;
        System.arraycopy(out, gap * 2, out, 16 - tail, tail);
        java.util.Arrays.fill(out, gap * 2, 16 - tail, (byte) 0);
        return out;
    }

    private static boolean isDigit(byte c) { return c >= '0' && c <= '9'; }

    /** Whether the token starting at {@code i} (up to the next ':' or {@code to}) contains a '.'. */
    private static boolean hasDot(byte[] b, int i, int to) {
        for (; i < to && b[i] != ':'; i++) if (b[i] == '.') return true;
        return false;
    }
}
