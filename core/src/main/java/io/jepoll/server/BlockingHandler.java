package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.http.Response;

/**
 * A handler marked to run on a virtual thread ({@link Handler#blocking(Handler)}). The mark is this type itself: the
 * server and {@link Router} look for it once, when they are built, never per request.
 */
record BlockingHandler(Handler handler) implements Handler {
    @Override
    public Response handle(Request request) throws Exception {
        return handler.handle(request);
    }

    /** The handler without its mark, for whoever has already decided where it runs. */
    static Handler unwrap(Handler h) {
        return h instanceof BlockingHandler b ? b.handler : h;
    }
}
