package io.jepoll.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged command as users run it: {@code ./jepoll}, the jar and the AOT cache the package step trained
 * (failsafe runs this after {@code package}). Each test copies the launcher, bin/find-jdk, the jar and the cache
 * into a folder of their own layout, with no sources, so the launcher never rebuilds, and sets the cache's state.
 * With any state the command must start, answer and stop with exit code 0, printing nothing but its own lines;
 * only a cache made after the jar may be used, which the JVM's class-loading log (to a file) shows.
 */
class LauncherIT {
    private static final Path ROOT = Path.of(System.getProperty("jepoll.root", "..")).toAbsolutePath().normalize();
    private static final Pattern BANNER = Pattern.compile("^jepoll \\S+ listening on http://127\\.0\\.0\\.1:(\\d+)/ ");
    private static final String FROM_CACHE = "io.jepoll.cli.Main source: shared objects file";

    /** What lies at cli/target/jepoll.aot beside the jar. */
    enum Cache {
        /** The package step's cache, made after the jar: used. */
        FRESH,
        /** The same file, but older than the jar (the jar was rebuilt since): not used. */
        STALE,
        /** No file: not used. */
        MISSING,
        /** Garbage made after the jar: passed to the JVM, which refuses it, silently. */
        CORRUPT
    }

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void destroyChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(Cache.class)
    void startsAnswersAndStopsQuietlyWithAnyCache(Cache cache) throws Exception {
        Path target = layout(cache);
        Path classLog = dir.resolve("classes.log");
        ProcessBuilder pb = new ProcessBuilder(dir.resolve("jepoll").toString(), "--host", "127.0.0.1", "--port", "0")
                .redirectErrorStream(true);
        pb.environment().put("JEPOLL_JAVA_OPTS", "-Xlog:class+load:file=" + classLog);
        child = pb.start();
        BlockingQueue<String> console = Console.lines(child);

        String banner = console.poll(30, TimeUnit.SECONDS);
        Matcher m = banner == null ? null : BANNER.matcher(banner);
        assertThat(m != null && m.find()).as("first line is the banner, got: %s", banner).isTrue();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> hello = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1) + "/"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.body()).isEqualTo("Hello, world!");
        }
        // SIGTERM to the JVM (the launcher exec'd it); through the handle, since Process.destroy() would also close
        // the pipe before the last lines are read.
        child.toHandle().destroy();
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("stopped within 20 s of SIGTERM").isTrue();
        assertThat(child.exitValue()).isZero();

        List<String> rest = new ArrayList<>();
        for (String l; (l = console.poll(10, TimeUnit.SECONDS)) != null && !l.equals(Console.END); ) rest.add(l);
        assertThat(rest).as("console after the banner: no JVM warning or error").containsExactly("jepoll: stopping", "jepoll: stopped");
        assertThat(Files.readString(classLog).contains(FROM_CACHE)).as("classes came from the cache").isEqualTo(cache == Cache.FRESH);
        assertThat(Files.exists(target.resolve("jepoll.aot"))).isEqualTo(cache != Cache.MISSING);
    }

    /**
     * Two {@code ./jepoll} started at once where the jar is missing (instances behind a balancer, started together
     * from a fresh clone): one builds, the other waits for it and then finds the jar there, so the build runs once
     * and neither writes over the other's. The build here is a stand-in mvnw that holds until the test lets it go,
     * while the second launcher is known to be waiting; it then puts the packaged jar in place.
     */
    @Test
    void launchersStartedTogetherBuildOnceAndTheOthersWait() throws Exception {
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v flock").start().waitFor() == 0, "flock(1) is here");
        Files.createDirectories(dir.resolve("bin"));
        Files.createDirectories(dir.resolve("cli/target"));
        copy(ROOT.resolve("jepoll"), dir.resolve("jepoll"));
        copy(ROOT.resolve("bin/find-jdk"), dir.resolve("bin/find-jdk"));
        Path mvnw = dir.resolve("mvnw"), builds = dir.resolve("builds"), release = dir.resolve("release");
        Files.writeString(mvnw, """
                #!/usr/bin/env bash
                # A build that records itself, holds until the test creates 'release' (60 s at most), then
                # puts the packaged jar where the package step would.
                here=$(cd "$(dirname "$0")" && pwd)
                echo build >> "$here/builds"
                for i in $(seq 600); do [ -f "$here/release" ] && break; sleep 0.1; done
                cp "%s" "$here/cli/target/jepoll.jar"
                """.formatted(ROOT.resolve("cli/target/jepoll.jar")));
        assertThat(mvnw.toFile().setExecutable(true)).isTrue();

        Process first = new ProcessBuilder(dir.resolve("jepoll").toString(), "--version").redirectErrorStream(true).start();
        Process second = null;
        try {
            BlockingQueue<String> firstOut = Console.lines(first);
            assertThat(firstOut.poll(30, TimeUnit.SECONDS)).isEqualTo("jepoll: building (first use or sources changed)...");
            second = new ProcessBuilder(dir.resolve("jepoll").toString(), "--version").redirectErrorStream(true).start();
            BlockingQueue<String> secondOut = Console.lines(second);
            assertThat(secondOut.poll(30, TimeUnit.SECONDS)).isEqualTo("jepoll: waiting for another build of this tree...");
            Files.writeString(release, "");

            for (Process p : List.of(first, second)) {
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
            }
            assertThat(firstOut.poll(10, TimeUnit.SECONDS)).startsWith("jepoll ");
            assertThat(secondOut.poll(10, TimeUnit.SECONDS)).as("no build of its own").startsWith("jepoll ");
            assertThat(Files.readAllLines(builds)).containsExactly("build");
        } finally {
            Files.writeString(release, "");
            first.destroyForcibly();
            if (second != null) second.destroyForcibly();
        }
    }

    /** The launcher's folder layout with the packaged jar, and the cache in the given state; returns cli/target. */
    private Path layout(Cache cache) throws IOException {
        Path builtJar = ROOT.resolve("cli/target/jepoll.jar"), builtCache = ROOT.resolve("cli/target/jepoll.aot");
        assertThat(builtJar).as("the package step ran").exists();
        if (cache == Cache.FRESH || cache == Cache.STALE) {
            assumeTrue(Files.exists(builtCache) && Files.getLastModifiedTime(builtCache).compareTo(Files.getLastModifiedTime(builtJar)) > 0,
                    "the package step trained a cache from this jar (not -Djepoll.aot.skip)");
        }
        Files.createDirectories(dir.resolve("bin"));
        Path target = Files.createDirectories(dir.resolve("cli/target"));
        copy(ROOT.resolve("jepoll"), dir.resolve("jepoll"));
        copy(ROOT.resolve("bin/find-jdk"), dir.resolve("bin/find-jdk"));
        Path jar = copy(builtJar, target.resolve("jepoll.jar"));
        Path aot = target.resolve("jepoll.aot");
        switch (cache) {
            case FRESH, STALE -> copy(builtCache, aot);
            case CORRUPT -> Files.writeString(aot, "not an AOT cache\n");
            case MISSING -> { }
        }
        Instant built = Instant.now().minusSeconds(60);
        Files.setLastModifiedTime(jar, FileTime.from(built));
        if (cache != Cache.MISSING) {
            Files.setLastModifiedTime(aot, FileTime.from(cache == Cache.STALE ? built.minusSeconds(10) : built.plusSeconds(10)));
        }
        return target;
    }

    private static Path copy(Path from, Path to) throws IOException {
        return Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES); // keeps the scripts executable
    }
}
