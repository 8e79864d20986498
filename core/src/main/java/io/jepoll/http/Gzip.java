package io.jepoll.http;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The gzip file format (RFC 1952) around raw deflate data (RFC 1951), written by hand so that the
 * {@link Deflater} can come from a pool: {@link java.util.zip.GZIPOutputStream} makes and ends its own.
 *
 * <pre>
 *   member  = header deflate-data trailer
 *   header  = 1f 8b 08 FLG MTIME(4) XFL OS      10 bytes; no name, no comment, no header CRC
 *   trailer = CRC32(4) ISIZE(4)                 little-endian; ISIZE is the input length mod 2^32
 * </pre>
 *
 * MTIME is 0 ("no time stamp": the body has none), XFL 0, OS 255 ("unknown": the JVM's host does not
 * matter to the data). The deflater must be a raw one, {@code new Deflater(level, true)}: the zlib
 * wrapper of the default constructor is not gzip.
 */
public final class Gzip {
    private Gzip() {}

    /** The 10-byte member header every gzip body starts with. */
    static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    /** Bytes of the trailer: CRC32 and ISIZE. */
    static final int TRAILER_LENGTH = 8;

    /**
     * The whole gzip member for {@code data[off, off + len)}, in an array of its exact length.
     *
     * @param deflater a raw deflater ({@code nowrap}), reset or new; it is left finished: reset it before reuse
     * @param data     the bytes to compress
     * @param off      where they start
     * @param len      how many
     * @return the compressed body
     */
    public static byte[] compress(Deflater deflater, byte[] data, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, data.length);
        CRC32 crc = new CRC32();
        crc.update(data, off, len);
        // Text and JSON shrink four to ten times: a quarter is rarely outgrown, and growing is a copy.
        byte[] out = new byte[Math.max(64, len / 4 + HEADER.length + TRAILER_LENGTH)];
        System.arraycopy(HEADER, 0, out, 0, HEADER.length);
        int n = HEADER.length;
        deflater.setInput(data, off, len);
        deflater.finish();
        while (!deflater.finished()) {
            if (n == out.length) out = Arrays.copyOf(out, out.length * 2);
            n += deflater.deflate(out, n, out.length - n);
        }
        if (out.length - n < TRAILER_LENGTH) out = Arrays.copyOf(out, n + TRAILER_LENGTH);
        n = putTrailer(out, n, crc.getValue(), len);
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** Writes CRC32 and ISIZE at {@code at}; returns the end. */
    static int putTrailer(byte[] out, int at, long crc, long size) {
        putIntLe(out, at, crc);
        putIntLe(out, at + 4, size);
        return at + TRAILER_LENGTH;
    }

    /** The low 32 bits of {@code v}, least significant byte first. */
    static void putIntLe(byte[] out, int at, long v) {
        out[at] = (byte) v;
        out[at + 1] = (byte) (v >>> 8);
        out[at + 2] = (byte) (v >>> 16);
        out[at + 3] = (byte) (v >>> 24);
    }
}
