package io.jepoll.server;

/**
 * What the server tells a streamed body's writer that wants to know, beside the write that fails: the client is
 * gone, or the body should end now. A plain {@link io.jepoll.http.BodyWriter} ignores both (it learns of a gone
 * client from its next write); an {@link EventStream}, whose writer mostly waits for the next event, listens.
 *
 * <p>Each signal is given once and is kept: a listener that registers after it still hears it, at once. The
 * signals come from the loop thread (or, in the blocking engines, from the thread that shuts the server down or
 * drops the connection); a listener must not block.
 */
final class StreamSignals {
    /** Hears the signals; each method runs at most once. */
    interface Listener {
        /** The connection is closed: nothing more will reach the client. */
        void gone();

        /** End the body soon, cleanly: the server is shutting down, or the client sent its EOF. */
        void finish();
    }

    private Listener listener;   // guarded by this
    private boolean gone, finish; // guarded by this

    /** Registers the one listener; it hears at once what was signalled already. */
    void listen(Listener l) {
        boolean wasGone, wasFinish;
        synchronized (this) {
            if (listener != null) throw new IllegalStateException("a stream has one listener");
            listener = l;
            wasGone = gone;
            wasFinish = finish;
        }
        if (wasGone) l.gone();
        else if (wasFinish) l.finish();
    }

    /** The connection closed. */
    void gone() {
        Listener l;
        synchronized (this) {
            if (gone) return;
            gone = true;
            l = listener;
        }
        if (l != null) l.gone();
    }

    /** The body should end now (shutdown, the client's EOF). */
    void finish() {
        Listener l;
        synchronized (this) {
            if (finish || gone) return;
            finish = true;
            l = listener;
        }
        if (l != null) l.finish();
    }
}
