package io.jepoll.server;

import io.jepoll.http.Response;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JFR events of a server with metrics on, in every mode: a recording that enables {@code jepoll.Request} and
 * {@code jepoll.Connection} has one event per exchange and per accept and close, with their fields; one that does
 * not enable them (they are off by default) has none.
 */
@ParameterizedClass
@MethodSource("io.jepoll.server.Mode#plaintext") // over TLS: HttpsTest and the suites TLS runs
class MetricsJfrTest {
    @Parameter
    Mode mode;

    @TempDir
    Path dir;

    HttpServer server;

    @AfterEach
    void stop() { if (server != null) server.close(); }

    /** Two connections: a 200 and a 404 that closes; a 400 refusal. Returns when the server has closed both. */
    private void exchanges() throws Exception {
        server = mode.builder().metrics(true).handler(req -> req.path().equals("/hello") ? Response.ok("hello") : Response.notFound()).start();
        try (RawClient c = new RawClient(server)) {
            c.send("GET /hello?x=1 HTTP/1.1\r\nHost: a\r\n\r\nGET /missing HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(200);
            assertThat(c.read().status()).isEqualTo(404);
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawClient c = new RawClient(server)) {
            c.send("GET /x HTTP/1.1\r\nHost: a\r\nno colon\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(400);
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(Harness.awaitConnectionCount(server, 0, 10_000)).isZero();
    }

    private List<RecordedEvent> record(boolean enableJepoll) throws Exception {
        Path file = dir.resolve("recording.jfr");
        try (Recording rec = new Recording()) {
            if (enableJepoll) {
                rec.enable("jepoll.Request");
                rec.enable("jepoll.Connection");
            }
            rec.start();
            exchanges();
            rec.stop();
            rec.dump(file);
        }
        return RecordingFile.readAllEvents(file).stream().filter(e -> e.getEventType().getName().startsWith("jepoll.")).toList();
    }

    @Test
    void aRecordingThatEnablesThemHasEveryExchangeAndConnection() throws Exception {
        List<RecordedEvent> events = record(true);
        List<RecordedEvent> requests = events.stream().filter(e -> e.getEventType().getName().equals("jepoll.Request")).toList();
        assertThat(requests).extracting(e -> e.getString("method") + " " + e.getString("target") + " " + e.getInt("status")
                        + " " + e.getLong("bytes") + " " + e.getBoolean("refused"))
                .containsExactlyInAnyOrder("GET /hello?x=1 200 5 false", "GET /missing 404 10 false", "null null 400 "
                        + requests.stream().filter(e -> e.getInt("status") == 400).findFirst().orElseThrow().getLong("bytes") + " true");
        assertThat(requests).allSatisfy(e -> {
            assertThat(e.getString("remote")).startsWith("127.0.0.1:");
            assertThat(e.getDuration("requestDuration").isNegative()).isFalse();
            if (mode.transport.isEventDriven()) assertThat(e.getInt("loop")).isBetween(0, 1);
            else assertThat(e.getInt("loop")).isEqualTo(-1);
        });

        List<RecordedEvent> connections = events.stream().filter(e -> e.getEventType().getName().equals("jepoll.Connection")).toList();
        assertThat(connections).extracting(e -> e.getString("action")).containsExactlyInAnyOrder("accepted", "accepted", "closed", "closed");
        assertThat(connections).filteredOn(e -> e.getString("action").equals("accepted"))
                .allSatisfy(e -> assertThat(e.getString("remote")).startsWith("127.0.0.1:"));
        // At the close the peer is asked again; one that has gone already (EPOLLHUP) has no address any more.
        assertThat(connections).filteredOn(e -> e.getString("action").equals("closed")).allSatisfy(e -> {
            assertThat(e.getString("why")).isNotBlank();
            if (e.getString("remote") != null) assertThat(e.getString("remote")).startsWith("127.0.0.1:");
        });
    }

    @Test
    void theyAreOffUnlessARecordingEnablesThem() throws Exception {
        assertThat(record(false)).isEmpty();
    }
}
