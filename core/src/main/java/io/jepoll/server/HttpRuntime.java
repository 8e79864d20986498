package io.jepoll.server;

import io.jepoll.http.Compression;
import io.jepoll.http.DeflaterPool;
import io.jepoll.http.Request;
import io.jepoll.http.Response;

import java.util.concurrent.Executor;

/** What every connection of one server shares: settings, the handler, the virtual-thread executor, the deflaters. */
final class HttpRuntime {
    static final System.Logger LOG = System.getLogger("io.jepoll.server");

    // Deflaters (about 256 KiB of native memory each). A loop compresses one fixed body at a time and
    // each streamed body holds one while it runs, so a few idle ones serve a loop; the bound on live
    // ones bounds native memory whatever clients do (beyond it: uncompressed, or stored blocks).
    static final int LOOP_IDLE_DEFLATERS = 4;
    static final int LOOP_MAX_DEFLATERS = 64;
    // The blocking engine's threads share one pool: as many compress at once as run at once.
    static final int SHARED_IDLE_DEFLATERS = 16;
    static final int SHARED_MAX_DEFLATERS = 256;

    final ServerConfig config;
    final Handler handler;
    final Executor executor;
    final long idleMillis, headerMillis, bodyMillis, writeMillis;
    volatile Engine engine;
    final Compression compression;       // null: responses go as the handler made them
    private final LoopLocal[] locals;    // one per loop, each touched only by its loop's thread
    private final DeflaterPool[] deflaters; // one per loop, or one for the blocking engine; empty when off

    HttpRuntime(ServerConfig config, Handler handler, Executor executor) {
        this.config = config;
        this.handler = handler;
        this.executor = executor;
        this.idleMillis = config.idleTimeout().toMillis();
        this.headerMillis = config.headerTimeout().toMillis();
        this.bodyMillis = config.bodyTimeout().toMillis();
        this.writeMillis = config.writeTimeout().toMillis();
        this.locals = new LoopLocal[config.loops()];
        this.compression = config.compression();
        this.deflaters = new DeflaterPool[compression == null ? 0 : config.transport().isEventDriven() ? config.loops() : 1];
        for (int i = 0; i < deflaters.length; i++) {
            deflaters[i] = config.transport().isEventDriven()
                    ? new DeflaterPool(compression.level(), LOOP_IDLE_DEFLATERS, LOOP_MAX_DEFLATERS)
                    : new DeflaterPool(compression.level(), SHARED_IDLE_DEFLATERS, SHARED_MAX_DEFLATERS);
        }
    }

    /** What the calling loop's connections share (created on the loop's first use). */
    LoopLocal local(io.jepoll.loop.EventLoop loop) {
        LoopLocal l = locals[loop.index()];
        if (l == null) {
            locals[loop.index()] = l = new LoopLocal(config.limits(), compression == null ? null : deflaters[loop.index()]);
        }
        return l;
    }

    /** The blocking engine's deflaters, shared by its threads (compression on). */
    DeflaterPool sharedDeflaters() { return deflaters[0]; }

    /** Deflaters made and not ended, over every pool: a leak makes this grow. */
    int liveDeflaters() {
        int n = 0;
        for (DeflaterPool p : deflaters) n += p.live();
        return n;
    }

    /** Deflaters taken and not given back: responses being compressed right now. */
    int deflatersInUse() {
        int n = 0;
        for (DeflaterPool p : deflaters) n += p.inUse();
        return n;
    }

    /** The most {@link #liveDeflaters()} can be once no response is being compressed. */
    int idleDeflaterBound() {
        int n = 0;
        for (DeflaterPool p : deflaters) n += p.maxIdle();
        return n;
    }

    /** At server close, once no connection is left: ends the idle deflaters (the rest end as they come back). */
    void closeDeflaters() {
        for (DeflaterPool p : deflaters) p.close();
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
