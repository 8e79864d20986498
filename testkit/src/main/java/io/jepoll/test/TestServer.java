package io.jepoll.test;

import io.jepoll.server.Handler;
import io.jepoll.server.HttpServer;

import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A jepoll server for a test: on 127.0.0.1, on a port the kernel picks, with a client
 * ready to talk to it. Closing it stops both. Works with any test framework; for JUnit
 * Jupiter, {@link JepollExtension} starts and closes one around each test class or method.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.start(req -> Response.ok("hi"))) {
 *     assertEquals("hi", server.get("/").body());
 * }
 * }</pre>
 */
public final class TestServer implements AutoCloseable {
    /** How long the client waits to connect, and {@link #request(String)} for an answer: a test never hangs on us. */
    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** How long {@link #close()} lets requests in flight finish: short, since a test is over when it closes. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(1);

    private final HttpServer server;
    private final URI uri;
    private final HttpClient client;

    private TestServer(HttpServer server) {
        this.server = server;
        this.uri = URI.create("http://" + hostPort(server) + "/");
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    /**
     * A builder with the test settings: 127.0.0.1, a free port, one event loop, a one-second
     * shutdown grace. Change anything, set a handler, and pass it to {@link #start(HttpServer.Builder)}.
     *
     * @return a new builder; it has no handler yet
     */
    public static HttpServer.Builder builder() {
        return HttpServer.builder().host("127.0.0.1").port(0).loops(1).shutdownGrace(SHUTDOWN_GRACE);
    }

    /**
     * Starts {@code handler} with the settings of {@link #builder()}.
     *
     * @param handler answers every request
     * @return the running server
     * @throws IllegalStateException when the server cannot start
     */
    public static TestServer start(Handler handler) {
        return start(builder().handler(handler));
    }

    /**
     * Starts the server {@code builder} describes, as it is (start from {@link #builder()} to
     * keep the test settings). A builder may be started again: each start is a new server.
     *
     * @param builder the server's settings, with a handler
     * @return the running server
     * @throws IllegalStateException    when the server cannot start: its address is taken, or no handler was set
     * @throws IllegalArgumentException when a setting is invalid
     */
    public static TestServer start(HttpServer.Builder builder) {
        HttpServer server;
        try {
            server = builder.start();
        } catch (BindException e) {
            throw new IllegalStateException("the jepoll test server did not start: " + e.getMessage(), e);
        }
        try {
            return new TestServer(server);
        } catch (RuntimeException e) { // no client: do not leave the server running
            server.close();
            throw e;
        }
    }

    /**
     * The server itself, for what this class does not repeat: its configuration, its connection count.
     *
     * @return the running jepoll server
     */
    public HttpServer server() { return server; }

    /**
     * The port the kernel picked (or the one the builder asked for).
     *
     * @return the port it listens on
     */
    public int port() { return server.port(); }

    /**
     * The server's root.
     *
     * @return {@code http://127.0.0.1:PORT/}
     */
    public URI uri() { return uri; }

    /**
     * The URI of {@code path} on this server.
     *
     * @param path an absolute path, with a query if wanted: {@code /users/7?full=1}
     * @return {@code http://127.0.0.1:PORT} followed by {@code path}
     * @throws IllegalArgumentException when {@code path} does not start with {@code /} or is not a valid URI path
     */
    public URI uri(String path) {
        if (!path.startsWith("/")) throw new IllegalArgumentException("the path must start with '/': " + path);
        return URI.create("http://" + hostPort(server) + path);
    }

    /**
     * A client for this server: HTTP/1.1, with a connect timeout; {@link #close()} stops it.
     *
     * @return the client, the same one on every call
     */
    public HttpClient client() { return client; }

    /**
     * A request to {@code path} with a timeout, to finish and send with {@link #client()}.
     *
     * @param path as for {@link #uri(String)}
     * @return a GET request builder; change the method with {@code POST(...)}, {@code method(...)}
     */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
    }

    /**
     * Sends {@code GET path} and reads the body as text.
     *
     * @param path as for {@link #uri(String)}
     * @return the response
     * @throws IOException          when the exchange fails or times out
     * @throws InterruptedException when interrupted while waiting
     */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Stops the client, then the server (requests still in flight get a second to finish).
     * The port is free when this returns. Closing twice does nothing more.
     */
    @Override
    public void close() {
        client.shutdownNow(); // the test is over: nothing it sent is still wanted
        server.close();
        try {
            client.awaitTermination(TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() { return "TestServer " + uri; }

    /** The listening address as a URI authority; a wildcard address is reached through loopback. */
    private static String hostPort(HttpServer server) {
        InetAddress ip = server.address().getAddress();
        if (ip.isAnyLocalAddress()) ip = InetAddress.getLoopbackAddress();
        String host = ip.getHostAddress();
        if (!(ip instanceof Inet6Address)) return host + ":" + server.port();
        // Java writes a scope (::1%0); only a link-local address needs one, and a URI spells it %25 (RFC 6874).
        int scope = host.indexOf('%');
        if (scope >= 0) host = ip.isLinkLocalAddress() ? host.substring(0, scope) + "%25" + host.substring(scope + 1) : host.substring(0, scope);
        return "[" + host + "]:" + server.port();
    }
}
