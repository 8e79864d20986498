package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.http.Response;

/**
 * Answers one request. By default it runs on the event loop thread, so it must not block;
 * with {@link HttpServer.Builder#virtualThreads(boolean)} each call runs on its own virtual
 * thread and may block freely.
 *
 * <p>The {@link Request} is valid until this method returns (its bytes may be the loop's
 * shared buffer). To keep it longer, or to hand it to another thread, use {@link Request#copy()}.
 * A thrown exception becomes a 500 response and is logged once with the request line.
 */
@FunctionalInterface
public interface Handler {
    Response handle(Request request) throws Exception;
}
