package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.http.Response;

import java.util.concurrent.Executor;

/** What every connection of one server shares: settings, the handler, the virtual-thread executor. */
final class HttpRuntime {
    static final System.Logger LOG = System.getLogger("io.jepoll.server");

    final ServerConfig config;
    final Handler handler;
    final Executor executor;
    final long idleMillis, headerMillis, bodyMillis, writeMillis;
    volatile Engine engine;
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
        Engine e = engine;
        return e != null && e.isStopping();
    }

    /** Calls the handler; an exception or a null answer becomes a 500, logged once with the request line. */
    Response call(Request req) {
        try {
            Response r = handler.handle(req);
            if (r != null) return r;
            LOG.log(System.Logger.Level.ERROR, "handler returned null for " + req);
        } catch (Exception | Error e) {
            if (e instanceof VirtualMachineError vme) throw vme;
            LOG.log(System.Logger.Level.ERROR, "handler failed for " + req, e);
        }
        return INTERNAL_ERROR;
    }

    private static final Response INTERNAL_ERROR = Response.text(500, "Internal Server Error\n");
}
