package io.jepoll.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A streamed body compressed as one gzip member ({@link Gzip}) on its way to {@code out}.
 *
 * <ul>
 *   <li>{@link #flush()} ends the deflate data written so far with a sync flush (an empty stored block),
 *       then flushes {@code out}: everything written up to there can be decoded by the client now, which
 *       is what a writer that flushes per event (server-sent events) relies on. Each flush costs a few
 *       bytes and some ratio, so a writer should flush when it means it, not per write.</li>
 *   <li>{@link #finish()} writes the last block and the trailer; {@link #close()} finishes, then closes
 *       {@code out}. Writing after either is an IOException.</li>
 *   <li>Without a deflater (null: none could be had, see {@link DeflaterPool#take()}), the data goes out
 *       in stored blocks: still gzip, decodable by every client, not smaller. The response's head said
 *       gzip before the writer ran, so this is the honest way to keep that promise under pressure.</li>
 * </ul>
 *
 * The deflater is the caller's: this stream never resets or ends it, and never touches it after finish.
 */
public final class GzipStream extends OutputStream {
    /** Largest stored block (RFC 1951 §3.2.4: LEN is 16 bits). */
    private static final int MAX_STORED = 65_535;

    private final OutputStream out;
    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[8192];
    private final byte[] one = new byte[1];
    private long size;
    private boolean started;
    private boolean finished;

    /**
     * A stream that has written nothing yet: the header goes out with the first write, flush or finish.
     *
     * @param out      where the gzip bytes go
     * @param deflater a raw deflater ({@code new Deflater(level, true)}), reset or new; null for stored blocks
     */
    public GzipStream(OutputStream out, Deflater deflater) {
        this.out = java.util.Objects.requireNonNull(out, "out");
        this.deflater = deflater;
    }

    @Override
    public void write(int b) throws IOException {
        one[0] = (byte) b;
        write(one, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        begin();
        if (len == 0) return;
        crc.update(b, off, len);
        size += len;
        if (deflater == null) {
            stored(b, off, len);
            return;
        }
        deflater.setInput(b, off, len);
        while (!deflater.needsInput()) drain(Deflater.NO_FLUSH);
    }

    /** Makes everything written so far decodable by the client (a sync flush), then flushes {@code out}. */
    @Override
    public void flush() throws IOException {
        if (finished) return;
        begin();
        if (deflater != null) {
            // A full buffer may mean more output is pending: deflate again until it is not full.
            while (drain(Deflater.SYNC_FLUSH) == buf.length) { }
        }
        out.flush();
    }

    /**
     * Ends the member: the last deflate block and the trailer. The stream can take no more; a second call does nothing.
     *
     * @throws IOException when {@code out} fails
     */
    public void finish() throws IOException {
        if (finished) return;
        begin();
        if (deflater == null) {
            out.write(new byte[]{1, 0, 0, (byte) 0xff, (byte) 0xff}); // a last, empty stored block
        } else {
            deflater.finish();
            while (!deflater.finished()) drain(Deflater.NO_FLUSH);
        }
        byte[] trailer = new byte[Gzip.TRAILER_LENGTH];
        Gzip.putTrailer(trailer, 0, crc.getValue(), size);
        out.write(trailer);
        finished = true;
    }

    @Override
    public void close() throws IOException {
        finish();
        out.close();
    }

    private void begin() throws IOException {
        if (finished) throw new IOException("gzip stream finished");
        if (!started) {
            started = true;
            out.write(Gzip.HEADER);
        }
    }

    /** One deflate call into the buffer, written out; returns how many bytes it made. */
    private int drain(int flush) throws IOException {
        int n = deflater.deflate(buf, 0, buf.length, flush);
        if (n > 0) out.write(buf, 0, n);
        return n;
    }

    /** Stored blocks, not last: BFINAL 0, BTYPE 00, then LEN and its complement, then the bytes. */
    private void stored(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, MAX_STORED);
            out.write(new byte[]{0, (byte) n, (byte) (n >>> 8), (byte) ~n, (byte) (~n >>> 8)});
            out.write(b, off, n);
            off += n;
            len -= n;
        }
    }
}
