package io.jepoll.server;

import io.jepoll.loop.Trigger;
import io.jepoll.tls.TestCertificates;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.util.List;
import java.util.stream.Stream;

/**
 * The ways a server can run: four event-loop modes (epoll level and edge, java.nio, io_uring) and two blocking ones, each in plaintext and over TLS. The
 * socket suites (HttpServerTest, SmugglingTest, FaultTest, ShutdownTest, SocketFuzzTest, StaticFilesTest) and
 * PipelineTest and TimeoutTest run in every one, BackpressureTest in the eight event-loop ones; the others in the
 * plaintext ones ({@link #plaintext()}). A suite's clients come from here ({@link #socket()}, {@link #uri},
 * {@link #httpClient()}, {@link #curl}), so one test body serves both.
 */
public enum Mode {
    EPOLL_LEVEL(Transport.EPOLL, Trigger.LEVEL, false),
    EPOLL_EDGE(Transport.EPOLL, Trigger.EDGE, false),
    NIO(Transport.NIO, Trigger.LEVEL, false),
    IO_URING(Transport.IO_URING, Trigger.LEVEL, false),
    THREADS(Transport.THREADS, Trigger.LEVEL, false),
    VIRTUAL(Transport.VIRTUAL, Trigger.LEVEL, false),
    EPOLL_LEVEL_TLS(Transport.EPOLL, Trigger.LEVEL, true),
    EPOLL_EDGE_TLS(Transport.EPOLL, Trigger.EDGE, true),
    NIO_TLS(Transport.NIO, Trigger.LEVEL, true),
    IO_URING_TLS(Transport.IO_URING, Trigger.LEVEL, true),
    THREADS_TLS(Transport.THREADS, Trigger.LEVEL, true),
    VIRTUAL_TLS(Transport.VIRTUAL, Trigger.LEVEL, true);

    public final Transport transport;
    public final Trigger trigger;
    /** HTTPS with {@link TestCertificates#localhost()}. */
    public final boolean tls;

    Mode(Transport transport, Trigger trigger, boolean tls) {
        this.transport = transport;
        this.trigger = trigger;
        this.tls = tls;
    }

    /** The plaintext modes, for the suites that do not run over TLS. */
    public static Stream<Mode> plaintext() { return Stream.of(values()).filter(m -> !m.tls); }

    /** Whether this mode runs on event loops (epoll, nio) rather than a thread per connection. */
    public boolean eventDriven() { return transport.isEventDriven(); }

    /** Whether this mode is epoll (level or edge), plaintext or TLS. */
    public boolean epoll() { return transport == Transport.EPOLL; }

    /** A builder on 127.0.0.1, a free port, two loops, this transport and trigger, and TLS in the TLS modes. */
    public HttpServer.Builder builder() {
        // io_uring where a seccomp filter or kernel.io_uring_disabled refuses it: the test is skipped, not failed
        org.junit.jupiter.api.Assumptions.assumeTrue(transport.isAvailable(), () -> transport.label() + " refused here: " + transport.unavailableReason());
        HttpServer.Builder b = HttpServer.builder().host("127.0.0.1").port(0).loops(2).transport(transport).trigger(trigger);
        return tls ? b.tls(TestCertificates.serverContext()) : b;
    }

    /** A new unconnected client socket: a TLS one that trusts the test certificate in the TLS modes. */
    public Socket socket() throws IOException {
        return tls ? TestCertificates.trustingLocalhost().getSocketFactory().createSocket() : new Socket();
    }

    /** A client socket connected to {@code port} on 127.0.0.1. */
    public Socket connect(int port) throws IOException {
        Socket s = socket();
        s.connect(new InetSocketAddress("127.0.0.1", port));
        return s;
    }

    /** "http://127.0.0.1:port" + path, or https in the TLS modes. */
    public java.net.URI uri(HttpServer server, String path) {
        return java.net.URI.create((tls ? "https" : "http") + "://127.0.0.1:" + server.port() + path);
    }

    /** The JDK client for this mode: HTTP/1.1, trusting the test certificate in the TLS modes. */
    public HttpClient httpClient() {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        return (tls ? b.sslContext(TestCertificates.trustingLocalhost()) : b).build();
    }

    /** curl's arguments, with {@code --cacert} in front in the TLS modes; its URL from {@link #uri}. */
    public byte[] curl(String... args) throws IOException, InterruptedException {
        if (!tls) return HttpServerTest.curl(args);
        List<String> all = new java.util.ArrayList<>(List.of("--cacert", TestCertificates.localhost().certificatePem().toString()));
        all.addAll(List.of(args));
        return HttpServerTest.curl(all.toArray(new String[0]));
    }
}
