package io.jepoll.http;

/**
 * A piece of a body made of a file: a region of the open file, sent by the kernel where
 * it can (sendfile), or a few bytes of framing between regions (multipart/byteranges).
 */
public sealed interface FilePart permits FilePart.Region, FilePart.Bytes {

    long length();

    /** {@code length} bytes of the file from {@code offset}. */
    record Region(long offset, long length) implements FilePart {
        public Region {
            if (offset < 0 || length < 0) throw new IllegalArgumentException("negative region " + offset + "+" + length);
        }
    }

    /** Bytes sent as they are (not copied: do not change the array). */
    record Bytes(byte[] bytes) implements FilePart {
        @Override
        public long length() { return bytes.length; }
    }
}
