package io.jepoll.server;

import io.jepoll.http.Response;

/**
 * A server for {@link DescriptorLimitTest} to run in a child JVM under a low descriptor limit: one loop in the
 * mode named by {@code args[0]}, answering "Hello, world!". Prints "port N" once it listens, then serves until
 * its standard input ends (the test closes it, or is gone), and closes the server.
 */
public final class FdLimitServer {
    private FdLimitServer() {}

    public static void main(String[] args) throws Exception {
        Mode mode = Mode.valueOf(args[0]);
        try (HttpServer server = mode.builder().loops(1).handler(req -> Response.ok("Hello, world!")).start()) {
            System.out.println("port " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // nothing to read: the end of the input is the signal to stop
            }
        }
    }
}
