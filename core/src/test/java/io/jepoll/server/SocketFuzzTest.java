package io.jepoll.server;

import io.jepoll.http.HttpLimits;
import io.jepoll.http.Response;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hundreds of connections sending random bytes and mutated valid requests, in random splits, to one server
 * (issue 4). Each connection reads whatever comes back until the server closes it. Every byte the server sends
 * must parse as a sequence of well-formed HTTP/1.1 responses, an error response must be the last one, and the
 * server must end every connection by itself (its timeouts are short here, so a connection still open after the
 * client's 10 s read timeout is a failure). Unmutated pipelines must get exactly one 200 per request. Afterwards
 * the server answers a valid request, holds no connection once the clients are gone, has logged no internal
 * error, and releases every descriptor when closed.
 *
 * <p>Seeded: the seed is in every failure message; rerun one with {@code -Dfuzz.seed=N}. The one wait on a
 * condition (the connection count dropping to 0) is a bounded spin, see {@link Harness#awaitConnectionCount}.
 */
@ParameterizedClass
@EnumSource(Mode.class)
class SocketFuzzTest {
    @Parameter
    Mode mode;

    /** Connections per run; raise it for a longer local hunt with {@code -Dfuzz.connections=N}. */
    private static final int CONNECTIONS = Integer.getInteger("fuzz.connections", 300);
    private static final Duration SERVER_TIMEOUTS = Duration.ofMillis(250);
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 [1-5][0-9][0-9] [\\x20-\\x7e]*");
    private static final Pattern FIELD_LINE = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+: [\\x20-\\x7e]*");

    /** What the client did at the end, which decides how much can be checked. */
    enum Ending { HALF_CLOSE, KEEP_OPEN, RESET }

    /** One connection's script: its bytes, the cuts to send them in, how it ends; validRequests >= 0 for unmutated pipelines. */
    record Script(byte[] bytes, int[] cuts, Ending ending, int validRequests, String kind) {}

    @ParameterizedTest(name = "virtual threads: {0}")
    @ValueSource(booleans = {false, true})
    void randomAndMutatedInputNeverHurtsTheServer(boolean virtualThreads) throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        try {
            fuzz(seed, virtualThreads);
        } catch (AssertionError | Exception e) {
            throw new AssertionError("fuzz seed " + seed + " (rerun with -Dfuzz.seed=" + seed + "), " + mode
                    + ", virtual threads " + virtualThreads + ": " + e.getMessage(), e);
        }
    }

    private void fuzz(long seed, boolean virtualThreads) throws Exception {
        Harness.warmUpJdkSockets();
        List<String> descriptors = Harness.descriptors();
        SplittableRandom root = new SplittableRandom(seed);
        List<Script> scripts = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) scripts.add(script(root.split()));

        HttpServer server = mode.builder().virtualThreads(virtualThreads)
                .idleTimeout(SERVER_TIMEOUTS).headerTimeout(SERVER_TIMEOUTS).bodyTimeout(SERVER_TIMEOUTS)
                .limits(HttpLimits.defaults().withMaxBodySize(64 * 1024))
                .handler(req -> {
                    Response r = Response.ok(req.method() + " " + req.path() + " " + req.body().length);
                    return req.isMethod("HEAD") ? r.withHeader("X-Head", "1") : r; // tells the checker no body follows
                }).start();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        try (Harness.LogCapture log = new Harness.LogCapture()) {
            CountDownLatch done = new CountDownLatch(scripts.size());
            for (int i = 0; i < scripts.size(); i++) {
                int n = i;
                Thread.ofPlatform().name("fuzz-client-" + i).start(() -> {
                    try {
                        String p = play(server.port(), scripts.get(n));
                        if (p != null) problems.add("connection " + n + " (" + scripts.get(n).kind() + "): " + p);
                    } catch (Exception | AssertionError e) {
                        problems.add("connection " + n + " (" + scripts.get(n).kind() + "): " + e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertThat(done.await(60, TimeUnit.SECONDS)).as("every client finished").isTrue();
            assertThat(problems).as("problems seen by the clients").isEmpty();

            try (RawClient c = new RawClient(server)) {
                assertThat(c.send("GET /after-fuzz HTTP/1.1\r\nHost: h\r\n\r\n").read().text()).isEqualTo("GET /after-fuzz 0");
            }
            // every client socket is closed by now (each thread closed its own)
            assertThat(Harness.awaitConnectionCount(server, 0, 10_000)).as("connections still open").isZero();
            assertThat(log.unexpected()).as("warnings and errors logged by jepoll").isEmpty();
        } finally {
            server.close();
        }
        Harness.assertDescriptorsBackTo(descriptors, "after close");
    }

    /** Runs one script; returns a description of what is wrong with the server's answer, or null. */
    private static String play(int port, Script s) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            int from = 0;
            try {
                for (int cut : s.cuts()) {
                    out.write(s.bytes(), from, cut - from);
                    out.flush();
                    from = cut;
                }
                out.write(s.bytes(), from, s.bytes().length - from);
                out.flush();
            } catch (IOException refusedEarly) {
                // the server refused a prefix and closed; what it said is checked below
            }
            switch (s.ending()) {
                case RESET -> {
                    Harness.reset(socket);
                    return null;
                }
                case HALF_CLOSE -> {
                    try {
                        socket.shutdownOutput();
                    } catch (IOException alreadyClosed) {
                        // fine: the server closed first
                    }
                }
                case KEEP_OPEN -> { }
            }
            Harness.Received r = Harness.readToEnd(socket);
            if (r.end() == Harness.End.TIMEOUT) return "still open after 10 s; got " + preview(r.bytes());
            return check(r, s.validRequests());
        }
    }

    // ---------------------------------------------------------------- checking what came back

    private static String check(Harness.Received r, int validRequests) {
        byte[] b = r.bytes();
        int p = 0, finals = 0, oks = 0;
        boolean closing = false;
        while (p < b.length) {
            if (closing) return "bytes after a response that closed the connection: " + preview(Arrays.copyOfRange(b, p, b.length));
            int headEnd = indexOf(b, "\r\n\r\n", p);
            if (headEnd < 0) {
                return r.end() == Harness.End.RESET ? null : "incomplete response head: " + preview(Arrays.copyOfRange(b, p, b.length));
            }
            String[] lines = new String(b, p, headEnd - p, StandardCharsets.ISO_8859_1).split("\r\n", -1);
            if (!STATUS_LINE.matcher(lines[0]).matches()) return "bad status line: " + lines[0];
            int status = Integer.parseInt(lines[0].substring(9, 12));
            String length = null, connection = null;
            boolean head = false;
            for (int i = 1; i < lines.length; i++) {
                if (!FIELD_LINE.matcher(lines[i]).matches()) return "bad field line: " + lines[i];
                String name = lines[i].substring(0, lines[i].indexOf(':')).toLowerCase(Locale.ROOT);
                String value = lines[i].substring(lines[i].indexOf(':') + 2);
                switch (name) {
                    case "content-length" -> {
                        if (length != null) return "two Content-Length fields";
                        length = value;
                    }
                    case "connection" -> connection = value;
                    case "x-head" -> head = true;
                    case "transfer-encoding" -> { return "unexpected Transfer-Encoding: " + value; }
                    default -> { }
                }
            }
            p = headEnd + 4;
            if (status == 100) continue; // interim: nothing else to check
            finals++;
            if (length == null) return "final response without Content-Length: " + lines[0];
            int n = Integer.parseInt(length);
            if (!head) {
                if (p + n > b.length) return r.end() == Harness.End.RESET ? null : "body cut short: " + lines[0];
                p += n;
            }
            if (status == 200) oks++;
            if (status >= 400 && !"close".equals(connection)) return status + " without Connection: close";
            if (status != 200 && status < 400) return "unexpected status " + lines[0];
            closing = "close".equals(connection);
        }
        if (validRequests >= 0 && (oks != validRequests || finals != validRequests)) {
            return "a valid pipeline of " + validRequests + " requests got " + oks + " answers 200 of " + finals + ": " + preview(b);
        }
        return null;
    }

    private static int indexOf(byte[] b, String s, int from) {
        outer:
        for (int i = from; i + s.length() <= b.length; i++) {
            for (int k = 0; k < s.length(); k++) if (b[i + k] != s.charAt(k)) continue outer;
            return i;
        }
        return -1;
    }

    private static String preview(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 300), StandardCharsets.ISO_8859_1);
        return s.replace("\r", "\\r").replace("\n", "\\n") + (b.length > 300 ? "... (" + b.length + " bytes)" : "");
    }

    // ---------------------------------------------------------------- generating input

    private static final String[] PATHS = {"/", "/a/b?c=d", "/x%20y", "http://h/abs", "/" + "p".repeat(300)};

    /** A valid request that keeps the connection open (so a pipeline of them is answered in full). */
    private static String validRequest(SplittableRandom r) {
        String path = PATHS[r.nextInt(PATHS.length)];
        String body = "b".repeat(r.nextInt(0, 3000));
        return switch (r.nextInt(7)) {
            case 0 -> "GET " + path + " HTTP/1.1\r\nHost: h\r\nUser-Agent: fuzz\r\nAccept: */*\r\n\r\n";
            case 1 -> "HEAD " + path + " HTTP/1.1\r\nHost: h\r\n\r\n";
            case 2 -> "POST " + path + " HTTP/1.1\r\nHost: h\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
            case 3 -> "POST " + path + " HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + (body.isEmpty() ? "" : Integer.toHexString(body.length()) + ";ext=\"v\"\r\n" + body + "\r\n")
                    + "3\r\nxyz\r\n0\r\nX-Trailer: t\r\n\r\n";
            case 4 -> "PUT " + path + " HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
            case 5 -> "GET " + path + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
            default -> "OPTIONS * HTTP/1.1\nHost: h\n\n"; // bare LF ends lines (accepted)
        };
    }

    private static final byte[] INTERESTING = {'\r', '\n', ' ', '\t', ':', ';', ',', '"', '\\', '0', '9', 'f', 'F', '-', '+',
            0, 1, 0x7f, (byte) 0x80, (byte) 0xff, '/', '?', '#', 'H', 'T', 'P'};

    private static final String[] EXTRA_LINES = {"Content-Length: 5", "Content-Length: 0", "Content-Length: 99999999999",
            "Transfer-Encoding: chunked", "Transfer-Encoding: gzip", "Host: other", "Connection: close",
            "Expect: 100-continue", "Expect: nothing", "X: \u0000", " folded", "Bad Name: x", ""};

    private static byte[] mutate(byte[] in, SplittableRandom r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = in;
        int mutations = r.nextInt(1, 5);
        for (int m = 0; m < mutations && b.length > 0; m++) {
            int at = r.nextInt(b.length);
            out.reset();
            switch (r.nextInt(9)) {
                case 0 -> { // overwrite a byte with anything
                    b = b.clone();
                    b[at] = (byte) r.nextInt(256);
                    continue;
                }
                case 1 -> { // insert an interesting byte
                    out.write(b, 0, at);
                    out.write(INTERESTING[r.nextInt(INTERESTING.length)]);
                    out.write(b, at, b.length - at);
                }
                case 2 -> { // delete a byte
                    out.write(b, 0, at);
                    out.write(b, at + 1, b.length - at - 1);
                }
                case 3 -> { // duplicate a slice
                    int len = r.nextInt(1, Math.min(200, b.length - at) + 1);
                    out.write(b, 0, at + len);
                    out.write(b, at, b.length - at);
                }
                case 4 -> { // delete a slice
                    int len = r.nextInt(1, Math.min(50, b.length - at) + 1);
                    out.write(b, 0, at);
                    out.write(b, at + len, b.length - at - len);
                }
                case 5 -> { // truncate
                    out.write(b, 0, at);
                }
                case 6 -> { // change line ends: CRLF → LF or CR
                    String s = new String(b, StandardCharsets.ISO_8859_1);
                    s = r.nextBoolean() ? s.replaceFirst("\r\n", "\n") : s.replaceFirst("\r\n", "\r");
                    b = s.getBytes(StandardCharsets.ISO_8859_1);
                    continue;
                }
                case 7 -> { // change a number
                    String s = new String(b, StandardCharsets.ISO_8859_1);
                    String[] numbers = {"0", "1", "7", "-1", "ffffffffffffffffff", "99999999999999999999", "65536", "1e3", " 5"};
                    s = s.replaceFirst("[0-9a-f]+", numbers[r.nextInt(numbers.length)]);
                    b = s.getBytes(StandardCharsets.ISO_8859_1);
                    continue;
                }
                default -> { // add a field line after some line end
                    String s = new String(b, StandardCharsets.ISO_8859_1);
                    int nl = s.indexOf('\n', at);
                    if (nl < 0) continue;
                    s = s.substring(0, nl + 1) + EXTRA_LINES[r.nextInt(EXTRA_LINES.length)] + "\r\n" + s.substring(nl + 1);
                    b = s.getBytes(StandardCharsets.ISO_8859_1);
                    continue;
                }
            }
            b = out.toByteArray();
        }
        return b;
    }

    private static Script script(SplittableRandom r) {
        byte[] bytes;
        int valid = -1;
        String kind;
        int choice = r.nextInt(10);
        if (choice < 2) { // random bytes, from all 256 values or from HTTP-looking ones
            bytes = new byte[r.nextInt(1, 3000)];
            boolean http = r.nextBoolean();
            String alphabet = "GETPOSHTP/1.0 \r\n:Host-Content-Length: Transfer-Encoding: chunked 0123456789abcdef;=\"";
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = http ? (byte) alphabet.charAt(r.nextInt(alphabet.length())) : (byte) r.nextInt(256);
            }
            kind = http ? "random HTTP-ish bytes" : "random bytes";
        } else {
            StringBuilder pipeline = new StringBuilder();
            int n = r.nextInt(1, 5);
            for (int i = 0; i < n; i++) pipeline.append(validRequest(r));
            bytes = pipeline.toString().getBytes(StandardCharsets.ISO_8859_1);
            if (choice < 8) {
                bytes = mutate(bytes, r);
                kind = "mutated pipeline of " + n;
            } else {
                valid = n;
                kind = "valid pipeline of " + n;
            }
        }
        int[] cuts = r.ints(r.nextInt(0, 8), 0, bytes.length + 1).sorted().distinct().toArray();
        Ending ending = switch (r.nextInt(20)) {
            case 0, 1 -> Ending.RESET;
            default -> r.nextBoolean() ? Ending.HALF_CLOSE : Ending.KEEP_OPEN;
        };
        return new Script(bytes, cuts, ending, ending == Ending.RESET ? -1 : valid, kind + ", " + cuts.length + " cuts, " + ending);
    }
}
