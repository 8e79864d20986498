package io.jepoll.http;

/**
 * A piece of a body made of a file: a region of the open file, sent by the kernel where
 * it can (sendfile), or a few bytes of framing between regions (multipart/byteranges).
 */
public sealed interface FilePart permits FilePart.Region, FilePart.Bytes {

    /** {@return bytes this part puts in the body; the parts' sum is the Content-Length} */
    long length();

    /**
     * {@code length} bytes of the file from {@code offset}.
     *
     * @param offset where the region starts in the file, {@code >= 0}
     * @param length bytes, {@code >= 0}; the file must hold them when sent
     */
    record Region(long offset, long length) implements FilePart {
        /**
         * Checks the bounds.
         *
         * @throws IllegalArgumentException when offset or length is negative
         */
        public Region {
            if (offset < 0 || length < 0) throw new IllegalArgumentException("negative region " + offset + "+" + length);
        }
    }

    /**
     * Bytes sent as they are (not copied: do not change the array).
     *
     * @param bytes framing, such as a multipart boundary and a part's header fields
     */
    record Bytes(byte[] bytes) implements FilePart {
        @Override
        public long length() { return bytes.length; }
    }
}
