package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.http.Response;

/**
 * The health check a load balancer or an orchestrator polls, and the drain that takes an instance out of rotation
 * before it stops.
 *
 * <p>The engine asks {@link #answer} about every request before anything else sees it (filters, a router, the
 * handler), on the loop or the connection's thread: a handler that blocks, throws or knows no such route cannot make
 * a healthy server look sick, and a health check never waits for a virtual thread. The path is compared raw and
 * exactly ({@link Request#isPath}); the query is ignored, so {@code /healthz?from=lb} is a health check too. GET and
 * HEAD get the state; other methods get 405, since the path belongs to the server and nothing else would answer them.
 *
 * <p>Every answer is one constant {@link Response} (its bytes are encoded once and reused), {@code Cache-Control:
 * no-store} so no cache between the balancer and the server keeps a stale state. The state moves one way only: once
 * draining, a server never says it is healthy again, because what follows a drain is always a stop.
 */
final class Health {
    /** What the health path says. */
    enum State {
        /** 200: send traffic here. */
        SERVING(constant(200, "ok\n")),
        /** 503: take this instance out of rotation; it still serves what it is sent. */
        DRAINING(constant(503, "draining\n"));

        final Response response;

        State(Response response) { this.response = response; }
    }

    private static final Response NOT_ALLOWED = constant(405, "the health path answers GET and HEAD\n").withHeader("Allow", "GET, HEAD");

    private final String path;            // null: no health path, only the drain state
    private volatile State state = State.SERVING;

    /** @param path the health path, null for none (then only the drain state is kept) */
    Health(String path) { this.path = path; }

    /**
     * The answer to a health check, or null when {@code req} is not one (no health path, or another path): then the
     * request goes on to the handler.
     */
    Response answer(Request req) {
        if (path == null || !req.isPath(path)) return null;
        return req.isMethod("GET") || req.isMethod("HEAD") ? state.response : NOT_ALLOWED;
    }

    /** From now on the health path answers 503, for good. */
    void drain() { state = State.DRAINING; }

    boolean isDraining() { return state == State.DRAINING; }

    /**
     * Checks a health path given to the builder: an absolute path of visible ASCII, without a query or a fragment
     * (the query of a check is ignored, so it cannot be part of the path), at most 1024 chars.
     *
     * @throws IllegalArgumentException when it is not such a path
     */
    static String checkPath(String path) {
        if (path == null) return null;
        boolean ok = path.startsWith("/") && path.length() <= 1024;
        for (int i = 0; ok && i < path.length(); i++) {
            char c = path.charAt(i);
            ok = c > 0x20 && c < 0x7F && c != '?' && c != '#';
        }
        if (!ok) throw new IllegalArgumentException("a health path is a path like /healthz (visible ASCII, no query), not: " + path);
        return path;
    }

    private static Response constant(int status, String text) {
        return Response.text(status, text).withHeader("Cache-Control", "no-store");
    }
}
