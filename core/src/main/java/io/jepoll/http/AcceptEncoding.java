package io.jepoll.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Content negotiation on {@code Accept-Encoding} (RFC 9110 §12.5.3), for choosing a precompressed file.
 *
 * <pre>
 *   Accept-Encoding = #( codings [ weight ] )        codings = content-coding / "identity" / "*"
 *   weight = OWS ";" OWS "q=" qvalue                  qvalue  = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
 * </pre>
 *
 * <p>Rules, from §12.5.3 unless said otherwise:
 * <ul>
 *   <li>No header: any coding is acceptable ({@link #accepts} is true), but {@link #preferred} answers identity:
 *       a client that did not say it can decode br is not sent br.</li>
 *   <li>An empty header: only identity.</li>
 *   <li>A listed coding is acceptable unless its q is 0; an unlisted one takes the q of {@code *}, or is refused.
 *       identity is acceptable unless it is listed with q=0, or unlisted while {@code *;q=0} is.</li>
 *   <li>Names are case-insensitive (ASCII); {@code x-gzip} and {@code x-compress} are gzip and compress
 *       (§8.4.1.1, §8.4.1.3).</li>
 *   <li>A coding listed twice takes its lowest q: a refusal is never overridden by a repetition.</li>
 *   <li>A value that breaks the grammar (a parameter other than q, q above 1, more than three decimals, a
 *       missing comma) or the bounds ({@link #MAX_FIELD_LENGTH} chars, {@link #MAX_CODINGS} codings) is read as
 *       an empty header, identity only: the one answer that is safe whatever the client meant.</li>
 * </ul>
 */
public final class AcceptEncoding {

    /** Chars of one Accept-Encoding value; longer is read as "identity only" without being parsed. */
    public static final int MAX_FIELD_LENGTH = 4096;

    /** Codings in one value (empty list elements do not count); more is read as "identity only". */
    public static final int MAX_CODINGS = 64;

    private static final String IDENTITY = "identity";
    private static final String ANY = "*";
    private static final int UNLISTED = -1;

    /** A listed coding (lower case, x- aliases resolved) and its q in thousandths. */
    private record Weight(String coding, int q) {
    }

    private AcceptEncoding() {
    }

    /**
     * Whether a representation in {@code coding} (a content-coding name, or "identity" for none) is acceptable
     * to a client that sent {@code acceptEncodingHeader} (null: absent). Never throws for any header value.
     *
     * @param acceptEncodingHeader the field value as received, or null when the request had none
     * @param coding               a content-coding name (case-insensitive), or "identity"; not null
     * @return true when the client may be sent that coding
     */
    public static boolean accepts(String acceptEncodingHeader, String coding) {
        String c = normalise(Objects.requireNonNull(coding, "coding"), 0, coding.length());
        if (acceptEncodingHeader == null) {
            return true;
        }
        List<Weight> weights = parse(acceptEncodingHeader);
        if (weights == null) {
            return c.equals(IDENTITY);
        }
        int q = listed(weights, c);
        if (q != UNLISTED) {
            return q > 0;
        }
        int any = listed(weights, ANY);
        if (c.equals(IDENTITY)) {
            return any != 0;
        }
        return any > 0;
    }

    /**
     * The best of {@code available} (e.g. ["br", "gzip"], the server's order of preference) for this header, or
     * null for identity: the highest q wins, ties go to the earlier in available, and identity wins when the
     * client listed it with a higher q than the best coding. Null header: null (see the class comment).
     * Entries of available that are "identity" are skipped; the one returned is the caller's own string.
     *
     * @param header    the Accept-Encoding value as received, or null when the request had none
     * @param available the codings the server has, best first; not null
     * @return one of the strings of available, or null to send the representation as it is
     */
    public static String preferred(String header, List<String> available) {
        Objects.requireNonNull(available, "available");
        if (header == null) {
            return null;
        }
        List<Weight> weights = parse(header);
        if (weights == null) {
            return null;
        }
        int any = listed(weights, ANY);
        String best = null;
        int bestQ = 0;
        for (String candidate : available) {
            String c = normalise(candidate, 0, candidate.length());
            if (c.equals(IDENTITY) || c.equals(ANY)) {
                continue;
            }
            int q = listed(weights, c);
            if (q == UNLISTED) {
                q = Math.max(any, 0);
            }
            if (q > bestQ) {
                best = candidate;
                bestQ = q;
            }
        }
        return best != null && listed(weights, IDENTITY) > bestQ ? null : best;
    }

    /** The lowest q listed for coding, or UNLISTED. */
    private static int listed(List<Weight> weights, String coding) {
        int q = UNLISTED;
        for (Weight w : weights) {
            if (w.coding.equals(coding) && (q == UNLISTED || w.q < q)) {
                q = w.q;
            }
        }
        return q;
    }

    /** The listed codings, or null when the value breaks the grammar or the bounds. */
    private static List<Weight> parse(String s) {
        if (s.length() > MAX_FIELD_LENGTH) {
            return null;
        }
        int to = s.length();
        List<Weight> out = new ArrayList<>();
        boolean afterElement = false;
        int p = 0;
        while (p < to) {
            char c = s.charAt(p);
            if (FieldChars.isOws(c)) {
                p++;
                continue;
            }
            if (c == ',') {
                afterElement = false;
                p++;
                continue;
            }
            if (afterElement || out.size() == MAX_CODINGS) {
                return null;
            }
            int end = p;
            while (end < to && FieldChars.isTokenChar(s.charAt(end))) {
                end++;
            }
            if (end == p) {
                return null;
            }
            String coding = normalise(s, p, end);
            p = FieldChars.skipOws(s, end, to);
            int q = 1000;
            if (p < to && s.charAt(p) == ';') {
                p = FieldChars.skipOws(s, p + 1, to);
                if (p + 1 >= to || FieldChars.lower(s.charAt(p)) != 'q' || s.charAt(p + 1) != '=') {
                    return null;
                }
                p += 2;
                int qEnd = qvalueEnd(s, p, to);
                if (qEnd < 0) {
                    return null;
                }
                q = qvalue(s, p, qEnd);
                p = qEnd;
            }
            out.add(new Weight(coding, q));
            afterElement = true;
        }
        return out;
    }

    /** End of the qvalue at p, or -1: "0", "0.", "0.5", "0.123", "1", "1.", "1.000"; nothing above 1. */
    private static int qvalueEnd(String s, int p, int to) {
        if (p >= to || s.charAt(p) != '0' && s.charAt(p) != '1') {
            return -1;
        }
        boolean one = s.charAt(p) == '1';
        int e = p + 1;
        if (e < to && s.charAt(e) == '.') {
            e++;
            int decimals = 0;
            while (e < to && s.charAt(e) >= '0' && s.charAt(e) <= '9') {
                if (++decimals > 3 || one && s.charAt(e) != '0') {
                    return -1;
                }
                e++;
            }
        }
        return e < to && FieldChars.isTokenChar(s.charAt(e)) ? -1 : e;
    }

    /** Thousandths of a qvalue already checked by qvalueEnd. */
    private static int qvalue(String s, int from, int to) {
        if (s.charAt(from) == '1') {
            return 1000;
        }
        int v = 0;
        int scale = 100;
        for (int p = from + 2; p < to; p++) {
            v += (s.charAt(p) - '0') * scale;
            scale /= 10;
        }
        return v;
    }

    /** Lower case, with the x- aliases of §8.4.1 resolved. */
    private static String normalise(String s, int from, int to) {
        String c = FieldChars.lowerAscii(s, from, to);
        return switch (c) {
            case "x-gzip" -> "gzip";
            case "x-compress" -> "compress";
            default -> c;
        };
    }
}
