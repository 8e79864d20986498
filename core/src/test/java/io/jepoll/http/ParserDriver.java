package io.jepoll.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Drives a {@link RequestParser} the way the server will: each read lands in one buffer shared by all connections,
 * which is overwritten with garbage before the next read. A parser that kept a reference into it across NEED_MORE
 * (or across HEAD_COMPLETE at the end of a read) would see the garbage, and the snapshot would differ.
 */
final class ParserDriver {

    /** What a handler saw of one request, detached from the parser. */
    record Seen(String method, String target, String path, String query, int versionMinor, List<String> headers,
                String body, boolean keepAlive, boolean chunked, long contentLength, boolean expectContinue) {

        /** The parts an encoder controls (what must survive a round trip). */
        String essence() {
            return method + " " + target + " 1." + versionMinor + " " + headers + " body=" + body;
        }
    }

    /** The requests completed, in order, and the status of the error that stopped parsing (0 when none). */
    record Outcome(List<Seen> requests, int status, int headCompletes, boolean inProgressAtEnd) {
    }

    private ParserDriver() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static Outcome whole(byte[] input, HttpLimits limits) {
        return run(input, limits, new int[] {Math.max(1, input.length)});
    }

    static Outcome oneByteAtATime(byte[] input, HttpLimits limits) {
        return run(input, limits, new int[] {1});
    }

    /** Feeds input in reads of the given sizes, used cyclically (a size below 1 counts as 1). */
    static Outcome run(byte[] input, HttpLimits limits, int[] readSizes) {
        RequestParser parser = new RequestParser(limits);
        List<Seen> seen = new ArrayList<>();
        int maxRead = 1;
        for (int s : readSizes) {
            maxRead = Math.max(maxRead, s);
        }
        byte[] shared = new byte[Math.min(maxRead, Math.max(1, input.length)) + 7];
        SplittableRandom garbage = new SplittableRandom(input.length);
        int heads = 0;
        int pos = 0;
        int k = 0;
        try {
            while (pos < input.length) {
                int n = Math.min(Math.max(1, readSizes[k++ % readSizes.length]), input.length - pos);
                fillWithGarbage(shared, garbage);
                int off = garbage.nextInt(shared.length - n + 1); // reads do not always start at index 0
                System.arraycopy(input, pos, shared, off, n);
                pos += n;
                int len = n;
                do {
                    int consumed = parser.feed(shared, off, len);
                    if (consumed < 0 || consumed > len) {
                        throw new AssertionError("consumed " + consumed + " of " + len);
                    }
                    off += consumed;
                    len -= consumed;
                    switch (parser.event()) {
                        case REQUEST_COMPLETE -> {
                            seen.add(snapshot(parser.request()));
                            if (parser.inProgress()) {
                                throw new AssertionError("inProgress after REQUEST_COMPLETE");
                            }
                            parser.reset();
                        }
                        case HEAD_COMPLETE -> {
                            heads++;
                            if (!parser.request().hasBody()) {
                                throw new AssertionError("HEAD_COMPLETE for a request without body");
                            }
                        }
                        case NEED_MORE -> {
                            if (len != 0) {
                                throw new AssertionError("NEED_MORE with " + len + " bytes left unconsumed");
                            }
                        }
                    }
                } while (len > 0);
            }
        } catch (HttpException e) {
            return new Outcome(seen, e.status(), heads, parser.inProgress());
        }
        return new Outcome(seen, 0, heads, parser.inProgress());
    }

    static Seen snapshot(Request r) {
        List<String> headers = new ArrayList<>(r.headerCount());
        for (int i = 0; i < r.headerCount(); i++) {
            headers.add(r.headerName(i) + ": " + r.headerValue(i));
        }
        return new Seen(r.method(), r.target(), r.path(), r.query(), r.versionMinor(), headers,
                new String(r.body(), StandardCharsets.ISO_8859_1), r.keepAlive(), r.chunked(), r.contentLength(),
                r.expectContinue());
    }

    private static void fillWithGarbage(byte[] shared, SplittableRandom random) {
        for (int i = 0; i < shared.length; i++) {
            shared[i] = (byte) random.nextInt(256);
        }
        // a few bytes that a confused parser could take for structure
        Arrays.fill(shared, 0, Math.min(2, shared.length), (byte) '\n');
    }
}
