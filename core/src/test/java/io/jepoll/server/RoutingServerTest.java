package io.jepoll.server;

import io.jepoll.http.Response;
import io.jepoll.http.SetCookie;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Router over real sockets, in every mode: routes with parameters, the conveniences a handler reads (query,
 * form, cookies) and answers (JSON, redirects, Set-Cookie), 404 / 405 / HEAD / OPTIONS on the wire, and
 * StaticFiles mounted under /assets, including the redirects it sends from there.
 */
class RoutingServerTest {
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    Path site;
    HttpServer server;

    @BeforeEach
    void files() throws IOException {
        site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("app.js"), "console.log('app');\n");
        Files.createDirectories(site.resolve("docs"));
        Files.writeString(site.resolve("docs/index.html"), "<h1>docs</h1>\n");
        Files.writeString(dir.resolve("secret.txt"), "outside the mount\n");
    }

    @AfterEach
    void stop() { if (server != null) server.close(); }

    Router router() throws IOException {
        return Router.builder()
                .get("/hello/{name}", req -> Response.ok("Hello, " + req.pathParam("name") + "!"))
                .get("/search", req -> Response.json("{\"q\":\"" + req.queryParam("q") + "\",\"tags\":" + req.queryParams("tag").size() + "}"))
                .post("/users", req -> Response.created("/users/" + req.formParam("name")))
                .get("/users/{id}", req -> Response.ok("user " + req.pathParam("id") + " theme=" + req.cookie("theme")))
                .delete("/users/{id}", req -> Response.noContent())
                .post("/login", req -> Response.redirect(303, "/home")
                        .withCookie(SetCookie.builder("sid", "abc").path("/").httpOnly(true).sameSite(SetCookie.SameSite.LAX).build())
                        .withCookie(SetCookie.builder("theme", "dark").maxAge(Duration.ofDays(30)).build()))
                .get("/files/{path...}", req -> Response.ok("file " + req.pathParam("path")))
                .mount("/assets", StaticFiles.of(site))
                .build();
    }

    HttpServer start(Mode mode) throws Exception {
        return server = mode.builder().handler(router()).start();
    }

    RawClient.Reply send(String request) throws IOException {
        try (RawClient c = new RawClient(server)) {
            c.send(request);
            return c.read(request.startsWith("HEAD "));
        }
    }

    RawClient.Reply get(String target, String... fields) throws IOException {
        return send("GET " + target + " HTTP/1.1\r\nHost: x\r\n" + String.join("", java.util.Arrays.stream(fields).map(f -> f + "\r\n").toList()) + "\r\n");
    }

    @ParameterizedTest
    @MethodSource("io.jepoll.server.Mode#plaintext")
    void routesAnswerWithTheirParameters(Mode mode) throws Exception {
        start(mode);
        assertThat(get("/hello/J%C3%BCrgen").text()).isEqualTo("Hello, J\u00fcrgen!");
        RawClient.Reply search = get("/search?q=epoll+loops&tag=a&tag=b");
        assertThat(search.header("content-type")).isEqualTo("application/json");
        assertThat(search.text()).isEqualTo("{\"q\":\"epoll loops\",\"tags\":2}");
        assertThat(get("/users/7", "Cookie: sid=abc; theme=\"dark\"").text()).isEqualTo("user 7 theme=dark");
        assertThat(get("/files/a/b%20c.txt").text()).isEqualTo("file a/b c.txt");
        RawClient.Reply created = send("POST /users HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: 14\r\n\r\nname=ada&x=%41");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("location")).isEqualTo("/users/ada");
        RawClient.Reply deleted = send("DELETE /users/7 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.header("content-length")).isNull();
    }

    @ParameterizedTest
    @MethodSource("io.jepoll.server.Mode#plaintext")
    void notFoundMethodNotAllowedHeadAndOptions(Mode mode) throws Exception {
        start(mode);
        assertThat(get("/nothing").status()).isEqualTo(404);
        assertThat(get("/hello/%C0%AE").status()).isEqualTo(404);
        assertThat(get("/hello/x/").status()).isEqualTo(404); // the trailing slash is part of the path
        RawClient.Reply put = send("PUT /users/7 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("allow")).isEqualTo("GET, HEAD, DELETE, OPTIONS");
        RawClient.Reply head = send("HEAD /hello/ada HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("content-length")).isEqualTo(Integer.toString("Hello, ada!".length()));
        assertThat(head.body()).isEmpty();
        RawClient.Reply options = send("OPTIONS /users/7 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(options.status()).isEqualTo(204);
        assertThat(options.header("allow")).isEqualTo("GET, HEAD, DELETE, OPTIONS");
        RawClient.Reply star = send("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(star.status()).isEqualTo(204);
        assertThat(star.header("allow")).isEqualTo("GET, HEAD, POST, DELETE, OPTIONS");
    }

    @ParameterizedTest
    @MethodSource("io.jepoll.server.Mode#plaintext")
    void staticFilesMountedUnderAPrefix(Mode mode) throws Exception {
        start(mode);
        RawClient.Reply js = get("/assets/app.js");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.text()).isEqualTo("console.log('app');\n");
        assertThat(js.header("content-type")).startsWith("text/javascript");
        RawClient.Reply range = get("/assets/app.js", "Range: bytes=0-6");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.text()).isEqualTo("console");
        RawClient.Reply head = send("HEAD /assets/app.js HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(head.header("content-length")).isEqualTo("20");
        RawClient.Reply dir = get("/assets/docs?x=1");
        assertThat(dir.status()).isEqualTo(301);
        assertThat(dir.header("location")).isEqualTo("/assets/docs/?x=1"); // the prefix stays in the redirect
        assertThat(get("/assets/docs/").text()).isEqualTo("<h1>docs</h1>\n");
        RawClient.Reply bare = get("/assets");
        assertThat(bare.status()).isEqualTo(308);
        assertThat(bare.header("location")).isEqualTo("/assets/");
        assertThat(get("/assets/").status()).isEqualTo(404); // the root of the mount has no index, no listing
        assertThat(get("/assets/../secret.txt").status()).isEqualTo(404);
        assertThat(get("/assets/%2e%2e/secret.txt").status()).isEqualTo(404);
        assertThat(get("/assets/docs/../../secret.txt").status()).isEqualTo(404);
        assertThat(send("POST /assets/app.js HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").status()).isEqualTo(405);
    }

    @ParameterizedTest
    @MethodSource("io.jepoll.server.Mode#plaintext")
    void pipelinedRequestsToDifferentRoutesKeepTheirOrder(Mode mode) throws Exception {
        start(mode);
        try (RawClient c = new RawClient(server)) {
            c.send("GET /hello/a HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /assets/app.js HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD /assets/app.js HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /users/9 HTTP/1.1\r\nHost: x\r\nCookie: theme=light\r\n\r\n");
            assertThat(c.read().text()).isEqualTo("Hello, a!");
            assertThat(c.read().text()).isEqualTo("console.log('app');\n");
            assertThat(c.read().status()).isEqualTo(404);
            assertThat(c.read(true).header("content-length")).isEqualTo("20");
            assertThat(c.read().text()).isEqualTo("user 9 theme=light");
        }
    }

    @ParameterizedTest
    @MethodSource("io.jepoll.server.Mode#plaintext")
    void severalCookiesAndARedirectReachARealClient(Mode mode) throws Exception {
        start(mode);
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/login"))
                    .timeout(REQUEST_TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(303);
            assertThat(r.headers().firstValue("location")).hasValue("/home");
            assertThat(r.headers().allValues("set-cookie"))
                    .containsExactly("sid=abc; Path=/; HttpOnly; SameSite=Lax", "theme=dark; Max-Age=2592000");
        }
    }

    @ParameterizedTest
    @MethodSource("io.jepoll.server.Mode#plaintext")
    void onVirtualThreadsTheMountStillSeesItsPath(Mode mode) throws Exception {
        server = mode.builder().virtualThreads(true).handler(router()).start();
        assertThat(get("/assets/app.js").text()).isEqualTo("console.log('app');\n");
        assertThat(get("/assets/docs").header("location")).isEqualTo("/assets/docs/");
        assertThat(get("/hello/%E2%82%AC").text()).isEqualTo("Hello, \u20ac!");
    }

    static String utf8(byte[] b) { return new String(b, StandardCharsets.UTF_8); }
}
