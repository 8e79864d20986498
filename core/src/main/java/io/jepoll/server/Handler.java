package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.http.Response;

import java.util.Objects;

/**
 * Answers one request. By default it runs on the event loop thread, so it must not block. Where it runs instead:
 * <ul>
 *   <li>{@link #blocking(Handler)}: this handler (the server's, or a route's in a {@link Router}) runs on a virtual
 *       thread of its own for each request, and may block;</li>
 *   <li>{@link HttpServer.Builder#virtualThreads(boolean)}: every handler does;</li>
 *   <li>the blocking transports ({@link Transport#THREADS}, {@link Transport#VIRTUAL}) run everything on the
 *       connection's own thread.</li>
 * </ul>
 *
 * <p>The {@link Request} is valid until this method returns (its bytes may be the loop's shared buffer). To keep it
 * longer, or to hand it to another thread, use {@link Request#copy()}. A thrown exception, or a null answer, becomes
 * a 500 response and is logged once with the request line.
 */
@FunctionalInterface
public interface Handler {

    /**
     * Answers request.
     *
     * @param request the request, valid until this returns
     * @return the response; never null
     * @throws Exception for anything that went wrong: the client gets a 500
     */
    Response handle(Request request) throws Exception;

    /**
     * handler, to be run by the server on a virtual thread of its own for each request, where it may block (a
     * database call, a file read, a lock). The event loop meanwhile serves its other connections; the connection's
     * next pipelined request waits for this answer. The server sees the mark where it looks for it: on the handler it
     * was given, on a route's or a mount's handler in a {@link Router}, and through {@link Filter#then(Handler)};
     * a handler of your own that calls a marked one runs it where it runs itself.
     *
     * @param handler what to run
     * @return handler, marked; the same object if it is marked already
     */
    static Handler blocking(Handler handler) {
        Objects.requireNonNull(handler, "handler");
        return handler instanceof BlockingHandler ? handler : new BlockingHandler(handler);
    }
}
