package io.jepoll.server;

import io.jepoll.loop.EventLoop;
import io.jepoll.loop.EventLoopGroup;
import io.jepoll.loop.LoopConfig;
import io.jepoll.loop.LoopStats;
import io.jepoll.loop.Protocol;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Event loops (epoll or nio) serving HTTP: one {@link HttpConnection} per accepted connection. */
final class LoopEngine implements Engine {
    private final EventLoopGroup group;

    LoopEngine(HttpRuntime rt) throws BindException {
        ServerConfig config = rt.config;
        // Behind a load balancer every connection starts with the PROXY header, read by a handler of its own.
        Protocol http = config.proxyProtocol() ? c -> new ProxyHeaderReader(rt, c) : c -> new HttpConnection(rt, c);
        // JFR's connection events, when on, are told by the loops themselves: they see every accept and close.
        LoopConfig loop = rt.connectionEvents == null ? config.loop() : config.loop().toBuilder().connectionListener(rt.connectionEvents).build();
        // The PROXY header comes in clear before the TLS bytes: ProxyHeaderReader starts TLS after it, not the loop at accept.
        if (config.proxyProtocol() && config.tls() != null) loop = loop.toBuilder().tls(null).build();
        this.group = config.listenFds().isEmpty()
                ? EventLoopGroup.start(config.address(), config.loops(), loop, http)
                : EventLoopGroup.adopt(config.listenFds(), config.loops(), loop, http);
    }

    @Override public InetSocketAddress localAddress() { return group.localAddress(); }

    @Override public int connectionCount() { return group.connectionCount(); }

    /** Every loop's own counts, summed. */
    @Override
    public ConnectionFigures connectionFigures() {
        long accepted = 0, atLimit = 0, noResources = 0;
        List<Metrics.LoopLoad> loads = new ArrayList<>();
        for (EventLoop loop : group.loops()) {
            LoopStats s = loop.stats();
            accepted += s.accepted();
            atLimit += s.pausesAtLimit();
            noResources += s.pausesForResources();
            loads.add(new Metrics.LoopLoad(s.loop(), s.connections(), s.busyNanos(), s.upNanos()));
        }
        return new ConnectionFigures(group.connectionCount(), accepted, atLimit, noResources, loads);
    }

    @Override public boolean isStopping() { return group.isStopping(); }

    @Override public void shutdown(long graceMillis) { group.shutdown(graceMillis); }
}
