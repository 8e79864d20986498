package io.jepoll.http;

/**
 * Resumable decoder of the chunked transfer coding (RFC 9112 §7.1): chunk-size lines with their extensions, chunk
 * data into the body, then the trailer section, whose field lines the {@link HeadScanner} checks and drops.
 *
 * <p>Like the head scanner it keeps its state between calls and never looks back, so it needs no copy of a partial
 * chunk line: only the data bytes are copied, once, into the body.
 */
final class ChunkedDecoder {

    // The chunk line: chunk-size [ chunk-ext ] CRLF, chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] )
    private static final int SIZE = 0;
    private static final int DELIMITER = 1;    // after the size or an extension: ';', BWS, or the line end
    private static final int SEMICOLON = 2;    // after BWS: only ';' may follow
    private static final int NAME_START = 3;   // after ';'
    private static final int NAME = 4;
    private static final int AFTER_NAME = 5;   // BWS after a name: '=' or ';'
    private static final int VALUE_START = 6;  // after '='
    private static final int TOKEN_VALUE = 7;
    private static final int QUOTED = 8;
    private static final int QUOTED_ESCAPE = 9;
    private static final int LINE_LF = 10;     // the line's CR was seen, or its LF is next
    private static final int DATA = 11;
    private static final int DATA_CR = 12;     // chunk data must end with CRLF (or LF)
    private static final int DATA_LF = 13;
    private static final int TRAILERS = 14;
    private static final int DONE = 15;

    private static final int MAX_SIZE_DIGITS = 16;

    private final HttpLimits limits;
    private final HeadScanner trailers;
    private final BodyBuffer body;
    private final long maxBody;

    private int state = SIZE;
    private long size;
    private int digits;
    private long remaining;
    private int lineUsed; // bytes of the open chunk line seen in earlier calls

    ChunkedDecoder(HttpLimits limits, HeadScanner trailers, BodyBuffer body, long maxBody) {
        this.limits = limits;
        this.trailers = trailers;
        this.body = body;
        this.maxBody = maxBody;
    }

    /** Decodes a[i, end): returns the index just past the trailer section's empty line, or -1 when more is needed. */
    int decode(byte[] a, int i, int end) throws HttpException {
        int origin = i - lineUsed; // (j - origin) = bytes of the current chunk line before index j
        int st = state;
        while (i < end) {
            switch (st) {
                case SIZE -> {
                    int v;
                    while (i < end && (v = Ascii.hexValue(a[i])) >= 0) {
                        if (++digits > MAX_SIZE_DIGITS || (size >>> 59) != 0) {
                            throw bad("chunk size too large");
                        }
                        size = size << 4 | v;
                        i++;
                    }
                    if (i < end) {
                        if (digits == 0) {
                            throw bad("missing chunk size");
                        }
                        st = DELIMITER;
                    }
                }
                case DELIMITER -> {
                    byte b = a[i];
                    if (b == ';') {
                        i++;
                        st = NAME_START;
                    } else if (Ascii.isOws(b)) {
                        st = SEMICOLON;
                    } else if (b == '\r' || b == '\n') {
                        if (i - origin > limits.maxChunkLine()) {
                            throw chunkLineTooLong();
                        }
                        if (b == '\r') {
                            i++;
                        }
                        st = LINE_LF;
                    } else {
                        throw bad("invalid chunk line");
                    }
                }
                case SEMICOLON -> {
                    i = Ascii.skipOws(a, i, end);
                    if (i < end) {
                        if (a[i] != ';') {
                            throw bad("invalid chunk extension");
                        }
                        i++;
                        st = NAME_START;
                    }
                }
                case NAME_START -> {
                    i = Ascii.skipOws(a, i, end);
                    if (i < end) {
                        if (!Ascii.isToken(a[i])) {
                            throw bad("invalid chunk extension");
                        }
                        i++;
                        st = NAME;
                    }
                }
                case NAME -> {
                    while (i < end && Ascii.isToken(a[i])) {
                        i++;
                    }
                    if (i < end) {
                        byte b = a[i];
                        if (b == '=') {
                            i++;
                            st = VALUE_START;
                        } else {
                            st = Ascii.isOws(b) ? AFTER_NAME : DELIMITER;
                        }
                    }
                }
                case AFTER_NAME -> {
                    i = Ascii.skipOws(a, i, end);
                    if (i < end) {
                        byte b = a[i];
                        if (b != '=' && b != ';') {
                            throw bad("invalid chunk extension");
                        }
                        i++;
                        st = b == '=' ? VALUE_START : NAME_START;
                    }
                }
                case VALUE_START -> {
                    i = Ascii.skipOws(a, i, end);
                    if (i < end) {
                        byte b = a[i];
                        if (b == '"') {
                            st = QUOTED;
                        } else if (Ascii.isToken(b)) {
                            st = TOKEN_VALUE;
                        } else {
                            throw bad("invalid chunk extension value");
                        }
                        i++;
                    }
                }
                case TOKEN_VALUE -> {
                    while (i < end && Ascii.isToken(a[i])) {
                        i++;
                    }
                    if (i < end) {
                        st = DELIMITER;
                    }
                }
                case QUOTED -> {
                    while (i < end && Ascii.isQuotedChar(a[i])) {
                        i++;
                    }
                    if (i < end) {
                        byte b = a[i++];
                        if (b == '"') {
                            st = DELIMITER;
                        } else if (b == '\\') {
                            st = QUOTED_ESCAPE;
                        } else {
                            throw bad("invalid chunk extension value");
                        }
                    }
                }
                case QUOTED_ESCAPE -> {
                    byte b = a[i];
                    // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                    if (b != '\t' && (b & 0xFF) < 0x20 || b == 0x7F) {
                        throw bad("invalid chunk extension value");
                    }
                    i++;
                    st = QUOTED;
                }
                case LINE_LF -> {
                    if (a[i] != '\n') {
                        throw bad("CR not followed by LF");
                    }
                    i++;
                    if (size == 0) {
                        trailers.beginTrailers();
                        st = TRAILERS;
                    } else {
                        if (size > maxBody - body.size()) {
                            throw new HttpException(413, "content too large");
                        }
                        remaining = size;
                        st = DATA;
                    }
                }
                case DATA -> {
                    int n = (int) Math.min(remaining, end - i);
                    body.append(a, i, n, body.size() + remaining);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        st = DATA_CR;
                    }
                }
                case DATA_CR, DATA_LF -> {
                    byte b = a[i];
                    if (b == '\r' && st == DATA_CR) {
                        i++;
                        st = DATA_LF;
                    } else if (b == '\n') {
                        i++;
                        origin = i;
                        size = 0;
                        digits = 0;
                        st = SIZE;
                    } else {
                        throw bad("chunk data not followed by CRLF");
                    }
                }
                case TRAILERS -> {
                    int stop = trailers.scan(a, i, end, 0);
                    if (stop >= 0) {
                        state = DONE;
                        return stop;
                    }
                    i = end;
                }
                default -> throw new IllegalStateException("decode after the end of the body");
            }
        }
        state = st;
        lineUsed = end - origin;
        if (st < LINE_LF && lineUsed > limits.maxChunkLine()) {
            throw chunkLineTooLong();
        }
        return -1;
    }

    void reset() {
        state = SIZE;
        size = remaining = 0;
        digits = lineUsed = 0;
    }

    private static HttpException bad(String reason) {
        return new HttpException(400, reason);
    }

    private static HttpException chunkLineTooLong() {
        return new HttpException(400, "chunk line too long");
    }
}
