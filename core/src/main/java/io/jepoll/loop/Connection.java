package io.jepoll.loop;

import io.jepoll.sys.Errno;

import java.net.InetSocketAddress;

/**
 * One accepted TCP connection, owned by one {@link EventLoop} for its whole life. Every
 * method must be called on that loop's thread (use {@link EventLoop#execute} from others).
 *
 * <p>Writing: bytes go into the loop's shared scratch buffer (or this connection's backlog
 * when the socket is already behind) and leave in one write when the current callback
 * returns. If the kernel takes only part, the rest is copied into a backlog that exists
 * only while needed; the connection then waits for EPOLLOUT and stops reading until the
 * backlog is written (backpressure). An idle connection holds no buffer at all.
 */
public final class Connection extends TimerWheel.Node {
    /** Writes at least this large skip the scratch copy and go straight from the caller's array. */
    private static final int DIRECT_WRITE_MIN = 32 * 1024;
    /** How long a closing connection keeps draining the peer's bytes so our last response is not reset. */
    private static final long LINGER_MILLIS = 2_000;
    private static final long LINGER_MAX_BYTES = 1 << 20;

    private final EventLoop loop;
    private final Socket socket;
    private ConnectionHandler handler;

    private WriteBuffer backlog;          // unsent bytes; null when the kernel took everything
    private boolean readPaused;           // by the protocol
    private boolean inputEnded;           // EOF seen
    private boolean readReady;            // edge mode: bytes may remain unread
    private boolean closeRequested;       // close once the backlog is written
    private boolean lingering;            // output shut down; discarding input until EOF
    private boolean lingerWanted = true;  // the peer may still be sending (e.g. a refused body)
    private long lingerBytes;
    private boolean closed;
    boolean queuedForRead;                // in the loop's retry queue (edge budget ran out)

    // The loop's intrusive list of live connections: no set, no per-connection entry object.
    Connection prevLive, nextLive;

    Connection(EventLoop loop, Socket socket) {
        this.loop = loop;
        this.socket = socket;
    }

    void attach(ConnectionHandler h) { this.handler = h; }

    public EventLoop loop() { return loop; }

    public boolean isOpen() { return !closed; }

    /** The client's address (a system call each time: call it only when you need it). */
    public InetSocketAddress remoteAddress() { return closed ? null : socket.remoteAddress(); }

    // ---------------------------------------------------------------- writing

    /**
     * The buffer to append output to; it leaves when the current callback (or task) returns,
     * or at {@link #flush()}.
     */
    public WriteBuffer out() {
        if (backlog != null) return backlog;
        Connection owner = loop.scratchOwner;
        if (owner != this) {
            if (owner != null) owner.flush();
            loop.scratchOwner = this;
        }
        return loop.scratch;
    }

    public void write(byte[] b) { write(b, 0, b.length); }

    /** Queues {@code b[off, off+len)}; large arrays are written straight from the caller's array. */
    public void write(byte[] b, int off, int len) {
        if (closed || closeRequested || len == 0) return;
        if (len < DIRECT_WRITE_MIN || backlog != null) {
            out().put(b, off, len);
            return;
        }
        flush();
        if (closed) return;
        if (backlog == null) {
            int n = writeSome(b, off, len);
            if (n < 0) {
                close();
                return;
            }
            off += n;
            len -= n;
        }
        if (len > 0) {
            boolean wasBlocked = backlog != null;
            if (backlog == null) backlog = new WriteBuffer(len);
            backlog.put(b, off, len);
            updateInterest();
            if (!wasBlocked) handler.onWriteBlocked(this);
        }
    }

    /** Bytes queued but not yet accepted by the kernel. */
    public int backlogBytes() { return backlog == null ? 0 : backlog.readable(); }

    /** True while earlier output waits for the socket to drain. */
    public boolean isWriteBlocked() { return backlog != null; }

    /** Hands queued output to the kernel now. Called by the loop after every callback. */
    public void flush() {
        if (closed) return;
        if (loop.scratchOwner == this) {
            loop.scratchOwner = null;
            WriteBuffer s = loop.scratch;
            if (!s.isEmpty()) {
                boolean cork = loop.config.tcpCork();
                if (cork) socket.setCork(true);
                int n = writeSome(s.array(), s.start(), s.readable());
                if (n >= 0 && n < s.readable()) {
                    backlog = new WriteBuffer(s.readable() - n);
                    backlog.put(s.array(), s.start() + n, s.readable() - n);
                    handler.onWriteBlocked(this);
                }
                if (cork && n >= 0) socket.setCork(false); // uncork: the last partial frame leaves now
                s.clear();
                s.shrinkIfLarger(1 << 20, loop.config.readBufferSize());
                if (n < 0) {
                    close();
                    return;
                }
                updateInterest();
            }
        }
        if (backlog == null && closeRequested && !lingering) startLinger();
    }

    /** Writes as much as the kernel takes; returns bytes written, or -1 when the peer is gone. */
    private int writeSome(byte[] b, int off, int len) {
        int done = 0;
        while (done < len) {
            int n = socket.write(b, off + done, len - done);
            if (n > 0) {
                done += n;
            } else if (n == -Errno.EAGAIN || n == 0) {
                break;
            } else {
                return -1; // EPIPE, ECONNRESET, ...: nobody is listening any more
            }
        }
        return done;
    }

    /** EPOLLOUT: write the backlog; once empty, resume reading. */
    void onWritable() {
        if (backlog == null || closed) return; // edge mode reports writability it was not asked for
        int n = writeSome(backlog.array(), backlog.start(), backlog.readable());
        if (n < 0) {
            close();
            return;
        }
        backlog.consume(n);
        if (!backlog.isEmpty()) {
            if (n > 0) handler.onWriteBlocked(this); // progress: a stall deadline starts over
            return;
        }
        backlog = null;
        updateInterest();
        if (closeRequested) {
            startLinger();
            return;
        }
        handler.onDrained(this);
        flush();
        if (readReady && !closed) loop.readLater(this);
    }

    // ---------------------------------------------------------------- reading

    /** Stops delivering bytes (e.g. while a handler runs elsewhere); they wait in the kernel. */
    public void pauseReading() {
        if (readPaused) return;
        readPaused = true;
        updateInterest();
    }

    public void resumeReading() {
        if (!readPaused || closed) return;
        readPaused = false;
        updateInterest();
        if (readReady) loop.readLater(this);
    }

    public boolean isReadPaused() { return readPaused; }

    /** Readiness to read: one read in level mode; in edge mode read until drained or out of budget. */
    void onReadable(boolean peerClosed) {
        if (closed) return;
        if (lingering) {
            discardInput();
            return;
        }
        if (readPaused || backlog != null || inputEnded) {
            readReady = true;
            return;
        }
        boolean edge = loop.edge;
        int budget = loop.config.edgeReadBudget();
        byte[] buf = loop.readBuffer;
        while (true) {
            int n = socket.read(buf, 0, buf.length);
            if (n > 0) {
                handler.onRead(this, buf, 0, n);
                flush();
                if (closed) return;
                if (readPaused || backlog != null || lingering) {
                    readReady = true; // stopped early: there may be more in the kernel
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
            } else if (n == -Errno.EAGAIN) {
                readReady = false;
                return;
            } else {
                close(); // ECONNRESET and friends: the peer is gone
                return;
            }
        }
    }

    /** Called from the loop's retry queue. */
    void readAgain() {
        queuedForRead = false;
        if (readReady) onReadable(false);
    }

    // ---------------------------------------------------------------- timers

    /** Calls {@link ConnectionHandler#onTimeout} after {@code millis} unless reset or cancelled. */
    public void setTimeout(long millis) {
        if (!closed) loop.wheel.schedule(this, loop.now() + millis);
    }

    public void cancelTimeout() { loop.wheel.cancel(this); }

    @Override
    void expire() {
        if (closed) return;
        if (lingering) {
            close();
            return;
        }
        handler.onTimeout(this);
        flush();
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
     */
    public void closeAfterWrite(boolean expectMoreInput) {
        if (closed || closeRequested) return;
        closeRequested = true;
        lingerWanted = expectMoreInput;
        flush();
    }

    public boolean isClosing() { return closeRequested || closed; }

    private void startLinger() {
        if (inputEnded) {
            close();
            return;
        }
        if (!lingerWanted) {
            int n = socket.read(loop.readBuffer, 0, loop.readBuffer.length);
            if (n <= 0) { // nothing unread (EAGAIN), EOF, or an error: close sends no reset
                close();
                return;
            }
            lingerBytes = n; // bytes were waiting after all: drain them before closing
            readReady = true;
        }
        lingering = true;
        readPaused = false;
        socket.shutdownOutput();
        loop.wheel.schedule(this, loop.now() + LINGER_MILLIS);
        updateInterest();
        if (readReady) discardInput();
    }

    private void discardInput() {
        byte[] buf = loop.readBuffer;
        while (!closed) {
            int n = socket.read(buf, 0, buf.length);
            if (n > 0) {
                lingerBytes += n;
                if (lingerBytes > LINGER_MAX_BYTES) close();
            } else if (n == -Errno.EAGAIN) {
                readReady = false;
                return;
            } else {
                close(); // EOF or error: the peer has everything we sent
            }
        }
    }

    /** Closes at once: the fd, the timer, the backlog. The handler hears {@code onClosed}. */
    public void close() {
        if (closed) return;
        closed = true;
        loop.wheel.cancel(this);
        if (loop.scratchOwner == this) {
            loop.scratch.clear();
            loop.scratchOwner = null;
        }
        backlog = null;
        loop.poller.remove(socket);
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

    // ---------------------------------------------------------------- interest

    void register() {
        int interest = loop.edge
                ? Interest.READ | Interest.WRITE | Interest.READ_HANGUP | Interest.EDGE
                : Interest.READ | Interest.READ_HANGUP;
        socket.owner = this;
        loop.poller.add(socket, interest);
    }

    /** Level mode: ask for what we can act on now, and only call epoll_ctl when that changes. */
    private void updateInterest() {
        if (closed || loop.edge) return; // edge mode registered everything once, for good
        int want = 0;
        if (lingering || (!readPaused && !inputEnded && backlog == null)) want |= Interest.READ | Interest.READ_HANGUP;
        if (backlog != null) want |= Interest.WRITE;
        if (want != socket.registered) loop.poller.modify(socket, want);
    }

    /** Dispatch of one readiness report from the poller. */
    void onEvents(int events) {
        // EPOLLERR: a reset or ICMP error; EPOLLHUP: both directions are shut. Either way
        // nothing we write can arrive, and level mode would report it forever: close now.
        if ((events & (Interest.ERROR | Interest.HANGUP)) != 0) {
            close();
            return;
        }
        if ((events & Interest.WRITE) != 0) onWritable();
        if ((events & (Interest.READ | Interest.READ_HANGUP)) != 0) {
            onReadable((events & Interest.READ_HANGUP) != 0);
        }
    }

    Socket socket() { return socket; }

    ConnectionHandler handler() { return handler; }
}
