package io.jepoll.loop;

/**
 * The readiness source of one event loop ({@link Backend}): epoll on Linux, a java.nio
 * Selector elsewhere.
 * All methods but {@link #wakeup()} are called from the loop thread only.
 */
interface Poller extends AutoCloseable {

    void add(Socket s, int interest);

    void modify(Socket s, int interest);

    /** Forgets the socket; called before closing it. */
    void remove(Socket s);

    /** Waits up to {@code timeoutMillis} (-1: forever) for readiness; returns how many sockets are ready. */
    int poll(int timeoutMillis);

    /**
     * Calls {@link IoHandle#ready} for each socket found ready by the last {@link #poll}.
     * Separate from waiting so the loop can read its clock between the two: callbacks see
     * the time they run at.
     */
    void dispatch();

    /** Makes a blocked or the next {@link #poll} return at once. Any thread. */
    void wakeup();

    @Override
    void close();
}
