package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.http.Requests;
import io.jepoll.http.Response;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Filters without sockets: the order of router and route filters, short-circuits, the router's own answers and
 * mounts seen by its filters, the path each layer sees, Filter.then and Filter.chain, and where
 * {@link Router#select} says each route runs.
 */
class FilterTest {
    final List<String> events = new ArrayList<>();

    Filter named(String name) {
        return recording(name, events);
    }

    /**
     * A filter that records its before ("name&gt;") and after ("&lt;name") in events and marks the response with a
     * header X-name holding the path it saw.
     */
    static Filter recording(String name, Collection<String> events) {
        return (req, next) -> {
            events.add(name + ">");
            Response r = next.handle(req);
            events.add("<" + name);
            return r.withHeader("X-" + name, req.path());
        };
    }

    Handler handler(String name) {
        return req -> {
            events.add(name);
            return Response.ok(name + " " + req.path() + " " + req.pathParams());
        };
    }

    static Request request(String method, String target) {
        return Requests.parse(method + " " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
    }

    static String body(Response r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void routerFiltersInTheOrderAddedThenTheRoutesThenTheHandler() throws Exception {
        Router r = Router.builder()
                .filter(named("A"))
                .get("/x/{id}", named("C").then(named("D").then(handler("h"))))
                .filter(named("B")) // added after the route: applies to it all the same
                .build();
        Response res = r.handle(request("GET", "/x/7"));
        assertThat(events).containsExactly("A>", "B>", "C>", "D>", "h", "<D", "<C", "<B", "<A");
        assertThat(body(res)).isEqualTo("h /x/7 {id=7}");
        assertThat(res.headers()).extracting(Response.Header::name).containsExactly("Content-Type", "X-D", "X-C", "X-B", "X-A");
    }

    @Test
    void aFilterThatDoesNotCallNextShortCircuits() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        Filter auth = (req, next) -> "Bearer ok".equals(req.header("Authorization"))
                ? next.handle(req)
                : Response.text(401, "Unauthorized\n").withHeader("WWW-Authenticate", "Bearer");
        Router r = Router.builder()
                .filter(named("A"))
                .get("/admin", auth.then(req -> Response.ok("ran " + ran.incrementAndGet())))
                .build();
        Response refused = r.handle(request("GET", "/admin"));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(refused.header("X-A")).isEqualTo("/admin"); // the outer filter saw the refusal
        assertThat(ran).hasValue(0);
        Response allowed = r.handle(Requests.get("/admin", "Authorization: Bearer ok"));
        assertThat(body(allowed)).isEqualTo("ran 1");
    }

    @Test
    void routerFiltersSeeItsOwnAnswers() throws Exception {
        Router r = Router.builder().filter(named("A"))
                .get("/users/{id}", handler("h"))
                .mount("/assets", handler("files"))
                .build();
        Response notFound = r.handle(request("GET", "/nothing"));
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.header("X-A")).isEqualTo("/nothing");
        Response wrongMethod = r.handle(request("PUT", "/users/1"));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        assertThat(wrongMethod.header("X-A")).isEqualTo("/users/1");
        Response options = r.handle(request("OPTIONS", "/users/1"));
        assertThat(options.status()).isEqualTo(204);
        assertThat(options.header("X-A")).isEqualTo("/users/1");
        Response star = r.handle(request("OPTIONS", "*"));
        assertThat(star.header("X-A")).isEqualTo("*");
        Response redirect = r.handle(request("GET", "/assets"));
        assertThat(redirect.status()).isEqualTo(308);
        assertThat(redirect.header("X-A")).isEqualTo("/assets");
        assertThat(events).containsExactly("A>", "<A", "A>", "<A", "A>", "<A", "A>", "<A", "A>", "<A");
    }

    @Test
    void aMountsFiltersSeeTheRoutersPathItsHandlerThePathBelow() throws Exception {
        Router inner = Router.builder().filter(named("I")).get("/page/{n}", handler("page")).build();
        Router outer = Router.builder().filter(named("O"))
                .mount("/site", named("M").then(inner))
                .build();
        Request req = request("GET", "/site/page/3?q=1");
        Response res = outer.handle(req);
        assertThat(body(res)).isEqualTo("page /page/3 {n=3}");
        assertThat(res.header("X-O")).isEqualTo("/site/page/3");
        assertThat(res.header("X-M")).isEqualTo("/page/3");
        assertThat(res.header("X-I")).isEqualTo("/page/3");
        assertThat(events).containsExactly("O>", "M>", "I>", "page", "<I", "<M", "<O");
        assertThat(req.pathOffset()).isZero(); // put back for whoever called the router
        assertThat(req.path()).isEqualTo("/site/page/3");
    }

    @Test
    void aPrefixMatchedThroughEscapesIsStillTakenOffWhole() throws Exception {
        Router r = Router.builder().mount("/assets/v1", req -> Response.ok(req.basePath() + " " + req.path())).build();
        assertThat(body(r.handle(request("GET", "/%61ssets/v%31/app.js")))).isEqualTo("/%61ssets/v%31 /app.js");
        assertThat(body(r.handle(request("GET", "/assets/v1/")))).isEqualTo("/assets/v1 /");
    }

    @Test
    void aHandlerThatThrowsStillHasItsPathPutBack() {
        Router r = Router.builder().mount("/m", req -> { throw new IllegalStateException("boom"); }).build();
        Request req = request("GET", "/m/x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.handle(req)).hasMessage("boom");
        assertThat(req.path()).isEqualTo("/m/x");
    }

    @Test
    void filterChainIsTheFiltersNestedFirstOutermost() throws Exception {
        Filter ab = Filter.chain(named("A"), named("B"));
        ab.then(handler("h")).handle(request("GET", "/"));
        assertThat(events).containsExactly("A>", "B>", "h", "<B", "<A");
        events.clear();
        Filter.chain(named("Z"), ab).then(handler("h")).handle(request("GET", "/"));
        assertThat(events).containsExactly("Z>", "A>", "B>", "h", "<B", "<A", "<Z");
        events.clear();
        ab.filter(request("GET", "/"), handler("next")); // used as one filter, with a next known only now
        assertThat(events).containsExactly("A>", "B>", "next", "<B", "<A");
        events.clear();
        assertThat(body(Filter.chain().then(handler("h")).handle(request("GET", "/")))).isEqualTo("h / {}");
    }

    @Test
    void thenKeepsTheHandlersPlacement() throws Exception {
        Handler slow = Handler.blocking(handler("slow"));
        assertThat(Handler.blocking(slow)).isSameAs(slow);
        Handler filtered = named("A").then(slow);
        assertThat(filtered).isInstanceOf(BlockingHandler.class);
        assertThat(body(filtered.handle(request("GET", "/s")))).isEqualTo("slow /s {}");
        assertThat(events).containsExactly("A>", "slow", "<A");
        assertThat(named("A").then(handler("fast"))).isNotInstanceOf(BlockingHandler.class);

        Router r = Router.builder().filter(named("B")).get("/slow", slow).get("/fast", handler("fast")).build();
        Handler wrapped = named("W").then(r);
        assertThat(wrapped).isInstanceOf(Router.class);
        Router w = (Router) wrapped;
        assertThat(w.select(request("GET", "/slow")).blocking).isTrue();
        assertThat(w.select(request("GET", "/fast")).blocking).isFalse();
        events.clear();
        Response notFound = w.handle(request("GET", "/none"));
        assertThat(notFound.status()).isEqualTo(404);
        assertThat(events).containsExactly("W>", "B>", "<B", "<W"); // outside the router's own filters, 404 too
    }

    @Test
    void selectSaysWhereEachRouteRuns() {
        Router inner = Router.builder()
                .get("/report", Handler.blocking(handler("report")))
                .get("/ping", handler("ping"))
                .build();
        Router r = Router.builder()
                .get("/slow/{id}", named("F").then(Handler.blocking(handler("slow"))))
                .get("/fast", handler("fast"))
                .mount("/files", Handler.blocking(handler("files")))
                .mount("/api", inner)
                .mount("/all", Handler.blocking(inner))
                .build();
        assertThat(r.select(request("GET", "/slow/1")).blocking).isTrue();
        assertThat(r.select(request("HEAD", "/slow/1")).blocking).isTrue();
        assertThat(r.select(request("GET", "/fast")).blocking).isFalse();
        assertThat(r.select(request("GET", "/nothing")).blocking).isFalse();
        assertThat(r.select(request("POST", "/fast")).blocking).isFalse(); // 405
        assertThat(r.select(request("GET", "/files/a.txt")).blocking).isTrue();
        assertThat(r.select(request("GET", "/files")).blocking).isFalse(); // the bare prefix's redirect
        assertThat(r.select(request("GET", "/api/report")).blocking).isTrue(); // the mounted router is asked
        assertThat(r.select(request("GET", "/api/ping")).blocking).isFalse();
        assertThat(r.select(request("GET", "/api/none")).blocking).isFalse();
        assertThat(r.select(request("GET", "/all/ping")).blocking).isTrue(); // a blocking mount: all of it
    }

    @Test
    void selectBindsTheParametersAndLeavesThePathAsGiven() throws Exception {
        Router r = Router.builder().get("/u/{id}", handler("u")).mount("/m", handler("m")).build();
        Request req = request("GET", "/u/%C3%A9");
        Router.Route route = r.select(req);
        assertThat(req.pathParam("id")).isEqualTo("\u00e9");
        assertThat(body(route.chain.handle(req))).isEqualTo("u /u/%C3%A9 {id=\u00e9}");
        Request mounted = request("GET", "/m/a/b");
        Router.Route m = r.select(mounted);
        assertThat(mounted.path()).isEqualTo("/m/a/b");
        assertThat(body(m.chain.handle(mounted))).isEqualTo("m /a/b {}");
        assertThat(mounted.path()).isEqualTo("/m/a/b");
    }

    @Test
    void aFilterThatThrowsOrReturnsNullIsA500() {
        ServerConfig config = HttpServer.builder().port(0).config();
        Filter throwing = (req, next) -> { throw new IllegalStateException("filter failed"); };
        Filter nothing = (req, next) -> null;
        AtomicInteger ran = new AtomicInteger();
        Handler counted = req -> Response.ok("ran " + ran.incrementAndGet());
        for (Filter f : List.of(throwing, nothing)) {
            HttpRuntime rt = new HttpRuntime(config, Router.builder().filter(f).get("/", counted).build(), Runnable::run, HttpRuntime.Observers.NONE);
            Request req = request("GET", "/");
            Response r = rt.call(rt.router.select(req).chain, req);
            assertThat(r.status()).isEqualTo(500);
        }
        assertThat(ran).hasValue(0);
    }

    @Test
    void theRuntimeKnowsWhereTheServersHandlerRuns() {
        ServerConfig config = HttpServer.builder().port(0).config();
        Handler plain = handler("h");
        HttpRuntime onLoop = new HttpRuntime(config, plain, Runnable::run, HttpRuntime.Observers.NONE);
        assertThat(onLoop.offLoop).isFalse();
        assertThat(onLoop.router).isNull();
        HttpRuntime blocking = new HttpRuntime(config, Handler.blocking(plain), Runnable::run, HttpRuntime.Observers.NONE);
        assertThat(blocking.offLoop).isTrue();
        assertThat(blocking.handler).isSameAs(plain);
        Router router = Router.builder().get("/", plain).build();
        assertThat(new HttpRuntime(config, router, Runnable::run, HttpRuntime.Observers.NONE).router).isSameAs(router);
        HttpRuntime all = new HttpRuntime(HttpServer.builder().port(0).virtualThreads(true).config(), router, Runnable::run, HttpRuntime.Observers.NONE);
        assertThat(all.offLoop).isTrue();
        assertThat(all.router).isNull(); // it all runs on the virtual thread: no need to ask the routes
    }
}
