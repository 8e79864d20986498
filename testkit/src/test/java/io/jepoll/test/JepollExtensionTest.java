package io.jepoll.test;

import io.jepoll.http.Response;
import io.jepoll.server.Handler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * JepollExtension seen from outside: each example class below is run through the JUnit launcher, records the
 * servers its tests saw, and this test then checks what the extension did around them (one server per class or
 * per method, parameters, closing). The examples are static nested classes, which surefire does not run on its
 * own; they pass when run alone too (but the failing-start one, which needs a port taken by its caller).
 */
class JepollExtensionTest {
    /** Every server an example's tests saw, in the order they saw them. */
    static final Queue<TestServer> seen = new ConcurrentLinkedQueue<>();
    /** The port FailingStartExample's server is told to use: one this test holds. */
    static volatile int takenPort;

    @BeforeEach
    void forget() { seen.clear(); }

    static TestExecutionSummary run(Class<?> example) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(example)).build(), listener);
        return listener.getSummary();
    }

    /** Runs an example that must pass with {@code tests} tests; returns the servers they saw. */
    static List<TestServer> passes(Class<?> example, int tests) {
        TestExecutionSummary summary = run(example);
        assertThat(summary.getTotalFailureCount()).as("failures: %s", summary.getFailures().stream()
                .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException()).toList()).isZero();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(tests);
        return List.copyOf(seen);
    }

    static String body(HttpClient client, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).timeout(TestServer.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A handler that counts its own requests: a fresh one answers "1" first. */
    static Handler counting() {
        AtomicInteger n = new AtomicInteger();
        return req -> Response.ok(n.incrementAndGet() + " " + req.path());
    }

    @Test
    void aStaticFieldServesTheWholeClassAndClosesAfterIt() throws Exception {
        List<TestServer> servers = passes(PerClassExample.class, 2);
        assertThat(servers).hasSize(3); // two from the first method, one from the second
        assertThat(servers).as("one server for the class").allSatisfy(s -> assertThat(s).isSameAs(servers.getFirst()));
        assertThat(Ports.refused(servers.getFirst().port())).as("closed after the class").isTrue();
        assertThat(servers.getFirst().client().isTerminated()).isTrue();
    }

    static class PerClassExample {
        @RegisterExtension
        static final JepollExtension SERVER = JepollExtension.of(counting());

        final URI injected;

        PerClassExample(URI uri) {
            this.injected = uri;
        }

        @Test
        void parametersAreTheRunningServers(URI uri, HttpClient client, TestServer server) throws Exception {
            assertThat(uri).isEqualTo(injected).isEqualTo(SERVER.uri()).isEqualTo(server.uri());
            assertThat(client).isSameAs(SERVER.client());
            assertThat(body(client, SERVER.uri("/one"))).endsWith(" /one");
            seen.add(server);
            seen.add(SERVER.server());
        }

        @Test
        void theAccessorsWorkWithoutParameters() throws Exception {
            assertThat(body(SERVER.client(), SERVER.uri("/two"))).endsWith(" /two");
            seen.add(SERVER.server());
        }
    }

    @Test
    void anInstanceFieldGivesEachMethodAServerOfItsOwnClosedAfterIt() throws Exception {
        List<TestServer> servers = passes(PerMethodExample.class, 2);
        assertThat(servers).hasSize(2);
        assertThat(servers.get(0)).isNotSameAs(servers.get(1));
        assertThat(servers.get(0).port()).isNotEqualTo(servers.get(1).port());
        for (TestServer s : servers) assertThat(Ports.refused(s.port())).as("%s closed", s).isTrue();
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerMethodExample {
        @RegisterExtension
        final JepollExtension server = JepollExtension.of(JepollExtensionTest::counting);

        TestServer beforeEach;

        @BeforeEach
        void before(TestServer s) {
            beforeEach = s; // the method's server runs before @BeforeEach methods
        }

        @Test
        @Order(1)
        void first(TestServer s) throws Exception {
            assertThat(s).isSameAs(beforeEach).isSameAs(server.server());
            assertThat(s.get("/a").body()).as("a fresh handler").isEqualTo("1 /a");
            seen.add(s);
        }

        @Test
        @Order(2)
        void second(TestServer s) throws Exception {
            TestServer previous = seen.peek();
            assertThat(previous).isNotNull().isNotSameAs(s);
            assertThat(Ports.refused(previous.port())).as("the first method's server is closed already").isTrue();
            assertThat(s.get("/b").body()).as("a fresh handler").isEqualTo("1 /b");
            seen.add(s);
        }
    }

    @Test
    void aNestedClassSharesTheServerOfItsOuterClass() throws Exception {
        List<TestServer> servers = passes(NestingExample.class, 2);
        assertThat(servers).hasSize(3); // outer test, nested test, outer @AfterAll
        assertThat(servers).allSatisfy(s -> assertThat(s).isSameAs(servers.getFirst()));
        assertThat(Ports.refused(servers.getFirst().port())).isTrue();
    }

    static class NestingExample {
        @RegisterExtension
        static final JepollExtension SERVER = JepollExtension.of(TestServer.builder().handler(req -> Response.ok("nested")));

        @Test
        void outer(TestServer s) {
            seen.add(s);
        }

        @AfterAll
        static void stillServingAfterTheNestedClass() throws Exception {
            // runs after the nested class ended, before the extension closes the server
            assertThat(SERVER.server().get("/").body()).isEqualTo("nested");
            seen.add(SERVER.server());
        }

        @Nested
        class Inner {
            @Test
            void inner(TestServer s) throws Exception {
                assertThat(s.get("/").body()).isEqualTo("nested");
                seen.add(s);
            }
        }
    }

    @Test
    void aServerThatCannotStartFailsTheClassWithAClearMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            takenPort = taken.getLocalPort();
            TestExecutionSummary summary = run(FailingStartExample.class);
            assertThat(summary.getTestsSucceededCount()).isZero();
            assertThat(summary.getFailures()).hasSize(1);
            Throwable failure = summary.getFailures().getFirst().getException();
            assertThat(failure).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("the jepoll test server did not start: address already in use")
                    .hasCauseInstanceOf(BindException.class);
        }
    }

    static class FailingStartExample {
        @RegisterExtension
        static final JepollExtension SERVER = JepollExtension.of(TestServer.builder().port(takenPort).handler(req -> Response.ok("")));

        @Test
        void neverRuns() {
            seen.add(SERVER.server());
        }
    }

    @Test
    void outsideItsTestsThereIsNoServer() {
        JepollExtension unregistered = JepollExtension.of(req -> Response.ok(""));
        assertThatThrownBy(unregistered::uri)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no jepoll test server is running");
    }
}
