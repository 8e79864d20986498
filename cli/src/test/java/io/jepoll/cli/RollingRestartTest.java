package io.jepoll.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/rolling-restart-check in the suite: three instances of this build behind HAProxy, wrk through it, each
 * instance drained and restarted in turn; the script fails on any non-2xx, socket error or retry. It needs
 * python3, haproxy and wrk, and is skipped (saying which is missing) where one is not installed.
 */
class RollingRestartTest {
    private static final Path SCRIPT = Path.of("..", "deploy", "rolling-restart-check").toAbsolutePath().normalize();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aRollingRestartBehindHaproxyLosesNothing() throws Exception {
        for (String tool : List.of("python3", "haproxy", "wrk")) {
            Assumptions.assumeTrue(onPath(tool), tool + " is not installed: the rolling-restart check is skipped (apt-get install " + tool + ")");
        }
        // This build's classes as the command (JEPOLL_CMD, split as a shell would): no jar needed.
        String jepoll = String.join(" ", List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName())
                .stream().map(RollingRestartTest::quoted).toList());
        Path log = Files.createTempFile("rolling-restart", ".log");
        ProcessBuilder pb = new ProcessBuilder("python3", SCRIPT.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("JEPOLL_CMD", jepoll);
        Process p = pb.start(); // the script stops its own children, on exit and on SIGTERM
        try {
            boolean exited = p.waitFor(90, TimeUnit.SECONDS);
            if (!exited) stop(p);
            String out = Files.readString(log);
            assertThat(exited).as("finished within 90 s:\n" + out).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("PASS: 3 instances restarted one by one, nothing lost", "0 non-2xx", "socket errors: none");
        } finally {
            if (p.isAlive()) stop(p);
            Files.deleteIfExists(log);
        }
    }

    /** SIGTERM first, so the script stops what it started; whatever is left after 20 s is killed. */
    private static void stop(Process p) throws InterruptedException {
        List<ProcessHandle> children = p.descendants().toList();
        p.toHandle().destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
        for (ProcessHandle c : children) c.destroyForcibly();
    }

    /** One word for a POSIX shell (and Python's shlex): single-quoted. */
    private static String quoted(String word) { return "'" + word.replace("'", "'\\''") + "'"; }

    private static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }
}
