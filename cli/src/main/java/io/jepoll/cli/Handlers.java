package io.jepoll.cli;

import io.jepoll.http.Request;
import io.jepoll.http.Response;
import io.jepoll.server.Handler;

import java.io.PrintStream;
import java.net.InetSocketAddress;

/** The command's answers: the tutorial's greeting, an echo, and request logging around either. */
final class Handlers {
    private Handlers() {}

    /** Built once: every request gets the same immutable response, encoded once. */
    private static final Response HELLO = Response.bytes(200, "text/plain", "Hello, world!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    private static final Response NOT_ALLOWED = Response.text(405, "405 Method Not Allowed\n").withHeader("Allow", "GET, HEAD");

    /** "Hello, world!" for GET and HEAD, as in the tutorial; 405 for other methods. */
    static Handler hello() {
        return req -> req.isMethod("GET") || req.isMethod("HEAD") ? HELLO : NOT_ALLOWED;
    }

    /** The request body back, with the request's Content-Type when it had one. */
    static Handler echo() {
        return req -> {
            String type = req.header("Content-Type");
            return Response.bytes(200, type != null ? type : "application/octet-stream", req.body());
        };
    }

    /**
     * Prints each request like the tutorial does (a rule with the client's address, then the request head), then
     * answers. Behind a load balancer (--proxy-protocol) the client is the one its PROXY header named.
     */
    static Handler logging(Handler inner, PrintStream out) {
        return req -> {
            StringBuilder b = new StringBuilder(256).append("-".repeat(40)).append(" from ").append(hostPort(req.remoteAddress())).append('\n')
                    .append(req.method()).append(' ').append(req.target()).append(" HTTP/1.").append(req.versionMinor());
            for (int i = 0; i < req.headerCount(); i++) b.append('\n').append(req.headerName(i)).append(": ").append(req.headerValue(i));
            synchronized (out) {
                out.println(b);
            }
            return inner.handle(req);
        };
    }

    /** "192.0.2.1:4711", "[2001:db8::1]:443", or "?" when the address is not known. */
    static String hostPort(InetSocketAddress a) {
        if (a == null) return "?";
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
