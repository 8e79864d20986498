package io.jepoll.test;

import io.jepoll.server.Handler;
import io.jepoll.server.HttpServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A JUnit Jupiter extension that runs a {@link TestServer} around tests. Register it with
 * {@link org.junit.jupiter.api.extension.RegisterExtension @RegisterExtension}:
 *
 * <ul>
 *   <li>on a {@code static} field, one server serves the whole class: started before all
 *       its tests, closed after them;</li>
 *   <li>on an instance field, each test method gets a server of its own, started before
 *       it (and before its {@code @BeforeEach} methods) and closed after it.</li>
 * </ul>
 *
 * <pre>{@code
 * @RegisterExtension
 * static final JepollExtension SERVER = JepollExtension.of(req -> Response.ok("hi"));
 *
 * @Test
 * void answers(URI uri, HttpClient client) throws Exception {
 *     var response = client.send(HttpRequest.newBuilder(uri).build(), BodyHandlers.ofString());
 *     assertEquals("hi", response.body());
 * }
 * }</pre>
 *
 * <p>Test methods, {@code @BeforeEach} / {@code @AfterEach} methods and (for a static field)
 * constructors may declare parameters of type {@link URI} (the server's root),
 * {@link HttpClient} and {@link TestServer}; they are resolved from the running server. A class
 * that registers two of these extensions should use the accessors instead, since both would
 * offer the same parameter types.
 *
 * <p>A {@code @Nested} class shares the server of the class around it. The accessors
 * ({@link #uri()}, {@link #client()}, {@link #server()}) name the server started last; when
 * one test instance runs several methods at once ({@code @TestInstance(PER_CLASS)} with
 * parallel execution) only parameters say which server is the method's own.
 */
public final class JepollExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {
    /** Where a started server is kept: in the store of the context (class or method) that started it. */
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(JepollExtension.class);

    private final Supplier<HttpServer.Builder> builders;
    /** The server started last and not closed yet, for the accessors; parameters come from the context. */
    private volatile TestServer current;

    private JepollExtension(Supplier<HttpServer.Builder> builders) {
        this.builders = builders;
    }

    /**
     * Every server this extension starts runs {@code handler}, with the settings of {@link TestServer#builder()}.
     *
     * @param handler answers every request (a {@link io.jepoll.server.Router}, for one)
     * @return the extension, to register
     */
    public static JepollExtension of(Handler handler) {
        Objects.requireNonNull(handler, "handler");
        return new JepollExtension(() -> TestServer.builder().handler(handler));
    }

    /**
     * Every server this extension starts gets a new handler from {@code handlers}, with the
     * settings of {@link TestServer#builder()}: state a handler keeps does not leak from one
     * test method to the next.
     *
     * @param handlers called once per server started
     * @return the extension, to register
     */
    public static JepollExtension of(Supplier<? extends Handler> handlers) {
        Objects.requireNonNull(handlers, "handlers");
        return new JepollExtension(() -> TestServer.builder().handler(handlers.get()));
    }

    /**
     * Every server this extension starts is started from {@code builder}, as it is: start from
     * {@link TestServer#builder()} to keep the test settings.
     *
     * @param builder the servers' settings, with a handler
     * @return the extension, to register
     */
    public static JepollExtension of(HttpServer.Builder builder) {
        Objects.requireNonNull(builder, "builder");
        return new JepollExtension(() -> builder);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        startUnlessRunning(context); // a @Nested class shares the server of the class around it
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        startUnlessRunning(context); // a static field's server already serves the method
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopIfStartedIn(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopIfStartedIn(context);
    }

    /** The server of this context or of one around it (the store looks in the enclosing contexts too), or null. */
    private TestServer running(ExtensionContext context) {
        return context.getStore(NAMESPACE).get(this, TestServer.class);
    }

    private void startUnlessRunning(ExtensionContext context) {
        if (running(context) != null) return;
        TestServer s = TestServer.start(builders.get());
        context.getStore(NAMESPACE).put(this, s);
        current = s;
    }

    private void stopIfStartedIn(ExtensionContext context) {
        TestServer s = context.getStore(NAMESPACE).remove(this, TestServer.class); // this context's own entry only
        if (s == null) return;
        current = null;
        s.close();
    }

    /**
     * The server running now.
     *
     * @return the class's server (static field) or the current method's (instance field)
     * @throws IllegalStateException outside the tests it serves
     */
    public TestServer server() {
        TestServer s = current;
        if (s == null) throw new IllegalStateException("no jepoll test server is running: it serves only the tests of the class that registers it");
        return s;
    }

    /**
     * The running server's root.
     *
     * @return {@code http://127.0.0.1:PORT/}
     */
    public URI uri() { return server().uri(); }

    /**
     * The URI of {@code path} on the running server.
     *
     * @param path an absolute path, as for {@link TestServer#uri(String)}
     * @return {@code http://127.0.0.1:PORT} followed by {@code path}
     */
    public URI uri(String path) { return server().uri(path); }

    /**
     * The running server's client.
     *
     * @return the client, HTTP/1.1, closed with the server
     */
    public HttpClient client() { return server().client(); }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == URI.class || type == HttpClient.class || type == TestServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        TestServer s = running(context);
        if (s == null) throw new ParameterResolutionException("no jepoll test server is running for " + context.getDisplayName());
        if (type == URI.class) return s.uri();
        if (type == HttpClient.class) return s.client();
        return s;
    }
}
