package io.jepoll.server;

import io.jepoll.http.ByteRange;
import io.jepoll.http.FilePart;
import io.jepoll.http.Response;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A 206 with several ranges: a multipart/byteranges body (RFC 9110 14.6), each part with
 * its own Content-Type and Content-Range, the file's bytes between them sent as regions.
 */
final class MultipartRanges {
    private MultipartRanges() {}

    static Response of(List<ByteRange> ranges, long length, String type) {
        // Random, so it cannot occur in a file by design; 24 hex digits, well within the 70 allowed.
        String boundary = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE)
                + Integer.toHexString(ThreadLocalRandom.current().nextInt() | Integer.MIN_VALUE);
        List<FilePart> parts = new ArrayList<>(ranges.size() * 2 + 1);
        for (int i = 0; i < ranges.size(); i++) {
            ByteRange r = ranges.get(i);
            String partHead = (i == 0 ? "" : "\r\n") + "--" + boundary + "\r\n"
                    + "Content-Type: " + type + "\r\n"
                    + "Content-Range: " + r.contentRange(length) + "\r\n\r\n";
            parts.add(new FilePart.Bytes(partHead.getBytes(StandardCharsets.ISO_8859_1)));
            parts.add(new FilePart.Region(r.first(), r.length()));
        }
        parts.add(new FilePart.Bytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        return Response.fileParts(206, parts).withHeader("Content-Type", "multipart/byteranges; boundary=" + boundary);
    }
}
