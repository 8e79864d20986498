package io.jepoll.http;

/**
 * One satisfiable byte range, positions inclusive (RFC 9110 §14.1.2), already clipped to the representation.
 *
 * @param first offset of the first byte, {@code >= 0}
 * @param last  offset of the last byte, {@code >= first} and {@code < Long.MAX_VALUE} (lengths are longs)
 */
public record ByteRange(long first, long last) {

    /**
     * Checks the bounds.
     *
     * @throws IllegalArgumentException unless 0 &lt;= first &lt;= last &lt; Long.MAX_VALUE
     */
    public ByteRange {
        if (first < 0 || last < first || last == Long.MAX_VALUE) {
            throw new IllegalArgumentException("not a byte range: " + first + "-" + last);
        }
    }

    /** {@return bytes in the range, at least 1} */
    public long length() {
        return last - first + 1;
    }

    /**
     * The Content-Range field value of a 206 part (§14.4), e.g. {@code bytes 0-99/1234}.
     *
     * @param completeLength the representation's length in bytes, past {@code last}
     * @return the field value
     * @throws IllegalArgumentException when the range does not fit in completeLength
     */
    public String contentRange(long completeLength) {
        if (last >= completeLength) {
            throw new IllegalArgumentException(first + "-" + last + " does not fit in " + completeLength);
        }
        return "bytes " + first + "-" + last + "/" + completeLength;
    }
}
