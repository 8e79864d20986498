package io.jepoll.server;

import io.jepoll.loop.EventLoopGroup;

import java.util.concurrent.Executor;

/** What every connection of one server shares: settings, the handler, the virtual-thread executor. */
final class HttpRuntime {
    static final System.Logger LOG = System.getLogger("io.jepoll.server");

    final ServerConfig config;
    final Handler handler;
    final Executor executor;
    final long idleMillis, headerMillis, bodyMillis, writeMillis;
    volatile EventLoopGroup group;
    private final ParserPool[] parsers;   // one per loop, each touched only by its loop's thread

    HttpRuntime(ServerConfig config, Handler handler, Executor executor) {
        this.config = config;
        this.handler = handler;
        this.executor = executor;
        this.idleMillis = config.idleTimeout().toMillis();
        this.headerMillis = config.headerTimeout().toMillis();
        this.bodyMillis = config.bodyTimeout().toMillis();
        this.writeMillis = config.writeTimeout().toMillis();
        this.parsers = new ParserPool[config.loops()];
    }

    /** The calling loop's parser pool. */
    ParserPool parsers(io.jepoll.loop.EventLoop loop) {
        ParserPool p = parsers[loop.index()];
        if (p == null) parsers[loop.index()] = p = new ParserPool(config.limits());
        return p;
    }

    boolean stopping() {
        EventLoopGroup g = group;
        return g != null && g.isStopping();
    }
}
