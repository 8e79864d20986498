package io.jepoll.loop;

/**
 * How a loop learns that a connection is readable.
 *
 * <ul>
 *   <li>{@link #LEVEL}: epoll reports a socket again and again while it has unread bytes.
 *       The loop does one read per report, which is fair across connections and forgiving,
 *       but it must change the interest set (epoll_ctl) whenever it stops reading or
 *       starts waiting for EPOLLOUT.</li>
 *   <li>{@link #EDGE}: epoll reports a change once. The loop must read until the socket is
 *       drained (or until a per-wakeup budget runs out, then it comes back on its own), and
 *       it registers read and write interest once for the connection's whole life, so it
 *       never calls epoll_ctl again.</li>
 * </ul>
 * The java.nio transport is always level-triggered.
 */
public enum Trigger {
    /** Reported while readable: one read per report, epoll_ctl when the interest changes. */
    LEVEL,
    /** Reported on change: read until drained or the budget runs out, interest registered once. */
    EDGE
}
