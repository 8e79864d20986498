package io.jepoll.server;

import io.jepoll.http.HttpLimits;
import io.jepoll.loop.LoopConfig;
import io.jepoll.loop.Trigger;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 server on jepoll's event loops.
 *
 * <pre>{@code
 * try (HttpServer server = HttpServer.builder()
 *         .port(8080)
 *         .handler(req -> Response.ok("Hello"))
 *         .start()) {
 *     server.awaitShutdown();
 * }
 * }</pre>
 */
public final class HttpServer implements AutoCloseable {
    private final ServerConfig config;
    private final Engine engine;
    private final HttpRuntime runtime;
    private final ExecutorService virtualThreads;
    private final AccessLog accessLog; // null when none; this server closes it
    private final ServerMetrics metrics; // null unless metrics are on
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1); // close() began: a drain ends
    private final Health health;
    private final HttpServer redirect; // the plain listener answering 308 to https (redirectHttp); null when none
    private volatile boolean closed;

    private HttpServer(ServerConfig config, Handler handler, AccessLog accessLog, boolean metricsOn, int redirectPort)
            throws BindException {
        this.config = config;
        this.accessLog = accessLog;
        this.metrics = metricsOn ? new ServerMetrics(config.transport().isEventDriven() ? config.loops() : 0) : null;
        JfrSupport.Events jfr = metricsOn ? JfrSupport.events() : null;
        if (accessLog != null) accessLog.start(); // before the first exchange; a file that cannot be opened fails here
        this.virtualThreads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("jepoll-handler-", 0).factory());
        this.runtime = new HttpRuntime(config, handler, virtualThreads,
                new HttpRuntime.Observers(metrics, jfr, jfr, accessLog == null ? null : accessLog.observer()));
        this.health = runtime.health;
        try {
            this.engine = config.transport().isEventDriven() ? new LoopEngine(runtime) : new BlockingEngine(runtime);
        } catch (BindException | RuntimeException e) {
            virtualThreads.shutdownNow();
            if (accessLog != null) accessLog.close();
            throw e;
        }
        runtime.engine = engine;
        try {
            this.redirect = redirectPort < 0 ? null : redirectListener(config, redirectPort, port());
        } catch (BindException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The plain listener of {@link Builder#redirectHttp(int)}: the same address, transport, limits, timeouts and PROXY
     * protocol as this server, one loop, and a handler that only redirects.
     */
    private static HttpServer redirectListener(ServerConfig c, int port, int httpsPort) throws BindException {
        LoopConfig plain = c.loop().toBuilder().tls(null).build();
        ServerConfig rc = new ServerConfig(new InetSocketAddress(c.address().getAddress(), port), c.transport(), 1, plain,
                c.limits(), false, c.idleTimeout(), c.headerTimeout(), c.bodyTimeout(), c.writeTimeout(), c.shutdownGrace(),
                c.proxyProtocol(), List.of(), null, null);
        return new HttpServer(rc, new HttpsRedirect(httpsPort), null, false, -1);
    }

    /** {@return a builder with every default; give it a handler, then {@link Builder#start()}} */
    public static Builder builder() { return new Builder(); }

    /** {@return the bound port (the real one when built with port 0)} */
    public int port() { return engine.localAddress().getPort(); }

    /** {@return the bound address and port; for passed sockets, the first one's} */
    public InetSocketAddress address() { return engine.localAddress(); }

    /**
     * The port of the plain listener that redirects to this server ({@link Builder#redirectHttp(int)}).
     *
     * @return its bound port (the real one when asked for port 0), or -1 when there is none
     */
    public int redirectPort() { return redirect == null ? -1 : redirect.port(); }

    /** {@return the settings this server was built with} */
    public ServerConfig config() { return config; }

    /** {@return open connections right now, across every loop or thread} */
    public int connectionCount() { return engine.connectionCount(); }

    /**
     * What the server has done since it started: requests, durations, refusals, timeouts, connections, each loop's
     * load. Safe from any thread, at any time; it does not stop the loops (each figure is read as it is).
     *
     * @return a snapshot; {@link Metrics#prometheusText()} is its Prometheus text
     * @throws IllegalStateException when the server was built without {@link Builder#metrics(boolean)}
     */
    public Metrics metrics() {
        if (metrics == null) throw new IllegalStateException("metrics are off: build the server with metrics(true)");
        return metrics.snapshot(engine.connectionFigures(), accessLog == null ? 0 : accessLog.dropped());
    }

    /**
     * Starts draining: the health path (see {@link Builder#healthPath(String)}) answers 503 from now on, so a load
     * balancer takes this instance out of rotation, and every response carries {@code Connection: close}, so
     * keep-alive clients reconnect elsewhere; everything else is served as before. It cannot be undone: a drain is
     * followed by {@link #close()}. Calling it again does nothing.
     */
    public void startDraining() { health.drain(); }

    /**
     * Whether the server is draining: since {@link #startDraining()}, {@link #drainAndClose(Duration)} or
     * {@link #close()} (a stopping server is draining too).
     *
     * @return true once draining has begun
     */
    public boolean isDraining() { return health.isDraining(); }

    /**
     * Drains for {@code drain}, then closes: {@link #startDraining()}, serve as usual for that long (so the balancer's
     * health checks see 503 and it stops sending new requests here), then {@link #close()} (the shutdown grace
     * follows). A {@code close()} from another thread during the drain, or an interrupt, ends the drain early (the
     * interrupt status is kept); either way this returns when the server has stopped.
     *
     * @param drain how long to keep serving while the health path answers 503; zero closes at once
     * @throws IllegalArgumentException when {@code drain} is negative
     */
    public void drainAndClose(Duration drain) {
        if (drain.isNegative()) throw new IllegalArgumentException("drain must be >= 0: " + drain);
        startDraining();
        boolean interrupted = false;
        try {
            closing.await(drain.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            interrupted = true; // cleared while closing, so the shutdown's own waits are not cut short
        }
        close();
        if (interrupted) Thread.currentThread().interrupt();
    }

    /**
     * Blocks until {@link #close()} has finished (from another thread or a signal handler).
     *
     * @throws InterruptedException when the waiting thread is interrupted; the server goes on
     */
    public void awaitShutdown() throws InterruptedException { stopped.await(); }

    /**
     * Stops gracefully: no new connections; idle keep-alive connections close at once;
     * requests in flight finish within the shutdown grace; then the rest are closed. Last, the
     * access log is drained and closed: every exchange answered until now is in it on return.
     * Without a drain first ({@link #drainAndClose(Duration)}), a load balancer learns of the
     * stop from refused connections.
     */
    @Override
    public void close() {
        boolean first;
        synchronized (this) {
            first = !closed;
            closed = true;
        }
        if (!first) {
            awaitQuietly(); // a second caller returns when the first one's shutdown is done
            return;
        }
        health.drain(); // a health check still answered during the grace (pipelined, in flight) says 503
        closing.countDown(); // a drainAndClose waiting elsewhere stops waiting
        engine.shutdown(config.shutdownGrace().toMillis());
        virtualThreads.shutdownNow(); // handlers still running past the grace are interrupted
        try {
            virtualThreads.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runtime.closeDeflaters(); // after the writers: one still running ends its deflater when it gives it back
        if (accessLog != null) accessLog.close();
        if (redirect != null) redirect.close();
        stopped.countDown();
    }

    /** For tests: what every connection shares (the deflater count). */
    HttpRuntime runtime() { return runtime; }

    private void awaitQuietly() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Collects settings; every one has a default, only the handler is required. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 8080;
        private int loops = Runtime.getRuntime().availableProcessors();
        private Transport transport = Transport.best();
        private LoopConfig loop = LoopConfig.defaults();
        private HttpLimits limits = HttpLimits.defaults();
        private boolean virtualThreads;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration headerTimeout = Duration.ofSeconds(10);
        private Duration bodyTimeout = Duration.ofSeconds(30);
        private Duration writeTimeout = Duration.ofSeconds(30);
        private Duration shutdownGrace = Duration.ofSeconds(3);
        private Handler handler;
        private boolean proxyProtocol;
        private boolean socketActivation;
        private final List<Integer> listenFds = new ArrayList<>();
        private AccessLog accessLog;
        private String healthPath;
        private io.jepoll.http.Compression compression;
        private boolean metrics;
        private int redirectPort = -1;

        private Builder() {}

        /**
         * Address to listen on: "0.0.0.0" (default, every IPv4 interface), "::", "127.0.0.1", a name.
         *
         * @param host an IP literal or a name, resolved when the server starts
         * @return this builder
         */
        public Builder host(String host) { this.host = host; return this; }

        /**
         * TCP port; 0 picks a free one (see {@link HttpServer#port()}). Default: 8080.
         *
         * @param port 0 to 65535
         * @return this builder
         * @throws IllegalArgumentException when port is out of that range
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
            this.port = port;
            return this;
        }

        /**
         * Event loops (threads), each with its own epoll instance and SO_REUSEPORT socket. Default: one per core. Ignored by the blocking transports.
         *
         * @param loops at least 1
         * @return this builder
         * @throws IllegalArgumentException when loops is below 1
         */
        public Builder loops(int loops) {
            if (loops < 1) throw new IllegalArgumentException("loops must be >= 1: " + loops);
            this.loops = loops;
            return this;
        }

        /**
         * EPOLL (default on Linux), NIO, or, for comparison, THREADS / VIRTUAL: a thread per connection.
         *
         * @param t the transport; an event-loop one also sets the loops' backend
         * @return this builder
         */
        public Builder transport(Transport t) {
            transport = t;
            if (t.isEventDriven()) loop = loop.withBackend(t.backend());
            return this;
        }

        /**
         * Level- (default) or edge-triggered readiness for the event loops.
         *
         * @param t the mode; edge needs the epoll transport, so set the transport first
         * @return this builder
         * @throws IllegalArgumentException when t is edge and the loops are on java.nio
         */
        public Builder trigger(Trigger t) { loop = loop.withTrigger(t); return this; }

        /**
         * TCP_NODELAY on accepted sockets, so small writes leave at once. Default: off.
         *
         * @param on whether to set it
         * @return this builder
         */
        public Builder tcpNoDelay(boolean on) { loop = loop.toBuilder().tcpNoDelay(on).build(); return this; }

        /**
         * TCP_CORK around each flush of the event loops, so output leaves in full segments. Default: off.
         *
         * @param on whether to cork
         * @return this builder
         */
        public Builder tcpCork(boolean on) { loop = loop.toBuilder().tcpCork(on).build(); return this; }

        /**
         * Open connections at most; accepting pauses at the limit and resumes as connections close. Default: 100,000.
         *
         * @param max at least 1
         * @return this builder
         * @throws IllegalArgumentException when max is below 1
         */
        public Builder maxConnections(int max) { loop = loop.toBuilder().maxConnections(max).build(); return this; }

        /**
         * Serves HTTPS: TLS 1.3 and 1.2 on every connection, on every transport (see {@link io.jepoll.tls.TlsContext};
         * its {@code reload()} changes the certificate for new connections). Null (the default): plaintext.
         * TLS is a loop setting: a later {@link #loopConfig} replaces it with the one that config holds.
         *
         * @param tls the certificates and settings, or null for plaintext
         * @return this builder
         */
        public Builder tls(io.jepoll.tls.TlsContext tls) { loop = loop.toBuilder().tls(tls).build(); return this; }

        /**
         * Reports every step of the event loops to {@code tracer} (e.g. {@link io.jepoll.loop.TracePrinter}):
         * waits, events, accepts, reads, sends, interest changes, timers, closes, request lines.
         * Null (the default) turns it off at no cost. The blocking transports are not traced.
         *
         * @param tracer the tracer, called from every loop thread, or null
         * @return this builder
         */
        public Builder tracer(io.jepoll.loop.Tracer tracer) { loop = loop.toBuilder().tracer(tracer).build(); return this; }

        /**
         * Low-level loop settings, for the rare case the shortcuts above are not enough (its backend sets the transport).
         *
         * @param config replaces every loop setting made so far (trigger, TCP options, tracer...)
         * @return this builder
         */
        public Builder loopConfig(LoopConfig config) {
            this.loop = config;
            this.transport = switch (config.backend()) {
                case EPOLL -> Transport.EPOLL;
                case NIO -> Transport.NIO;
                case IO_URING -> Transport.IO_URING;
            };
            return this;
        }

        /**
         * Bounds on what a client may send. Default: {@link HttpLimits#defaults()}.
         *
         * @param limits the bounds on the request line, fields and body
         * @return this builder
         */
        public Builder limits(HttpLimits limits) { this.limits = limits; return this; }

        /**
         * Run each handler call on its own virtual thread, so it may block. Default: on the loop.
         *
         * @param on true for every handler; {@link Handler#blocking} does it for one
         * @return this builder
         */
        public Builder virtualThreads(boolean on) { this.virtualThreads = on; return this; }

        /**
         * How long a keep-alive connection may wait for its next request. Default: 60 s.
         *
         * @param d positive
         * @return this builder
         */
        public Builder idleTimeout(Duration d) { this.idleTimeout = d; return this; }

        /**
         * How long a request head may take, from its first byte; then 408. Default: 10 s.
         *
         * @param d positive; bounds a client that sends its head a byte at a time
         * @return this builder
         */
        public Builder headerTimeout(Duration d) { this.headerTimeout = d; return this; }

        /**
         * How long a request body may make no progress; then 408. Default: 30 s.
         *
         * @param d positive
         * @return this builder
         */
        public Builder bodyTimeout(Duration d) { this.bodyTimeout = d; return this; }

        /**
         * How long a client may take none of its response before the connection is dropped. Default: 30 s.
         *
         * @param d positive; a slow download that keeps reading is not cut
         * @return this builder
         */
        public Builder writeTimeout(Duration d) { this.writeTimeout = d; return this; }

        /**
         * How long {@link HttpServer#close()} lets requests in flight finish before closing them. Default: 3 s.
         *
         * @param d zero or more
         * @return this builder
         */
        public Builder shutdownGrace(Duration d) { this.shutdownGrace = d; return this; }

        /**
         * What answers every request; required.
         *
         * @param handler the handler, such as a {@link Router}
         * @return this builder
         */
        public Builder handler(Handler handler) { this.handler = handler; return this; }

        /**
         * Behind a load balancer: every connection must begin with a PROXY protocol header (HAProxy's
         * proxy-protocol.txt, version 1 or 2), whose client address becomes {@link io.jepoll.http.Request#remoteAddress()};
         * a v2 LOCAL header (the balancer's health check) keeps the connection's own. A connection without a valid
         * header, or whose header is not complete within the header timeout, is closed without an answer. Turn it
         * on only when every client is such a balancer: the header is believed. Default: off.
         *
         * @param on whether the header is required
         * @return this builder
         */
        public Builder proxyProtocol(boolean on) { this.proxyProtocol = on; return this; }

        /**
         * systemd socket activation: when {@code LISTEN_PID} names this process and {@code LISTEN_FDS} is 1 or
         * more, serve the listening sockets passed as descriptors 3, 4, ... instead of binding {@link #host(String)} and
         * {@link #port(int)}; otherwise bind as usual. The variables are then removed (so a server started later in this
         * process binds) and the descriptors made close-on-exec. Needs the epoll or io_uring transport: java.nio and the
         * blocking transports cannot adopt a descriptor, and {@link #start()} says so. Every loop serves every
         * passed socket. Default: off (the {@code jepoll} command turns it on).
         *
         * @param on whether to look for passed sockets
         * @return this builder
         */
        public Builder socketActivation(boolean on) { this.socketActivation = on; return this; }

        /**
         * Serve this listening TCP socket (a descriptor this process inherited or opened) instead of binding
         * {@link #host(String)} and {@link #port(int)}; may be called for several. The server owns it from {@link #start()} on
         * and closes it when it stops; one that is not a listening IPv4/IPv6 stream socket is refused (and left
         * alone). Needs the epoll or io_uring transport.
         *
         * @param fd the descriptor
         * @return this builder
         */
        public Builder listenFd(int fd) {
            if (fd < 0) throw new IllegalArgumentException("not a descriptor: " + fd);
            listenFds.add(fd);
            return this;
        }

        /**
         * Writes a line per exchange to {@code log} (none by default: then the engines spend nothing on it).
         * The server opens the log when it starts and closes it when it stops.
         *
         * @param log the access log, or null for none
         * @return this builder
         */
        public Builder accessLog(AccessLog log) { this.accessLog = log; return this; }

        /**
         * A health check path, like {@code /healthz}, that the server answers itself before any handler, filter or
         * router sees the request: GET and HEAD get 200 "ok" while serving and 503 "draining" once draining
         * ({@link HttpServer#startDraining()}), other methods 405; {@code Cache-Control: no-store}. The raw path must
         * match exactly; the query is ignored. Default: none (null), every path goes to the handler.
         *
         * @param path an absolute path of visible ASCII without a query, or null for none
         * @return this builder
         * @throws IllegalArgumentException when {@code path} is not such a path
         */
        public Builder healthPath(String path) { this.healthPath = Health.checkPath(path); return this; }

        /**
         * Compresses responses for the clients that accept it ({@link io.jepoll.http.Compression}: which
         * ones, and how). Applied by the server after the handler, so after everything a handler wraps
         * (a Router's filters), on every transport; a server option rather than a filter because it owns
         * native deflaters, pooled per event loop and ended when the server closes. Null (the default): off.
         *
         * @param compression e.g. {@code Compression.gzip()}, or null
         * @return this builder
         */
        public Builder compression(io.jepoll.http.Compression compression) { this.compression = compression; return this; }

        /**
         * Counts what the server does, for {@link HttpServer#metrics()} (and a Prometheus endpoint:
         * {@link MetricsEndpoint}), and emits the JFR events {@code jepoll.Request} and {@code jepoll.Connection}
         * (off unless a recording enables them; only where the runtime has the module {@code jdk.jfr}). The
         * counters are kept per event loop without locks. Default: off, and then the engines spend nothing on it.
         *
         * @param on whether to count
         * @return this builder
         */
        public Builder metrics(boolean on) { this.metrics = on; return this; }

        /**
         * Also listens on {@code port} in plaintext (same host, transport, limits, timeouts and PROXY protocol setting),
         * answering every request with 308 Permanent Redirect to {@code https://HOST[:tlsport]/same-target}: HOST is
         * the request's Host without its port, the port this server's (left out when 443), and the target the
         * request's path and query. A request without a valid Host gets 400. Needs {@link #tls}; the listener starts
         * and stops with the server ({@link HttpServer#redirectPort()} tells its port). Default: none (-1).
         *
         * @param port 0 to 65535 (0: a free one), or -1 for none
         * @return this builder
         * @throws IllegalArgumentException when port is out of that range
         */
        public Builder redirectHttp(int port) {
            if (port < -1 || port > 65535) throw new IllegalArgumentException("redirect port out of range: " + port);
            this.redirectPort = port;
            return this;
        }

        /**
         * The settings as {@link #start()} would use them, without starting (socket activation's descriptors
         * included, but not taken).
         *
         * @return the configuration
         * @throws IllegalArgumentException when the host cannot be resolved or a setting is invalid
         */
        public ServerConfig config() {
            InetAddress ip;
            try {
                ip = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("unknown host: " + host, e);
            }
            return new ServerConfig(new InetSocketAddress(ip, port), transport, loops, loop, limits, virtualThreads,
                    idleTimeout, headerTimeout, bodyTimeout, writeTimeout, shutdownGrace, proxyProtocol, listening(), healthPath,
                    compression);
        }

        /** The descriptors to serve: those given, then those a service manager passed (socket activation). */
        private List<Integer> listening() {
            List<Integer> fds = new ArrayList<>(listenFds);
            if (socketActivation) fds.addAll(SocketActivation.passed());
            return fds;
        }

        /**
         * Binds and starts serving.
         *
         * @return the running server; close it to stop
         * @throws BindException            when the address is in use (by any process) or cannot be bound here
         * @throws IllegalArgumentException when a setting is invalid
         * @throws IllegalStateException    when no handler was given
         */
        public HttpServer start() throws BindException {
            if (handler == null) throw new IllegalStateException("a handler is required");
            ServerConfig c = config();
            if (redirectPort >= 0 && c.tls() == null) throw new IllegalArgumentException("redirectHttp needs tls: it sends clients to https");
            if (c.listenFds().size() > listenFds.size()) SocketActivation.take(); // no other server takes them again
            return new HttpServer(c, handler, accessLog, metrics, redirectPort);
        }
    }
}
