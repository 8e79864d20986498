package io.jepoll.http;

/**
 * Resumable scanner for the syntax of a request head (RFC 9112 §2.2, §3, §5): the request line, then field lines
 * up to the empty line. The chunked decoder reuses it for the trailer section, where it checks the same syntax and
 * the same (cumulative) limits but records nothing.
 *
 * <p>Each byte is looked at once however the input is split: the state, and the offsets of a line in progress,
 * survive between calls, so a 16 KiB head fed one byte at a time costs O(n), not O(n²). Within a state a tight loop
 * runs over the bytes of one class (table lookups, no calls the JIT cannot inline).
 *
 * <p>Offsets are recorded as {@code index + delta}: the parser picks delta so they are positions in the array that
 * ends up holding the head (the caller's buffer, or the parser's carry array that earlier bytes were copied into).
 * The meaning of the fields (Host, Content-Length, ...) is left to {@link HeadSemantics}, which runs once the head
 * is complete and contiguous.
 */
final class HeadScanner {

    private static final int START = 0;       // before the request line: empty lines are skipped (§2.2)
    private static final int START_LF = 1;    // CR of an empty line seen
    private static final int METHOD = 2;
    private static final int TARGET = 3;
    private static final int VERSION = 4;     // inside "HTTP/x.y", versionIndex says where
    private static final int VERSION_END = 5; // only the line terminator may follow
    private static final int LINE_LF = 6;     // CR of the request line seen
    private static final int FIELD_START = 7;
    private static final int NAME = 8;
    private static final int OWS = 9;         // between colon and value
    private static final int VALUE = 10;
    private static final int FIELD_LF = 11;   // CR of a field line seen
    private static final int END_LF = 12;     // CR of the empty line that ends the section seen
    private static final int DONE = 13;

    private static final byte[] HTTP_SLASH = {'H', 'T', 'T', 'P', '/'};
    private static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long HTTP_1_1 = word("HTTP/1.1");
    private static final long HTTP_1_0 = word("HTTP/1.0");

    private static long word(String s) {
        long w = 0;
        for (int k = 7; k >= 0; k--) w = (w << 8) | (s.charAt(k) & 0xFF);
        return w;
    }

    private final HttpLimits limits;
    private final Request request;

    private int state = START;
    private boolean recording = true;
    /** Bytes of the current section (request line with leading empty lines, or field section) before this call. */
    private int used;
    private int fieldLines;
    private int fieldBytes;
    private int versionIndex;
    private int major;
    private int nameStart, nameEnd, valueStart, valueEnd;

    HeadScanner(HttpLimits limits, Request request) {
        this.limits = limits;
        this.request = request;
    }

    /**
     * Scans a[i, end). Returns the index just past the empty line that ends the head (or trailer section), or -1
     * when every byte was consumed and more are needed.
     */
    int scan(byte[] a, int i, int end, int delta) throws HttpException {
        int origin = i - used; // so that (j - origin) is the size of the current section up to index j
        int st = state;
        while (i < end) {
            switch (st) {
                case START -> {
                    byte b = a[i];
                    if (b == '\n') {
                        i++;
                    } else if (b == '\r') {
                        i++;
                        st = START_LF;
                    } else if (Ascii.isToken(b)) {
                        request.methodStart = i + delta;
                        st = METHOD;
                    } else {
                        throw bad("invalid request line");
                    }
                    if (i - origin > limits.maxRequestLine()) {
                        throw requestLineTooLong();
                    }
                }
                case START_LF -> {
                    if (a[i] != '\n') {
                        throw bareCr();
                    }
                    i++;
                    st = START;
                    if (i - origin > limits.maxRequestLine()) {
                        throw requestLineTooLong();
                    }
                }
                case METHOD -> {
                    while (i < end && Ascii.isToken(a[i])) {
                        i++;
                    }
                    if (i < end) {
                        if (a[i] != ' ') {
                            throw bad("invalid method");
                        }
                        request.methodEnd = i + delta;
                        i++;
                        request.targetStart = i + delta;
                        st = TARGET;
                    }
                }
                case TARGET -> {
                    while (i < end && Ascii.isTargetChar(a[i])) {
                        i++;
                    }
                    if (i < end) {
                        byte b = a[i];
                        if (b != ' ') {
                            throw bad(b == '#' ? "fragment in request-target" : "invalid request-target");
                        }
                        if (i + delta == request.targetStart) {
                            throw bad("empty request-target");
                        }
                        request.targetEnd = i + delta;
                        i++;
                        versionIndex = 0;
                        st = VERSION;
                    }
                }
                case VERSION -> {
                    // Fast path: the whole "HTTP/1.1" (or 1.0) is here; compare it as one 8-byte word.
                    if (versionIndex == 0 && end - i >= 8) {
                        long word = (long) LONG_LE.get(a, i);
                        if (word == HTTP_1_1 || word == HTTP_1_0) {
                            major = 1;
                            request.versionMinor = word == HTTP_1_1 ? 1 : 0;
                            i += 8;
                            st = VERSION_END;
                            continue;
                        }
                    }
                    byte b = a[i];
                    int k = versionIndex;
                    if (k < 5) {
                        if (b != HTTP_SLASH[k]) {
                            throw badVersion();
                        }
                    } else if (k == 6) {
                        if (b != '.') {
                            throw badVersion();
                        }
                    } else if (b < '0' || b > '9') {
                        throw badVersion();
                    } else if (k == 5) {
                        major = b - '0';
                    } else {
                        request.versionMinor = b == '0' ? 0 : 1;
                    }
                    i++;
                    if (++versionIndex == 8) {
                        st = VERSION_END;
                    }
                }
                case VERSION_END -> {
                    byte b = a[i];
                    if (b != '\r' && b != '\n') {
                        throw badVersion();
                    }
                    if (i - origin > limits.maxRequestLine()) {
                        throw requestLineTooLong();
                    }
                    if (major != 1) {
                        throw new HttpException(505, "HTTP version not supported");
                    }
                    request.lineEnd = i + delta;
                    i++;
                    if (b == '\r') {
                        st = LINE_LF;
                    } else {
                        origin = i;
                        st = FIELD_START;
                    }
                }
                case LINE_LF -> {
                    if (a[i] != '\n') {
                        throw bareCr();
                    }
                    i++;
                    origin = i;
                    st = FIELD_START;
                }
                case FIELD_START -> {
                    byte b = a[i];
                    if (Ascii.isToken(b)) {
                        nameStart = i + delta;
                        i++;
                        st = NAME;
                    } else if (b == '\r' || b == '\n') {
                        fieldBytes = i - origin;
                        i++;
                        if (b == '\n') {
                            state = DONE;
                            return i;
                        }
                        st = END_LF;
                    } else if (Ascii.isOws(b)) {
                        // obs-fold, or whitespace before the first field line: RFC 9112 §5.2 and §2.2 allow rejecting both
                        throw bad("line folding or whitespace at the start of a field line");
                    } else {
                        throw bad("invalid field name");
                    }
                }
                case NAME -> {
                    while (i < end && Ascii.isToken(a[i])) {
                        i++;
                    }
                    if (i < end) {
                        byte b = a[i];
                        if (b != ':') {
                            throw bad(Ascii.isOws(b) ? "whitespace between field name and colon" : "invalid field name");
                        }
                        nameEnd = i + delta;
                        i++;
                        st = OWS;
                    }
                }
                case OWS -> {
                    while (i < end && Ascii.isOws(a[i])) {
                        i++;
                    }
                    if (i < end) {
                        valueStart = i + delta;
                        st = VALUE;
                    }
                }
                case VALUE -> {
                    while (i < end && Ascii.isValueChar(a[i])) {
                        i++;
                    }
                    if (i < end) {
                        byte b = a[i];
                        if (b != '\r' && b != '\n') {
                            throw bad("invalid byte in field value");
                        }
                        valueEnd = i + delta; // trailing OWS is trimmed once the head is contiguous
                        i++;
                        if (b == '\r') {
                            st = FIELD_LF;
                        } else {
                            endField(i - origin);
                            st = FIELD_START;
                        }
                    }
                }
                case FIELD_LF -> {
                    if (a[i] != '\n') {
                        throw bareCr();
                    }
                    i++;
                    endField(i - origin);
                    st = FIELD_START;
                }
                case END_LF -> {
                    if (a[i] != '\n') {
                        throw bareCr();
                    }
                    state = DONE;
                    return i + 1;
                }
                default -> throw new IllegalStateException("scan after the end of the section");
            }
        }
        state = st;
        used = end - origin;
        // Limits are checked when a line ends; a line still open is checked here, so an over-long one is refused
        // as soon as its bytes arrive and the parser never stores more than the limits allow.
        if (st <= VERSION_END) {
            if (used > limits.maxRequestLine()) {
                throw requestLineTooLong();
            }
        } else if (st >= NAME && st <= FIELD_LF && used > limits.maxHeaderSize()) {
            throw headerTooLarge();
        }
        return -1;
    }

    /** Whether the request line has begun, i.e. whether bytes of this head must be kept. */
    boolean inRequestLine() {
        return state >= METHOD;
    }

    /** Continues with a trailer section: same syntax, limits shared with the header section, nothing recorded. */
    void beginTrailers() {
        state = FIELD_START;
        recording = false;
        used = fieldBytes;
    }

    /** The bytes of the open line moved by shift (copied to the carry array). */
    void rebase(int shift) {
        nameStart += shift;
        nameEnd += shift;
        valueStart += shift;
        valueEnd += shift;
    }

    void reset() {
        state = START;
        recording = true;
        used = fieldLines = fieldBytes = versionIndex = major = 0;
    }

    private void endField(int sectionBytes) throws HttpException {
        if (sectionBytes > limits.maxHeaderSize()) {
            throw headerTooLarge();
        }
        if (++fieldLines > limits.maxHeaderCount()) {
            throw new HttpException(431, "too many header fields");
        }
        if (recording) {
            request.addField(nameStart, nameEnd, valueStart, valueEnd);
        }
    }

    private static HttpException bad(String reason) {
        return new HttpException(400, reason);
    }

    private static HttpException bareCr() {
        return bad("CR not followed by LF");
    }

    private static HttpException badVersion() {
        return bad("invalid HTTP version");
    }

    private static HttpException requestLineTooLong() {
        return new HttpException(414, "request line too long");
    }

    private static HttpException headerTooLarge() {
        return new HttpException(431, "header section too large");
    }
}
