package io.jepoll.loop;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A TLS connection: the JDK's {@link SSLEngine} over another socket, as one more
 * {@link Socket}. {@link #read} returns plaintext, {@link #write} and {@link #transfer} turn
 * plaintext and file bytes into records; the {@link Connection} above is the same code as
 * in plaintext, and the poller watches the socket underneath ({@link #polled()}).
 *
 * <h2>Buffers</h2>
 * Records are made and opened in the loop's {@link TlsBuffers}. Bytes stay with the
 * connection only while they must: a record TCP cut in two ({@code savedIn}), plaintext of a
 * record larger than the caller's array ({@code savedPlain}), records the kernel has not
 * taken ({@code heldOut}). Each is an exact-size copy, dropped as soon as it is used up.
 *
 * <h2>What the kernel no longer announces</h2>
 * A read may take from the kernel more records than fit the caller's array, or meet a
 * close_notify: the kernel then has nothing to report (edge-triggered or not), but the
 * connection has input. {@link #hasBufferedInput()} says so and the connection reads again
 * at once. Likewise output made while reading (handshake flights, session tickets, a
 * KeyUpdate answer) that the kernel refuses is {@link #holdsOutput() held}, and the
 * connection waits for writability as it does for its own queue.
 *
 * <h2>Writes and backpressure</h2>
 * {@link #write} encrypts up to {@link TlsBuffers#RECORDS_PER_WRITE} records per call and
 * reports the plaintext it took. When the kernel takes only part of the records, the rest is
 * held and the call reports 0: the caller queues the bytes, as for a full socket, and offers
 * them again on writability; the records are sent then and the call reports the plaintext
 * they held (it is never encrypted twice). Until then nothing new is encrypted, so at most
 * one write's records wait per connection.
 *
 * <h2>The handshake</h2>
 * Driven by {@link #read}. Delegated tasks run on the context's executor, never on the loop;
 * the connection reads again when they are done. Input during the handshake is bounded
 * ({@link #MAX_HANDSHAKE_INPUT}); its deadline is the connection's timer. After the
 * handshake, a TLS 1.2 renegotiation is refused: the connection closes.
 */
final class TlsSocket extends Socket {
    /** Ciphertext a handshake may take before it is refused (client certificates included). */
    static final int MAX_HANDSHAKE_INPUT = 128 * 1024;
    /** Plaintext a protocol may write before the handshake is over (it leaves when it is). */
    static final int MAX_EARLY_OUTPUT = 64 * 1024;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final Socket inner;
    private final SSLEngine engine;
    private final EventLoop loop;
    private final Executor tasks;
    private final TlsBuffers buffers;

    private ByteBuffer savedIn;       // ciphertext read but not opened (read mode); null when none
    private ByteBuffer savedPlain;    // plaintext opened but not delivered (read mode); null when none
    private ByteBuffer heldOut;       // records the kernel has not taken (read mode); null when none
    private int unreported;           // plaintext whose records were in heldOut: reported on the next offer
    private ByteBuf early;            // plaintext written before the handshake finished; null when none
    private int handshakeInput;       // ciphertext read while handshaking
    private boolean handshaking = true;
    private boolean tls12;            // the negotiated version, once known: renegotiation is a 1.2 thing
    private boolean taskRunning;      // the engine is busy on the executor: touch nothing
    private boolean inputDone;        // close_notify or EOF seen
    private boolean eofDelivered;     // read has returned 0
    private boolean failed;           // the engine failed or the peer is gone: every call says GONE
    private boolean outputClosed;     // close_notify made
    private boolean kernelDry;        // the last read saw the kernel run out (a short read, EAGAIN, EOF)

    TlsSocket(Socket inner, SSLEngine engine, EventLoop loop, Executor tasks) {
        this(inner, engine, loop, tasks, null, 0, 0);
    }

    /**
     * As a TLS connection from its first byte, except that {@code first[off, off+len)}, read from {@code inner}
     * already (behind a plaintext preamble), are the start of the client's handshake.
     */
    TlsSocket(Socket inner, SSLEngine engine, EventLoop loop, Executor tasks, byte[] first, int off, int len) {
        if (len > 0) {
            savedIn = ByteBuffer.wrap(java.util.Arrays.copyOfRange(first, off, off + len));
            handshakeInput = len;
        }
        this.inner = inner;
        this.engine = engine;
        this.loop = loop;
        this.tasks = tasks;
        this.buffers = loop.tlsBuffers(engine);
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            failed = true;
        }
    }

    @Override
    Socket polled() { return inner; }

    @Override
    int id() { return inner.id(); }

    @Override
    boolean isHandshaking() { return handshaking; }

    @Override
    SSLSession tlsSession() { return engine.getSession(); }

    // ---------------------------------------------------------------- reading

    @Override
    boolean hasBufferedInput() {
        if (failed || taskRunning) return false; // tasksDone reads again
        // Edge mode: a read that stopped before the kernel ran out gets no new edge for the rest.
        return savedPlain != null || (loop.edge && !kernelDry) || (inputDone && !eofDelivered) || holdsRecord(savedIn);
    }

    /** Whether {@code b} starts with a whole record: 5 bytes of header, then its length. */
    private static boolean holdsRecord(ByteBuffer b) {
        if (b == null || b.remaining() < 5) return false;
        int length = ((b.get(b.position() + 3) & 0xff) << 8) | (b.get(b.position() + 4) & 0xff);
        return b.remaining() >= 5 + length;
    }

    @Override
    int read(byte[] b, int off, int len) {
        if (failed) return GONE;
        if (savedPlain != null) return deliverSaved(b, off, len);
        if (inputDone) {
            eofDelivered = true;
            return 0;
        }
        if (taskRunning) return AGAIN;
        if (flushHeld() < 0) return GONE;
        if (heldOut != null) return AGAIN; // the peer reads nothing: wait for writability first
        ByteBuffer in = buffers.netIn;
        in.clear();
        if (savedIn != null) {
            in.put(savedIn);
            savedIn = null;
        }
        ByteBuffer dst = ByteBuffer.wrap(b, off, len);
        kernelDry = false;
        int produced;
        try {
            produced = open(in, dst);
        } catch (SSLException e) {
            sendAlert();
            return fail("TLS " + (handshaking ? "handshake failed: " : "failed: ") + e.getMessage());
        }
        if (produced < 0) return produced;
        save(in);
        if (produced > 0) return produced;
        if (inputDone) {
            eofDelivered = true;
            return 0;
        }
        return AGAIN;
    }

    /**
     * Runs the engine over the ciphertext in {@code in} (write mode) and what the kernel adds,
     * until {@code dst} is full, the kernel is dry, or the engine waits for a task. Returns the
     * plaintext bytes put in {@code dst}, or {@link #GONE}.
     */
    private int open(ByteBuffer in, ByteBuffer dst) throws SSLException {
        int start = dst.position();
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (!handshaking && hs != HandshakeStatus.NOT_HANDSHAKING && (tls12 || hs == HandshakeStatus.NEED_TASK)) {
                return fail("TLS renegotiation refused");
            }
            if (hs == HandshakeStatus.NEED_TASK) {
                startTasks();
                return dst.position() - start;
            }
            if (hs == HandshakeStatus.NEED_WRAP) {
                if (!wrapControl()) return heldOut != null ? dst.position() - start : GONE;
                continue;
            }
            in.flip();
            SSLEngineResult r = in.hasRemaining() ? engine.unwrap(in, dst) : null;
            in.compact();
            if (r != null) {
                if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                    if (!handshakeFinished()) return GONE;
                }
                switch (r.getStatus()) {
                    case OK -> {
                        if (r.bytesConsumed() > 0 || engine.getHandshakeStatus() != hs) continue;
                    }
                    case CLOSED -> { // close_notify: TLS 1.2 answers with its own (NEED_WRAP), 1.3 may go on writing
                        inputDone = true;
                        if (loop.trace != null) loop.trace.note(loop.index(), id(), "TLS close_notify received");
                        if (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) wrapControl();
                        return dst.position() - start;
                    }
                    case BUFFER_OVERFLOW -> { // said from the record's header: the record itself may be incomplete yet
                        if (dst.position() > start) return dst.position() - start; // dst is full: the rest next time
                        int opened = openIntoPlain(in, dst);
                        if (opened != 0) return opened < 0 ? GONE : dst.position() - start;
                        // 0: the record is incomplete: more from the kernel
                    }
                    case BUFFER_UNDERFLOW -> { } // a partial record: more from the kernel
                }
            }
            if (!dst.hasRemaining() || kernelDry) return dst.position() - start;
            // At most what fits the caller once opened (records are never smaller than their
            // plaintext), so what stays behind is about one partial record.
            int want = Math.min(in.remaining(), Math.max(dst.remaining(), buffers.packetSize));
            if (want == 0) return fail("TLS record larger than the loop's buffer");
            int n = inner.read(in.array(), in.arrayOffset() + in.position(), want);
            if (n > 0) {
                in.position(in.position() + n);
                kernelDry = n < want;
                if (handshaking && (handshakeInput += n) > MAX_HANDSHAKE_INPUT) return fail("TLS handshake larger than " + MAX_HANDSHAKE_INPUT + " bytes");
            } else if (n == AGAIN) { // what is left in {@code in} is part of a record: it waits for the rest
                kernelDry = true;
                return dst.position() - start;
            } else if (n == 0) { // the peer closed TCP; without close_notify a truncation, but HTTP frames its own messages
                kernelDry = true;
                inputDone = true;
                try {
                    engine.closeInbound();
                } catch (SSLException truncated) {
                    // expected from most clients that simply close
                }
                return dst.position() - start;
            } else {
                failed = true;
                return GONE;
            }
        }
    }

    /**
     * A record whose plaintext is larger than the caller's array: open it in the loop's buffer,
     * keep the rest. Returns the bytes put in {@code dst}, 0 when the record is not complete yet
     * (or was empty), or {@link #GONE}.
     */
    private int openIntoPlain(ByteBuffer in, ByteBuffer dst) throws SSLException {
        ByteBuffer p = buffers.plain;
        p.clear();
        in.flip();
        SSLEngineResult r = engine.unwrap(in, p);
        in.compact();
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) return fail("TLS record larger than the loop's plaintext buffer");
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) return 0;
        p.flip();
        int n = Math.min(p.remaining(), dst.remaining());
        dst.put(dst.position(), p, p.position(), n);
        dst.position(dst.position() + n);
        p.position(p.position() + n);
        if (p.hasRemaining()) savedPlain = copyOf(p);
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) inputDone = true;
        return n; // 0 for an empty record too: the caller goes on
    }

    private int deliverSaved(byte[] b, int off, int len) {
        int n = Math.min(len, savedPlain.remaining());
        savedPlain.get(b, off, n);
        if (!savedPlain.hasRemaining()) savedPlain = null;
        return n;
    }

    /** Keeps what is left of {@code in} (write mode) for the next read: the loop's buffer is shared. */
    private void save(ByteBuffer in) {
        if (in.position() == 0) return;
        in.flip();
        savedIn = copyOf(in);
    }

    private static ByteBuffer copyOf(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b).flip();
        return c;
    }

    // ---------------------------------------------------------------- the handshake

    /** Hands the engine's delegated tasks to the executor; the connection reads again when they are done. */
    private void startTasks() {
        List<Runnable> work = new ArrayList<>(2);
        for (Runnable t; (t = engine.getDelegatedTask()) != null; ) work.add(t);
        taskRunning = true;
        Runnable batch = () -> {
            try {
                for (Runnable t : work) t.run();
            } catch (RuntimeException e) {
                // the engine remembers the failure and reports it on the next unwrap
            }
            loop.execute(this::tasksDone);
        };
        try {
            tasks.execute(batch);
        } catch (RejectedExecutionException e) {
            taskRunning = false;
            fail("TLS handshake executor refused the task");
        }
    }

    private void tasksDone() {
        taskRunning = false;
        if (inner.owner instanceof Connection c) c.inputWaiting();
    }

    /** The handshake is over: learn the version, send what was written early, tell the connection. */
    private boolean handshakeFinished() throws SSLException {
        handshaking = false;
        SSLSession s = engine.getSession();
        tls12 = "TLSv1.2".equals(s.getProtocol());
        if (loop.trace != null) {
            String alpn = engine.getApplicationProtocol();
            loop.trace.note(loop.index(), id(), "TLS handshake done: " + s.getProtocol() + " " + s.getCipherSuite()
                    + (alpn == null || alpn.isEmpty() ? "" : ", ALPN " + alpn));
        }
        if (sendEarly() < 0) return false;
        if (inner.owner instanceof Connection c) c.secured();
        return true;
    }

    /** Sends what the engine wants to send by itself: a handshake flight, a ticket, an alert, close_notify. */
    private boolean wrapControl() throws SSLException {
        ByteBuffer out = buffers.netOut;
        out.clear();
        boolean finished = false;
        do {
            SSLEngineResult r = engine.wrap(EMPTY, out);
            if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) {
                finished = true;
                break;
            }
            if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesProduced() == 0) break; // CLOSED: close_notify made
        } while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && out.remaining() >= buffers.packetSize);
        out.flip();
        if (sendNet(out, false) < 0) return false;
        if (finished && !handshakeFinished()) return false;
        return heldOut == null;
    }

    // ---------------------------------------------------------------- writing

    @Override
    boolean holdsOutput() { return heldOut != null || (early != null && !handshaking && !taskRunning); }

    @Override
    int flushHeld() {
        if (failed) return GONE;
        if (sendHeld() < 0) return GONE;
        return heldOut == null ? sendEarly() : 0;
    }

    /** Sends the records the kernel refused before; 0 (check {@code heldOut}) or {@link #GONE}. */
    private int sendHeld() {
        if (heldOut == null) return 0;
        ByteBuffer h = heldOut;
        while (h.hasRemaining()) {
            int n = inner.write(h.array(), h.arrayOffset() + h.position(), h.remaining());
            if (n < 0) {
                failed = true;
                return GONE;
            }
            if (n == 0) return 0;
            h.position(h.position() + n);
        }
        heldOut = null;
        return 0;
    }

    /**
     * Plaintext written before the handshake finished, once it has: encrypted and sent before
     * anything written later. Returns 0 (check {@code heldOut}) or {@link #GONE}.
     */
    private int sendEarly() {
        if (early == null || handshaking || taskRunning) return 0;
        ByteBuf e = early;
        try {
            while (!e.isEmpty() && heldOut == null) {
                ByteBuffer src = ByteBuffer.wrap(e.array(), e.start(), e.readable());
                int n = seal(src, false);
                if (n < 0) return GONE;
                e.consume(n); // these bytes were reported when written: held records or not, they are done
            }
        } catch (SSLException ex) {
            return fail("TLS failed: " + ex.getMessage());
        }
        if (e.isEmpty()) early = null;
        return 0;
    }

    /** What the callers offer again after a 0: first what is held, then the plaintext it held. */
    private int offeredAgain(long len) {
        if (flushHeld() < 0) return GONE;
        if (holdsOutput()) return 0;
        int n = (int) Math.min(unreported, len);
        unreported -= n;
        return n;
    }

    @Override
    int write(byte[] b, int off, int len, boolean more) {
        if (failed || outputClosed) return GONE;
        if (handshaking || taskRunning) return writeEarly(b, off, len);
        if (holdsOutput() || unreported > 0) return offeredAgain(len);
        try {
            int n = seal(ByteBuffer.wrap(b, off, len), more);
            return report(n);
        } catch (SSLException e) {
            return fail("TLS failed: " + e.getMessage());
        }
    }

    /** A seal's plaintext, as the caller must hear it: nothing yet while its records are held. */
    private int report(int taken) {
        if (taken <= 0 || heldOut == null) return taken;
        unreported += taken;
        return 0;
    }

    @Override
    long transfer(OpenFile file, long offset, long count) {
        if (failed || outputClosed) return GONE;
        if (!handshaking && !taskRunning && (holdsOutput() || unreported > 0)) return offeredAgain(count);
        ByteBuffer chunk = buffers.file;
        chunk.clear();
        chunk.limit((int) Math.min(count, chunk.capacity()));
        int n = file.read(chunk, offset);
        if (n <= 0) return FILE_FAILED; // failed, or ended before the promised length: the file shrank
        chunk.flip();
        if (handshaking || taskRunning) {
            byte[] copy = new byte[n];
            chunk.get(copy);
            return writeEarly(copy, 0, n);
        }
        try {
            return report(seal(chunk, n < count));
        } catch (SSLException e) {
            return fail("TLS failed: " + e.getMessage());
        }
    }

    /**
     * Encrypts from {@code src} into at most {@link TlsBuffers#RECORDS_PER_WRITE} records and
     * sends them; what the kernel does not take is held. Returns the plaintext taken, or {@link #GONE}.
     */
    private int seal(ByteBuffer src, boolean more) throws SSLException {
        ByteBuffer out = buffers.netOut;
        out.clear();
        int taken = 0;
        while (src.hasRemaining() && out.remaining() >= buffers.packetSize) {
            SSLEngineResult r = engine.wrap(src, out);
            taken += r.bytesConsumed();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) { // the engine's output is closed (TLS 1.2 after close_notify)
                failed = true;
                return GONE;
            }
            if (r.getStatus() != SSLEngineResult.Status.OK || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) break;
        }
        out.flip();
        if (sendNet(out, more || src.hasRemaining()) < 0) return GONE;
        return taken;
    }

    /** Hands {@code out} (read mode) to the kernel; keeps what it refuses. Returns 0 or {@link #GONE}. */
    private int sendNet(ByteBuffer out, boolean more) {
        while (out.hasRemaining()) {
            int n = inner.write(out.array(), out.arrayOffset() + out.position(), out.remaining(), more);
            if (n < 0) {
                failed = true;
                return GONE;
            }
            if (n == 0) {
                heldOut = copyOf(out);
                return 0;
            }
            out.position(out.position() + n);
        }
        return 0;
    }

    private int writeEarly(byte[] b, int off, int len) {
        if (early == null) early = new ByteBuf(Math.min(len, 4096));
        if (early.readable() + len > MAX_EARLY_OUTPUT) return fail("more than " + MAX_EARLY_OUTPUT + " bytes written before the TLS handshake finished");
        early.put(b, off, len);
        return len;
    }

    // ---------------------------------------------------------------- closing

    /** The engine failed or the peer misbehaved: no alert is worth waiting for; the connection closes. */
    private int fail(String why) {
        if (loop.trace != null) loop.trace.note(loop.index(), id(), why);
        failed = true;
        return GONE;
    }

    /** The alert a failing engine has made (a client offering TLS 1.1 hears "protocol_version"); best effort. */
    private void sendAlert() {
        try {
            ByteBuffer out = buffers.netOut;
            out.clear();
            engine.wrap(EMPTY, out);
            out.flip();
            sendNet(out, false);
        } catch (SSLException | RuntimeException ignored) {
            // no alert, then: the close says enough
        }
        heldOut = null;
    }

    /** close_notify, if the connection is in a state to send one; best effort, never waits. */
    private void closeNotify() {
        if (failed || outputClosed || handshaking || taskRunning || heldOut != null) return;
        outputClosed = true;
        engine.closeOutbound();
        try {
            wrapControl();
        } catch (SSLException ignored) {
            // the connection is closing anyway
        }
        heldOut = null; // a close_notify the kernel would not take is not worth keeping the connection for
    }

    @Override
    void shutdownOutput() {
        closeNotify();
        inner.shutdownOutput();
    }

    @Override
    void close() {
        closeNotify();
        inner.close();
        savedIn = savedPlain = heldOut = null;
        early = null;
    }

    // ---------------------------------------------------------------- the rest is the socket underneath

    @Override
    OpenFile openFile(Path path) throws IOException { return inner.openFile(path); }

    @Override
    Socket accept() { throw new UnsupportedOperationException("a TLS socket is a connection, not a listener"); }

    @Override
    AcceptFailure lastAcceptFailure() { return null; }

    @Override
    void setCork(boolean on) { inner.setCork(on); }

    @Override
    void setNoDelay(boolean on) { inner.setNoDelay(on); }

    @Override
    void setBuffers(int receive, int send) { inner.setBuffers(receive, send); }

    @Override
    InetSocketAddress localAddress() { return inner.localAddress(); }

    @Override
    InetSocketAddress remoteAddress() { return inner.remoteAddress(); }
}
