package io.jepoll.loop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * One accepted TCP connection, owned by one {@link EventLoop} for its whole life. Every
 * method must be called on that loop's thread (use {@link EventLoop#execute} from others).
 *
 * <h2>Life</h2>
 * <pre>
 *            closeAfterWrite()                 queue empty                 EOF, error, 2 s or 1 MiB
 *   OPEN ─────────────────────────► CLOSING ─────────────────► LINGERING ─────────────────────────► CLOSED
 *     │                               │   output shut down; the peer's last bytes     ▲    ▲
 *     │                               │   are read and dropped so that our final      │    │
 *     │                               │   response is not destroyed by a reset        │    │
 *     │                               └── peer already done / sent nothing more ──────┘    │
 *     └──────────── close(): reset, EPOLLERR/HUP, a timeout, a failed write ───────────────┘
 * </pre>
 * Writing is allowed only while OPEN; {@link #moveTo} is the one place the state changes.
 *
 * <h2>Writing</h2>
 * Small writes are appended to the loop's shared scratch buffer and leave in one send when
 * the current callback returns ({@link #flush}), so pipelined responses share a system
 * call. {@link #writeShared} (an array that will not change) and {@link #writeFile} (a
 * region of a file, sent by sendfile) are never copied. Whatever the kernel does not take
 * waits in an {@link OutboundQueue} that exists only while needed; the connection then
 * waits for EPOLLOUT and stops reading until the queue is empty (backpressure), and the
 * handler hears {@link ConnectionHandler#onWriteBlocked} on every stall and progress, so a
 * write deadline applies to every kind of output alike. An idle connection holds no buffer.
 */
public final class Connection extends IoHandle {
    /** How long a closing connection keeps draining the peer's bytes so our last response is not reset. */
    private static final long LINGER_MILLIS = 2_000;
    private static final int LINGER_MAX_BYTES = 1 << 20;

    enum State {
        OPEN, CLOSING, LINGERING, CLOSED;

        boolean canMoveTo(State next) {
            return switch (this) {
                case OPEN -> next == CLOSING || next == CLOSED;
                case CLOSING -> next == LINGERING || next == CLOSED;
                case LINGERING -> next == CLOSED;
                case CLOSED -> false;
            };
        }
    }

    private final EventLoop loop;
    private Socket socket;                // what is read and written: the kernel's socket, or TLS over it (startTls)
    private final Socket polled;          // what the poller watches: the kernel's socket
    private ConnectionHandler handler;
    private State state = State.OPEN;

    private OutboundQueue queue;          // what the kernel has not taken; null when it took everything
    private boolean corked;               // TCP_CORK is on until the end of this flush
    private boolean readPaused;           // by the protocol
    private boolean inputEnded;           // EOF seen
    private boolean readReady;            // bytes may be waiting that no new readiness report will announce
    private boolean peerMaySend = true;   // CLOSING: linger for the peer's bytes (e.g. a refused body)
    private int lingerBytes;              // at most LINGER_MAX_BYTES plus one read
    boolean queuedForRead;                // in the loop's retry queue (edge budget ran out)

    // The loop's intrusive list of live connections: no set, no per-connection entry object.
    Connection prevLive, nextLive;

    Connection(EventLoop loop, Socket socket) {
        this.loop = loop;
        this.socket = socket;
        this.polled = socket.polled();
    }

    void attach(ConnectionHandler h) { this.handler = h; }

    /**
     * From now on {@code next} handles this connection's bytes and events: for a protocol that begins with a
     * preamble read by a handler of its own (a PROXY protocol header, say). Call it from the current handler.
     *
     * @param next the handler that takes over
     */
    public void handOver(ConnectionHandler next) { this.handler = java.util.Objects.requireNonNull(next, "next"); }

    /**
     * Starts TLS on this plaintext connection: from now on its bytes are read and written through an engine of
     * {@code tls} (as the context is now), the client's handshake first, within the context's handshake timeout
     * (which replaces the deadline set before; {@link ConnectionHandler#onSecured} tells when it is done). For a
     * protocol that begins with a plaintext preamble read by a handler of its own: a PROXY protocol header before
     * the TLS bytes, as a load balancer sends it. Call it from that handler's {@link ConnectionHandler#onRead}, with
     * what followed the preamble in that read.
     *
     * @param tls    the certificates and settings
     * @param buf    the read's bytes; those in {@code [off, off+len)} are the start of the handshake, copied
     * @param off    where they start
     * @param len    how many (0 when the preamble ended the read)
     * @throws IllegalStateException when the connection speaks TLS already, is closing, or has output not sent yet
     */
    public void startTls(io.jepoll.tls.TlsContext tls, byte[] buf, int off, int len) {
        if (socket instanceof TlsSocket || state != State.OPEN || queue != null || (loop.scratchOwner == this && !loop.scratch.isEmpty())) {
            throw new IllegalStateException("TLS can start only on an open plaintext connection with nothing left to send");
        }
        socket = new TlsSocket(socket, tls.newEngine(), loop, tls.handshakeExecutor(), buf, off, len);
        socket.setNoDelay(true); // as at accept: a session ticket and the first response are small sends
        setTimeout(tls.handshakeTimeout().toMillis());
        if (loop.trace != null) loop.trace.note(loop.index(), socket.id(), "TLS starts after the preamble (" + len + " bytes of it read)");
        if (len > 0) { // the engine looks at them now: they may be all the client sends (or not TLS at all)
            readReady = true;
            loop.readLater(this);
        }
    }

    /** {@return the loop that owns this connection: its thread is the only one that may touch it} */
    public EventLoop loop() { return loop; }

    /** {@return true until the connection is closed; a closing one (still writing or lingering) is open} */
    public boolean isOpen() { return state != State.CLOSED; }

    /** {@return true once a close was asked for (or done): nothing more can be written} */
    public boolean isClosing() { return state != State.OPEN; }

    /** {@return whether this connection speaks TLS (its bytes are plaintext all the same)} */
    public boolean isSecure() { return socket instanceof TlsSocket; }

    /** {@return the TLS session (protocol, cipher suite, peer certificates), or null on a plain connection} */
    public javax.net.ssl.SSLSession tlsSession() { return socket.tlsSession(); }

    /** {@return the client's address (a system call each time on epoll: call it only when you need it); null once gone} */
    public InetSocketAddress remoteAddress() { return state == State.CLOSED ? null : socket.remoteAddress(); }

    private void moveTo(State next) {
        if (!state.canMoveTo(next)) throw new IllegalStateException("connection: " + state + " -> " + next);
        state = next;
    }

    // ---------------------------------------------------------------- writing

    /**
     * Queues a copy of all of b, as {@link #write(byte[], int, int)}.
     *
     * @param b the bytes; the caller may change the array at once
     */
    public void write(byte[] b) { write(b, 0, b.length); }

    /**
     * Queues a copy of {@code b[off, off+len)}; it leaves when the current callback returns (or at {@link #flush}).
     * Ignored once the connection is closing.
     *
     * @param b   the bytes; the caller may change the array at once
     * @param off where they start
     * @param len how many
     */
    public void write(byte[] b, int off, int len) {
        if (state != State.OPEN || len == 0) return;
        if (queue != null) {
            queue.addCopy(b, off, len);
            return;
        }
        Connection owner = loop.scratchOwner;
        if (owner != this) {
            if (owner != null) owner.flush();
            loop.scratchOwner = this;
        }
        loop.scratch.put(b, off, len);
    }

    /**
     * Queues {@code b[off, off+len)} without copying it: the array must not change until it
     * has been sent (response bodies are immutable). What was written before goes first.
     *
     * @param b   the bytes, kept by reference until sent
     * @param off where they start
     * @param len how many
     */
    public void writeShared(byte[] b, int off, int len) {
        if (state != State.OPEN || len == 0) return;
        if (queue == null) {
            sendScratch(true); // the head before this body: MSG_MORE lets them share a segment
            if (state == State.CLOSED) return;
        }
        if (queue == null) {
            cork();
            int n = sendBytes(b, off, len, false);
            if (n < 0) {
                closeFor("send failed: the peer is gone");
                return;
            }
            if (n == len) return;
            off += n;
            len -= n;
            block().addShared(b, off, len);
            return;
        }
        queue.addShared(b, off, len);
    }

    /**
     * Opens a regular file for {@link #writeFile}, the way this connection's backend sends files best.
     *
     * @param path the file; opened read-only, on this thread
     * @return the open file with its size and times as opened; the caller closes it (or hands it on)
     * @throws IOException {@link java.nio.file.NoSuchFileException} or {@link java.nio.file.AccessDeniedException}
     *                     when it cannot be had, another IOException when it is not a regular file or fails
     */
    public OpenFile openFile(Path path) throws IOException { return socket.openFile(path); }

    /**
     * Queues {@code count} bytes of {@code file} from {@code offset}, sent by the kernel
     * (sendfile) after what was written before. With {@code closeWhenDone} the connection
     * closes the file once this region has left, or when the connection closes first;
     * otherwise the caller still owns it (several regions of one file, for instance).
     *
     * @param file          a file from {@link #openFile}
     * @param offset        where the region starts in the file, {@code >= 0}
     * @param count         bytes, {@code >= 0}; a file that turns out shorter closes the connection
     * @param closeWhenDone whether the connection closes the file after this region
     * @throws IllegalArgumentException when offset or count is negative
     */
    public void writeFile(OpenFile file, long offset, long count, boolean closeWhenDone) {
        if (offset < 0 || count < 0) throw new IllegalArgumentException("negative file region: " + offset + "+" + count);
        if (state != State.OPEN || count == 0) {
            if (closeWhenDone) file.close();
            return;
        }
        if (queue == null) sendScratch(true); // the head and the file's first bytes in one segment
        if (state == State.CLOSED) {
            if (closeWhenDone) file.close();
            return;
        }
        if (queue == null) {
            cork();
            while (count > 0) {
                long n = socket.transfer(file, offset, count);
                if (loop.trace != null) loop.trace.sent(loop.index(), socket.id(), n == Socket.FILE_FAILED ? 0 : n, count, true);
                if (n < 0) {
                    if (n == Socket.FILE_FAILED) LoopLog.warn("a file being sent failed or shrank; closing the connection");
                    if (closeWhenDone) file.close();
                    closeFor(n == Socket.FILE_FAILED ? "the file failed or shrank" : "sendfile failed: the peer is gone");
                    return;
                }
                if (n == 0) break;
                offset += n;
                count -= n;
            }
            if (count == 0) {
                if (closeWhenDone) file.close();
                return;
            }
            block().addFile(file, offset, count, closeWhenDone);
            return;
        }
        queue.addFile(file, offset, count, closeWhenDone);
    }

    /** {@return bytes written but not yet taken by the kernel (the queue; the scratch leaves before this matters)} */
    public long queuedBytes() { return queue == null ? 0 : queue.bytes(); }

    /** {@return true while earlier output waits for the socket to drain} */
    public boolean isWriteBlocked() { return queue != null; }

    /** Hands the output of this callback to the kernel now. Called by the loop after every callback. */
    public void flush() {
        if (state == State.CLOSED) return;
        sendScratch(false);
        if (state == State.CLOSED) return;
        if (corked) { // uncork: the last partial segment leaves now
            corked = false;
            socket.setCork(false);
            if (loop.trace != null) loop.trace.cork(loop.index(), socket.id(), false);
        }
        if (queue == null && state == State.CLOSING) startLinger();
    }

    private void cork() {
        if (!corked && loop.config.tcpCork()) {
            corked = true;
            socket.setCork(true);
            if (loop.trace != null) loop.trace.cork(loop.index(), socket.id(), true);
        }
    }

    /** Sends this connection's bytes in the loop scratch (if it holds them); what is left goes to the queue. */
    private void sendScratch(boolean more) {
        if (loop.scratchOwner != this) return;
        loop.scratchOwner = null;
        ByteBuf s = loop.scratch;
        if (s.isEmpty()) return;
        cork();
        int n = sendBytes(s.array(), s.start(), s.readable(), more);
        if (n >= 0 && n < s.readable()) block().addCopy(s.array(), s.start() + n, s.readable() - n);
        s.clear();
        s.shrinkIfLarger(1 << 20, loop.config.readBufferSize());
        if (n < 0) closeFor("send failed: the peer is gone");
    }

    /** Writes as much as the kernel takes; returns bytes written, or -1 when the peer is gone. */
    private int sendBytes(byte[] b, int off, int len, boolean more) {
        int done = 0;
        while (done < len) {
            int n = socket.write(b, off + done, len - done, more);
            if (loop.trace != null) loop.trace.sent(loop.index(), socket.id(), n, len - done, false);
            if (n > 0) done += n;
            else if (n == 0) break;
            else return -1;
        }
        return done;
    }

    /** The kernel is behind: start the queue, watch for writability, tell the handler (a write deadline starts). */
    private OutboundQueue block() {
        queue = new OutboundQueue();
        updateInterest();
        handler.onWriteBlocked(this);
        return queue;
    }

    /** EPOLLOUT: send from the queue; once it is empty, resume reading. */
    private void onWritable() {
        if (queue == null || state == State.CLOSED) return; // edge mode reports writability it was not asked for
        long before = queue.bytes();
        int r = queue.sendTo(socket);
        if (loop.trace != null) loop.trace.sent(loop.index(), socket.id(), r < 0 ? r : before - queue.bytes(), before, false);
        if (r < 0) {
            if (r == Socket.FILE_FAILED) LoopLog.warn("a file being sent failed or shrank; closing the connection");
            closeFor(r == Socket.FILE_FAILED ? "the file failed or shrank" : "send failed: the peer is gone");
            return;
        }
        if (!queue.isEmpty() || socket.holdsOutput()) {
            if (queue.bytes() < before) handler.onWriteBlocked(this); // progress: a stall deadline starts over
            return;
        }
        queue = null;
        updateInterest();
        if (state == State.CLOSING) {
            startLinger();
            return;
        }
        handler.onDrained(this);
        flush();
        if (readReady && state == State.OPEN) loop.readLater(this);
    }

    // ---------------------------------------------------------------- reading

    /** Stops delivering bytes (e.g. while a handler runs elsewhere); they wait in the kernel. */
    public void pauseReading() {
        if (readPaused) return;
        readPaused = true;
        updateInterest();
    }

    /** Delivers bytes again after {@link #pauseReading()}, those already waiting in the kernel first. */
    public void resumeReading() {
        if (!readPaused || state == State.CLOSED) return;
        readPaused = false;
        updateInterest();
        if (readReady) loop.readLater(this);
    }

    /** Readiness to read: one read in level mode; in edge mode read until drained or out of budget. */
    private void onReadable(boolean peerClosed) {
        if (state == State.CLOSED) return;
        if (state == State.LINGERING) {
            discardInput();
            return;
        }
        if (readPaused || queue != null || inputEnded) {
            readReady = true;
            return;
        }
        boolean edge = loop.edge;
        int budget = loop.config.edgeReadBudget();
        byte[] buf = loop.readBuffer;
        while (true) {
            int n = socket.read(buf, 0, buf.length);
            if (loop.trace != null) loop.trace.read(loop.index(), socket.id(), n, buf.length);
            if (socket.holdsOutput() && queue == null && n != Socket.GONE) {
                block(); // TLS made records while reading (a handshake flight) that the kernel refused
            }
            if (n > 0) {
                handler.onRead(this, buf, 0, n);
                flush();
                if (state == State.CLOSED) return;
                if (readPaused || queue != null || state == State.LINGERING) {
                    readReady = true; // stopped early: there may be more in the kernel
                    return;
                }
                if (socket.hasBufferedInput()) { // TLS kept input that no readiness report will announce
                    readReady = true;
                    loop.readLater(this);
                    return;
                }
                if (!edge) return;
                // A short read drained the socket; a later arrival raises a new edge. But a FIN
                // that came with these bytes raises none, so keep reading when the peer closed.
                if (n < buf.length && !peerClosed) {
                    readReady = false;
                    return;
                }
                if (--budget == 0) {
                    readReady = true;
                    loop.readLater(this); // fairness: others get their turn first
                    return;
                }
            } else if (n == 0) {
                readReady = false;
                inputEnded = true;
                updateInterest();
                handler.onReadEnd(this);
                flush();
                return;
            } else if (n == Socket.AGAIN) {
                readReady = queue != null; // TLS output made while reading waits: read on once it has left
                flush(); // what the handler wrote meanwhile (onSecured, called from inside a TLS read)
                return;
            } else {
                closeFor("reset by the peer"); // the peer is gone
                return;
            }
        }
    }

    /** The socket layer has input for us without a readiness report (TLS: its handshake tasks are done). */
    void inputWaiting() {
        if (state == State.CLOSED) return;
        readReady = true;
        loop.readLater(this);
    }

    /** The TLS handshake finished: the protocol's own deadlines apply from now on. */
    void secured() {
        if (state != State.CLOSED) handler.onSecured(this);
    }

    /** Called from the loop's retry queue. */
    void readAgain() {
        queuedForRead = false;
        if (readReady) onReadable(false);
    }

    // ---------------------------------------------------------------- timers

    /**
     * Calls {@link ConnectionHandler#onTimeout} after {@code millis} unless reset or cancelled.
     *
     * @param millis from now, by the loop's clock ({@link EventLoop#now()}); replaces the deadline set before
     */
    public void setTimeout(long millis) {
        if (state != State.CLOSED) loop.wheel.schedule(this, loop.now() + millis);
    }

    /** Forgets the deadline of {@link #setTimeout}, if any. */
    public void cancelTimeout() { loop.wheel.cancel(this); }

    @Override
    void expire() {
        switch (state) {
            case CLOSED -> { }
            case LINGERING -> closeFor("linger over: the peer sent nothing more for 2 s");
            case OPEN, CLOSING -> {
                if (socket.isHandshaking()) { // the handshake deadline set at accept: the protocol never saw a byte
                    closeFor("TLS handshake deadline passed");
                    return;
                }
                if (loop.trace != null) loop.trace.timer(loop.index(), socket.id(), "deadline passed");
                handler.onTimeout(this);
                flush();
            }
        }
    }

    // ---------------------------------------------------------------- closing

    /**
     * Closes gracefully: the queued output is written, then our side is shut down and the
     * peer's remaining bytes are read and dropped (briefly) so that our last response is
     * not destroyed by a reset.
     */
    public void closeAfterWrite() { closeAfterWrite(true); }

    /**
     * As {@link #closeAfterWrite()}. With {@code expectMoreInput} false the peer is not
     * expected to send anything more (it asked for the close itself): if nothing is waiting
     * to be read when the output is written, the connection is closed at once, which sends
     * a FIN, and the linger (shutdown, a wakeup, a read, a close) is saved.
     *
     * @param expectMoreInput false when the peer asked for the close and will send nothing more
     */
    public void closeAfterWrite(boolean expectMoreInput) {
        if (state != State.OPEN) return;
        moveTo(State.CLOSING);
        peerMaySend = expectMoreInput;
        flush();
    }

    /** CLOSING with everything sent: linger for the peer's last bytes, or close at once when none can come. */
    private void startLinger() {
        if (inputEnded) {
            closeFor("everything sent, and the peer had closed its side");
            return;
        }
        if (!peerMaySend) {
            int n = socket.read(loop.readBuffer, 0, loop.readBuffer.length);
            if (loop.trace != null) loop.trace.read(loop.index(), socket.id(), n, loop.readBuffer.length);
            if (n <= 0) { // nothing unread (AGAIN), EOF, or a reset: a close now sends no reset
                closeFor("everything sent; nothing more to read");
                return;
            }
            lingerBytes = n; // bytes were waiting after all: drain them before closing
            readReady = true;
        }
        moveTo(State.LINGERING);
        readPaused = false;
        socket.shutdownOutput();
        if (loop.trace != null) loop.trace.note(loop.index(), socket.id(), "shutdown(SHUT_WR): lingering for the peer's last bytes");
        loop.wheel.schedule(this, loop.now() + LINGER_MILLIS);
        updateInterest();
        if (readReady) discardInput();
    }

    private void discardInput() {
        byte[] buf = loop.readBuffer;
        while (state == State.LINGERING) {
            int n = socket.read(buf, 0, buf.length);
            if (loop.trace != null) loop.trace.read(loop.index(), socket.id(), n, buf.length);
            if (n > 0) {
                lingerBytes += n;
                if (lingerBytes > LINGER_MAX_BYTES) closeFor("linger limit: the peer kept sending");
            } else if (n == Socket.AGAIN) {
                readReady = false;
                return;
            } else {
                closeFor(n == 0 ? "the peer closed after our last response" : "reset by the peer while lingering");
            }
        }
    }

    /** Closes at once: the fd, the timer, the queue (and its files). The handler hears {@code onClosed}. */
    public void close() { closeFor("closed by the protocol"); }

    /** As {@link #close()}, saying why (for the trace). */
    void closeFor(String why) {
        if (state == State.CLOSED) return;
        if (loop.trace != null) loop.trace.closed(loop.index(), socket.id(), why);
        if (loop.listener != null) closing(why);
        moveTo(State.CLOSED);
        loop.wheel.cancel(this);
        if (loop.scratchOwner == this) {
            loop.scratch.clear();
            loop.scratchOwner = null;
        }
        if (queue != null) {
            queue.release();
            queue = null;
        }
        loop.poller.remove(polled);
        socket.close();
        loop.connectionClosed(this);
        if (handler != null) {
            try {
                handler.onClosed(this);
            } catch (RuntimeException | Error e) {
                LoopLog.error("connection handler failed in onClosed", e);
            }
        }
    }

    /** Tells the loop's listener, which must not make the close fail. */
    private void closing(String why) {
        try {
            loop.listener.closing(this, why);
        } catch (RuntimeException | Error e) {
            LoopLog.error("connection listener failed", e);
        }
    }

    // ---------------------------------------------------------------- readiness

    void register() {
        int interest = loop.edge
                ? Interest.READ | Interest.WRITE | Interest.READ_HANGUP | Interest.EDGE
                : Interest.READ | Interest.READ_HANGUP;
        polled.owner = this;
        if (loop.trace != null) loop.trace.interest(loop.index(), socket.id(), -1, interest);
        loop.poller.add(polled, interest);
    }

    /** Level mode: ask for what we can act on now, and only call epoll_ctl when that changes. */
    private void updateInterest() {
        if (state == State.CLOSED || loop.edge) return; // edge mode registered everything once, for good
        int want = 0;
        if (state == State.LINGERING || (!readPaused && !inputEnded && queue == null)) want |= Interest.READ | Interest.READ_HANGUP;
        if (queue != null) want |= Interest.WRITE;
        if (want == polled.registered) return;
        if (loop.trace != null) loop.trace.interest(loop.index(), socket.id(), polled.registered, want);
        loop.poller.modify(polled, want);
    }

    @Override
    void onReady(int events) {
        if (loop.trace != null) loop.trace.event(loop.index(), socket.id(), events, false);
        // EPOLLERR: a reset or ICMP error; EPOLLHUP: both directions are shut. Either way
        // nothing we write can arrive, and level mode would report it forever: close now.
        if ((events & (Interest.ERROR | Interest.HANGUP)) != 0) {
            closeFor((events & Interest.ERROR) != 0 ? "EPOLLERR: a reset or an error" : "EPOLLHUP: both directions shut");
            return;
        }
        if ((events & Interest.WRITE) != 0) onWritable();
        if ((events & (Interest.READ | Interest.READ_HANGUP)) != 0) {
            onReadable((events & Interest.READ_HANGUP) != 0);
        }
    }

    @Override
    void failed(Throwable t) {
        LoopLog.error("connection handler failed; closing the connection", t);
        closeFor("the handler failed: " + t);
    }

    /** {@return whether this connection's loop is tracing: test it before building a {@link #trace} line} */
    public boolean isTraced() { return loop.trace != null; }

    /**
     * A line of the protocol's own in the trace (the request line, a response status).
     *
     * @param text one line, without its newline; dropped when not tracing
     */
    public void trace(String text) {
        if (loop.trace != null) loop.trace.note(loop.index(), socket.id(), text);
    }

    ConnectionHandler handler() { return handler; }
}
