package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.http.Response;
import io.jepoll.http.RouteTree;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A handler that sends each request to the handler of the route its method and path match.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *         .get("/hello/{name}", req -> Response.ok("Hello, " + req.pathParam("name")))
 *         .post("/users", users::create)
 *         .route("PUT", "/users/{id}", users::replace)
 *         .get("/files/{path...}", files::show)
 *         .mount("/assets", StaticFiles.of(Path.of("site")))
 *         .build();
 * HttpServer.builder().handler(router).start();
 * }</pre>
 *
 * <p>Templates, what a segment matches, percent-decoding and precedence are those of {@link RouteTree}: literal
 * segments beat {@code {parameters}}, which beat a {@code {catchAll...}} or a mount, whatever the order of
 * registration. The policies:
 * <ul>
 *   <li><b>Trailing slash</b>: exact. {@code /a} and {@code /a/} are different paths (RFC 3986 §6.2.3 leaves them
 *       distinct) and match different templates; there is no silent redirect between them. Register both when
 *       both should answer.</li>
 *   <li><b>No route for the path</b>: 404. A segment that does not decode (bad escape, invalid UTF-8, a control)
 *       or is a dot segment matches no parameter, so it ends here too: the path names nothing, as with
 *       {@link StaticFiles}, where every refusal is a 404.</li>
 *   <li><b>The path matches, the method does not</b>: 405 with {@code Allow} listing the methods of every route
 *       the path matches (RFC 9110 §15.5.6), HEAD where GET is, and OPTIONS.</li>
 *   <li><b>HEAD</b> runs the GET route unless a HEAD route is at the same place; the server drops the body
 *       (RFC 9110 §9.3.2).</li>
 *   <li><b>OPTIONS</b> runs an OPTIONS route if one matches; otherwise 204 with that {@code Allow}
 *       (§9.3.7). {@code OPTIONS *} gets the methods of every route.</li>
 *   <li><b>A route's method</b> is matched case-sensitively (§9.1); a lower-case spelling of a standard method is
 *       refused at build time as the mistake it surely is.</li>
 *   <li><b>A mount</b> takes every method and every path below its prefix: the handler sees the rest as
 *       {@link Request#path()} ({@code /assets/app.js} gives {@code /app.js}) and the prefix as
 *       {@link Request#basePath()}; nothing is copied, the request's path offset is moved for the call and put
 *       back after it. The prefix itself without a slash gets 308 to the prefix with one (query kept, method kept:
 *       §15.4.9), as a directory does, so relative links inside resolve; unless a route is registered there.</li>
 * </ul>
 * Conflicts are refused by {@link Builder#build()} (or the call that adds them) with an IllegalArgumentException
 * naming both: the same method on templates of the same shape ({@code /u/{id}} and {@code /u/{name}} are one
 * shape), one shape with different parameter names, a catch-all and a mount at one place.
 *
 * <p>Matching walks a tree compiled at build time, one segment at a time, and allocates nothing; a parameter's
 * value becomes a String when the handler first reads it.
 *
 * <p><b>Filters</b> ({@link Builder#filter}) run around every request the router gets, its own 404, 405 and
 * OPTIONS answers and its mounts included, in the order added, the first added outermost; inside them run the
 * route's own filters ({@link Filter#then}), then its handler. They see the path as the router got it (a mount's
 * handler sees the path below the prefix) and the matched route's path parameters.
 *
 * <p><b>Where a route runs</b>: on the event loop, unless its handler is {@link Handler#blocking}: then the
 * server runs the whole chain (the router's filters, the route's, the handler) on a virtual thread. The server
 * matches the route on the loop first to know, and matches once. A router mounted in this one (or routed to) is
 * asked where its matched route runs, so its blocking routes stay blocking; a blocking mount runs all of the
 * inner router on a virtual thread. Placement is read where the server looks: when this router is the server's
 * handler, or under one that is; called from a handler of your own, {@link #handle} runs the chain on the caller's
 * thread.
 */
public final class Router implements Handler {

    private static final String[] METHOD_ORDER = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "TRACE"};
    private static final Response NOT_FOUND = Response.notFound();
    private static final int UNMATCHED = 0; // the route of the router's own answers: 404, 405, OPTIONS
    private static final int NONE = -1;

    /**
     * A route as the server runs it, made once when the router is built: the router's filters around the route's
     * own around its handler, and whether that runs on a virtual thread. {@link #select} hands one out per request.
     */
    static final class Route {
        final Handler chain;
        final boolean blocking;
        final Router inner;         // a router the route hands to, asked where its own route runs; null when none
        final Route onVirtualThread; // this chain, blocking: chosen when the inner router's route blocks

        Route(Handler chain, boolean blocking, Router inner) {
            this.chain = chain;
            this.blocking = blocking;
            this.inner = blocking ? null : inner;
            this.onVirtualThread = this.inner == null ? this : new Route(chain, true, null);
        }
    }

    /** What a route's place in the tree holds: the routes by method, or a mount; as indices into the routes. */
    private sealed interface Endpoint permits Methods, Mounted {
        /** The route for method, or NONE when this endpoint does not take it. */
        int routeFor(String method);
    }

    /** A mount takes every method. */
    private record Mounted(int route) implements Endpoint {
        @Override
        public int routeFor(String method) { return route; }
    }

    /** The routes of one template shape, one per method, in registration order. */
    private static final class Methods implements Endpoint {
        final String template;
        final List<String> methods = new ArrayList<>(2);
        final List<Integer> routes = new ArrayList<>(2);
        int anyMethod = NONE; // only the implicit redirect of a mount's bare prefix

        Methods(String template) {
            this.template = template;
        }

        /** HEAD falls back to GET. */
        @Override
        public int routeFor(String method) {
            for (int i = 0; i < methods.size(); i++) if (methods.get(i).equals(method)) return routes.get(i);
            if (method.equals("HEAD")) return routeFor("GET");
            return anyMethod;
        }
    }

    private static final RouteTree.Accept<Endpoint> TAKES_METHOD = (e, req) -> e.routeFor(req.method()) != NONE;

    private final RouteTree<Endpoint> tree;
    private final Route[] routes; // by index; UNMATCHED first

    private Router(RouteTree<Endpoint> tree, Route[] routes) {
        this.tree = tree;
        this.routes = routes;
    }

    /**
     * Starts a router.
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the route request matches, with the filters, wherever this is called: here the route's placement
     * ({@link Handler#blocking}) is not looked at. The server looks at it when this router is its handler.
     */
    @Override
    public Response handle(Request req) throws Exception {
        return select(req).chain.handle(req);
    }

    /**
     * The route request matches (its parameters bound), or the router's own answer: matched once, nothing allocated,
     * the request's path as it was given (a mount moves it when its handler runs). The engine calls this on the loop
     * to know, before anything runs, where the chain must run. A route that hands to another router asks that one
     * too (it matches the path below the prefix again when it runs), so a blocking route of a mounted router runs on
     * a virtual thread with everything around it.
     */
    Route select(Request req) {
        int offset = req.pathOffset();
        Endpoint e = tree.find(req, TAKES_METHOD);
        if (e == null) return routes[UNMATCHED];
        Route r = routes[e.routeFor(req.method())];
        if (r.inner != null && r.inner.select(req).blocking) r = r.onVirtualThread;
        req.pathOffset(offset); // the filters see the path this router was given
        return r;
    }

    /** This router with f outside every filter it has: what {@link Filter#then} makes of a router. */
    Router withOuterFilter(Filter f) {
        Route[] wrapped = new Route[routes.length];
        for (int i = 0; i < routes.length; i++) {
            Route r = routes[i];
            wrapped[i] = new Route(f.then(r.chain), r.blocking, r.inner);
        }
        return new Router(tree, wrapped);
    }

    /** No route takes this request: 404, or 405 / the OPTIONS answer when routes match its path. */
    private static Response unmatched(RouteTree<Endpoint> tree, String allowAll, Request req) {
        List<String> methods = new ArrayList<>();
        tree.find(req, (e, r) -> {
            if (e instanceof Methods t) methods.addAll(t.methods);
            return false; // take none: see every match
        });
        boolean options = req.isMethod("OPTIONS");
        if (methods.isEmpty()) {
            if (options && "*".equals(req.path())) return Response.noContent().withHeader("Allow", allowAll);
            return NOT_FOUND;
        }
        String allow = allow(methods);
        if (options) return Response.noContent().withHeader("Allow", allow);
        return Response.text(405, "Method Not Allowed\n").withHeader("Allow", allow);
    }

    /** The Allow value: the methods given, HEAD where GET is, OPTIONS; standard methods first, in a fixed order. */
    private static String allow(List<String> methods) {
        TreeSet<String> set = new TreeSet<>((a, b) -> {
            int ra = rank(a), rb = rank(b);
            return ra != rb ? Integer.compare(ra, rb) : a.compareTo(b);
        });
        set.addAll(methods);
        if (set.contains("GET")) set.add("HEAD");
        set.add("OPTIONS");
        return String.join(", ", set);
    }

    private static int rank(String method) {
        for (int i = 0; i < METHOD_ORDER.length; i++) if (METHOD_ORDER[i].equals(method)) return i;
        return method.equals("OPTIONS") ? Integer.MAX_VALUE : METHOD_ORDER.length; // extension methods, then OPTIONS
    }

    /**
     * A mount's handler, with the path below the prefix. The router matched with the path it was given and put it
     * back for its filters, so this moves it past the prefix's segments (whatever their spelling: a literal may be
     * matched through escapes) and back when the handler returns.
     */
    private record Mount(int segments, Handler handler) implements Handler {
        @Override
        public Response handle(Request req) throws Exception {
            int outer = req.pathOffset();
            String path = req.path();
            int slash = 0; // the '/' after the prefix
            for (int i = 0; i < segments; i++) {
                slash = path.indexOf('/', slash + 1);
                if (slash < 0) throw new IllegalStateException("the path no longer has its mount's prefix: " + path);
            }
            req.pathOffset(outer + slash);
            try {
                return handler.handle(req);
            } finally {
                req.pathOffset(outer); // whoever called this router sees the path it gave
            }
        }
    }

    /**
     * Routes, mounts and filters; a conflict is refused by the call that adds it. Filters apply to every route and
     * mount, whenever they are added: the router composes them when it is built.
     */
    public static final class Builder {
        private final RouteTree.Builder<Endpoint> tree = RouteTree.builder();
        private final List<String> mounts = new ArrayList<>();
        private final List<String> allMethods = new ArrayList<>();
        private final List<Filter> filters = new ArrayList<>();
        private final List<Handler> handlers = new ArrayList<>(); // by route index: a route's, or a Mount
        private boolean built;

        private Builder() {
            handlers.add(null); // UNMATCHED: made in build, when the tree it searches exists
        }

        /**
         * handler answers GET (and HEAD) on the paths template matches.
         *
         * @param template the path template
         * @param handler  what answers
         * @return this builder
         */
        public Builder get(String template, Handler handler) { return route("GET", template, handler); }

        /**
         * handler answers POST on the paths template matches.
         *
         * @param template the path template
         * @param handler  what answers
         * @return this builder
         */
        public Builder post(String template, Handler handler) { return route("POST", template, handler); }

        /**
         * handler answers PUT on the paths template matches.
         *
         * @param template the path template
         * @param handler  what answers
         * @return this builder
         */
        public Builder put(String template, Handler handler) { return route("PUT", template, handler); }

        /**
         * handler answers PATCH on the paths template matches.
         *
         * @param template the path template
         * @param handler  what answers
         * @return this builder
         */
        public Builder patch(String template, Handler handler) { return route("PATCH", template, handler); }

        /**
         * handler answers DELETE on the paths template matches.
         *
         * @param template the path template
         * @param handler  what answers
         * @return this builder
         */
        public Builder delete(String template, Handler handler) { return route("DELETE", template, handler); }

        /**
         * handler answers method (a token, RFC 9110 §9.1, case-sensitive) on the paths template matches. A handler
         * made with {@link Handler#blocking} runs on a virtual thread, with the router's filters around it.
         *
         * @param method   the method
         * @param template the path template
         * @param handler  what answers
         * @return this builder
         * @throws IllegalArgumentException for a bad method or template, or a route of this method and shape
         */
        public Builder route(String method, String template, Handler handler) {
            checkOpen();
            Objects.requireNonNull(handler, "handler");
            checkMethod(method);
            Endpoint e = tree.route(template, () -> new Methods(template));
            if (!(e instanceof Methods t)) throw new IllegalStateException("a mount where a route was expected: " + template);
            if (t.methods.contains(method)) {
                throw new IllegalArgumentException(method + " " + template + " is already routed"
                        + (t.template.equals(template) ? "" : " (as " + method + " " + t.template + ")"));
            }
            t.methods.add(method);
            t.routes.add(add(handler));
            if (!allMethods.contains(method)) allMethods.add(method);
            return this;
        }

        /**
         * handler answers every method on every path below prefix (literal segments, no trailing slash; "/"
         * for all paths no route takes), seeing the path without the prefix. A handler made with
         * {@link Handler#blocking} runs on a virtual thread; a {@link Router} is asked where its route runs.
         *
         * @param prefix  the literal prefix
         * @param handler what answers below it
         * @return this builder
         * @throws IllegalArgumentException for a bad prefix, or one where a catch-all or another mount is
         */
        public Builder mount(String prefix, Handler handler) {
            checkOpen();
            Objects.requireNonNull(handler, "handler");
            int segments = prefix == null || prefix.equals("/") ? 0 : (int) prefix.chars().filter(c -> c == '/').count();
            Handler inner = BlockingHandler.unwrap(handler);
            Handler mounted = new Mount(segments, inner);
            tree.mount(prefix, new Mounted(handlers.size()));
            add(inner == handler ? mounted : new BlockingHandler(mounted));
            mounts.add(prefix);
            return this;
        }

        /**
         * Runs filter around every request this router gets: its routes, its mounts, and its own answers (404,
         * 405 with {@code Allow}, OPTIONS, a mount's redirect). Filters run in the order added, the first added
         * outermost, and outside the route's own filters ({@link Filter#then}). With the route's handler, on the
         * loop or, for a {@link Handler#blocking} one, all of them on its virtual thread.
         *
         * @param filter the filter
         * @return this builder
         */
        public Builder filter(Filter filter) {
            checkOpen();
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /**
         * Compiles the routes and composes the filters.
         *
         * @return the router
         * @throws IllegalStateException when called twice
         */
        public Router build() {
            checkOpen();
            built = true;
            for (String prefix : mounts) {
                if (prefix.equals("/") || tree.has(prefix)) continue;
                Methods bare = (Methods) tree.route(prefix, () -> new Methods(prefix));
                bare.anyMethod = add(Router::slashRedirect);
            }
            RouteTree<Endpoint> compiled = tree.build();
            String allowAll = allow(allMethods); // OPTIONS *
            handlers.set(UNMATCHED, req -> unmatched(compiled, allowAll, req));
            Route[] routes = new Route[handlers.size()];
            for (int i = 0; i < routes.length; i++) routes[i] = route(handlers.get(i));
            return new Router(compiled, routes);
        }

        /** The route of handler: this router's filters around it, on a virtual thread when it is marked so. */
        private Route route(Handler handler) {
            Handler h = BlockingHandler.unwrap(handler);
            Handler target = h instanceof Mount m ? m.handler() : h;
            Handler chain = h;
            for (int i = filters.size() - 1; i >= 0; i--) chain = filters.get(i).then(chain);
            return new Route(chain, h != handler, target instanceof Router r ? r : null);
        }

        private int add(Handler handler) {
            handlers.add(handler);
            return handlers.size() - 1;
        }

        private void checkOpen() {
            if (built) throw new IllegalStateException("already built");
        }

        private static void checkMethod(String method) {
            if (method == null || method.isEmpty()) throw new IllegalArgumentException("empty method");
            for (int i = 0; i < method.length(); i++) {
                char c = method.charAt(i);
                boolean tchar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
                if (!tchar) throw new IllegalArgumentException("method is not a token (RFC 9110 9.1): " + method);
            }
            for (String known : new String[] {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT"}) {
                if (known.equalsIgnoreCase(method) && !known.equals(method)) {
                    throw new IllegalArgumentException("methods are case-sensitive (RFC 9110 9.1): " + method
                            + " is not " + known);
                }
            }
        }
    }

    /** The bare prefix of a mount: on to the prefix with a slash, as a directory (RFC 9110 15.4.9: method kept). */
    private static Response slashRedirect(Request req) {
        String query = req.query();
        return Response.redirect(308, req.basePath() + req.path() + "/" + (query == null ? "" : "?" + query));
    }
}
