package io.jepoll.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A tiny request writer for tests: what a client would send for a {@link Spec}, and what the parser must see. */
final class TestEncoder {

    enum Framing { NONE, LENGTH, CHUNKED }

    record Field(String name, String value) {
    }

    /**
     * A request to write. Field values must not start or end with SP/HTAB (the parser trims them). For CHUNKED,
     * chunkSizes split the body (the remainder goes into one more chunk) and extensions are written after each size.
     *
     * @param lf        use bare LF line terminators instead of CRLF (RFC 9112 §2.2)
     * @param ows       whitespace written around every field value
     * @param leading   empty lines written before the request line
     * @param sizeWidth chunk sizes are zero-padded to this many hex digits (0: no padding), as some clients do
     */
    record Spec(String method, String target, int versionMinor, List<Field> fields, byte[] body, Framing framing,
                List<Integer> chunkSizes, List<String> extensions, List<Field> trailers, boolean lf, String ows,
                int leading, int sizeWidth) {
    }

    private TestEncoder() {
    }

    static byte[] encode(Spec s) {
        String eol = s.lf() ? "\n" : "\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.leading(); i++) {
            write(out, eol);
        }
        write(out, s.method() + " " + s.target() + " HTTP/1." + s.versionMinor() + eol);
        for (Field f : headerFields(s)) {
            write(out, f.name() + ":" + s.ows() + f.value() + s.ows() + eol);
        }
        write(out, eol);
        switch (s.framing()) {
            case NONE -> {
            }
            case LENGTH -> out.writeBytes(s.body());
            case CHUNKED -> {
                int pos = 0;
                int k = 0;
                List<Integer> sizes = new ArrayList<>(s.chunkSizes());
                while (pos < s.body().length) {
                    int n = k < sizes.size() ? Math.min(Math.max(1, sizes.get(k)), s.body().length - pos)
                            : s.body().length - pos;
                    String ext = s.extensions().isEmpty() ? "" : s.extensions().get(k % s.extensions().size());
                    write(out, hex(n, s.sizeWidth()) + ext + eol);
                    out.write(s.body(), pos, n);
                    write(out, eol);
                    pos += n;
                    k++;
                }
                write(out, hex(0, s.sizeWidth()) + eol);
                for (Field f : s.trailers()) {
                    write(out, f.name() + ":" + s.ows() + f.value() + s.ows() + eol);
                }
                write(out, eol);
            }
        }
        return out.toByteArray();
    }

    /** The fields the parser must report: the spec's own, then the framing ones the encoder adds. */
    static List<Field> headerFields(Spec s) {
        List<Field> all = new ArrayList<>(s.fields());
        switch (s.framing()) {
            case NONE -> {
            }
            case LENGTH -> all.add(new Field("Content-Length", Integer.toString(s.body().length)));
            case CHUNKED -> all.add(new Field("Transfer-Encoding", "chunked"));
        }
        return all;
    }

    /** What a handler must see for s (the parts the encoder controls, as in {@link ParserDriver.Seen#essence()}). */
    static String expectedEssence(Spec s) {
        List<String> headers = new ArrayList<>();
        for (Field f : headerFields(s)) {
            headers.add(f.name() + ": " + f.value());
        }
        byte[] body = s.framing() == Framing.NONE ? new byte[0] : s.body();
        return s.method() + " " + s.target() + " 1." + s.versionMinor() + " " + headers + " body="
                + new String(body, StandardCharsets.ISO_8859_1);
    }

    private static String hex(int n, int width) {
        String h = Integer.toHexString(n);
        return h.length() >= width ? h : "0".repeat(width - h.length()) + h;
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
