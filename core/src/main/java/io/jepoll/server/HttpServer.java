package io.jepoll.server;

import io.jepoll.http.HttpLimits;
import io.jepoll.loop.LoopConfig;
import io.jepoll.loop.Trigger;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
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
    private final ExecutorService virtualThreads;
    private final java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean closed;

    private HttpServer(ServerConfig config, Handler handler) throws BindException {
        this.config = config;
        this.virtualThreads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("jepoll-handler-", 0).factory());
        HttpRuntime runtime = new HttpRuntime(config, handler, virtualThreads);
        try {
            this.engine = config.transport().isEventDriven() ? new LoopEngine(runtime) : new BlockingEngine(runtime);
        } catch (BindException | RuntimeException e) {
            virtualThreads.shutdownNow();
            throw e;
        }
        runtime.engine = engine;
    }

    public static Builder builder() { return new Builder(); }

    /** The bound port (the real one when built with port 0). */
    public int port() { return engine.localAddress().getPort(); }

    public InetSocketAddress address() { return engine.localAddress(); }

    public ServerConfig config() { return config; }

    /** Open connections right now. */
    public int connectionCount() { return engine.connectionCount(); }

    /** Blocks until {@link #close()} has finished (from another thread or a signal handler). */
    public void awaitShutdown() throws InterruptedException { stopped.await(); }

    /**
     * Stops gracefully: no new connections; idle keep-alive connections close at once;
     * requests in flight finish within the shutdown grace; then the rest are closed.
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
        engine.shutdown(config.shutdownGrace().toMillis());
        virtualThreads.shutdownNow(); // handlers still running past the grace are interrupted
        try {
            virtualThreads.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped.countDown();
    }

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

        private Builder() {}

        /** Address to listen on: "0.0.0.0" (default, every IPv4 interface), "::", "127.0.0.1", a name. */
        public Builder host(String host) { this.host = host; return this; }

        /** TCP port; 0 picks a free one (see {@link HttpServer#port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
            this.port = port;
            return this;
        }

        /** Event loops (threads), each with its own epoll instance and SO_REUSEPORT socket. Default: one per core. Ignored by the blocking transports. */
        public Builder loops(int loops) {
            if (loops < 1) throw new IllegalArgumentException("loops must be >= 1: " + loops);
            this.loops = loops;
            return this;
        }

        /** EPOLL (default on Linux), NIO, or, for comparison, THREADS / VIRTUAL: a thread per connection. */
        public Builder transport(Transport t) {
            transport = t;
            if (t.isEventDriven()) loop = loop.withBackend(t.backend());
            return this;
        }

        public Builder trigger(Trigger t) { loop = loop.withTrigger(t); return this; }

        public Builder tcpNoDelay(boolean on) { loop = loop.toBuilder().tcpNoDelay(on).build(); return this; }

        public Builder tcpCork(boolean on) { loop = loop.toBuilder().tcpCork(on).build(); return this; }

        public Builder maxConnections(int max) { loop = loop.toBuilder().maxConnections(max).build(); return this; }

        /**
         * Serves HTTPS: TLS 1.3 and 1.2 on every connection, on every transport (see {@link io.jepoll.tls.TlsContext};
         * its {@code reload()} changes the certificate for new connections). Null (the default): plaintext.
         * TLS is a loop setting: a later {@link #loopConfig} replaces it with the one that config holds.
         */
        public Builder tls(io.jepoll.tls.TlsContext tls) { loop = loop.toBuilder().tls(tls).build(); return this; }

        /**
         * Reports every step of the event loops to {@code tracer} (e.g. {@link io.jepoll.loop.TracePrinter}):
         * waits, events, accepts, reads, sends, interest changes, timers, closes, request lines.
         * Null (the default) turns it off at no cost. The blocking transports are not traced.
         */
        public Builder tracer(io.jepoll.loop.Tracer tracer) { loop = loop.toBuilder().tracer(tracer).build(); return this; }

        /** Low-level loop settings, for the rare case the shortcuts above are not enough (its backend sets the transport). */
        public Builder loopConfig(LoopConfig config) {
            this.loop = config;
            this.transport = config.backend() == io.jepoll.loop.Backend.EPOLL ? Transport.EPOLL : Transport.NIO;
            return this;
        }

        public Builder limits(HttpLimits limits) { this.limits = limits; return this; }

        /** Run each handler call on its own virtual thread, so it may block. Default: on the loop. */
        public Builder virtualThreads(boolean on) { this.virtualThreads = on; return this; }

        public Builder idleTimeout(Duration d) { this.idleTimeout = d; return this; }

        public Builder headerTimeout(Duration d) { this.headerTimeout = d; return this; }

        public Builder bodyTimeout(Duration d) { this.bodyTimeout = d; return this; }

        public Builder writeTimeout(Duration d) { this.writeTimeout = d; return this; }

        public Builder shutdownGrace(Duration d) { this.shutdownGrace = d; return this; }

        public Builder handler(Handler handler) { this.handler = handler; return this; }

        public ServerConfig config() {
            InetAddress ip;
            try {
                ip = InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("unknown host: " + host, e);
            }
            return new ServerConfig(new InetSocketAddress(ip, port), transport, loops, loop, limits, virtualThreads,
                    idleTimeout, headerTimeout, bodyTimeout, writeTimeout, shutdownGrace);
        }

        /**
         * Binds and starts serving.
         *
         * @throws BindException            when the address is in use (by any process) or cannot be bound here
         * @throws IllegalArgumentException when a setting is invalid
         */
        public HttpServer start() throws BindException {
            if (handler == null) throw new IllegalStateException("a handler is required");
            return new HttpServer(config(), handler);
        }
    }
}
