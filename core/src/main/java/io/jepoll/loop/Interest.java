package io.jepoll.loop;

import io.jepoll.sys.Epoll;

/**
 * Readiness bits used between the loop and its pollers. They are epoll's own values, so
 * the epoll poller passes them through untouched; the nio poller translates.
 */
final class Interest {
    private Interest() {}

    static final int READ = Epoll.EPOLLIN;
    static final int WRITE = Epoll.EPOLLOUT;
    static final int ERROR = Epoll.EPOLLERR;
    static final int HANGUP = Epoll.EPOLLHUP;
    static final int READ_HANGUP = Epoll.EPOLLRDHUP;
    static final int EDGE = Epoll.EPOLLET;
}
