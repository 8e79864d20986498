package io.jepoll.server;

import io.jepoll.loop.EventLoopGroup;
import io.jepoll.loop.Protocol;

import java.net.BindException;
import java.net.InetSocketAddress;

/** Event loops (epoll or nio) serving HTTP: one {@link HttpConnection} per accepted connection. */
final class LoopEngine implements Engine {
    private final EventLoopGroup group;

    LoopEngine(HttpRuntime rt) throws BindException {
        ServerConfig config = rt.config;
        // Behind a load balancer every connection starts with the PROXY header, read by a handler of its own.
        Protocol http = config.proxyProtocol() ? c -> new ProxyHeaderReader(rt, c) : c -> new HttpConnection(rt, c);
        this.group = config.listenFds().isEmpty()
                ? EventLoopGroup.start(config.address(), config.loops(), config.loop(), http)
                : EventLoopGroup.adopt(config.listenFds(), config.loops(), config.loop(), http);
    }

    @Override public InetSocketAddress localAddress() { return group.localAddress(); }

    @Override public int connectionCount() { return group.connectionCount(); }

    @Override public boolean isStopping() { return group.isStopping(); }

    @Override public void shutdown(long graceMillis) { group.shutdown(graceMillis); }
}
