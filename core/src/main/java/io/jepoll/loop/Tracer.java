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

    /** epoll_wait (or select) returned {@code ready} descriptors after waiting {@code waitedNanos}, with {@code timeoutMillis} asked. */
    void polled(int loop, int ready, long waitedNanos, int timeoutMillis);

    /** One readiness report for a socket: {@code events} in epoll's bits. */
    void event(int loop, int id, int events, boolean listener);

    /** accept4 gave a new connection. */
    void accepted(int loop, int id, InetSocketAddress peer);

    /** accept4 failed: {@code detail} says why, {@code paused} whether accepting pauses. */
    void acceptFailed(int loop, String detail, boolean paused);

    /** read returned {@code n} bytes, 0 at EOF, {@code -1} for EAGAIN, {@code -2} for a reset. */
    void read(int loop, int id, int n, int asked);

    /** send/sendfile took {@code taken} of {@code asked} bytes ({@code -2}: the peer is gone); {@code file}: sendfile. */
    void sent(int loop, int id, long taken, long asked, boolean file);

    /** epoll_ctl changed the interest set (level mode). */
    void interest(int loop, int id, int from, int to);

    /** TCP_CORK set or cleared. */
    void cork(int loop, int id, boolean on);

    /** A deadline fired. */
    void timer(int loop, int id, String what);

    /** The connection is closed, and why. */
    void closed(int loop, int id, String why);

    /** A protocol's own line, e.g. the request line the HTTP parser found. */
    void note(int loop, int id, String text);
}
