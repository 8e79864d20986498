package io.jepoll.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every program in examples/ runs as the README says (source launcher, core jar, a port argument) and answers as its
 * comment promises. Each is a real child JVM, killed after the test.
 */
class ExamplesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static HttpClient client;

    @BeforeAll
    static void client() {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    @AfterAll
    static void closeClient() {
        client.close();
    }

    static HttpResponse<String> get(URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void helloAnswersEveryPath() throws Exception {
        try (ExampleProgram hello = ExampleProgram.start("Hello")) {
            HttpResponse<String> r = get(hello.uri("/world"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("Hello, /world");
        }
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void routesServesExactlyItsApi() throws Exception {
        try (ExampleProgram app = ExampleProgram.start("Routes")) {
            HttpResponse<String> hello = get(app.uri("/hello/J%C3%BCrgen"));
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
            assertThat(hello.body()).isEqualTo("Hello, Jürgen!");

            HttpResponse<String> user = get(app.uri("/users/42"));
            assertThat(user.statusCode()).isEqualTo(200);
            assertThat(user.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(user.body()).isEqualTo("{\"id\":\"42\"}");
            assertThat(get(app.uri("/users/a%22b")).body()).isEqualTo("{\"id\":\"a\\\"b\"}"); // still JSON

            for (int n = 1; n <= 3; n++) {
                HttpResponse<String> created = send(HttpRequest.newBuilder(app.uri("/users"))
                        .POST(HttpRequest.BodyPublishers.ofString("name=u" + n)));
                assertThat(created.statusCode()).isEqualTo(201);
                assertThat(created.headers().firstValue("Location")).hasValue("/users/" + n);
            }

            HttpResponse<String> file = get(app.uri("/files/a/b/c.txt"));
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
            assertThat(file.body()).isEqualTo("a/b/c.txt");

            HttpResponse<String> big = get(app.uri("/big"));
            assertThat(big.statusCode()).isEqualTo(200);
            assertThat(big.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
            assertThat(big.body()).hasSize(20_000);
            assertThat(big.headers().firstValue("Content-Encoding")).isEmpty(); // this client did not ask
            HttpResponse<byte[]> gzipped = client.send(HttpRequest.newBuilder(app.uri("/big")).timeout(TIMEOUT)
                    .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(gzipped.headers().firstValue("Vary")).hasValue("Accept-Encoding");
            assertThat(gzipped.body().length).isLessThan(2_000);
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gzipped.body()))) {
                assertThat(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(big.body());
            }

            HttpResponse<java.util.stream.Stream<String>> events = client.send(
                    HttpRequest.newBuilder(app.uri("/events")).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(events.statusCode()).isEqualTo(200);
            assertThat(events.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            assertThat(events.body().toList()).containsExactly("data: 1", "", "data: 2", "", "data: 3", "");

            HttpResponse<String> cookie = get(app.uri("/cookie"));
            assertThat(cookie.statusCode()).isEqualTo(200);
            assertThat(cookie.headers().allValues("Set-Cookie")).containsExactly("session=abc; HttpOnly; SameSite=Lax");

            assertThat(get(app.uri("/nothing/here")).statusCode()).isEqualTo(404);
            HttpResponse<String> wrongMethod = send(HttpRequest.newBuilder(app.uri("/users/7")).DELETE());
            assertThat(wrongMethod.statusCode()).isEqualTo(405);
            assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET, HEAD, OPTIONS");
            assertThat(send(HttpRequest.newBuilder(app.uri("/users")).GET()).headers().firstValue("Allow"))
                    .hasValue("POST, OPTIONS");
        }
    }

    @Test
    void blockingRoutesRunOnVirtualThreadsAndTheRestOnTheLoop() throws Exception {
        try (ExampleProgram app = ExampleProgram.start("Blocking")) {
            // Two reports wait at once while the loop answers: with one loop per core, a report on the loop would
            // hold every connection of that loop for its whole wait.
            var reports = java.util.stream.IntStream.range(0, 2)
                    .mapToObj(i -> client.sendAsync(HttpRequest.newBuilder(app.uri("/report?ms=300")).timeout(TIMEOUT).build(),
                            HttpResponse.BodyHandlers.ofString()))
                    .toList();
            HttpResponse<String> now = get(app.uri("/now"));
            assertThat(now.statusCode()).isEqualTo(200);
            assertThat(now.headers().firstValue("X-Thread").orElseThrow()).startsWith("jepoll-loop-");
            for (var f : reports) {
                HttpResponse<String> report = f.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                assertThat(report.statusCode()).isEqualTo(200);
                assertThat(report.body()).isEqualTo("report ready after 300 ms\n");
                assertThat(report.headers().firstValue("X-Thread")).hasValue("virtual"); // the filter ran there too
            }
        }
    }

    @Test
    void staticServesFilesUnderAssetsBesideTheApi(@TempDir Path site) throws Exception {
        Files.writeString(site.resolve("index.html"), "<h1>home</h1>\n");
        Files.writeString(site.resolve("app.css"), "body { margin: 0 }\n");
        try (ExampleProgram app = ExampleProgram.start("Static", site.toString())) {
            HttpResponse<String> css = get(app.uri("/assets/app.css"));
            assertThat(css.statusCode()).isEqualTo(200);
            assertThat(css.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
            assertThat(css.body()).isEqualTo("body { margin: 0 }\n");

            assertThat(get(app.uri("/assets/")).body()).isEqualTo("<h1>home</h1>\n");
            assertThat(get(app.uri("/assets/missing.txt")).statusCode()).isEqualTo(404);

            HttpResponse<String> time = get(app.uri("/api/time"));
            assertThat(time.statusCode()).isEqualTo(200);
            assertThat(time.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(time.body()).matches("\\{\"now\":\"\\d{4}-\\d\\d-\\d\\dT[^\"]+Z\"}");

            assertThat(get(app.uri("/elsewhere")).statusCode()).isEqualTo(404);
        }
    }
}
