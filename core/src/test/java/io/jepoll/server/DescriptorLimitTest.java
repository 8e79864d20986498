package io.jepoll.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Out of descriptors (accept4 → EMFILE), the server pauses accepting, logs it, keeps serving the connections it has,
 * and accepts again once descriptors are free: soak/fd-limit-check in CI, on a small scale.
 *
 * <p>The server runs in a child JVM ({@link FdLimitServer}, the test JVM's own java and class path) under
 * {@code prlimit --nofile=64:64} (or {@code ulimit -n} where prlimit is missing); the test opens connections well
 * past that limit, which the kernel queues for the listener whatever the server can accept. Event-loop modes
 * only: the blocking transports log a different message ("accept failed: ..."), and the pause and resume on a
 * closed connection this checks are the event loop's (Listener).
 *
 * <p>The class path: as deployed, jepoll's classes come from a jar, which stays open, so a class loaded for the
 * first time while descriptors are out needs none. The test's class path has directories instead (a class file is
 * a file to open), so the main test packs them into a jar first; the disabled test keeps the directories and shows
 * what happens then.
 */
class DescriptorLimitTest {
    private static final int LIMIT = 64;

    /** The test JVM's class path with its directories packed into one jar. */
    private static String jarClassPath;

    private Process child;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void destroyChild() throws Exception {
        for (Socket s : sockets) s.close();
        if (child != null) {
            child.getOutputStream().close(); // asks it to stop ...
            if (!child.waitFor(5, TimeUnit.SECONDS)) child.destroyForcibly(); // ... and makes sure it does
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @BeforeAll
    static void packClassDirectories(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("classes.jar");
        List<String> path = new ArrayList<>(List.of(jar.toString()));
        Set<String> names = new HashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path root = Path.of(entry);
                if (!Files.isDirectory(root)) {
                    path.add(entry);
                    continue;
                }
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        String name = root.relativize(f).toString().replace(File.separatorChar, '/');
                        if (!names.add(name)) continue; // the first directory on the path wins, as it would
                        out.putNextEntry(new JarEntry(name));
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
            }
        }
        jarClassPath = String.join(File.pathSeparator, path);
    }

    private static List<String> command(Mode mode, String classPath) {
        List<String> java = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx128m", "-cp", classPath,
                FdLimitServer.class.getName(), mode.name());
        List<String> cmd = new ArrayList<>();
        if (onPath("prlimit")) {
            cmd.addAll(List.of("prlimit", "--nofile=" + LIMIT + ":" + LIMIT));
        } else {
            cmd.addAll(List.of("sh", "-c", "ulimit -n " + LIMIT + " && exec \"$@\"", "sh"));
        }
        cmd.addAll(java);
        return cmd;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        }
        return false;
    }

    /** Copies a stream of the child into a queue, line by line, on a thread of its own. */
    private static BlockingQueue<String> lines(InputStream in) {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        Thread.ofVirtual().start(() -> {
            try {
                r.lines().forEach(q::add);
            } catch (UncheckedIOException closed) {
                // the child is gone
            }
        });
        return q;
    }

    /** Waits (bounded) for a line containing {@code text}; returns it, or null. Lines before it are kept in {@code seen}. */
    private static String awaitLine(BlockingQueue<String> q, String text, long millis, List<String> seen) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            String l = q.poll(left, TimeUnit.NANOSECONDS);
            if (l == null) return null;
            seen.add(l);
            if (l.contains(text)) return l;
        }
        return null;
    }

    private static void assertHello(RawClient c, String when) throws IOException {
        RawClient.Reply r = c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").read();
        assertThat(r.status()).as("status %s", when).isEqualTo(200);
        assertThat(r.text()).as("body %s", when).isEqualTo("Hello, world!");
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"EPOLL_LEVEL", "EPOLL_EDGE", "NIO", "IO_URING"})
    void outOfDescriptorsTheServerPausesAcceptingKeepsServingAndRecovers(Mode mode) throws Exception {
        floodAndRecover(mode, jarClassPath);
    }

    /** The same from a class directory, where loading a class needs a descriptor: EventLoop preloads the EMFILE path's classes. */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"EPOLL_LEVEL", "EPOLL_EDGE", "NIO", "IO_URING"})
    void outOfDescriptorsWithClassesInADirectoryTheServerStillRecovers(Mode mode) throws Exception {
        floodAndRecover(mode, System.getProperty("java.class.path"));
    }

    private void floodAndRecover(Mode mode, String classPath) throws Exception {
        child = new ProcessBuilder(command(mode, classPath)).start();
        BlockingQueue<String> out = lines(child.getInputStream());
        BlockingQueue<String> err = lines(child.getErrorStream());
        List<String> said = new ArrayList<>();
        String ready = awaitLine(out, "port ", 30_000, said);
        assertThat(ready).as("the child's start-up line (stdout %s, stderr %s)", said, err).isNotNull();
        int port = Integer.parseInt(ready.substring(ready.indexOf("port ") + 5).trim());
        try {
            flood(port, err);
        } catch (AssertionError | IOException e) {
            List<String> rest = new ArrayList<>();
            awaitLine(err, "\0", 2_000, rest); // whatever it says within 2 s more: only to explain the failure
            throw new AssertionError(e + "; the server's stderr since: " + String.join("\n", rest), e);
        }
    }

    private void flood(int port, BlockingQueue<String> err) throws Exception {
        try (RawClient before = new RawClient(port)) {
            assertHello(before, "before the flood");

            // Twice the limit: the kernel completes every handshake and queues the connections; the server runs
            // out of descriptors somewhere past LIMIT minus the ten or so the JVM holds.
            for (int i = 0; i < 2 * LIMIT; i++) {
                Socket s = new Socket();
                sockets.add(s);
                s.connect(new InetSocketAddress("127.0.0.1", port));
                s.setSoTimeout(10_000);
            }
            List<String> logged = new ArrayList<>();
            // epoll names the errno ("accept: EMFILE, pausing ..."); java.nio only has the exception's text.
            assertThat(awaitLine(err, "pausing accepts", 20_000, logged)).as("the pause warning on stderr, which said: %s", logged).isNotNull();

            // out of descriptors, it still serves the connection it has
            assertHello(before, "on a connection accepted before the flood, while accepting is paused");

            // Descriptors are free again: it accepts (and drops) the queued connections the clients closed, then ours.
            // (A loop that died on the way shows here as a refused connection; the failure quotes its stderr.)
            for (Socket s : sockets) s.close();
            sockets.clear();
            try (RawClient after = new RawClient(port)) {
                assertHello(after, "on a new connection after the flood");
            }
            assertHello(before, "on the first connection after the flood");
        }
        assertThat(child.isAlive()).as("the server process is still running").isTrue();
    }
}
