package io.jepoll.cli;

import io.jepoll.server.HttpServer;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One program of {@code examples/} run as its README says, with the Java source launcher against the core jar:
 * {@code java --enable-native-access=ALL-UNNAMED -cp core/target/jepoll-core-VERSION.jar examples/NAME.java 0}.
 * Port 0 makes it pick a free port, which it prints in its first line; {@link #close()} kills it.
 */
final class ExampleProgram implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/.*");
    /** Compiling the source in memory and starting the JVM: generous, since the suite may run on a busy machine. */
    private static final long START_SECONDS = 60;

    private final Process process;
    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
    final URI uri;

    private ExampleProgram(String name, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", coreClasses().toString(),
                examplesDir().resolve(name + ".java").toString(), "0"));
        cmd.addAll(args);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
        Thread.ofVirtual().start(() -> {
            try {
                out.lines().forEach(output::add);
            } catch (UncheckedIOException closed) {
                // the program was killed: its output ends here
            }
        });
        uri = URI.create("http://127.0.0.1:" + awaitPort(name) + "/");
    }

    /** Starts examples/NAME.java on a free port with these extra arguments; returns once it listens. */
    static ExampleProgram start(String name, String... args) throws Exception {
        return new ExampleProgram(name, List.of(args));
    }

    URI uri(String path) { return uri.resolve(path); }

    private int awaitPort(String name) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (System.nanoTime() < deadline) {
            String line = output.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                if (!process.isAlive() && output.isEmpty()) break;
                continue;
            }
            Matcher m = LISTENING.matcher(line);
            if (m.matches()) return Integer.parseInt(m.group(1));
            seen.add(line);
        }
        close();
        throw new AssertionError(name + ".java did not start listening; its output: " + seen);
    }

    /** Where the core's classes are: core/target/jepoll-core-VERSION.jar in a reactor build, its classes dir in an IDE. */
    private static Path coreClasses() throws URISyntaxException {
        return Path.of(HttpServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** The repository's examples/ folder: the test runs in cli/, so it is one level up. */
    static Path examplesDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples");
            if (Files.isDirectory(candidate) && Files.exists(candidate.resolve("Hello.java"))) return candidate;
        }
        throw new IllegalStateException("no examples/ folder above " + Path.of("").toAbsolutePath());
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
