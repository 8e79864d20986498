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
    final Health health;                 // the health path and the drain state, asked before the handler
    volatile Engine engine;
    private final LoopLocal[] locals;    // one per loop, each touched only by its loop's thread

    HttpRuntime(ServerConfig config, Handler handler, Executor executor) {
        this.config = config;
        this.handler = handler;
        this.executor = executor;
        this.idleMillis = config.idleTimeout().toMillis();
        this.headerMillis = config.headerTimeout().toMillis();
        this.bodyMillis = config.bodyTimeout().toMillis();
        this.writeMillis = config.writeTimeout().toMillis();
        this.locals = new LoopLocal[config.loops()];
        this.health = new Health(config.healthPath());
    }

    /** What the calling loop's connections share (created on the loop's first use). */
    LoopLocal local(io.jepoll.loop.EventLoop loop) {
        LoopLocal l = locals[loop.index()];
        if (l == null) locals[loop.index()] = l = new LoopLocal(config.limits());
        return l;
    }

    boolean stopping() {
        Engine e = engine;
        return e != null && e.isStopping();
    }

    /**
     * Whether each response now is the last on its connection ({@code Connection: close}): while draining, so that
     * keep-alive clients reconnect, through their balancer, to an instance that stays; and while stopping.
     */
    boolean closingConnections() { return health.isDraining() || stopping(); }

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
