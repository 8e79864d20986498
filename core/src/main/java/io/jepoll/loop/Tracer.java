package io.jepoll.loop;

import java.net.InetSocketAddress;

/**
 * What an event loop reports when tracing is on (the {@code --trace} flag): every step the
 * tutorial describes, as it happens. The loop holds {@code null} when tracing is off and
 * tests that before each call, so an untraced loop pays one predictable branch and builds
 * no string. Calls come from loop threads; an implementation must be safe for several.
 * Sockets are named by {@code id}: the file descriptor on epoll, a sequence number on nio.
 */
public interface Tracer {

    /**
     * epoll_wait (or select) returned {@code ready} descriptors after waiting {@code waitedNanos}, with {@code timeoutMillis} asked.
     *
     * @param loop          the loop's index ({@link EventLoop#index()})
     * @param ready         descriptors reported, 0 when the wait timed out
     * @param waitedNanos   how long the call blocked
     * @param timeoutMillis the timeout passed, -1 for none
     */
    void polled(int loop, int ready, long waitedNanos, int timeoutMillis);

    /**
     * One readiness report for a socket: {@code events} in epoll's bits.
     *
     * @param loop     the loop's index
     * @param id       the socket
     * @param events   EPOLLIN, EPOLLOUT, EPOLLERR, EPOLLHUP, EPOLLRDHUP as epoll numbers them (nio's translated)
     * @param listener true for the listening socket, false for a connection
     */
    void event(int loop, int id, int events, boolean listener);

    /**
     * accept4 gave a new connection.
     *
     * @param loop the loop's index
     * @param id   the new socket
     * @param peer the client's address, or null when it could not be read
     */
    void accepted(int loop, int id, InetSocketAddress peer);

    /**
     * accept4 failed: {@code detail} says why, {@code paused} whether accepting pauses.
     *
     * @param loop   the loop's index
     * @param detail the errno's name, or the exception's message on java.nio
     * @param paused true when the failure is a lack of resources (EMFILE, ENOBUFS...) and the listener pauses
     */
    void acceptFailed(int loop, String detail, boolean paused);

    /**
     * read returned {@code n} bytes, 0 at EOF, {@code -1} for EAGAIN, {@code -2} for a reset.
     *
     * @param loop  the loop's index
     * @param id    the socket
     * @param n     the result, as above
     * @param asked the buffer's room, in bytes
     */
    void read(int loop, int id, int n, int asked);

    /**
     * send/sendfile took {@code taken} of {@code asked} bytes ({@code -2}: the peer is gone); {@code file}: sendfile.
     *
     * @param loop  the loop's index
     * @param id    the socket
     * @param taken bytes the kernel took, or -2
     * @param asked bytes offered
     * @param file  true for sendfile (or transferTo), false for send
     */
    void sent(int loop, int id, long taken, long asked, boolean file);

    /**
     * epoll_ctl changed the interest set (level mode), or a socket was registered.
     *
     * @param loop the loop's index
     * @param id   the socket
     * @param from the bits before, in epoll's numbering; -1 when the socket is being registered
     * @param to   the bits after
     */
    void interest(int loop, int id, int from, int to);

    /**
     * TCP_CORK set or cleared.
     *
     * @param loop the loop's index
     * @param id   the socket
     * @param on   true when set
     */
    void cork(int loop, int id, boolean on);

    /**
     * A deadline fired.
     *
     * @param loop the loop's index
     * @param id   the socket whose deadline it was
     * @param what which deadline, in a few words
     */
    void timer(int loop, int id, String what);

    /**
     * The connection is closed, and why.
     *
     * @param loop the loop's index
     * @param id   the socket, now closed (the number may be reused at once)
     * @param why  in a few words: "reset by the peer", "everything sent"...
     */
    void closed(int loop, int id, String why);

    /**
     * A protocol's own line, e.g. the request line the HTTP parser found.
     *
     * @param loop the loop's index
     * @param id   the socket
     * @param text one line
     */
    void note(int loop, int id, String text);

    /**
     * io_uring: an operation was put in the submission ring (it leaves with the loop's next io_uring_enter).
     * By default a {@link #note} that starts with "SQE ".
     *
     * @param loop the loop's index
     * @param id   the socket it is for (the descriptor)
     * @param what the operation, e.g. "recv (multishot, provided buffers)", "send 115 bytes"
     */
    default void submitted(int loop, int id, String what) { note(loop, id, "SQE " + what); }

    /**
     * io_uring: a completion was taken from the completion ring. By default a {@link #note} that starts with "CQE ".
     *
     * @param loop the loop's index
     * @param id   the socket it is for (the descriptor)
     * @param what the operation and its result, e.g. "recv: 79 bytes, buffer 0 (still armed)"
     */
    default void completed(int loop, int id, String what) { note(loop, id, "CQE " + what); }
}
