package io.jepoll.http;

import java.io.ByteArrayOutputStream;

/** Builds PROXY protocol v2 headers for tests, byte by byte as the specification lays them out. */
public final class ProxyHeaders {
    private ProxyHeaders() {}

    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /** Signature, version/command byte, family/protocol byte, the block's length, the block. */
    public static byte[] v2(int versionCommand, int familyProtocol, byte[] block) {
        byte[] h = new byte[16 + block.length];
        System.arraycopy(SIGNATURE, 0, h, 0, 12);
        h[12] = (byte) versionCommand;
        h[13] = (byte) familyProtocol;
        h[14] = (byte) (block.length >> 8);
        h[15] = (byte) block.length;
        System.arraycopy(block, 0, h, 16, block.length);
        return h;
    }

    /** One TLV: type, 16-bit length, value. */
    public static byte[] tlv(int type, byte[] value) {
        return concat(new byte[]{(byte) type, (byte) (value.length >> 8), (byte) value.length}, value);
    }

    /** A port in network order. */
    public static byte[] port(int p) { return new byte[]{(byte) (p >> 8), (byte) p}; }

    /** The parts one after the other. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
