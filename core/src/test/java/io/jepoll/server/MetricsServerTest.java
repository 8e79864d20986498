package io.jepoll.server;

import io.jepoll.http.HttpLimits;
import io.jepoll.http.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * The metrics of a real server, in every transport and trigger mode: after a known set of exchanges (200s, a 404, a
 * 500, refusals with 400, 408 and 413, an idle timeout) every counter is exact, the histogram counts what handlers
 * answered, connections return to 0, and the text is well-formed (and accepted by promtool where it is installed).
 */
@ParameterizedClass
@MethodSource("io.jepoll.server.Mode#plaintext") // over TLS: HttpsTest and the suites TLS runs
class MetricsServerTest {
    @Parameter
    Mode mode;

    HttpServer server, endpoint;

    /** /hello: 5 bytes; /fail throws (500); anything else 404 ("Not Found\n", 10 bytes). */
    static final Handler ROUTES = req -> switch (req.path()) {
        case "/hello" -> Response.ok("hello");
        case "/fail" -> throw new IllegalStateException("failing on purpose");
        default -> Response.notFound();
    };

    @AfterEach
    void stop() {
        if (endpoint != null) endpoint.close();
        if (server != null) server.close();
    }

    private HttpServer.Builder metered() {
        // The idle timeout only fires on the connection that waits for it: the others send at once and close.
        return mode.builder().metrics(true).handler(ROUTES).idleTimeout(Duration.ofSeconds(2))
                .headerTimeout(Duration.ofMillis(300)).limits(HttpLimits.defaults().withMaxBodySize(1000));
    }

    /** Runs the known exchanges; returns the response body bytes the client was sent. */
    private long exchanges() throws Exception {
        long bytes = 0;
        try (RawClient idle = new RawClient(server); Harness.LogCapture log = new Harness.LogCapture()) {
            try (RawClient c = new RawClient(server)) { // pipelined: three 200s, a 500, then a 404 that closes
                String get = "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n";
                c.send(get + get + get + "GET /fail HTTP/1.1\r\nHost: a\r\n\r\nGET /missing HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
                for (int status : new int[]{200, 200, 200, 500, 404}) {
                    RawClient.Reply r = c.read();
                    assertThat(r.status()).isEqualTo(status);
                    bytes += r.body().length;
                }
            }
            bytes += refused("GET /no-host HTTP/1.1\r\n\r\n", 400);
            bytes += refused("POST /big HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n", 413);
            bytes += refused("GET /slow HTTP/1.1\r\nHost: a\r\n", 408); // never finished: the header timeout
            assertThat(idle.closedByServer()).as("closed by the idle timeout").isTrue();
            assertThat(log.messages()).anySatisfy(m -> assertThat(m).contains("handler failed"));
        }
        return bytes;
    }

    private long refused(String request, int status) throws Exception {
        try (RawClient c = new RawClient(server)) {
            c.send(request);
            RawClient.Reply r = c.read();
            assertThat(r.status()).isEqualTo(status);
            return r.body().length;
        }
    }

    @Test
    void everyFigureIsExactAfterAKnownSetOfExchanges() throws Exception {
        server = metered().start();
        long bytes = exchanges();
        assertThat(Harness.awaitConnectionCount(server, 0, 10_000)).isZero();

        Metrics m = server.metrics();
        assertThat(m.requests("GET", 2)).isEqualTo(3);
        assertThat(m.requests("GET", 4)).as("the 404 and the 400 (its head was read)").isEqualTo(2);
        assertThat(m.requests("GET", 5)).isEqualTo(1);
        assertThat(m.requests("POST", 4)).as("the 413").isEqualTo(1);
        assertThat(m.requests("unknown", 4)).as("the 408: its head never came").isEqualTo(1);
        assertThat(m.requestCount()).isEqualTo(8);
        assertThat(m.duration().count()).as("what a handler answered").isEqualTo(5);
        assertThat(m.duration().count()).isEqualTo(m.requestCount() - m.rejected().values().stream().mapToLong(Long::longValue).sum());
        assertThat(m.duration().cumulativeCounts()).isSorted();
        assertThat(m.responseBytes()).isEqualTo(bytes);
        assertThat(m.rejected()).containsExactly(entry(400, 1L), entry(408, 1L), entry(413, 1L), entry(414, 0L), entry(417, 0L),
                entry(431, 0L), entry(501, 0L), entry(505, 0L));
        assertThat(m.timeouts()).containsEntry(Metrics.Timeout.IDLE, 1L).containsEntry(Metrics.Timeout.HEADER, 1L)
                .containsEntry(Metrics.Timeout.BODY, 0L).containsEntry(Metrics.Timeout.WRITE, 0L);
        assertThat(m.handlerErrors()).isEqualTo(1);
        assertThat(m.connectionsAccepted()).isEqualTo(5);
        assertThat(m.connectionsOpen()).isZero();
        assertThat(m.acceptPauses()).containsEntry(Metrics.AcceptPause.CONNECTION_LIMIT, 0L).containsEntry(Metrics.AcceptPause.NO_RESOURCES, 0L);
        assertThat(m.accessLogDropped()).isZero();
        if (mode.transport.isEventDriven()) {
            assertThat(m.loops()).extracting(Metrics.LoopLoad::loop).containsExactly(0, 1);
            assertThat(m.loops()).allSatisfy(l -> {
                assertThat(l.connections()).isZero();
                assertThat(l.busyNanos()).isBetween(0L, l.upNanos());
            });
        } else {
            assertThat(m.loops()).isEmpty();
        }

        Map<String, Double> text = PrometheusTextParser.parse(m.prometheusText());
        assertThat(text).containsEntry("jepoll_requests_total{method=\"GET\",status_class=\"2xx\"}", 3.0)
                .containsEntry("jepoll_requests_total{method=\"unknown\",status_class=\"4xx\"}", 1.0)
                .containsEntry("jepoll_request_duration_seconds_bucket{le=\"+Inf\"}", 5.0)
                .containsEntry("jepoll_request_duration_seconds_count", 5.0)
                .containsEntry("jepoll_response_bytes_total", (double) bytes)
                .containsEntry("jepoll_connections_open", 0.0)
                .containsEntry("jepoll_connections_accepted_total", 5.0)
                .containsEntry("jepoll_rejected_requests_total{status=\"408\"}", 1.0)
                .containsEntry("jepoll_rejected_requests_total{status=\"431\"}", 0.0)
                .containsEntry("jepoll_timeouts_total{kind=\"idle\"}", 1.0)
                .containsEntry("jepoll_timeouts_total{kind=\"header\"}", 1.0)
                .containsEntry("jepoll_accept_pauses_total{cause=\"connection_limit\"}", 0.0)
                .containsEntry("jepoll_handler_errors_total", 1.0)
                .containsEntry("jepoll_access_log_dropped_total", 0.0);
        assertThat(java.util.List.copyOf(PrometheusTextParser.family(text, "jepoll_request_duration_seconds_bucket").values())).hasSize(20).isSorted();
        assertThat(PrometheusTextParser.family(text, "jepoll_loop_busy_ratio"))
                .hasSize(mode.transport.isEventDriven() ? 2 : 0).allSatisfy((loop, ratio) -> assertThat(ratio).isBetween(0.0, 1.0));
    }

    /** promtool, Prometheus's own checker, accepts the text (lint included); skipped where it is not installed. */
    @Test
    void promtoolAcceptsTheText() throws Exception {
        String promtool = PrometheusTextParser.promtool();
        Assumptions.assumeTrue(promtool != null, "promtool is not installed (Debian: apt-get install prometheus)");
        server = metered().start();
        exchanges();
        PrometheusTextParser.Checked c = PrometheusTextParser.promtoolCheck(promtool, server.metrics().prometheusText());
        assertThat(c.output()).isEmpty();
        assertThat(c.exitCode()).isZero();
    }

    /** The endpoint on a server of its own: GET /metrics is the text with the format's media type; nothing else is. */
    @Test
    void theEndpointServesTheTextOnItsOwnListener() throws Exception {
        server = metered().start();
        endpoint = mode.builder().loops(1).handler(MetricsEndpoint.of(server::metrics)).start();
        URI base = URI.create("http://127.0.0.1:" + endpoint.port());
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build()) {
            client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/hello")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(base.resolve("/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(PrometheusTextParser.parse(r.body())).containsEntry("jepoll_requests_total{method=\"GET\",status_class=\"2xx\"}", 1.0)
                    .doesNotContainKey("jepoll_requests_total{method=\"GET\",status_class=\"4xx\"}"); // the scrape is not counted
            assertThat(client.send(HttpRequest.newBuilder(base.resolve("/other")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(base.resolve("/metrics")).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
    }

    /**
     * A handler that takes 30 ms lands above the 25 ms bucket, on the loop or on a virtual thread: the duration
     * ends when the response leaves, read once per callback (only a lower bound is asserted: a sleep lasts at least
     * what it was asked).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aSlowHandlerIsMeasured(boolean virtualThreads) throws Exception {
        server = mode.builder().metrics(true).virtualThreads(virtualThreads).handler(req -> {
            if (req.path().equals("/slow")) Thread.sleep(30);
            return Response.ok("done");
        }).start();
        try (RawClient c = new RawClient(server)) { // a fast one, then a slow one, in one send
            c.send("GET /fast HTTP/1.1\r\nHost: a\r\n\r\nGET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
            c.read();
            c.read();
        }
        assertThat(Harness.awaitConnectionCount(server, 0, 10_000)).isZero();
        Metrics.Histogram h = server.metrics().duration();
        int le25ms = h.upperBounds().indexOf(0.025);
        assertThat(h.count()).isEqualTo(2);
        assertThat(h.count() - h.cumulativeCounts().get(le25ms)).as("above 25 ms").isGreaterThanOrEqualTo(1);
        assertThat(h.sumNanos()).isGreaterThanOrEqualTo(30_000_000L);
    }

    @Test
    void aServerWithoutMetricsSaysSo() throws Exception {
        server = mode.builder().handler(ROUTES).start();
        assertThatThrownBy(server::metrics).isInstanceOf(IllegalStateException.class).hasMessageContaining("metrics(true)");
    }
}
