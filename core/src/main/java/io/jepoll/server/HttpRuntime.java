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
    /** Told of every exchange (metrics, JFR, the access log); null when nothing listens: the engines test it and skip all. */
    final ExchangeObserver observer;
    /** The counters, null unless metrics are on: the engines test it where a deadline fires. */
    final ServerMetrics metrics;
    /** Told of every connection accepted and closed (JFR), null when nothing listens. */
    final ConnectionEvents connectionEvents;
    final long idleMillis, headerMillis, bodyMillis, writeMillis;
    volatile Engine engine;
    private final LoopLocal[] locals;    // one per loop, each touched only by its loop's thread

    HttpRuntime(ServerConfig config, Handler handler, Executor executor, Observers observers) {
        this.config = config;
        this.handler = handler;
        this.executor = executor;
        this.metrics = observers.metrics();
        this.connectionEvents = observers.connections();
        this.observer = ExchangeObserver.all(observers.metrics(), observers.requests(), observers.accessLog());
        this.idleMillis = config.idleTimeout().toMillis();
        this.headerMillis = config.headerTimeout().toMillis();
        this.bodyMillis = config.bodyTimeout().toMillis();
        this.writeMillis = config.writeTimeout().toMillis();
        this.locals = new LoopLocal[config.loops()];
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

    /** A blocking engine's thread: the handler is about to run; the clock is read only when something observes. */
    long exchangeStart() { return observer == null ? 0 : System.nanoTime(); }

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
        handlerFailed();
        return INTERNAL_ERROR;
    }

    private static final Response INTERNAL_ERROR = Response.text(500, "Internal Server Error\n");
}
