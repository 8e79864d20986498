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
