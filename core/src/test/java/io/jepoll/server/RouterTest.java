package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.http.Requests;
import io.jepoll.http.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Router without sockets: requests parsed from text, the answer read back. Precedence, conflicts, decoding, the
 * trailing-slash policy, 404 / 405 / Allow / HEAD / OPTIONS, and mounts.
 */
class RouterTest {

    /** A handler that answers its tag, the parameters it saw and the path it saw. */
    static Handler tag(String tag) {
        return req -> Response.ok(tag + " " + req.pathParams() + " " + req.path());
    }

    static Request request(String method, String target, String... fields) {
        StringBuilder s = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: x\r\n");
        for (String f : fields) s.append(f).append("\r\n");
        return Requests.parse(s.append("\r\n").toString());
    }

    static Response answer(Router r, String method, String target) throws Exception {
        return r.handle(request(method, target));
    }

    /** "status body" of the answer. */
    static String call(Router r, String method, String target) throws Exception {
        Response res = answer(r, method, target);
        return res.status() + " " + new String(res.body(), StandardCharsets.UTF_8).strip();
    }

    static String get(Router r, String target) throws Exception {
        return call(r, "GET", target);
    }

    // ---------------------------------------------------------------- precedence

    @Test
    void literalBeatsParameterBeatsCatchAllWhateverTheOrder() throws Exception {
        Router forwards = Router.builder().get("/users/me", tag("me")).get("/users/{id}", tag("id"))
                .get("/users/{rest...}", tag("rest")).build();
        Router backwards = Router.builder().get("/users/{rest...}", tag("rest")).get("/users/{id}", tag("id"))
                .get("/users/me", tag("me")).build();
        for (Router r : List.of(forwards, backwards)) {
            assertThat(get(r, "/users/me")).isEqualTo("200 me {} /users/me");
            assertThat(get(r, "/users/42")).isEqualTo("200 id {id=42} /users/42");
            assertThat(get(r, "/users/42/posts")).isEqualTo("200 rest {rest=42/posts} /users/42/posts");
            assertThat(get(r, "/users/")).isEqualTo("200 rest {rest=} /users/");
        }
    }

    @Test
    void theFirstSegmentThatDiffersDecides() throws Exception {
        Router r = Router.builder().get("/{x}/b", tag("param-first")).get("/a/{y}", tag("literal-first")).build();
        assertThat(get(r, "/a/b")).startsWith("200 literal-first {y=b}");
        assertThat(get(r, "/z/b")).startsWith("200 param-first {x=z}");
    }

    @Test
    void aLiteralThatLeadsNowhereFallsBackToTheParameter() throws Exception {
        Router r = Router.builder().get("/a/b/c", tag("abc")).get("/a/{x}/d", tag("axd")).build();
        assertThat(get(r, "/a/b/c")).startsWith("200 abc");
        assertThat(get(r, "/a/b/d")).startsWith("200 axd {x=b}");
        assertThat(get(r, "/a/b/e")).isEqualTo("404 Not Found");
    }

    @Test
    void aMoreSpecificRouteWithoutTheMethodLetsALessSpecificOneAnswer() throws Exception {
        Router r = Router.builder().get("/users/me", tag("me")).post("/users/{id}", tag("post-id")).build();
        assertThat(call(r, "POST", "/users/me")).startsWith("200 post-id {id=me}");
        assertThat(get(r, "/users/me")).startsWith("200 me");
    }

    @Test
    void severalParametersAndACatchAll() throws Exception {
        Router r = Router.builder().get("/repos/{owner}/{repo}/blob/{path...}", tag("blob")).build();
        assertThat(get(r, "/repos/jepoll/core/blob/src/Main.java"))
                .isEqualTo("200 blob {owner=jepoll, repo=core, path=src/Main.java} /repos/jepoll/core/blob/src/Main.java");
    }

    @Test
    void manyLiteralSiblingsAreEachFound() throws Exception {
        Router.Builder b = Router.builder();
        for (int i = 0; i < 300; i++) b.get("/s" + i, tag("s" + i)).get("/s" + i + "/{x}", tag("p" + i));
        Router r = b.build();
        for (int i = 0; i < 300; i++) {
            assertThat(get(r, "/s" + i)).startsWith("200 s" + i + " ");
            assertThat(get(r, "/s" + i + "/v")).startsWith("200 p" + i + " {x=v}");
        }
        assertThat(get(r, "/s300")).isEqualTo("404 Not Found");
    }

    @Test
    void literalsWithTheSameHashAreTold() throws Exception {
        List<String> names = List.of("Aa", "BB", "AaAa", "AaBB", "BBAa", "BBBB"); // equal hashes in pairs and fours
        for (int filler : new int[] {0, 10}) { // few siblings are compared in turn, many go through a hash table
            Router.Builder b = Router.builder();
            for (String n : names) b.get("/" + n, tag(n));
            for (int i = 0; i < filler; i++) b.get("/f" + i, tag("f" + i));
            Router r = b.build();
            for (String n : names) assertThat(get(r, "/" + n)).startsWith("200 " + n + " ");
            assertThat(get(r, "/%41a%42B")).startsWith("200 AaBB ");
            assertThat(get(r, "/Ab")).isEqualTo("404 Not Found");
            assertThat(get(r, "/A%61")).startsWith("200 Aa ");
            assertThat(get(r, "/A%62")).isEqualTo("404 Not Found");
        }
    }

    // ---------------------------------------------------------------- conflicts and validation

    @Test
    void theSameMethodOnTheSameShapeIsRefused() {
        assertThatThrownBy(() -> Router.builder().get("/a/{id}", tag("1")).get("/a/{id}", tag("2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("GET /a/{id} is already routed");
        assertThatThrownBy(() -> Router.builder().get("/a/{id}", tag("1")).get("/a/{name}", tag("2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/a/{name}").hasMessageContaining("/a/{id}");
        assertThatThrownBy(() -> Router.builder().get("/a/{id}", tag("1")).post("/a/{name}", tag("2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names its parameters differently");
        assertThatThrownBy(() -> Router.builder().get("/f/{p...}", tag("1")).get("/f/{p...}", tag("2")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherMethodsAndOtherShapesAreNotConflicts() throws Exception {
        Router r = Router.builder().get("/a/{id}", tag("get")).put("/a/{id}", tag("put")).get("/a/{id}/", tag("slash"))
                .get("/a", tag("bare")).route("PURGE", "/a/{id}", tag("purge")).build();
        assertThat(call(r, "PUT", "/a/1")).startsWith("200 put");
        assertThat(call(r, "PURGE", "/a/1")).startsWith("200 purge");
        assertThat(get(r, "/a/1/")).startsWith("200 slash");
    }

    @Test
    void aCatchAllAndAMountCannotShareAPlace() {
        Handler h = tag("x");
        assertThatThrownBy(() -> Router.builder().get("/f/{p...}", h).mount("/f", h))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the mount at /f").hasMessageContaining("/f/{p...}");
        assertThatThrownBy(() -> Router.builder().mount("/f", h).get("/f/{p...}", h)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Router.builder().mount("/f", h).mount("/f", h)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Router.builder().mount("/", h).get("/{p...}", h)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "//", "/a//b", "/a/", "/{", "/{}", "/{1a}", "/{a-b}", "/{a}{b}", "/file.{ext}", "/x{a}",
        "/{a}/{a}", "/{r...}/x", "/{r...}/", "/{...}", "/a%20b", "/a b", "/a?b", "/a#b", "/.", "/a/..", "/a\\b", "/a\u0000",
        "/a\u0085", "/{aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}"})
    void badTemplatesAreRefused(String template) {
        if (template.equals("/a/")) { // a trailing slash is fine in a route, not in a mount prefix
            assertThatThrownBy(() -> Router.builder().mount(template, tag("x"))).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        assertThatThrownBy(() -> Router.builder().get(template, tag("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("template");
    }

    @Test
    void templatesAtTheirBounds() throws Exception {
        String deep = "/s".repeat(64);
        Router r = Router.builder().get(deep, tag("deep")).get("/{" + "n".repeat(64) + "}", tag("long")).build();
        assertThat(get(r, deep)).startsWith("200 deep");
        assertThat(get(r, deep + "/s")).isEqualTo("404 Not Found");
        assertThat(get(r, "/v")).startsWith("200 long");
        assertThatThrownBy(() -> Router.builder().get(deep + "/s", tag("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 64 segments");
        assertThatThrownBy(() -> Router.builder().get("/{" + "n".repeat(65) + "}", tag("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "G ET", "GET\r\n", "get", "Post", "(GET)"})
    void badMethodsAreRefused(String method) {
        assertThatThrownBy(() -> Router.builder().route(method, "/", tag("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"assets", "/assets/", "/{x}", "/a/{p...}", "//"})
    void badMountPrefixesAreRefused(String prefix) {
        assertThatThrownBy(() -> Router.builder().mount(prefix, tag("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBuiltRouterIsFinal() {
        Router.Builder b = Router.builder().get("/", tag("x"));
        b.build();
        assertThatThrownBy(() -> b.get("/y", tag("y"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
    }

    // ---------------------------------------------------------------- decoding

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/hello/world              | 200 hello {name=world}",
        "/hello/J%C3%BCrgen        | 200 hello {name=J\u00fcrgen}",
        "/hello/J%c3%bcrgen        | 200 hello {name=J\u00fcrgen}",
        "/hello/%F0%9F%98%80       | 200 hello {name=\ud83d\ude00}",
        "/hello/a%2Fb              | 200 hello {name=a/b}",       // one segment: an encoded '/' is part of the value
        "/hello/a+b                | 200 hello {name=a+b}",       // '+' is a space only in the query
        "/hello/a%20b              | 200 hello {name=a b}",
        "/hello/%25                | 200 hello {name=%}",         // decoded once: %25 is '%', not an escape
        "/hello/%2525              | 200 hello {name=%25}",
        "/hello/...                | 200 hello {name=...}",
        "/hello/%zz                | 404 Not Found",             // a bad escape
        "/hello/%4                 | 404 Not Found",
        "/hello/%C0%AE             | 404 Not Found",             // overlong UTF-8
        "/hello/%ED%A0%80          | 404 Not Found",             // a surrogate
        "/hello/%F4%90%80%80       | 404 Not Found",             // above U+10FFFF
        "/hello/%C3                | 404 Not Found",             // truncated
        "/hello/%FF                | 404 Not Found",
        "/hello/%00                | 404 Not Found",             // controls
        "/hello/%0A                | 404 Not Found",
        "/hello/%7F                | 404 Not Found",
        "/hello/%C2%85             | 404 Not Found",             // C1 (NEL)
        "/hello/..                 | 404 Not Found",             // dot segments
        "/hello/.                  | 404 Not Found",
        "/hello/%2e%2E             | 404 Not Found",
        "/hello/.%2e               | 404 Not Found",
        "/files/a/b%20c            | 200 files {p=a/b c}",
        "/files/a//b               | 200 files {p=a//b}",
        "/files/                   | 200 files {p=}",
        "/files/a%2Fb              | 404 Not Found",             // a catch-all refuses an encoded '/'
        "/files/a/../b             | 404 Not Found",
        "/files/a/%2e%2e/b         | 404 Not Found",
        "/files/a/%zz              | 404 Not Found",
    })
    void parametersAreDecodedStrictly(String target, String expected) throws Exception {
        Router r = Router.builder().get("/hello/{name}", req -> Response.ok("hello " + req.pathParams()))
                .get("/files/{p...}", req -> Response.ok("files " + req.pathParams())).build();
        assertThat(get(r, target)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/caf%C3%A9  | 200 cafe",    // non-ASCII literals match their UTF-8 escapes
        "/%61bout    | 200 about",   // an escaped unreserved char is that char (RFC 3986 6.2.2.2)
        "/ABOUT      | 404 Not Found",  // case-sensitive
        "/a:b        | 200 colon",
        "/a%3Ab      | 404 Not Found",  // an escaped reserved char is not the char (2.2)
        "/a%3ab      | 404 Not Found",
        "/a%zzb      | 404 Not Found",
    })
    void literalsMatchTheirEquivalentSpellings(String target, String expected) throws Exception {
        Router r = Router.builder().get("/caf\u00e9", req -> Response.ok("cafe")).get("/about", req -> Response.ok("about"))
                .get("/a:b", req -> Response.ok("colon")).build();
        assertThat(get(r, target)).isEqualTo(expected);
    }

    // ---------------------------------------------------------------- trailing slash and empty segments

    @Test
    void aTrailingSlashIsPartOfThePath() throws Exception {
        Router r = Router.builder().get("/a", tag("a")).get("/b/", tag("b-slash")).get("/", tag("root"))
                .get("/c/{x}", tag("c")).build();
        assertThat(get(r, "/")).startsWith("200 root");
        assertThat(get(r, "/a")).startsWith("200 a");
        assertThat(get(r, "/a/")).isEqualTo("404 Not Found");
        assertThat(get(r, "/b/")).startsWith("200 b-slash");
        assertThat(get(r, "/b")).isEqualTo("404 Not Found");
        assertThat(get(r, "/c/1")).startsWith("200 c {x=1}");
        assertThat(get(r, "/c/1/")).isEqualTo("404 Not Found");
        assertThat(get(r, "/c/")).isEqualTo("404 Not Found"); // a parameter needs a non-empty segment
    }

    @Test
    void anEmptySegmentMatchesNoLiteralAndNoParameter() throws Exception {
        Router r = Router.builder().get("/a/b", tag("ab")).get("/a/{x}/c", tag("axc")).build();
        assertThat(get(r, "/a//b")).isEqualTo("404 Not Found");
        assertThat(get(r, "//a/b")).isEqualTo("404 Not Found");
        assertThat(get(r, "/a//c")).isEqualTo("404 Not Found");
    }

    @Test
    void anAbsoluteFormTargetIsRoutedByItsPath() throws Exception {
        Router r = Router.builder().get("/", tag("root")).get("/a/{x}", tag("a")).build();
        assertThat(get(r, "http://example.com/a/1?q")).startsWith("200 a {x=1}");
        assertThat(get(r, "http://example.com")).startsWith("200 root");
    }

    // ---------------------------------------------------------------- 404, 405, HEAD, OPTIONS

    @Test
    void aWrongMethodGets405WithAllow() throws Exception {
        Router r = Router.builder().get("/x", tag("x")).build();
        Response res = answer(r, "POST", "/x");
        assertThat(res.status()).isEqualTo(405);
        assertThat(res.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
        assertThat(answer(r, "POST", "/y").status()).isEqualTo(404);
    }

    @Test
    void allowListsTheMethodsOfEveryRouteThePathMatches() throws Exception {
        Router r = Router.builder().get("/users/me", tag("me")).delete("/users/{id}", tag("del"))
                .route("PURGE", "/users/{rest...}", tag("purge")).put("/users/other", tag("other")).build();
        Response res = answer(r, "PATCH", "/users/me");
        assertThat(res.status()).isEqualTo(405);
        assertThat(res.header("Allow")).isEqualTo("GET, HEAD, DELETE, PURGE, OPTIONS");
        assertThat(answer(r, "PATCH", "/users/7").header("Allow")).isEqualTo("DELETE, PURGE, OPTIONS");
    }

    @Test
    void headRunsTheGetRouteUnlessItHasItsOwn() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        Router r = Router.builder().get("/g", req -> {
            seen.set(req.method());
            return Response.ok("body");
        }).get("/h", tag("get-h")).route("HEAD", "/h", tag("head-h")).build();
        assertThat(call(r, "HEAD", "/g")).isEqualTo("200 body"); // the server drops the body on the wire
        assertThat(seen.get()).isEqualTo("HEAD");
        assertThat(call(r, "HEAD", "/h")).startsWith("200 head-h");
        assertThat(get(r, "/h")).startsWith("200 get-h");
        Router headOnly = Router.builder().route("HEAD", "/x", tag("x")).build();
        assertThat(answer(headOnly, "GET", "/x").header("Allow")).isEqualTo("HEAD, OPTIONS");
    }

    @Test
    void optionsIsAnsweredWithAllowUnlessRouted() throws Exception {
        Router r = Router.builder().get("/x", tag("x")).post("/x", tag("x")).route("OPTIONS", "/y", tag("own"))
                .get("/y", tag("y")).put("/z/{id}", tag("z")).build();
        Response res = answer(r, "OPTIONS", "/x");
        assertThat(res.status()).isEqualTo(204);
        assertThat(res.header("Allow")).isEqualTo("GET, HEAD, POST, OPTIONS");
        assertThat(call(r, "OPTIONS", "/y")).startsWith("200 own");
        assertThat(answer(r, "OPTIONS", "/nothing").status()).isEqualTo(404);
        Response star = answer(r, "OPTIONS", "*");
        assertThat(star.status()).isEqualTo(204);
        assertThat(star.header("Allow")).isEqualTo("GET, HEAD, POST, PUT, OPTIONS");
    }

    // ---------------------------------------------------------------- mounts

    @Test
    void aMountedHandlerSeesThePathBelowItsPrefix() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        Router r = Router.builder().mount("/assets", req -> {
            seen.set(req.path() + " base=" + req.basePath() + " query=" + req.query());
            return Response.ok("mounted");
        }).get("/assets/special", tag("special")).get("/assets/{x}/edit", tag("edit")).build();
        Request req = request("GET", "/assets/js/app.js?v=1");
        assertThat(r.handle(req).status()).isEqualTo(200);
        assertThat(seen.get()).isEqualTo("/js/app.js base=/assets query=v=1");
        assertThat(req.path()).isEqualTo("/assets/js/app.js"); // put back for whoever called the router
        assertThat(req.basePath()).isEmpty();
        assertThat(get(r, "/assets/")).isEqualTo("200 mounted");
        assertThat(seen.get()).startsWith("/ base=/assets");
        assertThat(get(r, "/assets/special")).startsWith("200 special"); // a literal route beats the mount
        assertThat(get(r, "/assets/1/edit")).startsWith("200 edit {x=1}");
        assertThat(get(r, "/assets/1/other")).isEqualTo("200 mounted");
        assertThat(call(r, "DELETE", "/assets/a")).isEqualTo("200 mounted"); // every method
        assertThat(get(r, "/assetsx")).isEqualTo("404 Not Found");         // only whole segments
    }

    @Test
    void theBarePrefixRedirectsToTheSlash() throws Exception {
        Router r = Router.builder().mount("/assets", tag("m")).mount("/docs", tag("d")).get("/docs", tag("own")).build();
        Response res = answer(r, "GET", "/assets?x=1&y");
        assertThat(res.status()).isEqualTo(308);
        assertThat(res.header("Location")).isEqualTo("/assets/?x=1&y");
        assertThat(answer(r, "POST", "/assets").status()).isEqualTo(308);
        assertThat(get(r, "/docs")).startsWith("200 own"); // a route at the prefix is kept
        assertThat(answer(r, "POST", "/docs").status()).isEqualTo(405);
    }

    @Test
    void mountsNest() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        Router v1 = Router.builder().get("/users/{id}", req -> {
            seen.set(req.path() + " base=" + req.basePath() + " id=" + req.pathParam("id"));
            return Response.ok("v1");
        }).mount("/static", req -> Response.ok("static " + req.path() + " base=" + req.basePath())).build();
        Router api = Router.builder().mount("/v1", v1).build();
        Router top = Router.builder().mount("/api", api).get("/", tag("root")).build();
        Request req = request("GET", "/api/v1/users/7");
        assertThat(top.handle(req).status()).isEqualTo(200);
        assertThat(seen.get()).isEqualTo("/users/7 base=/api/v1 id=7");
        assertThat(req.path()).isEqualTo("/api/v1/users/7");
        assertThat(get(top, "/api/v1/static/a.css")).isEqualTo("200 static /a.css base=/api/v1/static");
        assertThat(get(top, "/api/v1/nothing")).isEqualTo("404 Not Found");
        Response bare = answer(top, "GET", "/api/v1/static");
        assertThat(bare.header("Location")).isEqualTo("/api/v1/static/");
    }

    @Test
    void aMountAtTheRootTakesWhatNoRouteTakes() throws Exception {
        Router r = Router.builder().get("/api/{x}", tag("api")).mount("/", tag("fallback")).build();
        assertThat(get(r, "/api/1")).startsWith("200 api");
        assertThat(get(r, "/")).isEqualTo("200 fallback {} /");
        assertThat(get(r, "/index.html")).isEqualTo("200 fallback {} /index.html");
        assertThat(call(r, "POST", "/api/1")).startsWith("200 fallback"); // the fallback takes every method too
    }

    @Test
    void aFailingMountedHandlerStillGivesThePathBack() {
        Router r = Router.builder().mount("/m", req -> {
            throw new IllegalStateException("boom");
        }).build();
        Request req = request("GET", "/m/x");
        assertThatThrownBy(() -> r.handle(req)).hasMessage("boom");
        assertThat(req.path()).isEqualTo("/m/x");
    }

    @Test
    void theParametersOfTheLastMatchAreTheOnesSeen() throws Exception {
        Router r = Router.builder().get("/a/{x}", tag("a")).get("/b/{y}/{z}", tag("b")).build();
        Request req = request("GET", "/b/1/2");
        r.handle(req);
        assertThat(req.pathParam("y")).isEqualTo("1");
        assertThat(req.pathParam("z")).isEqualTo("2");
        assertThat(req.pathParam("x")).isNull();
        assertThat(req.copy().pathParam("z")).isEqualTo("2");
    }

    @Test
    void thePathOffsetEndsASegmentOrNothing() {
        Request req = request("GET", "/ab/c/?q=1");
        req.pathOffset(3);
        assertThat(req.path()).isEqualTo("/c/");
        assertThat(req.basePath()).isEqualTo("/ab");
        req.pathOffset(5);
        assertThat(req.path()).isEqualTo("/");
        req.pathOffset(6);
        assertThat(req.path()).isEqualTo("/"); // the whole path taken: what is left is the root
        req.pathOffset(0);
        assertThat(req.path()).isEqualTo("/ab/c/");
        for (int bad : new int[] {-1, 1, 2, 4, 7}) {
            assertThatThrownBy(() -> req.pathOffset(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(req.query()).isEqualTo("q=1");
    }

    // ---------------------------------------------------------------- allocation

    @Test
    void matchingAllocatesNothingAndAParameterItsValueWhenRead() throws Exception {
        Response ok = Response.ok("x");
        Router.Builder b = Router.builder();
        for (int i = 0; i < 50; i++) {
            b.get("/api/v1/r" + i, req -> ok).get("/api/v1/r" + i + "/{id}", req -> ok)
                    .get("/api/v1/read" + i + "/{id}", req -> req.pathParam("id").isEmpty() ? null : ok);
        }
        Router r = b.build();
        Request literal = request("GET", "/api/v1/r37");
        Request param = request("GET", "/api/v1/r37/12345");
        Request read = request("GET", "/api/v1/read37/12345");
        int rounds = 20_000;
        for (int i = 0; i < rounds; i++) { // warm up: reach compiled code
            r.handle(literal);
            r.handle(param);
            r.handle(read);
        }
        long literalBytes = allocatedBy(() -> r.handle(literal), rounds);
        long paramBytes = allocatedBy(() -> r.handle(param), rounds);
        long readBytes = allocatedBy(() -> r.handle(read), rounds);
        assertThat(literalBytes).as("bytes for %d literal matches", rounds).isLessThan(rounds / 4);
        assertThat(paramBytes).as("bytes for %d matches with a parameter not read", rounds).isLessThan(rounds / 4);
        // the value read: one String of 5 Latin-1 chars, a 24-byte String and a 24-byte array
        assertThat(readBytes).as("bytes for %d matches with a parameter read", rounds).isLessThanOrEqualTo(rounds * 64L);
        assertThat(param.pathParam("id")).isEqualTo("12345");
    }

    interface Call {
        void run() throws Exception;
    }

    static long allocatedBy(Call call, int rounds) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < rounds; i++) call.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void aValueReadLaterSurvivesTheHeadMoving() throws Exception {
        Router r = Router.builder().get("/u/{id}/{rest...}", req -> Response.ok("x")).build();
        io.jepoll.http.RequestParser parser = new io.jepoll.http.RequestParser(io.jepoll.http.HttpLimits.defaults());
        byte[] shared = "GET /u/J%C3%BCrgen/a/b HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        parser.feed(shared, 0, shared.length);
        Request req = parser.request();
        r.handle(req);                             // binds, decodes nothing yet
        parser.retainRequest();                    // the engine keeps the request for a streamed body: its head moves
        java.util.Arrays.fill(shared, (byte) 'x'); // and the read buffer is reused
        assertThat(req.pathParam("id")).isEqualTo("J\u00fcrgen");
        assertThat(req.pathParam("rest")).isEqualTo("a/b");
    }

    @Test
    void aCopyOwnsItsValues() throws Exception {
        Router r = Router.builder().get("/u/{id}/{rest...}", req -> Response.ok("x")).build();
        io.jepoll.http.RequestParser parser = new io.jepoll.http.RequestParser(io.jepoll.http.HttpLimits.defaults());
        byte[] shared = "GET /u/J%C3%BCrgen/a/b HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        parser.feed(shared, 0, shared.length);
        Request req = parser.request();
        r.handle(req);
        Request copy = req.copy();
        java.util.Arrays.fill(shared, (byte) 'x');
        parser.reset();                            // the next request on the connection
        assertThat(copy.pathParams()).containsExactly(java.util.Map.entry("id", "J\u00fcrgen"), java.util.Map.entry("rest", "a/b"));
        assertThat(req.pathParam("id")).isNull();
    }
}
