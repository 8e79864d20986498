package io.jepoll.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The training run of the command's AOT cache (JEP 483, 514). The cli module's package step runs
 * {@code java -XX:AOTCacheOutput=target/jepoll.aot -cp target/jepoll.jar io.jepoll.cli.Training} (cli/pom.xml has the
 * exact flags): it runs the command in this JVM as {@code ./jepoll} would, once in each mode (hello, echo, a
 * directory) on a free port of 127.0.0.1, sends it the kinds of request a first user sends, stops it and exits. The
 * JVM then stores the classes it loaded and linked in the cache that {@code ./jepoll} hands to later runs.
 *
 * <p>Every wait is bounded. An unexpected answer fails the run (exit code 1), and with it the build: a command that
 * cannot answer its own training requests is not worth packaging.
 */
final class Training {
    private Training() {}

    private static final int WAIT_SECONDS = 30;
    private static final Pattern PORT = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");
    private static final Pattern ETAG = Pattern.compile("(?i)\r\nETag: ([^\r]+)");
    /** Pipelined keep-alive requests per connection, and connections: the cache keeps classes, not counts. */
    private static final int KEEP_ALIVE = 10, CONNECTIONS = 2;

    /** One mode's requests, against the port it listens on. */
    private interface Requests {
        void send(int port) throws IOException;
    }

    /**
     * Runs the training.
     *
     * @param args none
     * @throws Exception when the command fails to start, answers unexpectedly or does not stop
     */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("jepoll-training");
        try {
            Files.writeString(dir.resolve("index.html"), "<p>training</p>\n");
            Files.writeString(dir.resolve("style.css"), "p { margin: 0 }\n");
            Files.createDirectory(dir.resolve("sub"));
            serve(List.of(), Training::hello);
            serve(List.of("--echo"), Training::echo);
            serve(List.of("--dir", dir.toString()), Training::files);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    /** Runs the command with these flags until {@code requests} are done, then stops it; it must exit with 0. */
    private static void serve(List<String> flags, Requests requests) throws Exception {
        List<String> args = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", "0"));
        args.addAll(flags);
        Lines console = new Lines();
        PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        CountDownLatch stop = new CountDownLatch(1);
        FutureTask<Integer> command = new FutureTask<>(() -> Main.run(args.toArray(String[]::new), out, out, stop));
        Thread.ofPlatform().name("training " + String.join(" ", flags)).start(command);
        try {
            String banner = console.next();
            Matcher m = banner == null ? null : PORT.matcher(banner);
            if (m == null || !m.find()) throw new IllegalStateException("jepoll " + args + " did not start: " + banner);
            requests.send(Integer.parseInt(m.group(1)));
        } finally {
            stop.countDown();
        }
        int exit = command.get(WAIT_SECONDS, TimeUnit.SECONDS);
        if (exit != 0) throw new IllegalStateException("jepoll " + args + " exited with " + exit);
    }

    private static void hello(int port) throws IOException {
        String get = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        for (int c = 0; c < CONNECTIONS; c++) {
            expect(exchange(port, get.repeat(KEEP_ALIVE) + "HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    + "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n" + closing("GET", "/", "")),
                    repeat(200, KEEP_ALIVE, 200, 405, 200));
        }
    }

    private static void echo(int port) throws IOException {
        String body = "training body\n".repeat(64);
        for (int c = 0; c < CONNECTIONS; c++) {
            String answer = exchange(port, ("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).repeat(KEEP_ALIVE)
                    + "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                    + closing("POST", "/echo", "Content-Length: 4\r\n\r\nbye!"));
            expect(answer, repeat(200, KEEP_ALIVE, 200, 200));
            if (!answer.endsWith("bye!")) throw new IllegalStateException("echo lost the body: " + tail(answer));
        }
    }

    private static void files(int port) throws IOException {
        String first = exchange(port, closing("GET", "/style.css", ""));
        expect(first, 200);
        Matcher etag = ETAG.matcher(first);
        if (!etag.find()) throw new IllegalStateException("no ETag: " + first);
        String requests = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                + "GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: " + etag.group(1) + "\r\n\r\n"
                + "GET /style.css HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: bytes=0-3\r\n\r\n"
                + "HEAD /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                + "GET /sub HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                + "GET /missing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        for (int c = 0; c < CONNECTIONS; c++) {
            expect(exchange(port, requests.repeat(KEEP_ALIVE / 10) + closing("GET", "/index.html", "")),
                    repeatAll(new int[]{200, 304, 206, 200, 301, 404}, KEEP_ALIVE / 10, 200));
        }
    }

    /** The last request of a connection: it asks the server to close, so reading to the end is bounded. */
    private static String closing(String method, String path, String rest) {
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + (rest.isEmpty() ? "\r\n" : rest);
    }

    /** Writes {@code requests} on a new connection and reads until the server closes it. */
    private static String exchange(int port, String requests) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), WAIT_SECONDS * 1000);
            s.setSoTimeout(WAIT_SECONDS * 1000);
            s.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static void expect(String answer, int... statuses) {
        List<Integer> got = new ArrayList<>();
        for (Matcher m = STATUS.matcher(answer); m.find(); ) got.add(Integer.parseInt(m.group(1)));
        List<Integer> want = java.util.Arrays.stream(statuses).boxed().toList();
        if (!got.equals(want)) throw new IllegalStateException("expected statuses " + want + ", got " + got + ": " + tail(answer));
    }

    /** {@code status} n times, then {@code then}. */
    private static int[] repeat(int status, int n, int... then) {
        return repeatAll(new int[]{status}, n, then);
    }

    /** The statuses of {@code group} n times over, then {@code then}. */
    private static int[] repeatAll(int[] group, int n, int... then) {
        int[] all = new int[group.length * n + then.length];
        for (int i = 0; i < n; i++) System.arraycopy(group, 0, all, i * group.length, group.length);
        System.arraycopy(then, 0, all, group.length * n, then.length);
        return all;
    }

    private static String tail(String answer) {
        return answer.length() <= 300 ? answer : "..." + answer.substring(answer.length() - 300);
    }

    /** The command's console: hands over each complete line, so the banner (with the port) can be awaited. */
    private static final class Lines extends OutputStream {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            if (b != '\n') {
                line.write(b);
                return;
            }
            lines.add(line.toString(StandardCharsets.UTF_8));
            line.reset();
        }

        /** The next line, or null after 30 s without one. */
        String next() throws InterruptedException {
            return lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
