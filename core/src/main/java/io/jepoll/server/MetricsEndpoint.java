package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.http.Response;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A {@link Handler} for Prometheus: {@code GET /metrics} (and HEAD) answers the current {@link Metrics} in the text
 * format, version 0.0.4; other paths get 404, other methods 405. Serve it from a server of its own, on a port of its
 * own (the {@code jepoll} command's {@code --metrics-port}), so that a scrape never waits behind traffic:
 *
 * <pre>{@code
 * HttpServer app = HttpServer.builder().metrics(true).handler(...).start();
 * HttpServer scrape = HttpServer.builder().host("127.0.0.1").port(9100).loops(1)
 *         .handler(MetricsEndpoint.of(app::metrics)).start();
 * }</pre>
 *
 * Each loop's busy ratio ({@code jepoll_loop_busy_ratio}) covers the time since the previous scrape of this
 * endpoint (the first: since the loop started); with several scrapers, since whichever came last. The counter
 * {@code jepoll_loop_busy_seconds_total} does not depend on that: {@code rate()} of it is the ratio over any window.
 */
public final class MetricsEndpoint implements Handler {
    /** The path served. */
    public static final String PATH = "/metrics";

    private final Supplier<Metrics> source;
    private final AtomicReference<Metrics> previous = new AtomicReference<>();

    private MetricsEndpoint(Supplier<Metrics> source) { this.source = source; }

    /**
     * An endpoint for the figures {@code source} gives, typically {@code server::metrics}.
     *
     * @param source called once per scrape, on the endpoint server's thread
     * @return the handler
     */
    public static MetricsEndpoint of(Supplier<Metrics> source) {
        if (source == null) throw new IllegalArgumentException("source is null");
        return new MetricsEndpoint(source);
    }

    /**
     * Answers a scrape.
     *
     * @param req the request
     * @return the text (200), 404 for another path, 405 for another method
     */
    @Override
    public Response handle(Request req) {
        if (!req.path().equals(PATH)) return Response.notFound();
        if (!req.isMethod("GET") && !req.isMethod("HEAD")) {
            return Response.text(405, "Method Not Allowed\n").withHeader("Allow", "GET, HEAD");
        }
        Metrics now = source.get();
        String text = now.prometheusText(previous.getAndSet(now));
        return Response.bytes(200, Metrics.CONTENT_TYPE, text.getBytes(StandardCharsets.UTF_8)).withHeader("Cache-Control", "no-store");
    }
}
