package io.jepoll.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** gzip framing by hand (RFC 1952), checked by the JDK's own decoder and by reading the bytes. */
class GzipTest {

    static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    /** JSON-like text: repetitive enough to compress, varied enough not to be trivial. */
    static byte[] json(int n, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder(n + 100).append('[');
        String[] names = {"ada", "grace", "linus", "ken", "barbara", "edsger", "donald", "margaret"};
        while (b.length() < n) {
            b.append("{\"id\":").append(r.nextInt(1_000_000)).append(",\"name\":\"").append(names[r.nextInt(names.length)])
                    .append("\",\"active\":").append(r.nextBoolean()).append(",\"score\":").append(r.nextDouble()).append("},");
        }
        return b.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, 65_536, 1 << 20})
    void compressRoundTripsThroughGzipInputStream(int size) throws IOException {
        byte[] data = json(size, size);
        Deflater d = new Deflater(6, true);
        try {
            byte[] gz = Gzip.compress(d, data, 0, data.length);
            assertThat(gunzip(gz)).isEqualTo(data);
            if (size >= 1000) assertThat(gz.length).isLessThan(data.length);
        } finally {
            d.end();
        }
    }

    @Test
    void headerAndTrailerAreRfc1952() throws IOException {
        byte[] data = "hello, hello, hello".getBytes(StandardCharsets.US_ASCII);
        Deflater d = new Deflater(1, true);
        byte[] gz;
        try {
            gz = Gzip.compress(d, data, 3, 10);
        } finally {
            d.end();
        }
        assertThat(java.util.Arrays.copyOf(gz, 10)).containsExactly(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
        CRC32 crc = new CRC32();
        crc.update(data, 3, 10);
        int at = gz.length - 8;
        assertThat(le(gz, at)).isEqualTo(crc.getValue());
        assertThat(le(gz, at + 4)).isEqualTo(10);
        assertThat(gunzip(gz)).isEqualTo(java.util.Arrays.copyOfRange(data, 3, 13));
    }

    @Test
    void randomBytesStillRoundTrip() throws IOException {
        byte[] data = new byte[200_000];
        new Random(7).nextBytes(data);
        Deflater d = new Deflater(9, true);
        try {
            assertThat(gunzip(Gzip.compress(d, data, 0, data.length))).isEqualTo(data);
        } finally {
            d.end();
        }
    }

    @Test
    void aReusedDeflaterAfterResetMakesTheSameBytes() {
        byte[] data = json(10_000, 1);
        Deflater d = new Deflater(6, true);
        try {
            byte[] first = Gzip.compress(d, data, 0, data.length);
            d.reset();
            assertThat(Gzip.compress(d, data, 0, data.length)).isEqualTo(first);
        } finally {
            d.end();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void streamRoundTripsEmptySmallAndLarge(boolean withDeflater) throws IOException {
        for (int size : new int[]{0, 1, 5_000, 300_000}) {
            byte[] data = json(size, size + 11);
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            Deflater d = withDeflater ? new Deflater(6, true) : null;
            try (GzipStream gz = new GzipStream(sink, d)) {
                for (int off = 0; off < size; ) { // uneven writes, a single byte among them
                    int n = Math.min(size - off, off % 3 == 0 ? 1 : 7_777);
                    if (n == 1) gz.write(data[off]);
                    else gz.write(data, off, n);
                    off += n;
                }
            } finally {
                if (d != null) d.end();
            }
            assertThat(gunzip(sink.toByteArray())).as("size %d", size).isEqualTo(data);
            if (!withDeflater) assertThat(sink.size()).isGreaterThan(size); // stored blocks: framing on top
        }
    }

    /**
     * After flush(), the bytes so far decode to everything written so far, with the member unfinished:
     * what keeps a stream of events live through gzip.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void flushMakesEverythingWrittenSoFarDecodable(boolean withDeflater) throws IOException, DataFormatException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        Deflater d = withDeflater ? new Deflater(6, true) : null;
        Inflater inflater = new Inflater(true);
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        int consumed = 10; // the header
        try {
            GzipStream gz = new GzipStream(sink, d);
            for (int i = 0; i < 5; i++) {
                byte[] event = ("data: {\"n\":" + i + "}\n\n").getBytes(StandardCharsets.US_ASCII);
                gz.write(event);
                gz.flush();
                byte[] all = sink.toByteArray();
                inflater.setInput(all, consumed, all.length - consumed);
                consumed = all.length;
                byte[] buf = new byte[1024];
                for (int n; (n = inflater.inflate(buf)) > 0; ) decoded.write(buf, 0, n);
                assertThat(inflater.finished()).isFalse();
                assertThat(decoded.toString(StandardCharsets.US_ASCII)).endsWith("data: {\"n\":" + i + "}\n\n");
            }
            gz.finish();
            assertThatThrownBy(() -> gz.write(1)).isInstanceOf(IOException.class);
            gz.finish(); // idempotent
        } finally {
            if (d != null) d.end();
            inflater.end();
        }
        assertThat(gunzip(sink.toByteArray())).isEqualTo(decoded.toByteArray());
    }

    private static long le(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }
}
