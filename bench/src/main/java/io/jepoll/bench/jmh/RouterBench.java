package io.jepoll.bench.jmh;

import io.jepoll.http.HttpException;
import io.jepoll.http.HttpLimits;
import io.jepoll.http.Request;
import io.jepoll.http.RequestParser;
import io.jepoll.http.Response;
import io.jepoll.server.Handler;
import io.jepoll.server.Router;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Router.handle on a table of {@value #ROUTE_COUNT} routes in the shape of a public REST API (users, repositories
 * with issues and pulls, organisations, search, gists; literals beside parameters at the same place, catch-alls, a
 * mount), for a few representative paths, each parsed once into a Request as the server's parser leaves it. The
 * handlers return a constant response, so {@link #route} measures matching, binding the parameters and the call;
 * values are decoded when first read, so {@link #routeAndReadParams}, whose handlers read every parameter the
 * paths bind, adds their decoding and Strings (the only B/op). Run with {@code -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouterBench {

    static final int ROUTE_COUNT = 100;

    /** Method and template of every route; the count is checked in setUp. */
    static final String[] ROUTES = {
        "GET /", "GET /health", "GET /metrics", "GET /robots.txt",
        "GET /static/{path...}", "GET /docs/{path...}",
        "GET /api/v1/users", "POST /api/v1/users", "GET /api/v1/users/me", "PATCH /api/v1/users/me",
        "GET /api/v1/users/{id}", "PUT /api/v1/users/{id}", "PATCH /api/v1/users/{id}", "DELETE /api/v1/users/{id}",
        "GET /api/v1/users/{id}/repos", "GET /api/v1/users/{id}/followers", "GET /api/v1/users/{id}/following",
        "GET /api/v1/users/{id}/keys", "POST /api/v1/users/{id}/keys", "GET /api/v1/users/{id}/keys/{keyId}",
        "DELETE /api/v1/users/{id}/keys/{keyId}", "GET /api/v1/users/{id}/events/{rest...}",
        "GET /api/v1/repos/{owner}/{repo}", "PATCH /api/v1/repos/{owner}/{repo}", "DELETE /api/v1/repos/{owner}/{repo}",
        "GET /api/v1/repos/{owner}/{repo}/issues", "POST /api/v1/repos/{owner}/{repo}/issues",
        "GET /api/v1/repos/{owner}/{repo}/issues/{number}", "PATCH /api/v1/repos/{owner}/{repo}/issues/{number}",
        "GET /api/v1/repos/{owner}/{repo}/issues/{number}/comments",
        "POST /api/v1/repos/{owner}/{repo}/issues/{number}/comments",
        "GET /api/v1/repos/{owner}/{repo}/issues/{number}/comments/{commentId}",
        "PATCH /api/v1/repos/{owner}/{repo}/issues/{number}/comments/{commentId}",
        "DELETE /api/v1/repos/{owner}/{repo}/issues/{number}/comments/{commentId}",
        "GET /api/v1/repos/{owner}/{repo}/issues/{number}/labels", "GET /api/v1/repos/{owner}/{repo}/pulls",
        "POST /api/v1/repos/{owner}/{repo}/pulls", "GET /api/v1/repos/{owner}/{repo}/pulls/{number}",
        "PATCH /api/v1/repos/{owner}/{repo}/pulls/{number}", "GET /api/v1/repos/{owner}/{repo}/pulls/{number}/files",
        "GET /api/v1/repos/{owner}/{repo}/pulls/{number}/reviews", "POST /api/v1/repos/{owner}/{repo}/pulls/{number}/reviews",
        "PUT /api/v1/repos/{owner}/{repo}/pulls/{number}/merge", "GET /api/v1/repos/{owner}/{repo}/branches",
        "GET /api/v1/repos/{owner}/{repo}/branches/{branch}", "GET /api/v1/repos/{owner}/{repo}/contents/{path...}",
        "PUT /api/v1/repos/{owner}/{repo}/contents/{path...}", "GET /api/v1/repos/{owner}/{repo}/releases",
        "POST /api/v1/repos/{owner}/{repo}/releases", "GET /api/v1/repos/{owner}/{repo}/releases/latest",
        "GET /api/v1/repos/{owner}/{repo}/releases/{id}", "GET /api/v1/repos/{owner}/{repo}/tags",
        "GET /api/v1/repos/{owner}/{repo}/commits", "GET /api/v1/repos/{owner}/{repo}/commits/{sha}",
        "GET /api/v1/repos/{owner}/{repo}/stargazers", "GET /api/v1/repos/{owner}/{repo}/forks",
        "POST /api/v1/repos/{owner}/{repo}/forks", "GET /api/v1/repos/{owner}/{repo}/hooks",
        "POST /api/v1/repos/{owner}/{repo}/hooks", "GET /api/v1/repos/{owner}/{repo}/hooks/{id}",
        "DELETE /api/v1/repos/{owner}/{repo}/hooks/{id}", "GET /api/v1/repos/{owner}/{repo}/labels",
        "GET /api/v1/repos/{owner}/{repo}/labels/{name}", "GET /api/v1/repos/{owner}/{repo}/milestones",
        "GET /api/v1/repos/{owner}/{repo}/milestones/{number}",
        "GET /api/v1/orgs/{org}", "PATCH /api/v1/orgs/{org}", "GET /api/v1/orgs/{org}/members",
        "GET /api/v1/orgs/{org}/members/{user}", "DELETE /api/v1/orgs/{org}/members/{user}", "GET /api/v1/orgs/{org}/teams",
        "GET /api/v1/orgs/{org}/teams/{team}", "GET /api/v1/orgs/{org}/repos", "POST /api/v1/orgs/{org}/repos",
        "GET /api/v1/search/repositories", "GET /api/v1/search/issues", "GET /api/v1/search/users", "GET /api/v1/search/code",
        "GET /api/v1/gists", "POST /api/v1/gists", "GET /api/v1/gists/public", "GET /api/v1/gists/starred",
        "GET /api/v1/gists/{id}", "PATCH /api/v1/gists/{id}", "DELETE /api/v1/gists/{id}", "GET /api/v1/gists/{id}/comments",
        "GET /api/v1/notifications", "PUT /api/v1/notifications", "GET /api/v1/notifications/threads/{id}",
        "PATCH /api/v1/notifications/threads/{id}",
        "GET /api/v2/users/{id}", "GET /api/v2/repos/{owner}/{repo}", "GET /api/v2/repos/{owner}/{repo}/issues",
        "POST /api/v2/graphql",
        "GET /login", "POST /login", "POST /logout", "GET /{user}", "GET /{user}/{repo}",
    };

    @Param({
        "/health",                                              // a short literal
        "/api/v1/users/me",                                     // a deep literal, a parameter beside it
        "/api/v1/users/12345",                                  // one parameter
        "/api/v1/repos/jepoll/core/issues/42/comments",         // three parameters, seven segments
        "/api/v1/repos/jepoll/core/contents/src/main/App.java", // two parameters and a catch-all
        "/assets/js/app.js",                                    // into a mount (the handler sees /js/app.js)
        "/api/v1/nothing/here",                                 // no route: 404 (collects the matches for 405)
    })
    public String path;

    /** Every parameter name the measured paths bind. */
    private static final String[] READ = {"id", "owner", "repo", "number", "path"};

    private Router router, readingRouter;
    private Request request;

    @Setup(Level.Trial)
    public void setUp() throws HttpException {
        Response ok = Response.ok("ok");
        router = build(req -> ok);
        readingRouter = build(req -> {
            int n = 0;
            for (String name : READ) {
                String v = req.pathParam(name);
                if (v != null) n += v.length();
            }
            return n >= 0 ? ok : null;
        });
        byte[] bytes = ("GET " + path + " HTTP/1.1\r\nHost: api.example.com\r\nAccept: application/json\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        RequestParser parser = new RequestParser(HttpLimits.defaults());
        parser.feed(bytes, 0, bytes.length);
        if (parser.event() != RequestParser.Event.REQUEST_COMPLETE) throw new IllegalStateException("not parsed: " + path);
        request = parser.request();
        int expected = path.equals("/api/v1/nothing/here") ? 404 : 200;
        if (route() != expected || routeAndReadParams() != expected) {
            throw new IllegalStateException(path + " did not answer " + expected);
        }
    }

    private static Router build(Handler handler) {
        Router.Builder b = Router.builder().mount("/assets", handler);
        int routes = 1; // the mount
        for (String route : ROUTES) {
            int space = route.indexOf(' ');
            b.route(route.substring(0, space), route.substring(space + 1), handler);
            routes++;
        }
        if (routes != ROUTE_COUNT) throw new IllegalStateException("expected " + ROUTE_COUNT + " routes, have " + routes);
        return b.build();
    }

    /** Match, bind the parameters, call the handler. */
    @Benchmark
    public int route() {
        return call(router);
    }

    /** The same, with a handler that reads every parameter: their decoding and Strings are added. */
    @Benchmark
    public int routeAndReadParams() {
        return call(readingRouter);
    }

    private int call(Router r) {
        try {
            return r.handle(request).status();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
