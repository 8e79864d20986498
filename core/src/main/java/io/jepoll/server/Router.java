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
 */
public final class Router implements Handler {

    private static final String[] METHOD_ORDER = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "TRACE"};
    private static final Response NOT_FOUND = Response.notFound();

    /** What a route's place in the tree holds: the handlers by method, or a mounted handler. */
    private sealed interface Endpoint permits Methods, Mounted {
        /** The handler for method, or null when this endpoint does not take it. */
        Handler handlerFor(String method);
    }

    /** A mount takes every method. */
    private record Mounted(Handler handler) implements Endpoint {
        @Override
        public Handler handlerFor(String method) { return handler; }
    }

    /** The routes of one template shape, one handler per method, in registration order. */
    private static final class Methods implements Endpoint {
        final String template;
        final List<String> methods = new ArrayList<>(2);
        final List<Handler> handlers = new ArrayList<>(2);
        Handler anyMethod; // only the implicit redirect of a mount's bare prefix

        Methods(String template) {
            this.template = template;
        }

        /** HEAD falls back to GET. */
        @Override
        public Handler handlerFor(String method) {
            for (int i = 0; i < methods.size(); i++) if (methods.get(i).equals(method)) return handlers.get(i);
            if (method.equals("HEAD")) return handlerFor("GET");
            return anyMethod;
        }
    }

    private static final RouteTree.Accept<Endpoint> TAKES_METHOD = (e, req) -> e.handlerFor(req.method()) != null;

    private final RouteTree<Endpoint> tree;
    private final String allowAll; // OPTIONS *

    private Router(RouteTree<Endpoint> tree, String allowAll) {
        this.tree = tree;
        this.allowAll = allowAll;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Response handle(Request req) throws Exception {
        int offset = req.pathOffset();
        Endpoint e = tree.find(req, TAKES_METHOD);
        if (e == null) return unmatched(req);
        if (!(e instanceof Mounted m)) return e.handlerFor(req.method()).handle(req);
        try {
            return m.handler().handle(req);
        } finally {
            req.pathOffset(offset); // whoever called this router sees the path it gave
        }
    }

    /** No route takes this request: 404, or 405 / the OPTIONS answer when routes match its path. */
    private Response unmatched(Request req) {
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

    /** Routes and mounts; a conflict is refused by the call that adds it. */
    public static final class Builder {
        private final RouteTree.Builder<Endpoint> tree = RouteTree.builder();
        private final List<String> mounts = new ArrayList<>();
        private final List<String> allMethods = new ArrayList<>();
        private boolean built;

        private Builder() {
        }

        public Builder get(String template, Handler handler) { return route("GET", template, handler); }

        public Builder post(String template, Handler handler) { return route("POST", template, handler); }

        public Builder put(String template, Handler handler) { return route("PUT", template, handler); }

        public Builder patch(String template, Handler handler) { return route("PATCH", template, handler); }

        public Builder delete(String template, Handler handler) { return route("DELETE", template, handler); }

        /**
         * handler answers method (a token, RFC 9110 §9.1, case-sensitive) on the paths template matches.
         *
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
            t.handlers.add(handler);
            if (!allMethods.contains(method)) allMethods.add(method);
            return this;
        }

        /**
         * handler answers every method on every path below prefix (literal segments, no trailing slash; "/"
         * for all paths no route takes), seeing the path without the prefix.
         *
         * @throws IllegalArgumentException for a bad prefix, or one where a catch-all or another mount is
         */
        public Builder mount(String prefix, Handler handler) {
            checkOpen();
            Objects.requireNonNull(handler, "handler");
            tree.mount(prefix, new Mounted(handler));
            mounts.add(prefix);
            return this;
        }

        public Router build() {
            checkOpen();
            built = true;
            for (String prefix : mounts) {
                if (prefix.equals("/") || tree.has(prefix)) continue;
                Methods bare = (Methods) tree.route(prefix, () -> new Methods(prefix));
                bare.anyMethod = Router::slashRedirect;
            }
            return new Router(tree.build(), allow(allMethods));
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
