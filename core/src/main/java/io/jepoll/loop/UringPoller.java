package io.jepoll.loop;

import io.jepoll.sys.Errno;
import io.jepoll.sys.EventFd;
import io.jepoll.sys.IoUring;
import io.jepoll.sys.Net;
import io.jepoll.sys.ProvidedBuffers;
import io.jepoll.sys.SendChunks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * io_uring as a {@link Poller}: completions turned into the readiness the loop already understands, so the same
 * {@link Connection} runs on it. Where epoll says "you may read now" and the loop then reads, here the kernel has
 * already read: a multishot receive per connection fills buffers of the loop's provided-buffer ring, and a
 * completion makes the socket "readable" until {@link UringSocket#read} has copied the bytes out. Sends go the
 * other way: {@code write} copies into native chunks, and {@link #poll} submits one send per socket that has any,
 * all in the one {@code io_uring_enter} that also waits. A loop iteration is thus one system call, however many
 * connections it serves.
 *
 * <p>Each submission carries {@code kind << 32 | fd} as its user data: the fd finds the socket in a table (as on
 * epoll), the kind says which of its operations completed. A descriptor is closed only once nothing of its is in
 * flight (see {@link UringSocket}), so a number in a completion always means the socket that submitted it.
 *
 * <p>Level-triggered, like the loop's other pollers: a socket still readable or writable after its callback is
 * reported again on the next turn. Edge mode is epoll's alone.
 */
final class UringPoller implements Poller, IoUring.Completions {
    static final long CLOSE_SEND_GRACE_NANOS = 2_000_000_000L;
    private static final int ACCEPT = 1, RECEIVE = 2, SEND = 3, CANCEL = 4, CLOSE = 5, WAKE = 7, POLL_OUT = 8;
    /** File regions up to this size are read into chunks (one send with the head); larger ones go by sendfile. */
    static final int SMALL_FILE = 16 << 10;
    static final int BUFFERS = 1024, BUFFER_SIZE = 4096;   // 4 MiB of receive buffers per loop
    static final int CHUNK_SIZE = 64 << 10, MAX_CHUNKS = 1024; // up to 64 MiB of output on the way per loop

    private final IoUring ring;
    private final ProvidedBuffers buffers;
    private final SendChunks chunks = new SendChunks(CHUNK_SIZE, MAX_CHUNKS);
    private final int[] nextBid = new int[BUFFERS], bidLen = new int[BUFFERS];
    private final int[] nextChunk = new int[MAX_CHUNKS], chunkLen = new int[MAX_CHUNKS], chunkFrom = new int[MAX_CHUNKS];
    private final int wakeFd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment wakeCounter = arena.allocate(8, 8);
    private final Tracer trace;
    private final int loopIndex;

    private UringSocket[] byFd = new UringSocket[1024];
    private final ArrayDeque<UringSocket> ready = new ArrayDeque<>();
    private final ArrayDeque<UringSocket> toArm = new ArrayDeque<>();
    private final ArrayDeque<UringSocket> toSend = new ArrayDeque<>();
    private final ArrayDeque<UringSocket> starved = new ArrayDeque<>();
    private final ArrayDeque<UringSocket> closingWithSends = new ArrayDeque<>();
    private boolean enabled, wakeArmed;

    UringPoller(int maxEvents, Tracer trace, int loopIndex) {
        this.trace = trace;
        this.loopIndex = loopIndex;
        int entries = Math.max(256, Math.min(maxEvents, 4096));
        ring = IoUring.open(Integer.highestOneBit(entries * 2 - 1)); // the power of two at or above: the kernel's rule
        try {
            buffers = new ProvidedBuffers(ring, 0, BUFFERS, BUFFER_SIZE);
            wakeFd = EventFd.createBlocking(); // io_uring polls a blocking descriptor; a non-blocking read would just fail
        } catch (RuntimeException e) {
            ring.close();
            throw e;
        }
    }

    private static long data(int kind, int fd) { return (long) kind << 32 | (fd & 0xffffffffL); }

    // ---------------------------------------------------------------- registration

    @Override
    public void add(Socket s, int interest) {
        UringSocket u = (UringSocket) s;
        u.poller = this;
        if (u.fd >= byFd.length) {
            UringSocket[] bigger = new UringSocket[Math.max(u.fd + 1, byFd.length * 2)];
            System.arraycopy(byFd, 0, bigger, 0, byFd.length);
            byFd = bigger;
        }
        byFd[u.fd] = u;
        modify(s, interest);
    }

    @Override
    public void modify(Socket s, int interest) {
        UringSocket u = (UringSocket) s;
        u.interest = interest;
        u.registered = interest;
        if ((interest & Interest.READ) != 0) wantReceive(u);
        else if (u.listening && u.receiving && !u.cancelling) cancelReceive(u); // paused: the backlog waits in the kernel
        if (readyEvents(u) != 0) enqueueReady(u);
    }

    /** The socket's descriptor stays in the table until its close is submitted: completions still find it. */
    @Override
    public void remove(Socket s) {
        UringSocket u = (UringSocket) s;
        u.interest = 0;
        u.registered = -1;
    }

    // ---------------------------------------------------------------- readiness

    private int readyEvents(UringSocket u) {
        if (u.closeAsked) return 0;
        if (u.listening) return (u.interest & Interest.READ) != 0 && u.acceptable() ? Interest.READ : 0;
        int ev = 0;
        if (u.receiveError != 0 || u.sendFailed) ev |= Interest.ERROR; // as epoll reports EPOLLERR whatever was asked
        if ((u.interest & Interest.READ) != 0 && u.readable()) ev |= Interest.READ | (u.eof ? Interest.READ_HANGUP : 0);
        if ((u.interest & Interest.WRITE) != 0 && u.writable()) ev |= Interest.WRITE;
        return ev;
    }

    void enqueueReady(UringSocket u) {
        if (u.readyQueued) return;
        u.readyQueued = true;
        ready.add(u);
    }

    @Override
    public int poll(int timeoutMillis) {
        if (!enabled) {
            ring.enable(); // on the loop's thread: it becomes the ring's one submitter
            enabled = true;
        }
        if (!wakeArmed) {
            wakeArmed = true;
            ring.readCounter(wakeFd, wakeCounter, data(WAKE, wakeFd));
        }
        armReceives();
        submitSends();
        long timeoutNanos = !ready.isEmpty() ? 0 : timeoutMillis < 0 ? -1 : timeoutMillis * 1_000_000L;
        if (!closingWithSends.isEmpty()) {
            cancelStuckSends();
            if (timeoutNanos < 0 || timeoutNanos > 100_000_000L) timeoutNanos = 100_000_000L;
        }
        int r = ring.submit(timeoutNanos);
        if (r < 0 && r != -Errno.ETIME && r != -Errno.EINTR && r != -Errno.EAGAIN) {
            LoopLog.warn("io_uring_enter failed: " + Errno.name(-r));
        }
        ring.reap(this);
        return ready.size();
    }

    @Override
    public void dispatch() {
        for (int n = ready.size(); n > 0; n--) {
            UringSocket u = ready.poll();
            u.readyQueued = false;
            int ev = readyEvents(u);
            if (ev == 0 || u.owner == null) continue;
            u.owner.ready(ev);
            // Level-triggered: still readable (more than one read's worth) or writable, say so again next turn.
            // A listener re-queues itself from accept() when a batch leaves descriptors behind.
            if (!u.listening && readyEvents(u) != 0) enqueueReady(u);
        }
    }

    @Override
    public void wakeup() { EventFd.signal(wakeFd); }

    // ---------------------------------------------------------------- receiving

    /** Nothing more can be received: the socket is closing, or its stream ended with EOF or an error. */
    private static boolean receiveOver(UringSocket u) { return u.closeAsked || u.eof || u.receiveError != 0; }

    void wantReceive(UringSocket u) {
        if (u.armQueued || u.receiving || receiveOver(u)) return;
        u.armQueued = true;
        toArm.add(u);
    }

    private void armReceives() {
        for (int n = toArm.size(); n > 0; n--) {
            UringSocket u = toArm.poll();
            u.armQueued = false;
            if (u.receiving || receiveOver(u) || (u.interest & Interest.READ) == 0) continue;
            if (!u.listening && buffers.available() == 0) { // none free: try again once reads have recycled some
                u.armQueued = true;
                toArm.add(u);
                continue;
            }
            u.receiving = true;
            if (u.listening) ring.accept(u.fd, data(ACCEPT, u.fd));
            else ring.receive(u.fd, buffers, data(RECEIVE, u.fd));
            if (trace != null) trace.submitted(loopIndex, u.fd, u.listening ? "accept (multishot)" : "recv (multishot, provided buffers)");
        }
    }

    private void cancelReceive(UringSocket u) {
        u.cancelling = true;
        ring.cancel(data(u.listening ? ACCEPT : RECEIVE, u.fd), data(CANCEL, u.fd));
    }

    /** Copies received bytes out, recycling each buffer once it is read to the end. */
    int copyReceived(UringSocket u, byte[] b, int off, int len) {
        int done = 0;
        while (done < len && u.headBid >= 0) {
            int bid = u.headBid;
            int n = Math.min(bidLen[bid] - u.headFrom, len - done);
            buffers.copy(bid, u.headFrom, b, off + done, n);
            done += n;
            u.headFrom += n;
            if (u.headFrom == bidLen[bid]) {
                u.headBid = nextBid[bid];
                if (u.headBid < 0) u.tailBid = -1;
                u.headFrom = 0;
                u.heldBuffers--;
                buffers.recycle(bid);
            }
        }
        if (u.headBid < 0) wantReceive(u); // a receive cancelled for holding too much, or starved of buffers
        return done;
    }

    private void dropReceived(UringSocket u) {
        while (u.headBid >= 0) {
            int bid = u.headBid;
            u.headBid = nextBid[bid];
            buffers.recycle(bid);
        }
        u.tailBid = -1;
        u.headFrom = 0;
        u.heldBuffers = 0;
    }

    // ---------------------------------------------------------------- sending

    private int roomInTail(UringSocket u) {
        int c = u.tailChunk;
        if (c < 0 || (u.sending && c == u.headChunk)) return 0; // the chunk in flight is frozen
        return CHUNK_SIZE - chunkLen[c];
    }

    boolean hasRoom(UringSocket u) {
        if (u.pollingOut || (u.fileWaits && u.chunks > 0)) return false; // a file waits: for the kernel, or for the bytes before it
        return roomInTail(u) > 0 || (u.chunks < UringSocket.MAX_CHUNKS && chunks.hasFree());
    }

    /** A chunk with room at the tail of the socket's queue, or -1: the socket's share or the loop's memory is used up. */
    private int tailWithRoom(UringSocket u) {
        if (roomInTail(u) > 0) return u.tailChunk;
        if (u.chunks >= UringSocket.MAX_CHUNKS) return -1;
        int c = chunks.take();
        if (c < 0) {
            if (!u.starved) {
                u.starved = true;
                starved.add(u);
            }
            return -1;
        }
        chunkLen[c] = 0;
        chunkFrom[c] = 0;
        nextChunk[c] = -1;
        if (u.tailChunk >= 0) nextChunk[u.tailChunk] = c;
        else u.headChunk = c;
        u.tailChunk = c;
        u.chunks++;
        return c;
    }

    int queue(UringSocket u, byte[] b, int off, int len) {
        int done = 0;
        while (done < len) {
            int c = tailWithRoom(u);
            if (c < 0) break;
            int n = Math.min(CHUNK_SIZE - chunkLen[c], len - done);
            chunks.put(c, chunkLen[c], b, off + done, n);
            chunkLen[c] += n;
            done += n;
        }
        if (done > 0) wantSend(u);
        return done;
    }

    /**
     * A file region. Small ones are read into chunks, so the head and the body leave in one send. Large ones go
     * by sendfile(2), zero-copy, as on epoll (read into chunks they cost two copies and, measured on 64 KiB files,
     * twice the CPU): it runs as a plain system call once nothing queued before it is still to be sent, and a
     * full socket buffer arms a POLLOUT poll that reports writability again.
     */
    long queueFile(UringSocket u, int fileFd, long offset, long count) {
        if (count <= SMALL_FILE) return copyFile(u, fileFd, offset, count);
        if (u.chunks > 0 && !u.sending) sendQueuedNow(u); // the head, at once, so the file can follow it now
        if (u.sendFailed) return Socket.GONE;
        if (u.chunks > 0) { // what is left of the head goes first; its send's completion reports writability
            u.fileWaits = true;
            return 0;
        }
        u.fileWaits = false;
        if (u.pollingOut) return 0;
        long n = io.jepoll.sys.Files.sendfile(u.fd, fileFd, offset, count);
        if (n > 0) return n;
        if (n == 0) return Socket.FILE_FAILED; // the file ended before the promised length: it shrank
        if (n == -Errno.EAGAIN) {
            u.pollingOut = true;
            ring.pollWritable(u.fd, data(POLL_OUT, u.fd));
            if (trace != null) trace.submitted(loopIndex, u.fd, "poll POLLOUT (sendfile found the socket buffer full)");
            return 0;
        }
        return n == -Errno.EPIPE || n == -Errno.ECONNRESET || n == -Errno.ENOTCONN ? Socket.GONE : Socket.FILE_FAILED;
    }

    /**
     * Sends the queued chunks (none in flight) with plain send(2) calls, MSG_MORE, as far as the kernel takes them:
     * the response head before a sendfile, which must find it in the socket already.
     */
    private void sendQueuedNow(UringSocket u) {
        while (u.headChunk >= 0) {
            int c = u.headChunk;
            int n = chunks.sendNow(c, chunkFrom[c], chunkLen[c] - chunkFrom[c], u.fd, true);
            if (trace != null) trace.note(loopIndex, u.fd, "send(2) " + n + " bytes of the head before sendfile");
            if (n == -Errno.EAGAIN) return;
            if (n < 0) {
                u.sendFailed = true;
                dropChunks(u);
                return;
            }
            chunkFrom[c] += n;
            if (chunkFrom[c] < chunkLen[c]) return; // the socket buffer is full
            u.headChunk = nextChunk[c];
            if (u.headChunk < 0) u.tailChunk = -1;
            u.chunks--;
            chunks.free(c);
        }
    }

    private long copyFile(UringSocket u, int fileFd, long offset, long count) {
        long done = 0;
        while (done < count) {
            int c = tailWithRoom(u);
            if (c < 0) break;
            int n = (int) Math.min(CHUNK_SIZE - chunkLen[c], count - done);
            long r = chunks.readFile(c, chunkLen[c], fileFd, offset + done, n);
            if (r <= 0) { // the file failed, or ended before the promised length
                if (done == 0) return Socket.FILE_FAILED;
                break;
            }
            chunkLen[c] += (int) r;
            done += r;
        }
        if (done > 0) wantSend(u);
        return done;
    }

    private void wantSend(UringSocket u) {
        if (u.flushQueued || u.sending) return;
        u.flushQueued = true;
        toSend.add(u);
    }

    /** One send per socket with bytes queued: the head chunk, in flight until its completion. */
    private void submitSends() {
        for (int n = toSend.size(); n > 0; n--) {
            UringSocket u = toSend.poll();
            u.flushQueued = false;
            if (u.sending || u.headChunk < 0 || u.sendFailed || u.fdClosed) continue;
            int c = u.headChunk;
            u.sending = true;
            ring.send(u.fd, chunks, c, chunkFrom[c], chunkLen[c] - chunkFrom[c], data(SEND, u.fd));
            if (trace != null) trace.submitted(loopIndex, u.fd, "send " + (chunkLen[c] - chunkFrom[c]) + " bytes");
        }
    }

    private void dropChunks(UringSocket u) {
        while (u.headChunk >= 0) {
            int c = u.headChunk;
            u.headChunk = nextChunk[c];
            chunks.free(c);
        }
        u.tailChunk = -1;
        u.chunks = 0;
    }

    void shutdownWhenSent(UringSocket u) {
        if (u.chunks == 0) submitShutdown(u);
    }

    /**
     * A plain shutdown(2), not an IORING_OP_SHUTDOWN: the kernel runs that one from a worker thread and looks the
     * descriptor up only then, by which time the socket may be closed and its number given to a new connection,
     * which would receive our FIN (seen in the TLS suites as a handshake cut short).
     */
    private void submitShutdown(UringSocket u) {
        u.shutdownWanted = false;
        Net.shutdown(u.fd, Net.SHUT_WR);
    }

    private void cancelStuckSends() {
        long now = System.nanoTime();
        for (int n = closingWithSends.size(); n > 0; n--) {
            UringSocket u = closingWithSends.poll();
            if (u.fdClosed) continue;
            if (u.sending && now - u.closeAskedNanos > CLOSE_SEND_GRACE_NANOS) {
                ring.cancel(data(SEND, u.fd), data(CANCEL, u.fd)); // the peer reads nothing: give its bytes up
                u.closeAskedNanos = Long.MAX_VALUE / 2 + now; // once
                if (trace != null) trace.submitted(loopIndex, u.fd, "cancel send: the peer read nothing for 2 s after close");
            }
            closingWithSends.add(u);
        }
    }

    // ---------------------------------------------------------------- closing

    /** The socket is closed for its owner: its bytes still go out, then the descriptor is closed when nothing is in flight. */
    void closeWhenIdle(UringSocket u) {
        dropReceived(u);
        if (u.receiving && !u.cancelling) cancelReceive(u);
        if (u.pollingOut) ring.cancel(data(POLL_OUT, u.fd), data(CANCEL, u.fd));
        if (u.sendFailed) dropChunks(u);
        if (u.chunks > 0) {
            wantSend(u);
            u.closeAskedNanos = System.nanoTime();
            closingWithSends.add(u);
        }
        finishCloseIfIdle(u);
    }

    private void finishCloseIfIdle(UringSocket u) {
        if (!u.closeAsked || u.fdClosed || u.receiving || u.sending || u.pollingOut || u.chunks > 0) return;
        u.fdClosed = true;
        if (byFd[u.fd] == u) byFd[u.fd] = null;
        ring.close(u.fd, data(CLOSE, u.fd));
        if (trace != null) trace.submitted(loopIndex, u.fd, "close: nothing of it in flight any more");
    }

    // ---------------------------------------------------------------- completions

    @Override
    public void complete(long userData, int res, int flags) {
        int kind = (int) (userData >>> 32);
        int fd = (int) userData;
        if (kind == WAKE) {
            wakeArmed = false; // re-armed at the next poll
            return;
        }
        if ((flags & IoUring.CQE_F_BUFFER) != 0) buffers.taken();
        UringSocket u = fd >= 0 && fd < byFd.length ? byFd[fd] : null;
        if (trace != null) trace.completed(loopIndex, fd, describe(kind, res, flags));
        switch (kind) {
            case ACCEPT -> accepted(u, res, flags);
            case RECEIVE -> received(u, res, flags);
            case SEND -> sent(u, res);
            case POLL_OUT -> {
                if (u == null) return;
                u.pollingOut = false;
                if (u.closeAsked) finishCloseIfIdle(u);
                else if (readyEvents(u) != 0) enqueueReady(u);
            }
            case CLOSE -> LoopLog.warn("io_uring close of descriptor " + fd + " failed: " + Errno.name(-res));
            default -> { } // CANCEL: only a failure completes (the request had ended already)
        }
    }

    private void accepted(UringSocket l, int res, int flags) {
        boolean more = (flags & IoUring.CQE_F_MORE) != 0;
        if (res >= 0) {
            if (l == null || l.closeAsked || !l.offerAccepted(res)) Net.close(res);
            else enqueueReady(l);
        } else if (l != null && res != -Errno.ECANCELED && !l.closeAsked) {
            l.pendingFailure = EpollSocket.acceptFailure(-res);
            enqueueReady(l);
        }
        if (!more && l != null) {
            l.receiving = false;
            l.cancelling = false;
            if (l.closeAsked) finishCloseIfIdle(l);
            else if (res >= 0 || res == -Errno.ECANCELED && (l.interest & Interest.READ) != 0) wantReceive(l);
            // a failure: the listener pauses or retries, and asks again through modify() or accept()
        }
    }

    private void received(UringSocket u, int res, int flags) {
        boolean more = (flags & IoUring.CQE_F_MORE) != 0;
        if ((flags & IoUring.CQE_F_BUFFER) != 0) {
            int bid = flags >>> 16;
            if (res > 0 && u != null && !u.closeAsked) {
                bidLen[bid] = res;
                nextBid[bid] = -1;
                if (u.tailBid >= 0) nextBid[u.tailBid] = bid;
                else u.headBid = bid;
                u.tailBid = bid;
                u.heldBuffers++;
            } else {
                buffers.recycle(bid);
            }
        }
        if (u == null) return;
        if (res == 0) u.eof = true;
        else if (res < 0 && res != -Errno.ENOBUFS && res != -Errno.ECANCELED) u.receiveError = -res;
        if (!more) {
            u.receiving = false;
            u.cancelling = false;
            if (u.closeAsked) {
                finishCloseIfIdle(u);
                return;
            }
            // Ended without EOF or error (no buffer was free, a cancel, the kernel's choice): ask again when reading.
            if ((u.interest & Interest.READ) != 0 && u.headBid < 0) wantReceive(u);
        } else if (res > 0 && (u.interest & Interest.READ) == 0 && u.heldBuffers >= UringSocket.MAX_HELD_BUFFERS && !u.cancelling) {
            cancelReceive(u); // not reading: stop taking the loop's buffers; the rest waits in the kernel
        }
        if (readyEvents(u) != 0) enqueueReady(u);
    }

    private void sent(UringSocket u, int res) {
        if (u == null) return;
        u.sending = false;
        int c = u.headChunk;
        if (res < 0) {
            u.sendFailed = true;
            dropChunks(u);
        } else if (c >= 0) {
            chunkFrom[c] += res;
            if (chunkFrom[c] >= chunkLen[c]) {
                u.headChunk = nextChunk[c];
                if (u.headChunk < 0) u.tailChunk = -1;
                u.chunks--;
                chunks.free(c);
                wakeStarved();
            }
        }
        if (u.chunks == 0) u.fileWaits = false;
        if (u.chunks > 0 && !u.sendFailed) wantSend(u);
        else if (u.shutdownWanted && !u.closeAsked) submitShutdown(u);
        if (u.closeAsked) finishCloseIfIdle(u);
        else if (readyEvents(u) != 0) enqueueReady(u);
    }

    private void wakeStarved() {
        while (!starved.isEmpty()) {
            UringSocket s = starved.poll();
            s.starved = false;
            if (readyEvents(s) != 0) enqueueReady(s);
        }
    }

    private static String describe(int kind, int res, int flags) {
        String what = switch (kind) {
            case ACCEPT -> "accept";
            case RECEIVE -> "recv";
            case SEND -> "send";
            case POLL_OUT -> "poll";
            case CANCEL -> "cancel";
            case CLOSE -> "close";
            default -> "op " + kind;
        };
        String result = res < 0 ? Errno.name(-res) : kind == ACCEPT ? "fd " + res : kind == POLL_OUT ? "writable" : res + " bytes";
        String buffer = (flags & IoUring.CQE_F_BUFFER) != 0 ? ", buffer " + (flags >>> 16) : "";
        return what + ": " + result + buffer + ((flags & IoUring.CQE_F_MORE) != 0 ? " (still armed)" : "");
    }

    // ---------------------------------------------------------------- the end

    /**
     * Drains the ring: every operation still in flight is cancelled and its completion awaited (1 s at most), then
     * every descriptor left is closed. Memory the kernel may still write into is kept when the drain falls short.
     */
    @Override
    public void close() {
        boolean drained = true;
        if (enabled) {
            // What the connections wrote last (a final chunk, a 503) is still in chunks: let it go out first, as a
            // close(2) on epoll would leave it to the kernel. Bounded: a peer that reads nothing loses it.
            long flushDeadline = System.nanoTime() + 1_000_000_000L;
            while (hasOutput() && System.nanoTime() < flushDeadline) {
                submitSends();
                ring.submit(10_000_000L);
                ring.reap(this);
            }
            for (UringSocket u : byFd) {
                if (u == null) continue;
                if (!u.closeAsked) {
                    u.closeAsked = true;
                    if (u.listening) u.closeAccepted();
                    dropReceived(u);
                }
                if (u.receiving && !u.cancelling) cancelReceive(u);
                if (u.sending) ring.cancel(data(SEND, u.fd), data(CANCEL, u.fd));
                if (u.pollingOut) ring.cancel(data(POLL_OUT, u.fd), data(CANCEL, u.fd));
            }
            if (wakeArmed) ring.cancel(data(WAKE, wakeFd), data(CANCEL, wakeFd));
            long deadline = System.nanoTime() + 1_000_000_000L;
            while (inFlight() && System.nanoTime() < deadline) {
                ring.submit(10_000_000L);
                ring.reap(this);
            }
            drained = !inFlight();
            ring.submit(0); // the closes queued by the last completions
        }
        for (UringSocket u : byFd) {
            if (u != null && !u.fdClosed) {
                u.fdClosed = true;
                Net.close(u.fd);
            }
        }
        if (drained) {
            buffers.close();
            chunks.close();
            arena.close();
        } else {
            LoopLog.warn("io_uring: operations still in flight after 1 s at close; their memory stays allocated");
        }
        ring.close();
        Net.close(wakeFd);
    }

    private boolean hasOutput() {
        for (UringSocket u : byFd) if (u != null && !u.fdClosed && !u.sendFailed && u.chunks > 0) return true;
        return false;
    }

    private boolean inFlight() {
        if (wakeArmed) return true;
        for (UringSocket u : byFd) if (u != null && (u.receiving || u.sending || u.pollingOut)) return true;
        return false;
    }

    /** For tests: buffers the kernel can fill, and send chunks in use (both back to their start when idle). */
    int freeBuffers() { return buffers.available(); }

    int chunksInUse() { return chunks.inUse(); }
}
