package io.jepoll.server;

import io.jepoll.http.Compression;
import io.jepoll.http.DeflaterPool;
import io.jepoll.http.Request;
import io.jepoll.http.RequestParser;
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
    final Handler handler;       // without its Handler.blocking mark: offLoop says it
    final Router router;         // the handler, when it is a router that places each route itself; else null
    final boolean offLoop;       // every call runs on a virtual thread (virtualThreads, or a blocking handler)
    final Executor executor;
    /** Told of every exchange (metrics, JFR, the access log); null when nothing listens: the engines test it and skip all. */
    final ExchangeObserver observer;
    /** The counters, null unless metrics are on: the engines test it where a deadline fires. */
    final ServerMetrics metrics;
    /** Told of every connection accepted and closed (JFR), null when nothing listens. */
    final ConnectionEvents connectionEvents;
    final long idleMillis, headerMillis, bodyMillis, writeMillis;
    final Health health;                 // the health path and the drain state, asked before the handler
    volatile Engine engine;
    final Compression compression;       // null: responses go as the handler made them
    private final LoopLocal[] locals;    // one per loop, each touched only by its loop's thread
    private final DeflaterPool[] deflaters; // one per loop, or one for the blocking engine; empty when off

    HttpRuntime(ServerConfig config, Handler handler, Executor executor, Observers observers) {
        this.config = config;
        this.handler = BlockingHandler.unwrap(handler);
        this.offLoop = config.virtualThreads() || handler instanceof BlockingHandler;
        this.router = !offLoop && handler instanceof Router r ? r : null; // on a virtual thread, it all runs there
        this.executor = executor;
        this.metrics = observers.metrics();
        this.connectionEvents = observers.connections();
        this.observer = ExchangeObserver.all(observers.metrics(), observers.requests(), observers.accessLog());
        this.idleMillis = config.idleTimeout().toMillis();
        this.headerMillis = config.headerTimeout().toMillis();
        this.bodyMillis = config.bodyTimeout().toMillis();
        this.writeMillis = config.writeTimeout().toMillis();
        this.locals = new LoopLocal[config.loops()];
        this.health = new Health(config.healthPath());
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

    /**
     * What listens to a server, each null when off.
     *
     * @param metrics     the counters
     * @param requests    JFR's request events
     * @param connections JFR's connection events
     * @param accessLog   the access log's observer
     */
    record Observers(ServerMetrics metrics, ExchangeObserver requests, ConnectionEvents connections, ExchangeObserver accessLog) {
        static final Observers NONE = new Observers(null, null, null, null);
    }

    /**
     * The one point where an engine says an exchange is complete (see {@link ExchangeObserver}); called only
     * when {@link #observer} is set. {@code startNanos} is {@code exchangeStart}'s, or 0 for a refusal.
     */
    void exchanged(int loop, Request req, int status, long bodyBytes, long startNanos, Request.AddressSource client) {
        observer.exchanged(loop, req, status, bodyBytes, startNanos, client);
    }

    /**
     * An engine refused a request: the one point it reports that (when {@link #observer} is set). With the request
     * when its head was parsed, else with what the parser saw of its request line.
     */
    void refused(int loop, RequestParser p, int status, long bodyBytes, Request.AddressSource client) {
        if (p != null && p.request().isParsed()) observer.exchanged(loop, p.request(), status, bodyBytes, 0, client);
        else observer.refused(loop, p == null ? null : p.requestLineSeen(), status, bodyBytes, client);
    }

    /** A blocking engine's thread: the handler is about to run; the clock is read only when something observes. */
    long exchangeStart() { return observer == null ? 0 : System.nanoTime(); }

    /**
     * Whether each response now is the last on its connection ({@code Connection: close}): while draining, so that
     * keep-alive clients reconnect, through their balancer, to an instance that stays; and while stopping.
     */
    boolean closingConnections() { return health.isDraining() || stopping(); }

    /**
     * An event loop: when the exchange began, for its duration: the start of the loop's turn, which the loop read
     * already (two clock reads per request would cost more than every counter together on a pipelined load).
     */
    long exchangeStart(io.jepoll.loop.EventLoop loop) { return observer == null ? 0 : loop.turnNanos(); }

    /**
     * On an event loop, at the end of a callback or task that may have reported exchanges: their durations end
     * here, just before the loop hands their responses to the kernel (one clock read for all of them).
     */
    void settleDurations(io.jepoll.loop.EventLoop loop) {
        if (metrics != null) metrics.settle(loop.index());
    }

    /** On the serving thread: a deadline fired (counted when metrics are on). */
    void timedOut(int loop, Metrics.Timeout kind) {
        if (metrics != null) metrics.timedOut(loop, kind);
    }

    /** A handler or a body writer failed (counted when metrics are on); any thread. */
    void handlerFailed() {
        if (metrics != null) metrics.handlerFailed();
    }

    /** Calls the server's handler, wherever this thread is; see {@link #call(Handler, Request)}. */
    Response call(Request req) {
        return call(handler, req);
    }

    /**
     * Calls h, the server's handler or a chain a router selected; an exception or a null answer (from a handler or
     * a filter) becomes a 500, logged once with the request line.
     */
    Response call(Handler h, Request req) {
        try {
            Response r = h.handle(req);
            if (r != null) return r;
            LOG.log(System.Logger.Level.ERROR, "handler returned null for " + req);
        } catch (Exception | Error e) {
            if (e instanceof VirtualMachineError vme) throw vme;
            LOG.log(System.Logger.Level.ERROR, "handler failed for " + req, e);
        }
        handlerFailed();
        return INTERNAL_ERROR;
    }

    private static final Response INTERNAL_ERROR = Response.text(500, "Internal Server Error\n");
}
