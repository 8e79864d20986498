package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.http.Response;

import java.util.List;
import java.util.Objects;

/**
 * Code that runs around a handler: what an access log, compression, CORS or authentication hang on.
 *
 * <pre>{@code
 * Filter poweredBy = (req, next) -> next.handle(req).withHeader("X-Powered-By", "jepoll");   // after
 * Filter auth = (req, next) -> "secret".equals(req.header("X-Token"))
 *         ? next.handle(req)                                                                  // on to the handler
 *         : Response.text(401, "Unauthorized\n").withHeader("WWW-Authenticate", "Bearer");   // short-circuit
 * Router router = Router.builder()
 *         .filter(poweredBy)                             // every request the router gets, 404s included
 *         .get("/admin", auth.then(admin::show))         // this route only
 *         .build();
 * }</pre>
 *
 * <p>A filter runs code before {@code next.handle(request)}, after it (a {@link Response} is immutable:
 * {@link Response#withHeader} returns a changed copy, and the filter returns that or another response), or instead
 * of it, by returning without calling next. It runs on the thread its handler runs on (see
 * {@link Handler#blocking(Handler)}): on the event loop it must not block.
 *
 * <p>Order: in a {@link Router}, the router's filters in the order they were added, the first added outermost (its
 * code before {@code next} runs first, its code after last); then the route's own filters, composed with
 * {@link #then(Handler)} ({@code a.then(b.then(h))}: a, then b, then h); then the handler.
 *
 * <p>A filter that throws, or returns null, is a failing handler: the client gets a 500, logged once with the request
 * line.
 */
@FunctionalInterface
public interface Filter {

    /**
     * Answers request, usually by asking next and passing its response on, changed or not.
     *
     * @param request the request; valid until this returns, like a handler's
     * @param next    the rest of the chain: the next filter, or the handler
     * @return the response; never null
     * @throws Exception for anything that went wrong (what next throws, too): the client gets a 500
     */
    Response filter(Request request, Handler next) throws Exception;

    /**
     * A handler that runs this filter around handler. It keeps handler's placement: a {@link Handler#blocking}
     * handler gives a blocking result (this filter runs on the virtual thread too), and a {@link Router} gives a
     * router with this filter outside its own filters, whose routes still run where they did.
     *
     * @param handler the handler this filter's {@code next} calls
     * @return the composed handler; composing allocates nothing per request
     */
    default Handler then(Handler handler) {
        Objects.requireNonNull(handler, "handler");
        return switch (handler) {
            case BlockingHandler b -> new BlockingHandler(then(b.handler()));
            case Router r -> r.withOuterFilter(this);
            default -> req -> filter(req, handler);
        };
    }

    /**
     * The filters as one, the first outermost: {@code chain(a, b).then(h)} is {@code a.then(b.then(h))}.
     *
     * @param filters the filters, outermost first; none gives a filter that only calls next
     * @return the filters as one filter
     */
    static Filter chain(Filter... filters) {
        return new FilterChain(List.of(filters));
    }
}
