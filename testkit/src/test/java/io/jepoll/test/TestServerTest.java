package io.jepoll.test;

import io.jepoll.http.Response;
import io.jepoll.server.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** TestServer on its own, as a test of another framework would use it: real servers, the JDK's client. */
class TestServerTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void servesWithTheTestSettingsOnEveryTransport(Transport transport) throws Exception {
        assumeThat(transport.isAvailable()).as("%s runs here", transport).isTrue();
        try (TestServer server = TestServer.start(TestServer.builder().transport(transport)
                .handler(req -> Response.ok(req.method() + " " + req.path() + " " + req.queryParam("q"))))) {
            assertThat(server.uri().toString()).isEqualTo("http://127.0.0.1:" + server.port() + "/");
            assertThat(server.port()).isPositive();
            assertThat(server.server().config().transport()).isEqualTo(transport);

            HttpResponse<String> get = server.get("/a/b?q=1");
            assertThat(get.statusCode()).isEqualTo(200);
            assertThat(get.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
            assertThat(get.body()).isEqualTo("GET /a/b 1");

            HttpResponse<String> post = server.client().send(server.request("/form").POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.body()).isEqualTo("POST /form null");
        }
    }

    @Test
    void closeFreesThePortAndStopsTheClient() throws Exception {
        TestServer server = TestServer.start(req -> Response.ok("up"));
        assertThat(server.get("/").body()).isEqualTo("up"); // a keep-alive connection is open now
        server.close();
        assertThat(Ports.refused(server.port())).as("nothing listens on %s after close", server.port()).isTrue();
        assertThat(server.client().isTerminated()).isTrue();
        server.close(); // twice: nothing more happens
    }

    @Test
    void uriOfAPathKeepsTheServerAsItsAuthority() {
        try (TestServer server = TestServer.start(req -> Response.ok(""))) {
            String root = "http://127.0.0.1:" + server.port();
            assertThat(server.uri("/users/7?full=1").toString()).isEqualTo(root + "/users/7?full=1");
            assertThat(server.uri("//elsewhere.example/x").getAuthority()).isEqualTo("127.0.0.1:" + server.port());
            assertThatThrownBy(() -> server.uri("users")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with '/'");
            assertThatThrownBy(() -> server.uri("/a b")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aTakenPortIsAClearFailure() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> TestServer.start(TestServer.builder().port(taken.getLocalPort()).handler(req -> Response.ok(""))))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the jepoll test server did not start: address already in use")
                    .hasCauseInstanceOf(BindException.class);
        }
    }

    @Test
    void aBuilderWithoutAHandlerDoesNotStart() {
        assertThatThrownBy(() -> TestServer.start(TestServer.builder())).isInstanceOf(IllegalStateException.class).hasMessageContaining("handler");
    }

    @Test
    void aWildcardAddressIsReachedThroughLoopback() throws Exception {
        try (TestServer server = TestServer.start(TestServer.builder().host("0.0.0.0").handler(req -> Response.ok("any")))) {
            assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
            assertThat(server.get("/").body()).isEqualTo("any");
        }
    }

    @Test
    void anIpv6LoopbackServerHasABracketedUri() throws Exception {
        try (TestServer server = TestServer.start(TestServer.builder().host("::1").handler(req -> Response.bytes(200, "text/plain",
                "six".getBytes(StandardCharsets.UTF_8))))) {
            assertThat(server.uri().toString()).isEqualTo("http://[0:0:0:0:0:0:0:1]:" + server.port() + "/");
            assertThat(server.get("/").body()).isEqualTo("six");
        }
    }
}
