package io.jepoll.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static io.jepoll.http.ProxyHeaders.concat;
import static io.jepoll.http.ProxyHeaders.port;
import static io.jepoll.http.ProxyHeaders.tlv;
import static io.jepoll.http.ProxyHeaders.v2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The PROXY protocol parser: each valid header in every split of its bytes (and with HTTP after it), each
 * malformed one refused whole and byte by byte, and the length bounds at the bound and one past it.
 */
class ProxyHeaderParserTest {
    private static final byte[] HTTP = "GET / HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    record Valid(String name, byte[] header, ProxyHeader expect) {
        @Override
        public String toString() { return name; }
    }

    record Invalid(String name, byte[] input) {
        @Override
        public String toString() { return name; }
    }

    static Stream<Valid> valid() throws Exception {
        List<Valid> v = new ArrayList<>();
        v.add(new Valid("v1 TCP4", ascii("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n"),
                proxied("192.0.2.1", 56324, "198.51.100.2", 443)));
        v.add(new Valid("v1 TCP4, ports 0 and 65535", ascii("PROXY TCP4 0.0.0.0 255.255.255.255 0 65535\r\n"),
                proxied("0.0.0.0", 0, "255.255.255.255", 65535)));
        v.add(new Valid("v1 TCP6", ascii("PROXY TCP6 2001:db8::1 2001:db8:0:0:0:0:0:2 1 80\r\n"),
                proxied("2001:db8::1", 1, "2001:db8::2", 80)));
        v.add(new Valid("v1 TCP6, :: forms and an IPv4 tail", ascii("PROXY TCP6 :: ::ffff:10.0.0.1 8080 80\r\n"),
                proxied("::", 8080, "10.0.0.1", 80)));
        v.add(new Valid("v1 TCP6, the longest line", ascii("PROXY TCP6 " + "ffff:".repeat(7) + "ffff " + "ffff:".repeat(7)
                + "ffff 65535 65535\r\n"), proxied("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535,
                "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535)));
        v.add(new Valid("v1 UNKNOWN", ascii("PROXY UNKNOWN\r\n"), new ProxyHeader.Unknown()));
        v.add(new Valid("v1 UNKNOWN with addresses, ignored", ascii("PROXY UNKNOWN ffff::1 x y z\r\n"), new ProxyHeader.Unknown()));
        v.add(new Valid("v1 at 107 bytes", v1Unknown(107), new ProxyHeader.Unknown()));
        v.add(new Valid("v2 PROXY TCP4", v2(0x21, 0x11, concat(ip("192.0.2.1"), ip("198.51.100.2"), port(56324), port(443))),
                proxied("192.0.2.1", 56324, "198.51.100.2", 443)));
        v.add(new Valid("v2 PROXY TCP4 with TLVs", v2(0x21, 0x11, concat(ip("192.0.2.1"), ip("198.51.100.2"), port(1), port(2),
                tlv(0x02, ascii("example.com")), tlv(0x04, new byte[0]), tlv(0xEA, new byte[40]))),
                proxied("192.0.2.1", 1, "198.51.100.2", 2)));
        v.add(new Valid("v2 PROXY TCP6 with a TLV", v2(0x21, 0x21, concat(ip("2001:db8::7"), ip("2001:db8::8"), port(65535), port(80),
                tlv(0x01, ascii("h2")))), proxied("2001:db8::7", 65535, "2001:db8::8", 80)));
        v.add(new Valid("v2 LOCAL, no block", v2(0x20, 0x00, new byte[0]), new ProxyHeader.Local()));
        v.add(new Valid("v2 LOCAL with a block, skipped unread", v2(0x20, 0x11, new byte[]{1, 2, 3, 4, 5}), new ProxyHeader.Local()));
        v.add(new Valid("v2 PROXY UNSPEC", v2(0x21, 0x00, new byte[0]), new ProxyHeader.Unknown()));
        v.add(new Valid("v2 PROXY UNIX stream", v2(0x21, 0x31, new byte[216]), new ProxyHeader.Unknown()));
        v.add(new Valid("v2 at the largest length", v2(0x21, 0x31, concat(new byte[216], tlv(0x04, new byte[ProxyHeaderParser.MAX_TLV_BYTES - 3]))),
                new ProxyHeader.Unknown()));
        return v.stream();
    }

    static Stream<Invalid> invalid() {
        List<Invalid> c = new ArrayList<>();
        c.add(bad("HTTP without a header", "GET / HTTP/1.1\r\n\r\n"));
        c.add(bad("a method that starts with P", "PUT / HTTP/1.1\r\n\r\n"));
        c.add(bad("lower-case proxy", "proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n"));
        c.add(bad("v1 unknown protocol", "PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n"));
        c.add(bad("v1 UNKNOWN glued to more", "PROXY UNKNOWNX\r\n"));
        c.add(bad("v1 two spaces", "PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n"));
        c.add(bad("v1 a trailing space", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n"));
        c.add(bad("v1 a field missing", "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n"));
        c.add(bad("v1 a field too many", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n"));
        c.add(bad("v1 a tab", "PROXY TCP4 1.2.3.4\t5.6.7.8 1 2\r\n"));
        c.add(bad("v1 bare LF", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n"));
        c.add(bad("v1 CR without LF", "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rX"));
        c.add(bad("v1 IPv4 part above 255", "PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n"));
        c.add(bad("v1 IPv4 leading zero", "PROXY TCP4 1.2.3.04 5.6.7.8 1 2\r\n"));
        c.add(bad("v1 IPv4 three parts", "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n"));
        c.add(bad("v1 IPv4 five parts", "PROXY TCP4 1.2.3.4.5 5.6.7.8 1 2\r\n"));
        c.add(bad("v1 a name, not an address", "PROXY TCP4 localhost 5.6.7.8 1 2\r\n"));
        c.add(bad("v1 IPv6 under TCP4", "PROXY TCP4 ::1 5.6.7.8 1 2\r\n"));
        c.add(bad("v1 IPv4 under TCP6", "PROXY TCP6 1.2.3.4 ::1 1 2\r\n"));
        c.add(bad("v1 IPv6 with two ::", "PROXY TCP6 1::2::3 ::1 1 2\r\n"));
        c.add(bad("v1 IPv6 with nine groups", "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n"));
        c.add(bad("v1 IPv6 with seven groups", "PROXY TCP6 1:2:3:4:5:6:7 ::1 1 2\r\n"));
        c.add(bad("v1 IPv6 :: standing for no group", "PROXY TCP6 1:2:3:4::5:6:7:8 ::1 1 2\r\n"));
        c.add(bad("v1 IPv6 five hex digits", "PROXY TCP6 12345::1 ::1 1 2\r\n"));
        c.add(bad("v1 IPv6 a trailing colon", "PROXY TCP6 1:2:3:4:5:6:7: ::1 1 2\r\n"));
        c.add(bad("v1 IPv6 with a zone", "PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n"));
        c.add(bad("v1 IPv6 in brackets", "PROXY TCP6 [::1] ::1 1 2\r\n"));
        c.add(bad("v1 port above 65535", "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n"));
        c.add(bad("v1 port with a leading zero", "PROXY TCP4 1.2.3.4 5.6.7.8 080 2\r\n"));
        c.add(bad("v1 port with a sign", "PROXY TCP4 1.2.3.4 5.6.7.8 +80 2\r\n"));
        c.add(bad("v1 port of six digits", "PROXY TCP4 1.2.3.4 5.6.7.8 1 000001\r\n"));
        c.add(new Invalid("v1 at 108 bytes", v1Unknown(108)));
        c.add(new Invalid("v1 without CRLF, 200 bytes", ascii("PROXY UNKNOWN " + "x".repeat(186))));
        byte[] sig = v2(0x21, 0x11, new byte[12]);
        c.add(new Invalid("v2 signature altered", altered(sig, 11, 0x0B)));
        c.add(new Invalid("v2 version 1", altered(sig, 12, 0x11)));
        c.add(new Invalid("v2 version 3", altered(sig, 12, 0x31)));
        c.add(new Invalid("v2 command 2", altered(sig, 12, 0x22)));
        c.add(new Invalid("v2 family 4", altered(sig, 13, 0x41)));
        c.add(new Invalid("v2 protocol 3", altered(sig, 13, 0x13)));
        c.add(new Invalid("v2 family INET, protocol UNSPEC", altered(sig, 13, 0x10)));
        c.add(new Invalid("v2 UDP over IPv4", altered(sig, 13, 0x12)));
        c.add(new Invalid("v2 UDP over IPv6", v2(0x21, 0x22, new byte[36])));
        c.add(new Invalid("v2 UNIX datagram", v2(0x21, 0x32, new byte[216])));
        c.add(new Invalid("v2 TCP4 block too short", v2(0x21, 0x11, new byte[11])));
        c.add(new Invalid("v2 TCP6 block too short", v2(0x21, 0x21, new byte[35])));
        c.add(new Invalid("v2 UNIX block too short", v2(0x21, 0x31, new byte[215])));
        c.add(new Invalid("v2 a truncated TLV header", v2(0x21, 0x11, concat(new byte[12], new byte[]{0x04, 0}))));
        c.add(new Invalid("v2 a TLV longer than the header", v2(0x21, 0x11, concat(new byte[12], new byte[]{0x04, 0, 5, 1, 2}))));
        c.add(new Invalid("v2 one byte over the largest length",
                v2(0x21, 0x31, concat(new byte[216], tlv(0x04, new byte[ProxyHeaderParser.MAX_TLV_BYTES - 2])))));
        return c.stream();
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validHeaderInEverySplit(Valid v) throws Exception {
        byte[] input = concat(v.header(), HTTP);
        for (int split = 0; split <= input.length; split++) {
            ProxyHeaderParser p = new ProxyHeaderParser();
            int first = p.feed(input, 0, split);
            int consumed = first;
            if (!p.isComplete()) {
                assertThat(first).as("split %d: a partial header is taken whole", split).isEqualTo(split);
                consumed += p.feed(input, split, input.length - split);
            }
            assertThat(p.isComplete()).as("split %d", split).isTrue();
            assertThat(consumed).as("split %d: the header's bytes, not the HTTP after it", split).isEqualTo(v.header().length);
            assertThat(p.header()).as("split %d", split).isEqualTo(v.expect());
        }
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validHeaderByteByByte(Valid v) throws Exception {
        ProxyHeaderParser p = new ProxyHeaderParser();
        byte[] h = v.header();
        for (int i = 0; i < h.length; i++) {
            assertThat(p.isComplete()).as("complete before byte %d", i).isFalse();
            assertThat(p.feed(h, i, 1)).isEqualTo(1);
        }
        assertThat(p.header()).isEqualTo(v.expect());
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidHeaderRefusedWhole(Invalid c) {
        ProxyHeaderParser p = new ProxyHeaderParser();
        assertThatThrownBy(() -> p.feed(c.input(), 0, c.input().length)).isInstanceOf(ProxyProtocolException.class);
        assertThatThrownBy(() -> p.feed(HTTP, 0, HTTP.length)).as("stays failed").isInstanceOf(ProxyProtocolException.class);
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidHeaderRefusedByteByByte(Invalid c) {
        ProxyHeaderParser p = new ProxyHeaderParser();
        byte[] in = c.input();
        assertThatThrownBy(() -> {
            for (int i = 0; i < in.length; i++) p.feed(in, i, 1);
        }).isInstanceOf(ProxyProtocolException.class);
        assertThat(p.isComplete()).isFalse();
    }

    @Test
    void httpIsRefusedAtItsFirstByte() {
        ProxyHeaderParser p = new ProxyHeaderParser();
        assertThatThrownBy(() -> p.feed(HTTP, 0, 1)).isInstanceOf(ProxyProtocolException.class);
        ProxyHeaderParser put = new ProxyHeaderParser();
        byte[] b = ascii("PUT");
        assertThatThrownBy(() -> put.feed(b, 0, 2)).as("at the second byte").isInstanceOf(ProxyProtocolException.class);
    }

    @Test
    void oversizeV2IsRefusedFromItsPreamble() throws Exception {
        // 16 bytes that declare 65535 more: refused at once, before any of them is waited for.
        byte[] preamble = Arrays.copyOf(v2(0x21, 0x11, new byte[12]), 16);
        preamble[14] = (byte) 0xFF;
        preamble[15] = (byte) 0xFF;
        ProxyHeaderParser p = new ProxyHeaderParser();
        assertThat(p.feed(preamble, 0, 15)).isEqualTo(15);
        assertThatThrownBy(() -> p.feed(preamble, 15, 1)).hasMessageContaining("more than " + ProxyHeaderParser.V2_MAX_LENGTH);
    }

    @Test
    void aV1LineWaitsUntilItsBound() throws Exception {
        byte[] partial = Arrays.copyOf(v1Unknown(107), 106); // no CRLF yet, within the bound
        ProxyHeaderParser p = new ProxyHeaderParser();
        assertThat(p.feed(partial, 0, partial.length)).isEqualTo(106);
        assertThat(p.isComplete()).isFalse();
    }

    @Test
    void feedingAfterTheHeaderIsABug() throws Exception {
        ProxyHeaderParser p = new ProxyHeaderParser();
        byte[] h = ascii("PROXY UNKNOWN\r\n");
        p.feed(h, 0, h.length);
        assertThatThrownBy(() -> p.feed(HTTP, 0, HTTP.length)).isInstanceOf(IllegalStateException.class);
    }

    // ---------------------------------------------------------------- building headers

    private static Invalid bad(String name, String input) { return new Invalid(name, ascii(input)); }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

    /** "PROXY UNKNOWN xxx...\r\n" of exactly {@code length} bytes. */
    private static byte[] v1Unknown(int length) {
        String start = "PROXY UNKNOWN ";
        return ascii(start + "x".repeat(length - start.length() - 2) + "\r\n");
    }

    private static byte[] ip(String literal) {
        try {
            byte[] raw = InetAddress.getByName(literal).getAddress(); // literals only: no lookup
            if (literal.contains(":") && raw.length == 4) throw new IllegalArgumentException("use a plain IPv6 literal");
            return raw;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static byte[] altered(byte[] b, int at, int value) {
        byte[] c = b.clone();
        c[at] = (byte) value;
        return c;
    }

    private static ProxyHeader proxied(String src, int srcPort, String dst, int dstPort) throws Exception {
        return new ProxyHeader.Proxied(new InetSocketAddress(InetAddress.getByName(src), srcPort),
                new InetSocketAddress(InetAddress.getByName(dst), dstPort));
    }
}
