package io.jepoll.loop;

/**
 * A loop's listening socket. Accepting happens after the loop has dispatched the whole
 * ready list, so a descriptor number freed by a close in this batch cannot be handed to a
 * new connection while a stale event for the old one is still pending in the same batch.
 *
 * <p>When descriptors run out (EMFILE/ENFILE) or the connection limit is reached, the
 * listener stops asking for EPOLLIN (a level-triggered listener with a full backlog would
 * otherwise wake the loop forever) and tries again a little later.
 */
final class Listener extends IoHandle {
    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final long RETRY_MILLIS = 100;

    private final EventLoop loop;
    final Socket socket;
    boolean ready;
    private boolean paused;
    private boolean warned;  // one warning per shortage, not one per retry

    Listener(EventLoop loop, Socket socket) {
        this.loop = loop;
        this.socket = socket;
        socket.owner = this;
    }

    void register() { loop.poller.add(socket, Interest.READ); }

    /** Accepts up to a batch of waiting connections. */
    void acceptBatch() {
        ready = false;
        for (int i = 0; i < ACCEPTS_PER_WAKEUP && !paused; i++) {
            if (!loop.group.tryReserveConnection()) {
                pause(LoopStats.PAUSED_AT_LIMIT);
                return;
            }
            Socket s = socket.accept();
            if (s != null && loop.trace != null) loop.trace.accepted(loop.index(), s.id(), s.remoteAddress());
            if (s == null) {
                loop.group.releaseConnection();
                AcceptFailure f = socket.lastAcceptFailure();
                if (f == null) return; // nobody else is waiting
                // if/else, not a switch: an enum switch compiles to a synthetic class, loaded on
                // first use, which under EMFILE could not be loaded from a class directory.
                AcceptFailure.Kind kind = f.kind();
                if (kind == AcceptFailure.Kind.CLIENT_GONE) continue; // that client gave up; take the next
                if (loop.trace != null) loop.trace.acceptFailed(loop.index(), f.detail(), kind == AcceptFailure.Kind.NO_RESOURCES);
                if (kind == AcceptFailure.Kind.NO_RESOURCES) {
                    if (!warned) {
                        LoopLog.warn("accept: " + f.detail() + ", pausing accepts for " + RETRY_MILLIS + " ms");
                        warned = true;
                    }
                    pause(LoopStats.PAUSED_FOR_RESOURCES);
                }
                return; // OTHER: the next poll reports the listener again
            }
            warned = false; // descriptors are back: a new shortage is worth a new warning
            loop.adopt(s);
        }
        // The batch ran out before the queue did: the listener is level-triggered, so the
        // next poll reports it again after the other sockets had their turn.
    }

    /** Stops watching the socket for a while; {@code cause} is the loop's counter of such pauses. */
    private void pause(int cause) {
        if (paused) return;
        paused = true;
        loop.counters.add(cause, 1);
        if (loop.trace != null) loop.trace.interest(loop.index(), socket.id(), Interest.READ, 0);
        loop.poller.modify(socket, 0);
        loop.wheel.schedule(this, loop.now() + RETRY_MILLIS);
    }

    /** A connection of this loop closed: a descriptor and a connection slot are free again. */
    void onConnectionClosed() {
        if (paused) {
            loop.wheel.cancel(this);
            expire();
        }
    }

    /** Retry after a pause: resume watching; the next accept tells whether things improved. */
    @Override
    void expire() {
        if (!paused || !loop.isAccepting()) return;
        paused = false;
        if (loop.trace != null) loop.trace.interest(loop.index(), socket.id(), 0, Interest.READ);
        loop.poller.modify(socket, Interest.READ);
    }

    @Override
    void onReady(int events) {
        if (loop.trace != null) loop.trace.event(loop.index(), socket.id(), events, true);
        ready = true; // accepted after the whole ready list, see the class comment
    }

    @Override
    void failed(Throwable t) { LoopLog.error("listener failed", t); }

    void close() {
        loop.wheel.cancel(this);
        loop.poller.remove(socket);
        socket.close();
    }
}
