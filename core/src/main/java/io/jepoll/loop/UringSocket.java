package io.jepoll.loop;

import io.jepoll.sys.Net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * A socket of the io_uring backend. The calls {@link Connection} makes stay synchronous, as on epoll, but nothing
 * here makes a system call for them: {@link #read} copies bytes that a multishot receive has already delivered into
 * the loop's provided buffers, and {@link #write} copies into native send chunks that leave with the loop's next
 * {@code io_uring_enter}. The kernel "takes" bytes as long as this socket's chunks have room ({@link #MAX_CHUNKS});
 * past that {@code write} returns 0, the connection queues and waits for writability, exactly as when epoll's
 * send buffer is full.
 *
 * <h2>Life of the descriptor</h2>
 * <pre>
 *   open ──close()──► closing: receive cancelled, queued chunks still sent ──last completion──► CLOSE submitted
 * </pre>
 * The descriptor is closed (by an {@code IORING_OP_CLOSE}) only when no operation of this socket is in flight,
 * so its number cannot be handed to a new connection while a completion for the old one may still arrive. A send
 * the peer never drains is cancelled after {@link UringPoller#CLOSE_SEND_GRACE_NANOS}.
 *
 * <p>State is a few numbers: the buffers received and not yet read, and the chunks written and not yet sent, are
 * intrusive lists threaded through the poller's arrays (by buffer and chunk id), so an idle connection holds no
 * buffer, no chunk and no array.
 */
final class UringSocket extends Socket {
    /** Send chunks one socket may hold: the "send buffer" it appears to have (4 × 64 KiB). */
    static final int MAX_CHUNKS = 4;
    /** Received buffers a socket that is not reading may hold before its receive is cancelled. */
    static final int MAX_HELD_BUFFERS = 4;

    final int fd;
    final boolean listening;
    UringPoller poller;             // set when added; null for a socket no loop has taken yet

    // receiving
    boolean receiving;              // a multishot receive (or accept) is armed
    boolean cancelling;             // its cancel is submitted; the final completion is still to come
    boolean armQueued;              // in the poller's list of receives to arm
    int headBid = -1, tailBid = -1; // buffers received, in order
    int headFrom;                   // bytes of the head buffer already read
    int heldBuffers;
    boolean eof;
    int receiveError;               // errno that ended the receive (ECONNRESET...), 0 for none

    // sending
    int headChunk = -1, tailChunk = -1;
    int chunks;                     // chunks queued, the one in flight included
    boolean sending;                // the head chunk is in flight
    boolean flushQueued;            // in the poller's list of sends to submit
    boolean sendFailed;
    boolean pollingOut;             // sendfile met a full socket buffer: a POLLOUT poll is in flight
    boolean fileWaits;              // a large file waits for the chunks queued before it to leave
    boolean shutdownWanted;
    long closeAskedNanos;

    // both
    boolean closeAsked;
    boolean fdClosed;
    boolean readyQueued;            // in the poller's ready list
    boolean starved;                // waiting for a free send chunk
    int interest;                   // what the owner asked for; 0 until added

    // listening sockets only: descriptors a multishot accept delivered and accept() has not handed out
    private int[] acceptedFds;
    private int acceptedHead, acceptedCount;
    private AcceptFailure lastFailure;
    AcceptFailure pendingFailure;

    UringSocket(int fd, boolean listening) {
        this.fd = fd;
        this.listening = listening;
        if (listening) acceptedFds = new int[64];
    }

    @Override
    int id() { return fd; }

    // ---------------------------------------------------------------- reading

    @Override
    int read(byte[] b, int off, int len) {
        if (headBid < 0) {
            if (receiveError != 0) return GONE;
            if (eof) return 0;
            if (poller != null) poller.wantReceive(this);
            return AGAIN;
        }
        return poller.copyReceived(this, b, off, len);
    }

    /** Whether a readiness report for reading is due: bytes, the end of the stream, or an error to be read. */
    boolean readable() { return headBid >= 0 || eof || receiveError != 0; }

    // ---------------------------------------------------------------- writing

    @Override
    int write(byte[] b, int off, int len, boolean more) {
        if (sendFailed || closeAsked) return GONE;
        return poller.queue(this, b, off, len);
    }

    @Override
    long transfer(OpenFile file, long offset, long count) {
        if (sendFailed || closeAsked) return GONE;
        return poller.queueFile(this, ((EpollSocket.NativeFile) file).fd, offset, count);
    }

    /** Whether {@link #write} would take at least a byte now. */
    boolean writable() { return sendFailed || poller.hasRoom(this); }

    @Override
    OpenFile openFile(Path path) throws IOException { return EpollSocket.openNative(path); }

    // ---------------------------------------------------------------- accepting

    /** A multishot accept delivered a descriptor; queued until accept() hands it out. */
    boolean offerAccepted(int newFd) {
        if (acceptedCount == acceptedFds.length) { // a burst faster than the loop accepts: grow (listeners are few)
            int[] bigger = new int[acceptedFds.length * 2];
            for (int i = 0; i < acceptedCount; i++) bigger[i] = acceptedFds[(acceptedHead + i) % acceptedFds.length];
            acceptedFds = bigger;
            acceptedHead = 0;
        }
        acceptedFds[(acceptedHead + acceptedCount++) % acceptedFds.length] = newFd;
        return true;
    }

    boolean acceptable() { return acceptedCount > 0 || pendingFailure != null; }

    @Override
    Socket accept() {
        if (acceptedCount == 0) {
            lastFailure = pendingFailure;
            pendingFailure = null;
            if (poller != null && lastFailure == null) poller.wantReceive(this);
            return null;
        }
        int newFd = acceptedFds[acceptedHead];
        acceptedHead = (acceptedHead + 1) % acceptedFds.length;
        acceptedCount--;
        if (acceptedCount > 0 && poller != null) poller.enqueueReady(this); // the batch may end before the queue does
        return new UringSocket(newFd, false);
    }

    /** Closes descriptors accepted and never handed out (the listener is closing). */
    void closeAccepted() {
        while (acceptedCount > 0) {
            Net.close(acceptedFds[acceptedHead]);
            acceptedHead = (acceptedHead + 1) % acceptedFds.length;
            acceptedCount--;
        }
    }

    @Override
    AcceptFailure lastAcceptFailure() { return lastFailure; }

    // ---------------------------------------------------------------- the rest

    @Override
    void shutdownOutput() {
        if (closeAsked || shutdownWanted) return;
        shutdownWanted = true;
        if (poller == null) Net.shutdown(fd, Net.SHUT_WR);
        else poller.shutdownWhenSent(this);
    }

    /** A no-op: the bytes of one flush leave together in one send, so there is no partial segment to hold back. */
    @Override
    void setCork(boolean on) { }

    @Override
    void setNoDelay(boolean on) { EpollSocket.setNoDelay(fd, on); }

    @Override
    void setBuffers(int receive, int send) { EpollSocket.setBuffers(fd, receive, send); }

    @Override
    void close() {
        if (closeAsked) return;
        closeAsked = true;
        if (listening) closeAccepted();
        if (poller == null) { // never taken by a loop: nothing can be in flight
            fdClosed = true;
            Net.close(fd);
            return;
        }
        poller.closeWhenIdle(this);
    }

    @Override
    InetSocketAddress localAddress() { return Net.localAddress(fd); }

    @Override
    InetSocketAddress remoteAddress() { return EpollSocket.remoteAddress(fd); }
}
