package io.jepoll.server;

import io.jepoll.loop.EventLoopGroup;

import java.net.BindException;
import java.net.InetSocketAddress;

/** Event loops (epoll or nio) serving HTTP: one {@link HttpConnection} per accepted connection. */
final class LoopEngine implements Engine {
    private final EventLoopGroup group;

    LoopEngine(HttpRuntime rt) throws BindException {
        ServerConfig config = rt.config;
        this.group = EventLoopGroup.start(config.address(), config.loops(), config.loop(), c -> new HttpConnection(rt, c));
    }

    @Override public InetSocketAddress localAddress() { return group.localAddress(); }

    @Override public int connectionCount() { return group.connectionCount(); }

    @Override public boolean isStopping() { return group.isStopping(); }

    @Override public void shutdown(long graceMillis) { group.shutdown(graceMillis); }
}
