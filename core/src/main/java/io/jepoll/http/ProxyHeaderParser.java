package io.jepoll.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Incremental parser of the PROXY protocol header (HAProxy's proxy-protocol.txt) that a load balancer sends before
 * anything else on a connection: version 1, one text line such as {@code PROXY TCP4 192.0.2.1 198.51.100.2 5678
 * 80\r\n}, or version 2, a 16-byte binary preamble, the addresses and optional TLVs. Feed it the connection's first
 * bytes in any split; it says when the header is complete and how many bytes it took, so that what follows in the
 * same read is the start of the protocol the header precedes.
 *
 * <h2>Bounds and strictness</h2>
 * <ul>
 * <li>The version is known from the first byte, and every byte of the signature is checked as it arrives, so a
 * client speaking HTTP directly is refused at its first bytes, not after a wait.</li>
 * <li>Version 1: at most {@value #V1_MAX_LENGTH} bytes, the line ending in CRLF; single spaces; {@code TCP4} with
 * two dotted IPv4 addresses, {@code TCP6} with two IPv6 addresses, ports 0 to 65535 in decimal without leading
 * zeros; {@code UNKNOWN} with anything (or nothing) after it.</li>
 * <li>Version 2: version nibble 2, command LOCAL or PROXY, and only the family/protocol bytes the specification
 * defines; datagram families are refused (this is a stream server). The declared length may not exceed
 * {@value #V2_MAX_LENGTH} bytes in all (the largest address block, a UNIX pair of 216 bytes, plus
 * {@value #MAX_TLV_BYTES} bytes of TLVs), and is refused as soon as the preamble shows it. Under PROXY the
 * length must hold the family's addresses, and the TLVs after them must exactly fill the rest; their contents
 * are skipped. Under LOCAL the whole block is skipped unread, as the specification says.</li>
 * </ul>
 * A refusal is a {@link ProxyProtocolException}; the parser then stays failed. Nothing is allocated when the
 * header arrives in one piece, apart from the result; a split header is carried in an array of at most its bound.
 *
 * <p>Not thread-safe: one parser per connection, used by the thread that reads it.
 */
public final class ProxyHeaderParser {
    /** The longest version 1 line, CRLF included (the specification's own bound). */
    public static final int V1_MAX_LENGTH = 107;
    /** TLV bytes accepted after a version 2 address block: room for the usual SSL, authority and cloud TLVs. */
    public static final int MAX_TLV_BYTES = 1024;
    /** The longest version 2 header accepted: preamble, the largest address block, {@link #MAX_TLV_BYTES}. */
    public static final int V2_MAX_LENGTH = 16 + 216 + MAX_TLV_BYTES;

    private static final byte[] V1_PREFIX = {'P', 'R', 'O', 'X', 'Y', ' '};
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int V2_PREAMBLE = 16;
    private static final int NEED_MORE = -1;

    // v2 byte 13: address family (high nibble) and transport protocol (low nibble), the values defined.
    private static final int UNSPEC = 0x00, TCP4 = 0x11, UDP4 = 0x12, TCP6 = 0x21, UDP6 = 0x22, UNIX_STREAM = 0x31, UNIX_DGRAM = 0x32;

    private byte[] carry;        // a header split across feeds; null until one is
    private int carryLen;
    private ProxyHeader header;  // non-null once complete
    private ProxyProtocolException failure;

    /** A parser waiting for the first byte of a connection. */
    public ProxyHeaderParser() {}

    /**
     * Consumes bytes of the header from {@code buf[off, off+len)}.
     *
     * @param buf the bytes read
     * @param off where they start
     * @param len how many there are
     * @return how many bytes belong to the header (0 to {@code len}); once {@link #isComplete()}, the bytes after
     *         them belong to the protocol that follows
     * @throws ProxyProtocolException when the bytes are not a valid header; the connection should be closed
     * @throws IllegalStateException  when called after the header is complete
     */
    public int feed(byte[] buf, int off, int len) throws ProxyProtocolException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (failure != null) throw failure;
        if (header != null) throw new IllegalStateException("the PROXY header is complete already");
        try {
            if (carryLen == 0) {
                int total = length(buf, off, len);
                if (total != NEED_MORE) {
                    header = parse(buf, off);
                    return total;
                }
                append(buf, off, len);
                return len;
            }
            int before = carryLen;
            append(buf, off, Math.min(len, bound(carry[0]) - carryLen));
            int total = length(carry, 0, carryLen);
            if (total == NEED_MORE) return carryLen - before;
            header = parse(carry, 0);
            carry = null;
            carryLen = 0;
            return total - before;
        } catch (ProxyProtocolException e) {
            failure = e;
            carry = null;
            throw e;
        }
    }

    /**
     * Whether the whole header has been read.
     *
     * @return true once {@link #header()} is available
     */
    public boolean isComplete() { return header != null; }

    /**
     * The header read.
     *
     * @return what the header said, or null while it is incomplete
     */
    public ProxyHeader header() { return header; }

    private void append(byte[] buf, int off, int len) {
        if (carry == null) carry = new byte[Math.max(len, 32)];
        if (carryLen + len > carry.length) carry = Arrays.copyOf(carry, Math.max(carryLen + len, carry.length * 2));
        System.arraycopy(buf, off, carry, carryLen, len);
        carryLen += len;
    }

    /** The most bytes a header starting with {@code first} can have (the first byte was accepted already). */
    private static int bound(byte first) { return first == 'P' ? V1_MAX_LENGTH : V2_MAX_LENGTH; }

    // ------------------------------------------------------------ framing

    /**
     * The header's length when all of it is in {@code b[off, off+len)}, else {@link #NEED_MORE}; refuses as soon
     * as the bytes present show that it cannot become a valid header.
     */
    private static int length(byte[] b, int off, int len) throws ProxyProtocolException {
        if (len == 0) return NEED_MORE;
        return switch (b[off]) {
            case 'P' -> v1Length(b, off, len);
            case 0x0D -> v2Length(b, off, len);
            default -> throw new ProxyProtocolException("not a PROXY protocol header");
        };
    }

    private static int v1Length(byte[] b, int off, int len) throws ProxyProtocolException {
        expectPrefix(b, off, len, V1_PREFIX, "not a PROXY protocol header");
        int end = Math.min(len, V1_MAX_LENGTH);
        for (int i = V1_PREFIX.length; i < end; i++) {
            byte c = b[off + i];
            if (c == '\n') throw new ProxyProtocolException("v1: a line feed without a carriage return");
            if (c != '\r') continue;
            if (i + 2 > V1_MAX_LENGTH) break; // its LF would be byte 108
            if (i + 1 == len) return NEED_MORE;
            if (b[off + i + 1] != '\n') throw new ProxyProtocolException("v1: a carriage return without a line feed");
            return i + 2;
        }
        if (len >= V1_MAX_LENGTH) throw new ProxyProtocolException("v1: no CRLF within " + V1_MAX_LENGTH + " bytes");
        return NEED_MORE;
    }

    private static int v2Length(byte[] b, int off, int len) throws ProxyProtocolException {
        expectPrefix(b, off, len, V2_SIGNATURE, "not a PROXY protocol header");
        if (len > 12) {
            int v = b[off + 12] & 0xFF;
            if (v >> 4 != 2) throw new ProxyProtocolException("v2: version " + (v >> 4) + ", not 2");
            if ((v & 0x0F) > 1) throw new ProxyProtocolException("v2: command " + (v & 0x0F) + " is neither LOCAL nor PROXY");
        }
        if (len > 13) {
            int fp = b[off + 13] & 0xFF;
            switch (fp) {
                case UNSPEC, TCP4, TCP6, UNIX_STREAM -> { }
                case UDP4, UDP6, UNIX_DGRAM -> throw new ProxyProtocolException("v2: a datagram address for a stream connection");
                default -> throw new ProxyProtocolException("v2: undefined family/protocol 0x" + Integer.toHexString(fp));
            }
        }
        if (len < V2_PREAMBLE) return NEED_MORE;
        int declared = ((b[off + 14] & 0xFF) << 8) | (b[off + 15] & 0xFF);
        int total = V2_PREAMBLE + declared;
        if (total > V2_MAX_LENGTH) throw new ProxyProtocolException("v2: " + total + " bytes, more than " + V2_MAX_LENGTH);
        boolean proxy = (b[off + 12] & 0x0F) == 1;
        if (proxy && declared < addressLength(b[off + 13] & 0xFF)) {
            throw new ProxyProtocolException("v2: " + declared + " bytes cannot hold the addresses");
        }
        return len >= total ? total : NEED_MORE;
    }

    private static void expectPrefix(byte[] b, int off, int len, byte[] prefix, String reason) throws ProxyProtocolException {
        for (int i = 0, n = Math.min(len, prefix.length); i < n; i++) {
            if (b[off + i] != prefix[i]) throw new ProxyProtocolException(reason);
        }
    }

    /** Bytes of the address block for a family/protocol byte (the source and destination, ports included). */
    private static int addressLength(int familyProtocol) {
        return switch (familyProtocol) {
            case TCP4 -> 12;
            case TCP6 -> 36;
            case UNIX_STREAM -> 216;
            default -> 0;
        };
    }

    // ------------------------------------------------------------ contents

    /** Parses a header whose framing {@link #length} has accepted. */
    private static ProxyHeader parse(byte[] b, int off) throws ProxyProtocolException {
        return b[off] == 'P' ? parseV1(b, off) : parseV2(b, off);
    }

    private static ProxyHeader parseV1(byte[] b, int off) throws ProxyProtocolException {
        int i = off + V1_PREFIX.length;
        int lineEnd = i;
        while (b[lineEnd] != '\r') lineEnd++;
        int protoEnd = tokenEnd(b, i, lineEnd);
        // The specification: whatever follows UNKNOWN up to the CRLF is to be ignored.
        if (Ascii.equals(b, i, protoEnd, "UNKNOWN")) return new ProxyHeader.Unknown();
        boolean v4 = Ascii.equals(b, i, protoEnd, "TCP4");
        if (!v4 && !Ascii.equals(b, i, protoEnd, "TCP6")) throw new ProxyProtocolException("v1: protocol is not TCP4, TCP6 or UNKNOWN");
        int[] bounds = new int[8]; // start and end of the four fields after the protocol
        int at = protoEnd;
        for (int f = 0; f < 4; f++) {
            if (at == lineEnd || b[at] != ' ') throw new ProxyProtocolException("v1: four fields after the protocol are needed");
            int start = at + 1, end = tokenEnd(b, start, lineEnd);
            if (end == start) throw new ProxyProtocolException("v1: fields are separated by one space");
            bounds[f * 2] = start;
            bounds[f * 2 + 1] = end;
            at = end;
        }
        if (at != lineEnd) throw new ProxyProtocolException("v1: more than four fields after the protocol");
        InetAddress src = v1Address(b, bounds[0], bounds[1], v4);
        InetAddress dst = v1Address(b, bounds[2], bounds[3], v4);
        return new ProxyHeader.Proxied(new InetSocketAddress(src, v1Port(b, bounds[4], bounds[5])),
                new InetSocketAddress(dst, v1Port(b, bounds[6], bounds[7])));
    }

    /** The end of the token at {@code from}: the next space, or {@code to}. */
    private static int tokenEnd(byte[] b, int from, int to) {
        while (from < to && b[from] != ' ') from++;
        return from;
    }

    private static InetAddress v1Address(byte[] b, int from, int to, boolean v4) throws ProxyProtocolException {
        byte[] raw = v4 ? InetLiterals.ipv4(b, from, to) : InetLiterals.ipv6(b, from, to);
        if (raw == null) throw new ProxyProtocolException("v1: not an IPv" + (v4 ? "4" : "6") + " address");
        return address(raw);
    }

    private static int v1Port(byte[] b, int from, int to) throws ProxyProtocolException {
        int digits = to - from;
        if (digits < 1 || digits > 5 || (digits > 1 && b[from] == '0')) throw new ProxyProtocolException("v1: not a port");
        int port = 0;
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') throw new ProxyProtocolException("v1: not a port");
            port = port * 10 + (b[i] - '0');
        }
        if (port > 65535) throw new ProxyProtocolException("v1: port out of range");
        return port;
    }

    private static ProxyHeader parseV2(byte[] b, int off) throws ProxyProtocolException {
        if ((b[off + 12] & 0x0F) == 0) return new ProxyHeader.Local(); // the block is skipped unread
        int familyProtocol = b[off + 13] & 0xFF;
        int total = V2_PREAMBLE + (((b[off + 14] & 0xFF) << 8) | (b[off + 15] & 0xFF));
        int a = off + V2_PREAMBLE;
        checkTlvs(b, a + addressLength(familyProtocol), off + total);
        return switch (familyProtocol) {
            case TCP4 -> new ProxyHeader.Proxied(
                    new InetSocketAddress(address(Arrays.copyOfRange(b, a, a + 4)), port(b, a + 8)),
                    new InetSocketAddress(address(Arrays.copyOfRange(b, a + 4, a + 8)), port(b, a + 10)));
            case TCP6 -> new ProxyHeader.Proxied(
                    new InetSocketAddress(address(Arrays.copyOfRange(b, a, a + 16)), port(b, a + 32)),
                    new InetSocketAddress(address(Arrays.copyOfRange(b, a + 16, a + 32)), port(b, a + 34)));
            default -> new ProxyHeader.Unknown(); // UNSPEC, UNIX: no IP address to pass on
        };
    }

    /** TLVs (type, 16-bit length, value) must exactly fill {@code [from, to)}; their contents are not needed. */
    private static void checkTlvs(byte[] b, int from, int to) throws ProxyProtocolException {
        int i = from;
        while (i < to) {
            if (to - i < 3) throw new ProxyProtocolException("v2: a truncated TLV");
            int length = ((b[i + 1] & 0xFF) << 8) | (b[i + 2] & 0xFF);
            i += 3 + length;
            if (i > to) throw new ProxyProtocolException("v2: a TLV longer than the header");
        }
    }

    private static int port(byte[] b, int at) { return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF); }

    private static InetAddress address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw); // a literal: no resolver is asked
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are always an address", e);
        }
    }
}
