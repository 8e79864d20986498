package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.http.Response;

import java.util.List;

/**
 * Filters run as one ({@link Filter#chain}), the first outermost. Composed with {@link #then} it is the filters
 * wrapped around the handler once, so a request allocates nothing; used as a filter on its own, the rest of the chain
 * is composed for the call.
 */
record FilterChain(List<Filter> filters) implements Filter {
    @Override
    public Response filter(Request request, Handler next) throws Exception {
        return then(next).handle(request);
    }

    @Override
    public Handler then(Handler handler) {
        Handler h = handler;
        for (int i = filters.size() - 1; i >= 0; i--) h = filters.get(i).then(h);
        return h;
    }
}
