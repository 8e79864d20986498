package io.jepoll.loop;

/**
 * Told when a loop accepts a connection and when one closes, whatever the protocol (the server's JFR events use
 * it). Set in {@link LoopConfig.Builder#connectionListener}; the loops hold {@code null} by default and test it
 * before each call, so a group without one pays a null test per accept and per close. Calls come from loop
 * threads, one at a time per loop; an implementation must be safe for several loops and must not block.
 */
public interface ConnectionListener {
    /**
     * A connection was accepted and is about to get its handler.
     *
     * @param c the connection ({@link Connection#remoteAddress()} is a system call on epoll: ask only when needed)
     */
    void opened(Connection c);

    /**
     * A connection is being closed; its socket is still open, so {@link Connection#remoteAddress()} answers.
     *
     * @param c   the connection
     * @param why the reason, as {@code --trace} prints it
     */
    void closing(Connection c, String why);
}
