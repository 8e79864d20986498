package io.jepoll.server;

import io.jepoll.http.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Filters and per-route placement over real sockets, in every mode: the order of router and route filters,
 * a short-circuiting auth filter, filters around the router's own 404 / 405 / OPTIONS and a mount, HEAD through
 * filters, a failing filter, and a blocking route that runs on a virtual thread while the loop answers others.
 */
class FilterServerTest {
    static final long WAIT_SECONDS = 20;

    final Queue<String> events = new ConcurrentLinkedQueue<>();
    HttpServer server;

    @AfterEach
    void stop() { if (server != null) server.close(); }

    Filter named(String name) {
        return FilterTest.recording(name, events);
    }

    static String where() {
        Thread t = Thread.currentThread();
        return t.isVirtual() ? "virtual" : t.getName().startsWith("jepoll-loop-") ? "loop" : "thread";
    }

    RawClient.Reply send(String request) throws IOException {
        try (RawClient c = new RawClient(server)) {
            return c.send(request).read(request.startsWith("HEAD "));
        }
    }

    RawClient.Reply get(String target, String... fields) throws IOException {
        return send("GET " + target + " HTTP/1.1\r\nHost: x\r\n" + String.join("", List.of(fields).stream().map(f -> f + "\r\n").toList()) + "\r\n");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void routerFiltersThenRouteFiltersThenTheHandler(Mode mode) throws Exception {
        server = mode.builder().handler(Router.builder()
                .filter(named("A"))
                .filter(named("B"))
                .get("/ordered", named("C").then(req -> Response.ok(String.join(",", events))))
                .build()).start();
        RawClient.Reply r = get("/ordered");
        assertThat(r.text()).isEqualTo("A>,B>,C>"); // every "before" ran, outermost first, before the handler
        assertThat(List.copyOf(events)).containsExactly("A>", "B>", "C>", "<C", "<B", "<A");
        assertThat(r.header("X-A")).isEqualTo("/ordered");
        assertThat(r.header("X-B")).isEqualTo("/ordered");
        assertThat(r.header("X-C")).isEqualTo("/ordered");

        events.clear();
        RawClient.Reply head = send("HEAD /ordered HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("content-length")).isEqualTo(Integer.toString("A>,B>,C>".length()));
        assertThat(head.header("X-A")).isEqualTo("/ordered");
        assertThat(head.body()).isEmpty();
        assertThat(List.copyOf(events)).containsExactly("A>", "B>", "C>", "<C", "<B", "<A");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void anAuthFilterAnswers401WithoutRunningTheHandler(Mode mode) throws Exception {
        AtomicInteger ran = new AtomicInteger();
        Filter auth = (req, next) -> "Bearer sesame".equals(req.header("Authorization"))
                ? next.handle(req)
                : Response.text(401, "Unauthorized\n").withHeader("WWW-Authenticate", "Bearer");
        server = mode.builder().handler(Router.builder()
                .filter(named("Log"))
                .get("/admin", auth.then(req -> Response.ok("admin " + ran.incrementAndGet())))
                .build()).start();
        RawClient.Reply refused = get("/admin");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("www-authenticate")).isEqualTo("Bearer");
        assertThat(refused.header("X-Log")).isEqualTo("/admin");
        assertThat(ran).hasValue(0);
        assertThat(get("/admin", "Authorization: Bearer sesame").text()).isEqualTo("admin 1");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void filtersSeeTheRoutersOwnAnswersAndItsMounts(Mode mode, @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("app.js"), "app();\n");
        Filter cors = (req, next) -> next.handle(req).withHeader("Access-Control-Allow-Origin", "*");
        server = mode.builder().handler(Router.builder()
                .filter(cors)
                .filter(named("Seen"))
                .get("/users/{id}", req -> Response.ok("user " + req.pathParam("id")))
                .mount("/assets", StaticFiles.of(dir))
                .build()).start();
        RawClient.Reply notFound = get("/nothing");
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.header("access-control-allow-origin")).isEqualTo("*");
        assertThat(notFound.header("X-Seen")).isEqualTo("/nothing");
        RawClient.Reply wrong = send("DELETE /users/1 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(wrong.status()).isEqualTo(405);
        assertThat(wrong.header("allow")).isEqualTo("GET, HEAD, OPTIONS");
        assertThat(wrong.header("access-control-allow-origin")).isEqualTo("*");
        RawClient.Reply options = send("OPTIONS /users/1 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(options.status()).isEqualTo(204);
        assertThat(options.header("access-control-allow-origin")).isEqualTo("*");
        RawClient.Reply file = get("/assets/app.js");
        assertThat(file.text()).isEqualTo("app();\n");
        assertThat(file.header("X-Seen")).isEqualTo("/assets/app.js"); // the router's path, not the mount's
        assertThat(file.header("access-control-allow-origin")).isEqualTo("*");
        RawClient.Reply bare = get("/assets");
        assertThat(bare.status()).isEqualTo(308);
        assertThat(bare.header("X-Seen")).isEqualTo("/assets");
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFailingFilterIsA500AndTheConnectionLivesOn(Mode mode) throws Exception {
        server = mode.builder().handler(Router.builder()
                .get("/throws", ((Filter) (req, next) -> { throw new IllegalStateException("filter failed on purpose"); })
                        .then(req -> Response.ok("never")))
                .get("/null", ((Filter) (req, next) -> null).then(req -> Response.ok("never")))
                .get("/ok", req -> Response.ok("ok"))
                .build()).start();
        try (Harness.LogCapture logs = new Harness.LogCapture(); RawClient c = new RawClient(server)) {
            c.send("GET /throws HTTP/1.1\r\nHost: x\r\n\r\nGET /null HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(500);
            assertThat(c.read().status()).isEqualTo(500);
            assertThat(c.read().text()).isEqualTo("ok");
            assertThat(logs.unexpected("handler failed for GET /throws", "handler returned null for GET /null")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aBlockingRouteRunsOffTheLoopWhileTheLoopAnswersOthers(Mode mode) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Filter tag = (req, next) -> next.handle(req).withHeader("X-Filter-Ran-On", where());
        Router api = Router.builder().get("/report", Handler.blocking(req -> Response.ok("report on " + where()))).build();
        server = mode.builder().loops(1).handler(Router.builder()
                .filter(tag)
                .get("/slow", Handler.blocking(req -> {
                    entered.countDown();
                    boolean released = release.await(WAIT_SECONDS, TimeUnit.SECONDS);
                    return Response.ok("slow on " + where() + (released ? "" : ", never released"));
                }))
                .get("/fast", req -> Response.ok("fast on " + where()))
                .mount("/api", api)
                .build()).start();
        String offLoop = mode == Mode.THREADS ? "thread" : "virtual";
        String onLoop = mode.transport.isEventDriven() ? "loop" : offLoop; // the blocking transports run all on threads
        try (RawClient slow = new RawClient(server)) {
            slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(entered.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the blocking route started").isTrue();
            RawClient.Reply fast = get("/fast"); // another connection, on the same (only) loop
            assertThat(fast.text()).isEqualTo("fast on " + onLoop);
            assertThat(fast.header("X-Filter-Ran-On")).isEqualTo(onLoop);
            release.countDown();
            RawClient.Reply answer = slow.read();
            assertThat(answer.text()).isEqualTo("slow on " + offLoop);
            assertThat(answer.header("X-Filter-Ran-On")).isEqualTo(offLoop); // the whole chain, filters too
        }
        RawClient.Reply nested = get("/api/report"); // a blocking route of a mounted router
        assertThat(nested.text()).isEqualTo("report on " + offLoop);
        assertThat(nested.header("X-Filter-Ran-On")).isEqualTo(offLoop);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void pipelinedRequestsToBlockingAndLoopRoutesKeepTheirOrder(Mode mode) throws Exception {
        server = mode.builder().handler(Router.builder()
                .get("/b/{n}", Handler.blocking(req -> Response.ok("b" + req.pathParam("n") + " " + where())))
                .get("/l/{n}", req -> Response.ok("l" + req.pathParam("n")))
                .build()).start();
        StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < 6; i++) pipeline.append("GET /").append(i % 2 == 0 ? "b/" : "l/").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
        String offLoop = mode == Mode.THREADS ? "thread" : "virtual";
        try (RawClient c = new RawClient(server)) {
            c.send(pipeline.toString());
            for (int i = 0; i < 6; i++) {
                assertThat(c.read().text()).isEqualTo(i % 2 == 0 ? "b" + i + " " + offLoop : "l" + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void withVirtualThreadsEveryRouteRunsOffTheLoop(Mode mode) throws Exception {
        server = mode.builder().virtualThreads(true).handler(Router.builder()
                .filter((req, next) -> next.handle(req).withHeader("X-Filter-Ran-On", where()))
                .get("/fast", req -> Response.ok("fast on " + where()))
                .build()).start();
        String expected = mode == Mode.THREADS ? "thread" : "virtual";
        RawClient.Reply r = get("/fast");
        assertThat(r.text()).isEqualTo("fast on " + expected);
        assertThat(r.header("X-Filter-Ran-On")).isEqualTo(expected);
        assertThat(get("/none").header("X-Filter-Ran-On")).isEqualTo(expected);
    }
}
