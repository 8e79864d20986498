package io.jepoll.server;

import io.jepoll.loop.Trigger;

/** The ways a server can run: three event-loop modes and two blocking ones; every server test runs in each. */
public enum Mode {
    EPOLL_LEVEL(Transport.EPOLL, Trigger.LEVEL),
    EPOLL_EDGE(Transport.EPOLL, Trigger.EDGE),
    NIO(Transport.NIO, Trigger.LEVEL),
    THREADS(Transport.THREADS, Trigger.LEVEL),
    VIRTUAL(Transport.VIRTUAL, Trigger.LEVEL);

    public final Transport transport;
    public final Trigger trigger;

    Mode(Transport transport, Trigger trigger) {
        this.transport = transport;
        this.trigger = trigger;
    }

    /** A builder on 127.0.0.1, a free port, two loops, this transport and trigger. */
    public HttpServer.Builder builder() {
        return HttpServer.builder().host("127.0.0.1").port(0).loops(2).transport(transport).trigger(trigger);
    }
}
