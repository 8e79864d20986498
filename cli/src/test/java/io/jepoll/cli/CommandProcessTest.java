package io.jepoll.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command as a real process: its banner, its answers, and a graceful stop on SIGTERM.
 *
 * <p>Every child is registered when started and destroyed (forcibly, if still alive) after each test, whatever the
 * test did; every wait on a child is bounded: its output is read on a thread into a queue that the test polls with a
 * timeout, and HTTP requests carry a timeout.
 */
class CommandProcessTest {
    private static final Pattern BANNER = Pattern.compile("listening on https?://127\\.0\\.0\\.1:(\\d+)/ \\((transport \\w+, .*, (hello|echo|files from .*))\\)");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    record Running(Process process, int port, String banner, BlockingQueue<String> output) {}

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void destroyChildren() throws InterruptedException {
        for (Process p : children) {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process launch(String... args) throws IOException { return launch(List.of(), java.util.Map.of(), args); }

    /** As {@link #launch(String...)}, run through {@code launcher} (a wrapper that execs the command), {@code env} added. */
    private Process launch(List<String> launcher, java.util.Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(launcher);
        cmd.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        children.add(p);
        return p;
    }

    Running start(String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0"));
        args.addAll(List.of(flags));
        Process p = launch(args.toArray(String[]::new));
        BlockingQueue<String> lines = Console.lines(p);
        String line = lines.poll(30, TimeUnit.SECONDS);
        Matcher m = line == null ? null : BANNER.matcher(line);
        if (m == null || !m.find()) throw new AssertionError("no banner within 30 s, got: " + line);
        return new Running(p, Integer.parseInt(m.group(1)), line, lines);
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(REQUEST_TIMEOUT);
    }

    /** Skips a test of --transport=io_uring where the kernel refuses it (the fallback has tests of its own). */
    private static void assumeTransport(String flag) {
        if (flag.equals("--transport=io_uring")) {
            org.junit.jupiter.api.Assumptions.assumeTrue(io.jepoll.server.Transport.IO_URING.isAvailable(),
                    () -> "io_uring refused here: " + io.jepoll.server.Transport.IO_URING.unavailableReason());
        }
    }

    /** SIGTERM, keeping the child's output readable ({@link Process#destroy()} would close it). */
    private static void sigterm(Process p) { p.toHandle().destroy(); }

    /** SIGTERM, then the child must stop by itself with exit code 0. */
    private static void stopsGracefully(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s of SIGTERM").isTrue();
        assertThat(p.exitValue()).as("exit code after SIGTERM").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--trigger=level", "--trigger=edge", "--transport=nio", "--transport=io_uring", "--transport=threads", "--transport=virtual"})
    void servesHelloWorldAndStopsWithExitCode0OnSigterm(String flag) throws Exception {
        assumeTransport(flag);
        Running r = start(flag, "--loops", "2");
        String value = flag.substring(flag.indexOf('=') + 1);
        assertThat(r.banner()).contains("hello", flag.startsWith("--trigger") ? "trigger " + value + ", 2 loops" : "transport " + value);
        if (value.equals("threads") || value.equals("virtual")) assertThat(r.banner()).contains("a thread per connection");
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> resp = client.send(request(r.port(), "/").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(resp.body()).isEqualTo("Hello, world!");
        }
        stopsGracefully(r.process());
    }

    @Test
    void echoReturnsTheBodyByteForByte() throws Exception {
        Running r = start("--echo");
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            byte[] body = new byte[1 << 20];
            new Random(11).nextBytes(body);
            HttpResponse<byte[]> resp = client.send(request(r.port(), "/anything")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(resp.body()).isEqualTo(body);
        }
        stopsGracefully(r.process());
    }

    @Test
    void gzipCompressesWhatTheClientAcceptsAndSaysSo() throws Exception {
        Running r = start("--echo", "--gzip");
        assertThat(r.banner()).contains(", gzip, echo");
        byte[] json = "{\"id\":1,\"name\":\"jepoll\"},".repeat(200).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<byte[]> resp = client.send(request(r.port(), "/").header("Content-Type", "application/json")
                    .header("Accept-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(json)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(resp.headers().firstValue("content-encoding")).hasValue("gzip");
            assertThat(resp.headers().firstValue("vary")).hasValue("Accept-Encoding");
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(resp.body()))) {
                assertThat(in.readAllBytes()).isEqualTo(json);
            }
            HttpResponse<byte[]> plain = client.send(request(r.port(), "/").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(plain.headers().firstValue("content-encoding")).isEmpty();
            assertThat(plain.body()).isEqualTo(json);
        }
        stopsGracefully(r.process());
    }

    @Test
    void logRequestsPrintsEachRequestLikeTheTutorial() throws Exception {
        Running r = start("--log-requests");
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            client.send(request(r.port(), "/logged?x=1").header("X-Trace", "abc").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.output().poll(10, TimeUnit.SECONDS)).startsWith("-".repeat(40) + " from 127.0.0.1:");
            assertThat(r.output().poll(10, TimeUnit.SECONDS)).isEqualTo("GET /logged?x=1 HTTP/1.1");
            List<String> fields = new ArrayList<>();
            for (String l; (l = r.output().poll(1, TimeUnit.SECONDS)) != null && l.contains(": "); ) fields.add(l);
            assertThat(fields).contains("X-Trace: abc");
        }
        stopsGracefully(r.process());
    }

    /** --proxy-protocol: the header's client is the one the log names; a connection without a header gets nothing. */
    @ParameterizedTest
    @ValueSource(strings = {"--transport=epoll", "--transport=threads"})
    void proxyProtocolLogsTheClientItsHeaderNamed(String flag) throws Exception {
        Running r = start(flag, "--proxy-protocol", "--log-requests");
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", r.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("PROXY TCP4 203.0.113.7 198.51.100.1 4711 80\r\n"
                    + "GET /lb HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes());
            assertThat(new String(s.getInputStream().readAllBytes())).startsWith("HTTP/1.1 200").endsWith("Hello, world!");
        }
        assertThat(r.output().poll(10, TimeUnit.SECONDS)).isEqualTo("-".repeat(40) + " from 203.0.113.7:4711");
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", r.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
            byte[] answer;
            try {
                answer = s.getInputStream().readAllBytes();
            } catch (java.net.SocketException reset) { // closed with our request unread: a reset, also no answer
                answer = new byte[0];
            }
            assertThat(answer).as("no answer without a PROXY header").isEmpty();
        }
        stopsGracefully(r.process());
    }

    /**
     * --health-path and --drain: SIGTERM makes the health path answer 503 while the rest is still served; a second
     * SIGTERM ends the (hour-long) drain, and the command stops gracefully with exit code 0.
     */
    @ParameterizedTest
    @ValueSource(strings = {"--transport=epoll", "--transport=threads"})
    void sigtermDrainsBeforeStoppingAndASecondSignalEndsTheDrain(String flag) throws Exception {
        Running r = start(flag, "--health-path", "/healthz", "--drain", "60m");
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> healthy = client.send(request(r.port(), "/healthz").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(healthy.statusCode()).isEqualTo(200);
            assertThat(healthy.body()).isEqualTo("ok\n");

            sigterm(r.process());
            assertThat(r.output().poll(10, TimeUnit.SECONDS)).as("said when the drain began")
                    .isEqualTo("jepoll: draining for 3600000 ms (health checks answer 503), then stopping");
            HttpResponse<String> draining = client.send(request(r.port(), "/healthz").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(draining.statusCode()).isEqualTo(503);
            assertThat(draining.body()).isEqualTo("draining\n");
            HttpResponse<String> served = client.send(request(r.port(), "/").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(served.statusCode()).as("everything else is still served").isEqualTo(200);
            assertThat(served.body()).isEqualTo("Hello, world!");
            assertThat(r.process().isAlive()).as("still draining: the hour is not over").isTrue();
        }
        sigterm(r.process()); // the second one
        assertThat(r.process().waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s of the second SIGTERM").isTrue();
        assertThat(r.process().exitValue()).isZero();
        assertThat(r.output().poll(10, TimeUnit.SECONDS)).isEqualTo("jepoll: stopped");
    }

    /** A short drain ends by itself: SIGTERM once, and the command stops with exit code 0. */
    @Test
    void aShortDrainEndsByItself() throws Exception {
        Running r = start("--health-path", "/healthz", "--drain", "200ms");
        sigterm(r.process());
        assertThat(r.process().waitFor(10, TimeUnit.SECONDS)).as("stopped within 10 s of SIGTERM").isTrue();
        assertThat(r.process().exitValue()).isZero();
        assertThat(r.output().poll(10, TimeUnit.SECONDS)).startsWith("jepoll: draining for 200 ms");
        assertThat(r.output().poll(10, TimeUnit.SECONDS)).isEqualTo("jepoll: stopped");
    }

    /**
     * systemd socket activation, as systemd does it: a launcher (socket-activate.py, needs python3) opens the
     * listening socket, passes it as descriptor 3 with LISTEN_FDS=1 and LISTEN_PID naming the server's process.
     * The server serves that socket on every loop instead of binding its --port.
     */
    @ParameterizedTest
    @ValueSource(strings = {"--trigger=level", "--trigger=edge"})
    void servesTheSocketThatSocketActivationPasses(String flag) throws Exception {
        Process p = launch(socketActivate(), java.util.Map.of(), "--host", "127.0.0.1", "--port", "1", "--loops", "2", flag);
        BlockingQueue<String> lines = Console.lines(p);
        int port = passedPort(lines);
        assertThat(lines.poll(30, TimeUnit.SECONDS)).contains("listening on http://127.0.0.1:" + port + "/");
        assertThat(lines.poll(10, TimeUnit.SECONDS)).isEqualTo("jepoll: serving the socket passed by socket activation (LISTEN_FDS), not --host/--port");
        try (HttpClient client = HttpClient.newHttpClient()) {
            for (int i = 0; i < 10; i++) {
                assertThat(client.send(request(port, "/").build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("Hello, world!");
            }
        }
        stopsGracefully(p);
    }

    @Test
    void socketActivationMeantForAnotherProcessIsIgnored() throws Exception {
        Process p = launch(socketActivate(), java.util.Map.of("LISTEN_PID", "other"), "--host", "127.0.0.1", "--port", "0");
        BlockingQueue<String> lines = Console.lines(p);
        int passed = passedPort(lines);
        Matcher m = BANNER.matcher(String.valueOf(lines.poll(30, TimeUnit.SECONDS)));
        assertThat(m.find()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as("its own port, bound").isNotEqualTo(passed);
        stopsGracefully(p);
    }

    @Test
    void socketActivationOnATransportThatCannotAdoptASocketIsAnError() throws Exception {
        Process p = launch(socketActivate(), java.util.Map.of(), "--transport", "nio");
        BlockingQueue<String> lines = Console.lines(p);
        passedPort(lines);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(lines.poll(10, TimeUnit.SECONDS)).startsWith("jepoll: cannot start: serving a passed socket")
                .contains("needs the epoll or io_uring transport: nio cannot adopt");
    }

    /** python3 and the launcher script; the test is skipped where python3 is missing. */
    private static List<String> socketActivate() throws Exception {
        String python = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .map(dir -> java.nio.file.Path.of(dir, "python3")).filter(java.nio.file.Files::isExecutable)
                .map(java.nio.file.Path::toString).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(python != null, "python3 is needed to pass a socket as descriptor 3");
        return List.of(python, java.nio.file.Path.of(CommandProcessTest.class.getResource("/socket-activate.py").toURI()).toString());
    }

    /** The launcher's first line: the port of the socket it passes. */
    private static int passedPort(BlockingQueue<String> lines) throws InterruptedException {
        String first = lines.poll(30, TimeUnit.SECONDS);
        assertThat(first).as("the launcher's first line").startsWith("port ");
        return Integer.parseInt(first.substring(5));
    }

    /**
     * --access-log as logrotate uses it: lines go to the file, the file is moved, SIGUSR1 makes a new one, and
     * SIGTERM leaves every answered request in one of them.
     */
    @Test
    void accessLogIsReopenedOnSigusr1AndCompleteAfterSigterm() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("jepoll-log");
        java.nio.file.Path log = dir.resolve("access.log"), rotated = dir.resolve("access.log.1");
        try {
            Running r = start("--access-log", log.toString());
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                client.send(request(r.port(), "/before").header("User-Agent", "test/1").build(), HttpResponse.BodyHandlers.ofString());
                java.nio.file.Files.move(log, rotated);
                Process kill = new ProcessBuilder("kill", "-USR1", String.valueOf(r.process().pid())).start();
                assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(kill.exitValue()).isZero();
                String reopened = null;
                for (String l; reopened == null && (l = r.output().poll(10, TimeUnit.SECONDS)) != null; ) {
                    if (l.contains("access log " + log + ": reopened")) reopened = l;
                }
                assertThat(reopened).as("the server said it reopened the log").isNotNull();
                client.send(request(r.port(), "/after").build(), HttpResponse.BodyHandlers.ofString());
            }
            stopsGracefully(r.process());
            assertThat(java.nio.file.Files.readAllLines(rotated)).singleElement().asString()
                    .matches("127\\.0\\.0\\.1 - - \\[[^]]+] \"GET /before HTTP/1.1\" 200 13 \"-\" \"test/1\"");
            assertThat(java.nio.file.Files.readAllLines(log)).singleElement().asString().contains("\"GET /after HTTP/1.1\" 200 13");
        } finally {
            try (var walk = java.nio.file.Files.walk(dir)) {
                for (java.nio.file.Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void accessLogToStandardOutputInJson() throws Exception {
        Running r = start("--access-log", "-", "--access-log-format", "json", "--transport", "threads");
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            client.send(request(r.port(), "/json?q=1").build(), HttpResponse.BodyHandlers.ofString());
        }
        String line = r.output().poll(10, TimeUnit.SECONDS);
        assertThat(line).startsWith("{\"time\":\"").contains("\"remote\":\"127.0.0.1\",\"method\":\"GET\",\"target\":\"/json?q=1\","
                + "\"protocol\":\"HTTP/1.1\",\"status\":200,\"bytes\":13,").endsWith("}");
        stopsGracefully(r.process());
    }

    @Test
    void anAccessLogThatCannotBeOpenedIsAOneLineErrorWithExitCode1() throws Exception {
        Process p = launch("--port", "0", "--access-log", "/no/such/directory/access.log");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(out.trim()).isEqualTo("jepoll: cannot start: cannot open the access log /no/such/directory/access.log: no such file or directory");
    }

    /** --metrics-port: GET /metrics on a listener of its own counts what the server answered. */
    @ParameterizedTest
    @ValueSource(strings = {"--transport=epoll", "--transport=nio", "--transport=threads"})
    void metricsPortServesThePrometheusText(String flag) throws Exception {
        Running r = start(flag, "--metrics-port", "0");
        String line = r.output().poll(10, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("jepoll: metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics").matcher(String.valueOf(line));
        assertThat(m.matches()).as("the metrics line, got: %s", line).isTrue();
        int metricsPort = Integer.parseInt(m.group(1));
        assertThat(metricsPort).isNotEqualTo(r.port());
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            client.send(request(r.port(), "/").build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> scrape = client.send(request(metricsPort, "/metrics").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(scrape.body()).contains("jepoll_requests_total{method=\"GET\",status_class=\"2xx\"} 1\n",
                    "# TYPE jepoll_request_duration_seconds histogram\n", "jepoll_connections_accepted_total 1\n");
            assertThat(client.send(request(r.port(), "/metrics").build(), HttpResponse.BodyHandlers.ofString()).body())
                    .as("the application's port answers as before").isEqualTo("Hello, world!");
        }
        stopsGracefully(r.process());
    }

    @Test
    void aMetricsPortInUseIsAOneLineErrorWithExitCode1() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Process p = launch("--host", "127.0.0.1", "--port", "0", "--metrics-port", String.valueOf(taken.getLocalPort()));
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.exitValue()).isEqualTo(1);
            assertThat(out.trim()).startsWith("jepoll: cannot start the metrics listener: address already in use").doesNotContain("\n");
        }
    }

    /**
     * A second server on a taken port must fail, whatever its loop count: with several loops
     * every listener sets SO_REUSEPORT, which would otherwise let it silently share the port.
     * The first one keeps every connection: each of a run of new connections is answered by it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"--loops=1", "--loops=2", "--loops=4", "--transport=nio", "--transport=threads"})
    void portInUseIsAOneLineErrorWithExitCode1(String flag) throws Exception {
        Running first = start("--loops", "2", "--echo");
        Process second = null;
        try {
            second = launch("--host", "127.0.0.1", "--port", String.valueOf(first.port()), flag);
            // Its one line fits the pipe, so it can exit before anyone reads; once it has, reading ends at once.
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).as("exits by itself").isTrue();
            String out = new String(second.getInputStream().readAllBytes());
            assertThat(second.exitValue()).isEqualTo(1);
            assertThat(out.trim()).startsWith("jepoll: cannot start:").contains("address already in use").doesNotContain("\n");
            // The first server still owns the port: each new connection reaches it (its echo mode
            // tells it apart from a hello server).
            for (int i = 0; i < 20; i++) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", first.port())) {
                    s.setSoTimeout(10_000);
                    String body = "n" + i;
                    s.getOutputStream().write(("POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: "
                            + body.length() + "\r\n\r\n" + body).getBytes());
                    String reply = new String(s.getInputStream().readAllBytes());
                    assertThat(reply).startsWith("HTTP/1.1 200").endsWith("\r\n\r\n" + body);
                }
            }
        } finally {
            if (second != null) second.destroyForcibly();
        }
        stopsGracefully(first.process());
    }


    /** ./jepoll --dir: the files, a directory's index, a redirect, and a clear error for a missing directory. */
    @ParameterizedTest
    @ValueSource(strings = {"--trigger=level", "--trigger=edge", "--transport=nio", "--transport=threads"})
    void servesADirectory(String flag) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("jepoll-dir");
        try {
            java.nio.file.Files.writeString(dir.resolve("index.html"), "<p>home</p>\n");
            java.nio.file.Files.createDirectories(dir.resolve("sub"));
            java.nio.file.Files.writeString(dir.resolve("sub/a.css"), "p{}\n");
            Running r = start(flag, "--dir", dir.toString(), "--max-age", "60");
            assertThat(r.banner()).contains("files from ");
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                HttpResponse<String> home = client.send(request(r.port(), "/").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(home.body()).isEqualTo("<p>home</p>\n");
                assertThat(home.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
                assertThat(home.headers().firstValue("cache-control")).hasValue("max-age=60");
                HttpResponse<String> css = client.send(request(r.port(), "/sub/a.css").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(css.headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
                HttpResponse<String> redirect = client.send(request(r.port(), "/sub?x=1").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(redirect.statusCode()).isEqualTo(301);
                assertThat(redirect.headers().firstValue("location")).hasValue("/sub/?x=1");
                assertThat(client.send(request(r.port(), "/sub/").build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                        .as("no index, no listing").isEqualTo(404);
            }
            stopsGracefully(r.process());
        } finally {
            try (var walk = java.nio.file.Files.walk(dir)) {
                for (java.nio.file.Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void aMissingDirectoryIsAOneLineUsageError() throws Exception {
        Process p = launch("--dir", "/no/such/directory/here");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(out.trim()).isEqualTo("jepoll: --dir: not a directory: /no/such/directory/here");
    }

    /** --trace prints the loop's steps for a request: its accept, read, request line, send and close. */
    @ParameterizedTest
    @ValueSource(strings = {"--trigger=level", "--trigger=edge", "--transport=nio", "--transport=io_uring"})
    void traceShowsTheStepsOfARequest(String flag) throws Exception {
        assumeTransport(flag);
        Running r = start(flag, "--trace", "--loops", "1");
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            assertThat(client.send(request(r.port(), "/traced").build(), HttpResponse.BodyHandlers.ofString()).body())
                    .isEqualTo("Hello, world!");
        }
        List<String> seen = new ArrayList<>();
        for (String l; (l = r.output().poll(10, TimeUnit.SECONDS)) != null; ) {
            seen.add(l);
            if (l.contains(" send ")) break;
        }
        assertThat(seen.getFirst()).contains("time", "loop", "call", "socket", "what");
        // accept4 on epoll; "accept" on io_uring, whose kernel accepted and the loop only hands the descriptor out
        assertThat(String.join("\n", seen)).contains(flag.endsWith("io_uring") ? "accept " : "accept4", "read", "GET /traced HTTP/1.1", "→ 200", " send ");
        if (flag.endsWith("io_uring")) assertThat(String.join("\n", seen)).contains("sqe", "recv (multishot, provided buffers)", "cqe");
        stopsGracefully(r.process());
    }

    /**
     * Where the kernel refuses io_uring (seccomp in a container, kernel.io_uring_disabled), the command says so in
     * one line and serves on epoll. The refusal is made by the probe's switch, as the test cannot install a filter.
     */
    @Test
    void refusedIoUringFallsBackToEpollInOneLine() throws Exception {
        Process p = launch(List.of(), java.util.Map.of("JDK_JAVA_OPTIONS", "-Djepoll.io_uring.refuse=true"),
                "--host", "127.0.0.1", "--port", "0", "--transport", "io_uring");
        BlockingQueue<String> lines = Console.lines(p);
        List<String> seen = new ArrayList<>();
        Matcher m = null;
        for (String l; m == null && (l = lines.poll(30, TimeUnit.SECONDS)) != null; ) {
            if (l.startsWith("NOTE: Picked up JDK_JAVA_OPTIONS")) continue; // the java launcher's own line
            seen.add(l);
            Matcher b = BANNER.matcher(l);
            if (b.find()) m = b;
        }
        assertThat(m).as("a banner, after: " + seen).isNotNull();
        assertThat(seen).hasSize(2);
        assertThat(seen.getFirst()).startsWith("jepoll: io_uring is refused here (").contains("serving on epoll instead");
        assertThat(m.group(2)).startsWith("transport epoll");
        try (HttpClient client = HttpClient.newHttpClient()) {
            assertThat(client.send(request(Integer.parseInt(m.group(1)), "/").build(), HttpResponse.BodyHandlers.ofString()).body())
                    .isEqualTo("Hello, world!");
        }
        stopsGracefully(p);
    }

    @Test
    void refusedIoUringWithNoFallbackIsAUsageError() throws Exception {
        Process p = launch(List.of(), java.util.Map.of("JDK_JAVA_OPTIONS", "-Djepoll.io_uring.refuse=true"),
                "--port", "0", "--transport", "io_uring", "--no-fallback");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        String out = new String(p.getInputStream().readAllBytes()).replaceAll("NOTE: Picked up JDK_JAVA_OPTIONS.*\n", "");
        assertThat(out.trim()).startsWith("jepoll: --transport io_uring is refused here: io_uring refused by -Djepoll.io_uring.refuse");
    }

    @Test
    void traceOfABlockingTransportIsAUsageError() throws Exception {
        Process p = launch("--trace", "--transport", "threads");
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(new String(p.getInputStream().readAllBytes()).trim()).startsWith("jepoll: --trace shows the event loops");
    }

    /**
     * HTTPS with a certificate made as the README says (openssl; skipped without it), then SIGHUP: a new certificate
     * for new connections, and a broken key file that changes nothing but says so in one line.
     */
    @Test
    void servesHttpsAndReloadsItsCertificateOnSighup() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("jepoll-https");
        java.nio.file.Path cert = dir.resolve("cert.pem"), key = dir.resolve("key.pem");
        org.junit.jupiter.api.Assumptions.assumeTrue(selfSigned(dir, "first"), "openssl is not installed");
        Running r = start("--tls-cert", cert.toString(), "--tls-key", key.toString());
        assertThat(r.banner()).contains("listening on https://");
        java.security.cert.X509Certificate first = pemCertificate(cert);
        assertThat(servedCertificate(r.port(), first)).isEqualTo(first);

        assertThat(selfSigned(dir, "second")).isTrue();
        java.security.cert.X509Certificate second = pemCertificate(cert);
        signal("HUP", r.process());
        assertThat(r.output().poll(10, TimeUnit.SECONDS)).startsWith("jepoll: TLS reloaded: CN=localhost (serial " + second.getSerialNumber().toString(16));
        assertThat(servedCertificate(r.port(), first, second)).isEqualTo(second);

        java.nio.file.Files.writeString(key, "not a key\n");
        signal("HUP", r.process());
        assertThat(r.output().poll(10, TimeUnit.SECONDS)).isEqualTo("jepoll: TLS reload failed, still serving the previous certificate: "
                + key + ": no -----BEGIN PRIVATE KEY----- block");
        assertThat(servedCertificate(r.port(), first, second)).isEqualTo(second);
        stopsGracefully(r.process());
    }

    /** --redirect-http: a plain listener of its own, announced under the banner, answering 308 to the HTTPS port. */
    @Test
    void redirectHttpAnswers308ToTheHttpsPort() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("jepoll-redirect");
        org.junit.jupiter.api.Assumptions.assumeTrue(selfSigned(dir, "redirect"), "openssl is not installed");
        Running r = start("--tls-cert", dir.resolve("cert.pem").toString(), "--tls-key", dir.resolve("key.pem").toString(),
                "--redirect-http", "0");
        String line = r.output().poll(10, TimeUnit.SECONDS);
        Matcher m = line == null ? null : Pattern.compile("^jepoll: redirecting http://127\\.0\\.0\\.1:(\\d+)/ to https \\(308\\)$").matcher(line);
        assertThat(m != null && m.find()).as("the redirect line, got: " + line).isTrue();
        try (HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
            HttpResponse<String> resp = client.send(request(Integer.parseInt(m.group(1)), "/a?b=c").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(resp.statusCode()).isEqualTo(308);
            assertThat(resp.headers().firstValue("Location")).hasValue("https://127.0.0.1:" + r.port() + "/a?b=c");
        }
        stopsGracefully(r.process());
    }

    /** The README's command: an EC P-256 certificate for localhost and 127.0.0.1; false when openssl is absent. */
    private static boolean selfSigned(java.nio.file.Path dir, String name) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "key.pem", "-out", "cert.pem", "-days", "30", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1").directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException absent) {
            return false;
        }
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("openssl req (" + name + ")").isTrue();
        return p.exitValue() == 0;
    }

    private static java.security.cert.X509Certificate pemCertificate(java.nio.file.Path pem) throws Exception {
        try (var in = java.nio.file.Files.newInputStream(pem)) {
            return (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    /** GET / over HTTPS on a new connection, trusting {@code trusted}; returns the certificate the server showed. */
    private static java.security.cert.X509Certificate servedCertificate(int port, java.security.cert.X509Certificate... trusted) throws Exception {
        java.security.KeyStore anchors = java.security.KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        for (int i = 0; i < trusted.length; i++) anchors.setCertificateEntry("t" + i, trusted[i]);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(anchors);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null); // a new context: no session to resume
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ctx).build()) {
            HttpResponse<String> resp = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/"))
                    .timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(resp.body()).isEqualTo("Hello, world!");
            return (java.security.cert.X509Certificate) resp.sslSession().orElseThrow().getPeerCertificates()[0];
        }
    }

    /** kill -SIG pid, for a child this test started. */
    private static void signal(String name, Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).redirectErrorStream(true).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }
}
