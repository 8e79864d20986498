package io.jepoll.cli;

import io.jepoll.server.AccessLog;
import io.jepoll.server.Handler;
import io.jepoll.server.HttpServer;
import io.jepoll.server.MetricsEndpoint;
import io.jepoll.server.StaticFiles;
import io.jepoll.server.Transport;
import io.jepoll.loop.TracePrinter;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/** The {@code jepoll} command. */
public final class Main {
    private Main() {}

    static final String VERSION = "0.1.0";

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command until Ctrl-C or SIGTERM; returns the exit code (0 ok, 1 failed to start, 2 bad usage). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, new CountDownLatch(1));
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}; {@code stop} also stops it (the AOT training does). */
    static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) {
        WarmUp.start(); // before parsing: the parser's epoll probe links the native calls
        Options o;
        try {
            o = OptionParser.parse(args);
        } catch (OptionParser.UsageException e) {
            err.println("jepoll: " + e.getMessage());
            return 2;
        }
        switch (o.action()) {
            case HELP -> {
                out.print(Options.USAGE);
                return 0;
            }
            case VERSION -> {
                out.println("jepoll " + VERSION + " (Java " + Runtime.version() + ")");
                return 0;
            }
            case SERVE -> { }
        }
        Handler handler;
        try {
            handler = switch (o.mode()) {
                case ECHO -> Handlers.echo();
                case HELLO -> Handlers.hello();
                case FILES -> {
                    Options.Dir d = o.dir();
                    StaticFiles.Builder sb = StaticFiles.builder(d.root()).index(d.index()).listing(d.listing())
                            .dotfiles(d.dotfiles()).followSymlinksOut(d.followSymlinksOut());
                    if (d.maxAge() >= 0) sb.maxAge(d.maxAge());
                    yield sb.build();
                }
            };
        } catch (java.io.IOException e) {
            err.println("jepoll: cannot serve: " + e.getMessage());
            return 1;
        }
        if (o.logRequests()) handler = Handlers.logging(handler, out);
        if (o.transportNote() != null) err.println("jepoll: " + o.transportNote());

        java.util.concurrent.atomic.AtomicReference<HttpServer> started = new java.util.concurrent.atomic.AtomicReference<>();
        Signals.onTerminate(stop::countDown, () -> { // a second signal: close now, which ends the drain (still graceful)
            HttpServer s = started.get();
            if (s != null) s.close();
        });
        HttpServer server;
        TracePrinter trace = null;
        AccessLog accessLog = null;
        io.jepoll.tls.TlsContext tls = null;
        try {
            HttpServer.Builder b = HttpServer.builder()
                    .host(o.host()).port(o.port()).loops(o.loops())
                    .transport(o.transport()).trigger(o.trigger())
                    .tcpNoDelay(o.tcpNoDelay()).tcpCork(o.tcpCork())
                    .virtualThreads(o.virtualThreads())
                    .proxyProtocol(o.proxyProtocol())
                    .healthPath(o.healthPath())
                    .socketActivation(true) // started by systemd with its sockets: serve them instead of --host/--port
                    .limits(o.limits())
                    .compression(o.compression())
                    .handler(handler);
            if (o.maxConnections() > 0) b.maxConnections(o.maxConnections());
            if (o.metrics() != null) b.metrics(true);
            trace = o.trace() ? TracePrinter.toStdout(o.transport().backend()).holdUntilHeader() : null;
            if (trace != null) b.tracer(trace);
            if (o.accessLog() != null) {
                Options.LogFile f = o.accessLog();
                AccessLog log = (f.toStdout() ? AccessLog.toStdout() : AccessLog.to(java.nio.file.Path.of(f.path()))).format(f.format());
                b.accessLog(log); // the server opens it, and closes it when it stops
                accessLog = log;
            }
            Options.Timeouts t = o.timeouts();
            if (t.idle() != null) b.idleTimeout(t.idle());
            if (t.header() != null) b.headerTimeout(t.header());
            if (t.body() != null) b.bodyTimeout(t.body());
            if (t.write() != null) b.writeTimeout(t.write());
            if (t.shutdownGrace() != null) b.shutdownGrace(t.shutdownGrace());
            if (o.tls() != null) b.tls(tls = Https.context(o.tls()));
            if (o.redirectHttp() >= 0) b.redirectHttp(o.redirectHttp());
            server = b.start();
            started.set(server);
        } catch (java.io.IOException e) { // a TLS file (a BindException is an IOException too)
            err.println("jepoll: cannot start: " + (e instanceof java.net.BindException ? "" : "TLS: ") + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            err.println("jepoll: cannot start: " + e.getMessage());
            return 1;
        }
        HttpServer scrape = null;
        if (o.metrics() != null) {
            try {
                scrape = metricsServer(o.metrics(), o.transport(), server);
            } catch (java.net.BindException | RuntimeException e) {
                server.close();
                err.println("jepoll: cannot start the metrics listener: " + e.getMessage());
                return 1;
            }
        }
        if (accessLog != null) Signals.onReopen(accessLog::reopen);
        if (tls != null) Https.reloadOnHangup(tls, out, err);
        // The configured address, not the bound one: java.nio reports 0.0.0.0 as its IPv6 twin. A passed socket
        // (epoll or io_uring) has only the address it was bound to.
        int passed = server.config().listenFds().size();
        String host = hostOf(passed > 0 ? server.address() : server.config().address());
        String model = o.transport().isEventDriven()
                ? "trigger " + o.trigger().name().toLowerCase(java.util.Locale.ROOT) + ", " + o.loops() + (o.loops() == 1 ? " loop" : " loops")
                : "a thread per connection";
        out.println("jepoll " + VERSION + " listening on " + (tls != null ? "https" : "http") + "://" + host + ":" + server.port() + "/"
                + " (transport " + o.transport().label() + ", " + model
                + (o.compression() == null ? "" : ", gzip") + ", " + switch (o.mode()) {
                    case ECHO -> "echo";
                    case HELLO -> "hello";
                    case FILES -> "files from " + o.dir().root().toAbsolutePath().normalize();
                } + ")");
        if (passed > 0) out.println("jepoll: serving " + (passed == 1 ? "the socket" : passed + " sockets")
                + " passed by socket activation (LISTEN_FDS), not --host/--port");
        if (server.redirectPort() >= 0) out.println("jepoll: redirecting http://" + host + ":" + server.redirectPort() + "/ to https (308)");
        if (scrape != null) out.println("jepoll: metrics on http://" + hostOf(scrape.config().address()) + ":" + scrape.port() + MetricsEndpoint.PATH);
        if (trace != null) trace.header(); // the columns, under the banner
        out.flush();
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (o.drain().isPositive()) {
            out.println("jepoll: draining for " + o.drain().toMillis() + " ms (health checks answer 503), then stopping");
            out.flush();
            server.drainAndClose(o.drain());
        } else {
            out.println("jepoll: stopping");
            server.close();
        }
        if (scrape != null) scrape.close(); // last: a scrape during the drain still sees the server
        out.println("jepoll: stopped");
        return 0;
    }

    /** GET /metrics on a listener of its own (one loop, or a thread per scrape), so a scrape never waits behind traffic. */
    private static HttpServer metricsServer(Options.MetricsPort m, Transport transport, HttpServer app) throws java.net.BindException {
        return HttpServer.builder().host(m.host()).port(m.port()).loops(1).transport(transport)
                .handler(MetricsEndpoint.of(app::metrics)).start();
    }

    /** An address for a URL: IPv6 in brackets. */
    private static String hostOf(java.net.InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return host.contains(":") ? "[" + host + "]" : host;
    }
}
