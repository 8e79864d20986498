package io.jepoll.server;

import io.jepoll.http.HttpLimits;
import io.jepoll.http.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** The server end to end over real sockets, in every transport and trigger mode. */
@ParameterizedClass
@EnumSource(Mode.class)
class HttpServerTest {
    @Parameter
    Mode mode;

    HttpServer server;

    static final Handler HELLO = req -> Response.ok("Hello, world!");

    /** Every JDK HttpClient request is bounded (the client has no timeout of its own). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    /** Echoes the body; GET /big/N answers N bytes; GET /path answers the target; /boom throws. */
    static final Handler ROUTES = req -> {
        String p = req.path();
        if (p.startsWith("/big/")) {
            byte[] b = new byte[Integer.parseInt(p.substring(5))];
            for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 31 + 7);
            return Response.bytes(200, "application/octet-stream", b);
        }
        if (p.equals("/boom")) throw new IllegalStateException("boom");
        if (p.equals("/echo")) return Response.bytes(200, "application/octet-stream", req.body());
        return Response.ok(req.method() + " " + req.target());
    };

    HttpServer start(Handler h) throws Exception { return server = mode.builder().handler(h).start(); }

    @AfterEach
    void stop() { if (server != null) server.close(); }

    static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + 7);
        return b;
    }

    @Test
    void jdkHttpClientGetsHelloWorld() throws Exception {
        start(HELLO);
        try (HttpClient client = mode.httpClient()) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(mode.uri(server, "/")).timeout(REQUEST_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("Hello, world!");
            assertThat(r.headers().firstValue("date")).isPresent();
            assertThat(r.headers().firstValue("content-length")).hasValue("13");
        }
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        start(ROUTES);
        try (RawClient c = new RawClient(server)) {
            for (int i = 0; i < 200; i++) {
                RawClient.Reply r = c.send("GET /n/" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertThat(r.text()).isEqualTo("GET /n/" + i);
                assertThat(r.header("connection")).isNull();
            }
        }
    }

    @Test
    void servesIpv6WithCorkAndNoDelay() throws Exception {
        server = mode.builder().host("::1").tcpCork(true).tcpNoDelay(true).handler(ROUTES).start();
        try (RawClient c = new RawClient(server.address(), mode.tls)) {
            c.send(("GET /six HTTP/1.1\r\nHost: [::1]\r\n\r\n").repeat(3));
            for (int i = 0; i < 3; i++) assertThat(c.read().text()).isEqualTo("GET /six");
        }
    }

    @Test
    void sixteenPipelinedRequestsInOneWriteAreAnsweredInOrder() throws Exception {
        start(ROUTES);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 16; i++) all.append("GET /p/").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
        try (RawClient c = new RawClient(server)) {
            c.send(all.toString());
            for (int i = 0; i < 16; i++) assertThat(c.read().text()).isEqualTo("GET /p/" + i);
        }
    }

    @Test
    void requestSentOneByteAtATimeIsParsed() throws Exception {
        start(ROUTES);
        String body = "hello body";
        try (RawClient c = new RawClient(server)) {
            c.trickle("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            assertThat(c.read().text()).isEqualTo(body);
            c.trickle("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n");
            assertThat(c.read().text()).isEqualTo("abcde");
        }
    }

    @Test
    void everySplitPointOfAPipelinedPairGivesTheSameAnswers() throws Exception {
        start(ROUTES);
        byte[] two = ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                + "GET /second HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        try (RawClient c = new RawClient(server)) {
            for (int cut = 1; cut < two.length; cut++) {
                c.send(Arrays.copyOfRange(two, 0, cut)).send(Arrays.copyOfRange(two, cut, two.length));
                assertThat(c.read().text()).isEqualTo("abc");
                assertThat(c.read().text()).isEqualTo("GET /second");
            }
        }
    }

    @Test
    void largeResponseReachesASlowReaderIntact() throws Exception {
        start(ROUTES);
        int size = 8 << 20;
        try (RawClient c = new RawClient(server)) {
            c.socket().setReceiveBufferSize(32 * 1024);
            c.send("GET /big/" + size + " HTTP/1.1\r\nHost: x\r\n\r\n");
            RawClient.Reply r = c.read();
            assertThat(r.body()).hasSize(size);
            assertThat(Arrays.equals(r.body(), pattern(size))).isTrue();
            // the connection is still good afterwards
            assertThat(c.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("GET /after");
        }
    }

    @Test
    void pipelinedLargeResponsesAreAllDelivered() throws Exception {
        start(ROUTES);
        int size = 1 << 20;
        try (RawClient c = new RawClient(server)) {
            c.send(("GET /big/" + size + " HTTP/1.1\r\nHost: x\r\n\r\n").repeat(8));
            for (int i = 0; i < 8; i++) assertThat(Arrays.equals(c.read().body(), pattern(size))).isTrue();
        }
    }

    @Test
    void halfClosedClientStillGetsItsResponses() throws Exception {
        start(ROUTES);
        try (RawClient c = new RawClient(server)) {
            c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
            c.shutdownOutput();
            assertThat(c.read().text()).isEqualTo("GET /a");
            assertThat(c.read().text()).isEqualTo("GET /b");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void thousandConcurrentConnections() throws Exception {
        start(ROUTES);
        List<RawClient> clients = new ArrayList<>();
        // Over TLS each connection costs a handshake on both sides of this one machine: fewer, still all open at once.
        int count = mode.tls ? 200 : 1000;
        try {
            for (int i = 0; i < count; i++) clients.add(new RawClient(server));
            for (int i = 0; i < clients.size(); i++) clients.get(i).send("GET /c/" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
            for (int i = 0; i < clients.size(); i++) assertThat(clients.get(i).read().text()).isEqualTo("GET /c/" + i);
            assertThat(server.connectionCount()).isEqualTo(count);
        } finally {
            for (RawClient c : clients) c.close();
        }
    }

    @Test
    void http10ClosesUnlessKeepAliveIsAsked() throws Exception {
        start(ROUTES);
        try (RawClient c = new RawClient(server)) {
            RawClient.Reply r = c.send("GET /one HTTP/1.0\r\n\r\n").read();
            assertThat(r.text()).isEqualTo("GET /one");
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawClient c = new RawClient(server)) {
            RawClient.Reply r = c.send("GET /two HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
            assertThat(r.header("connection")).isEqualTo("keep-alive");
            assertThat(c.send("GET /three HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read().text()).isEqualTo("GET /three");
        }
    }

    @Test
    void connectionCloseFromHttp11ClientIsHonoured() throws Exception {
        start(ROUTES);
        try (RawClient c = new RawClient(server)) {
            RawClient.Reply r = c.send("GET /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
            assertThat(r.header("connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void headHasContentLengthButNoBody() throws Exception {
        start(ROUTES);
        try (RawClient c = new RawClient(server)) {
            RawClient.Reply r = c.send("HEAD /big/1000 HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("content-length")).isEqualTo("1000");
            // the next response starts right after the head: no stray body bytes in between
            assertThat(c.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("GET /next");
        }
    }

    @Test
    void expectContinueGets100BeforeTheBodyIsSent() throws Exception {
        start(ROUTES);
        try (RawClient c = new RawClient(server)) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawClient.Reply interim = c.read();
            assertThat(interim.status()).isEqualTo(100);
            assertThat(c.send("hello").read().text()).isEqualTo("hello");
        }
    }

    @Test
    void oneMebibyteBodyEchoedWithContentLengthAndChunked() throws Exception {
        start(ROUTES);
        byte[] body = new byte[1 << 20];
        new Random(7).nextBytes(body);
        try (HttpClient client = mode.httpClient()) {
            URI uri = mode.uri(server, "/echo");
            HttpResponse<byte[]> fixed = client.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(Arrays.equals(fixed.body(), body)).isTrue();
            // ofInputStream has no known length, so the JDK client sends it chunked
            HttpResponse<byte[]> chunked = client.send(HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(chunked.statusCode()).isEqualTo(200);
            assertThat(Arrays.equals(chunked.body(), body)).isTrue();
        }
    }

    @Test
    void handlerExceptionBecomes500AndTheConnectionLivesOn() throws Exception {
        start(ROUTES);
        try (RawClient c = new RawClient(server)) {
            assertThat(c.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(500);
            assertThat(c.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("GET /ok");
        }
    }

    @Test
    void streamedResponseIsChunkedAndComplete() throws Exception {
        byte[] part = pattern(10_000);
        start(req -> Response.stream(200, "application/octet-stream", out -> {
            for (int i = 0; i < 300; i++) out.write(part);
        }));
        try (RawClient c = new RawClient(server)) {
            c.socket().setReceiveBufferSize(32 * 1024);
            RawClient.Reply r = c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(r.body()).hasSize(3_000_000);
            for (int i = 0; i < 300; i++) assertThat(Arrays.equals(r.body(), i * 10_000, (i + 1) * 10_000, part, 0, 10_000)).isTrue();
            assertThat(c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).hasSize(3_000_000);
        }
    }

    @Test
    void streamedBodyCanStillReadItsRequestAfterTheLoopBufferIsReused() throws Exception {
        for (boolean virtual : new boolean[]{false, true}) {
            CountDownLatch otherServed = new CountDownLatch(1);
            server = mode.builder().loops(1).virtualThreads(virtual).handler(req -> {
                if (!req.path().equals("/stream")) return Response.ok("other " + req.path());
                return Response.stream(200, "text/plain", out -> {
                    try {
                        if (!otherServed.await(30, java.util.concurrent.TimeUnit.SECONDS)) throw new java.io.InterruptedIOException("never released");
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                    out.write((req.path() + "|" + req.header("X-Kept")).getBytes(StandardCharsets.UTF_8));
                });
            }).start();
            try (RawClient a = new RawClient(server); RawClient b = new RawClient(server)) {
                a.send("GET /stream HTTP/1.1\r\nHost: x\r\nX-Kept: yes\r\n\r\n");
                assertThat(b.send("GET /overwrite-the-buffer-with-other-bytes HTTP/1.1\r\nHost: zzzzzzzzzzzz\r\n\r\n").read().text())
                        .isEqualTo("other /overwrite-the-buffer-with-other-bytes");
                otherServed.countDown();
                assertThat(a.read().text()).isEqualTo("/stream|yes");
                assertThat(a.send("GET /again HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("other /again");
            }
            server.close();
            server = null;
        }
    }

    @Test
    void streamedResponseToHttp10EndsAtClose() throws Exception {
        start(req -> Response.stream(200, "text/plain", out -> out.write("streamed".getBytes())));
        try (RawClient c = new RawClient(server)) {
            RawClient.Reply r = c.send("GET / HTTP/1.0\r\n\r\n").read();
            assertThat(r.header("transfer-encoding")).isNull();
            assertThat(r.text()).isEqualTo("streamed");
        }
    }

    @Test
    void blockingHandlersOnVirtualThreadsKeepPipelinedOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server = mode.builder().virtualThreads(true).handler(req -> {
            if (req.path().equals("/slow") && !release.await(30, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            return Response.ok(req.path());
        }).start();
        try (RawClient slow = new RawClient(server); RawClient fast = new RawClient(server)) {
            slow.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /after-slow HTTP/1.1\r\nHost: x\r\n\r\n");
            // the loop is not blocked: another connection is served while /slow waits
            assertThat(fast.send("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("/fast");
            release.countDown();
            assertThat(slow.read().text()).isEqualTo("/slow");
            assertThat(slow.read().text()).isEqualTo("/after-slow");
        }
    }

    @Test
    void idleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        server = mode.builder().idleTimeout(Duration.ofMillis(200)).handler(HELLO).start();
        try (RawClient c = new RawClient(server)) {
            assertThat(c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void slowHeadGets408AtTheHeaderDeadline() throws Exception {
        server = mode.builder().headerTimeout(Duration.ofMillis(300)).handler(HELLO).start();
        try (RawClient c = new RawClient(server)) {
            c.send("GET / HTTP/1.1\r\nHost: x\r\n");
            RawClient.Reply r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void badRequestsGetTheirStatusAndAClosedConnection() throws Exception {
        server = mode.builder().limits(HttpLimits.defaults().withMaxBodySize(1000)).handler(ROUTES).start();
        String[][] cases = {
                {"400", "GET / HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n"},
                {"400", "GET / HTTP/1.1\r\n\r\n"},
                {"400", "GARBAGE\r\n\r\n"},
                {"414", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n"},
                {"431", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(17000) + "\r\n\r\n"},
                {"413", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\n\r\n"},
                {"413", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3e9\r\n" + "c".repeat(1001) + "\r\n0\r\n\r\n"},
                {"501", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"},
                {"505", "GET / HTTP/2.0\r\nHost: x\r\n\r\n"},
        };
        for (String[] c : cases) {
            try (RawClient client = new RawClient(server)) {
                client.send(c[1]);
                RawClient.Reply r = client.read();
                assertThat(r.status()).as(c[1].substring(0, Math.min(60, c[1].length()))).isEqualTo(Integer.parseInt(c[0]));
                assertThat(r.header("connection")).isEqualTo("close");
                assertThat(client.closedByServer()).isTrue();
            }
        }
        // the server is still fine
        try (RawClient client = new RawClient(server)) {
            assertThat(client.send("GET /fine HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("GET /fine");
        }
    }

    @Test
    void bodyAtTheLimitIsAccepted() throws Exception {
        server = mode.builder().limits(HttpLimits.defaults().withMaxBodySize(1000)).handler(ROUTES).start();
        try (RawClient c = new RawClient(server)) {
            assertThat(c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + "a".repeat(1000)).read().body()).hasSize(1000);
        }
    }

    @Test
    void curlGetsHelloAndEchoesAFile() throws Exception {
        start(ROUTES);
        java.nio.file.Path f = java.nio.file.Files.createTempFile("jepoll", ".bin");
        try {
            byte[] data = new byte[300_000];
            new Random(3).nextBytes(data);
            java.nio.file.Files.write(f, data);
            String base = mode.uri(server, "").toString();
            assertThat(new String(mode.curl("-s", base + "/hi"))).isEqualTo("GET /hi");
            assertThat(mode.curl("-s", "--data-binary", "@" + f, base + "/echo")).isEqualTo(data);
            assertThat(mode.curl("-s", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + f, base + "/echo")).isEqualTo(data);
        } finally {
            java.nio.file.Files.delete(f);
        }
    }

    @Test
    void atTheConnectionLimitAcceptingWaitsForAClose() throws Exception {
        server = mode.builder().loops(1).maxConnections(2).handler(req -> Response.ok(req.path())).start();
        try (RawClient a = new RawClient(server); RawClient b = new RawClient(server); RawClient c = new RawClient(server)) {
            assertThat(a.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("/a");
            assertThat(b.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("/b");
            // Waits in the kernel's accept queue. Over TLS the request cannot leave before the handshake, which
            // needs the server: the client sends from a thread of its own.
            java.util.concurrent.CompletableFuture<RawClient> sent = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return c.send("GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            assertThat(server.connectionCount()).isEqualTo(2);
            a.close();
            assertThat(c.read().text()).isEqualTo("/c");
            sent.join();
            assertThat(server.connectionCount()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void closeReleasesEveryDescriptorItOpened() throws Exception {
        // The JDK opens descriptors of its own, for good, the first time sockets are used (and, for virtual threads,
        // its pollers): open them before the baseline, so that what is compared is what the server opened.
        Harness.warmUpJdkSockets();
        List<String> before = Harness.descriptors();
        server = mode.builder().shutdownGrace(Duration.ofMillis(200)).handler(ROUTES).start();
        List<RawClient> clients = new ArrayList<>();
        for (int i = 0; i < 50; i++) clients.add(new RawClient(server));
        for (RawClient c : clients) assertThat(c.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        clients.get(0).send("GET /half"); // one connection mid-request
        server.close();
        for (RawClient c : clients) {
            assertThat(c.closedByServer()).isTrue();
            c.close();
        }
        server = null;
        Harness.assertDescriptorsBackTo(before, "after close() returned");
    }

    /** Runs curl (bounded by its own --max-time, and destroyed whatever happens); returns its output. */
    static byte[] curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "--max-time", "20"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes(); // ends when curl exits: --max-time bounds it
            }
            assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("curl exited").isTrue();
            assertThat(p.exitValue()).as("curl exit code").isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
