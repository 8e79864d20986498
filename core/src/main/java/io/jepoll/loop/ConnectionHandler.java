package io.jepoll.loop;

/**
 * The protocol side of one connection: what to do with its bytes and its events. All
 * methods run on the connection's loop thread, one at a time, so a handler needs no locks.
 * Whatever a callback writes leaves in one flush after the callback returns.
 */
public interface ConnectionHandler {

    /**
     * Bytes arrived. {@code buf[off, off+len)} is the loop's shared buffer: valid only during this call.
     *
     * @param c   the connection
     * @param buf the loop's read buffer; copy what must outlive the call
     * @param off where the new bytes start
     * @param len how many, at least 1
     */
    void onRead(Connection c, byte[] buf, int off, int len);

    /**
     * The peer will send nothing more (EOF). The connection can still write; close it when done.
     *
     * @param c the connection
     */
    void onReadEnd(Connection c);

    /**
     * The kernel took only part of the output: the rest waits for the socket to drain.
     * Called again each time the client takes more while a backlog remains, so a write
     * deadline can measure stalls rather than the length of a slow download.
     *
     * @param c the connection, with {@link Connection#queuedBytes()} still to send
     */
    default void onWriteBlocked(Connection c) {}

    /**
     * Everything queued earlier has been handed to the kernel; a paused writer may go on.
     *
     * @param c the connection
     */
    default void onDrained(Connection c) {}

    /**
     * The deadline set with {@link Connection#setTimeout(long)} has passed.
     *
     * @param c the connection; it stays open unless the handler closes it
     */
    void onTimeout(Connection c);

    /**
     * The server is stopping: finish what is in flight and close, promptly. The loop
     * force-closes connections still open when the shutdown deadline passes.
     *
     * @param c the connection; by default it closes once its output is written
     */
    default void onShutdown(Connection c) { c.closeAfterWrite(); }

    /**
     * The connection is closed (by either side, or by an error); release what it holds.
     *
     * @param c the connection, no longer usable for I/O; called once
     */
    default void onClosed(Connection c) {}
}
