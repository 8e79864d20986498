package io.jepoll.server;

import io.jepoll.http.BodyWriter;
import io.jepoll.http.OutputBuffer;
import io.jepoll.http.Request;
import io.jepoll.http.ResponseEncoder;
import io.jepoll.loop.Connection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Semaphore;

/**
 * The OutputStream a {@link BodyWriter} writes to. The writer runs on a virtual thread;
 * each full buffer becomes one chunk handed to the loop, and the writer waits until the
 * loop has passed it to the kernel, or, when the client reads slowly, until the backlog
 * has drained. So a streamed body of any length holds at most one chunk plus one
 * high-water mark of memory.
 */
final class StreamedBody extends BodyStream {
    /** Called on the loop when the body has ended; {@code ok} false means the writer failed or the client left. */
    interface Done { void done(Connection c, boolean ok, boolean keepAlive); }

    private final HttpRuntime rt;
    private final Connection c;
    private final boolean chunked;
    private final boolean keepAlive;
    private final Done done;
    private final Semaphore handedOff = new Semaphore(0);
    private volatile boolean aborted;   // the connection closed under the writer
    private boolean waitingForDrain;    // loop thread only
    private boolean closed;             // writer thread only
    private long bodyBytes;             // loop thread only: the chunks' data handed to the connection
    // Loop thread only: the exchange to report when the body ends; request is null when not observed, or reported.
    private Request request;
    private int status;
    private long startNanos;
    private InetSocketAddress remote;

    StreamedBody(HttpRuntime rt, Connection c, boolean chunked, boolean keepAlive, Done done) {
        this.rt = rt;
        this.c = c;
        this.chunked = chunked;
        this.keepAlive = keepAlive;
        this.done = done;
        if (rt.stopping()) signals.finish(); // started during a shutdown: HttpConnection.onShutdown came before it
    }

    /** Loop: the exchange is observed; it is reported once, when the body ends ({@link #ended}). */
    void observe(Request req, int status, long startNanos, InetSocketAddress remote) {
        this.request = req; // retained by the connection until the body ends (retainRequest), never reset before
        this.status = status;
        this.startNanos = startNanos;
        this.remote = remote;
    }

    /** Loop: the body ended, well or not (aborted bodies too): the exchange is reported, once. */
    private void ended() {
        Request req = request;
        if (req == null) return;
        request = null;
        rt.exchanged(req, status, bodyBytes, startNanos, remote);
    }

    void start(BodyWriter writer) {
        rt.executor.execute(() -> {
            boolean ok = false;
            try {
                writer.writeTo(this);
                close();
                ok = !aborted;
            } catch (IOException e) {
                if (!aborted) HttpRuntime.LOG.log(System.Logger.Level.WARNING, "streamed body failed", e);
            } catch (RuntimeException | Error e) {
                HttpRuntime.LOG.log(System.Logger.Level.ERROR, "streamed body writer failed", e);
            }
            boolean result = ok;
            c.loop().execute(() -> {
                if (result && chunked && c.isOpen()) {
                    ResponseEncoder.encodeLastChunk(out());
                    handOver();
                }
                ended();
                done.done(c, result, keepAlive);
            });
        });
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        flush();
        closed = true;
    }

    /** Hands the chunk to the loop and waits until it took it. */
    @Override
    void emit(byte[] buf, int len) throws IOException {
        if (closed) throw new IOException("stream closed");
        if (aborted) throw new IOException("client connection closed");
        byte[] data = java.util.Arrays.copyOf(buf, len);
        c.loop().execute(() -> {
            if (!c.isOpen()) {
                handedOff.release();
                return;
            }
            // The chunk is this writer's own copy: sent from where it is, framed by two small copies.
            if (chunked) {
                ResponseEncoder.encodeChunkSize(data.length, out());
                handOver();
            }
            c.writeShared(data, 0, data.length);
            bodyBytes += data.length;
            if (chunked) {
                ResponseEncoder.encodeChunkEnd(out());
                handOver();
            }
            c.flush();
            if (c.queuedBytes() > HttpConnection.HIGH_WATER / 4) waitingForDrain = true; // released by drained()
            else handedOff.release();
        });
        try {
            handedOff.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the client was slow to read", e);
        }
        if (aborted) throw new IOException("client connection closed");
    }

    /** Loop: the loop's encode buffer. */
    private OutputBuffer out() { return rt.local(c.loop()).out; }

    /** Loop: copies what was encoded into the connection's output. */
    private void handOver() {
        OutputBuffer out = out();
        c.write(out.array(), out.start(), out.readable());
        out.clear();
    }

    /** Loop: the backlog is written; let the writer go on. */
    void drained() {
        if (waitingForDrain) {
            waitingForDrain = false;
            handedOff.release();
        }
    }

    /** Loop: the connection closed; wake the writer so it fails fast instead of hanging. */
    void abort() {
        ended(); // the writer's own end may never run: the loop can be stopping
        aborted = true;
        waitingForDrain = false;
        handedOff.release();
        signals.gone();
    }

    /** Any thread: the loop closes the connection, and {@link #abort} follows. */
    @Override
    void drop() {
        c.loop().execute(c::close);
    }
}
