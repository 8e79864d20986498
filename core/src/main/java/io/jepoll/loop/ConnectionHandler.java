package io.jepoll.loop;

/**
 * The protocol side of one connection: what to do with its bytes and its events. All
 * methods run on the connection's loop thread, one at a time, so a handler needs no locks.
 * Whatever a callback writes leaves in one flush after the callback returns.
 */
public interface ConnectionHandler {

    /** Bytes arrived. {@code buf[off, off+len)} is the loop's shared buffer: valid only during this call. */
    void onRead(Connection c, byte[] buf, int off, int len);

    /** The peer will send nothing more (EOF). The connection can still write; close it when done. */
    void onReadEnd(Connection c);

    /**
     * The kernel took only part of the output: the rest waits for the socket to drain.
     * Called again each time the client takes more while a backlog remains, so a write
     * deadline can measure stalls rather than the length of a slow download.
     */
    default void onWriteBlocked(Connection c) {}

    /** Everything queued earlier has been handed to the kernel; a paused writer may go on. */
    default void onDrained(Connection c) {}

    /**
     * The TLS handshake has finished (TLS connections only; before it the handler hears
     * nothing, and the connection's timer is the handshake deadline). A handler arms its own
     * deadline again here.
     */
    default void onSecured(Connection c) {}

    /** The deadline set with {@link Connection#setTimeout(long)} has passed. */
    void onTimeout(Connection c);

    /**
     * The server is stopping: finish what is in flight and close, promptly. The loop
     * force-closes connections still open when the shutdown deadline passes.
     */
    default void onShutdown(Connection c) { c.closeAfterWrite(); }

    /** The connection is closed (by either side, or by an error); release what it holds. */
    default void onClosed(Connection c) {}
}
