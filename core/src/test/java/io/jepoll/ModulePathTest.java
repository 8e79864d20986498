package io.jepoll;

import io.jepoll.server.HttpServer;
import io.jepoll.sys.Linux;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jepoll as the named module {@code io.jepoll}: its descriptor, a small application compiled against it and run
 * from the module path in a child JVM, and an application that reaches for {@code io.jepoll.sys} and is refused.
 *
 * <p>The rest of the suite runs on the class path (it is white-box); this is the one place the module boundary is
 * what is tested. The module is the main classes directory, which holds {@code module-info.class} by the time tests
 * run (the jar does not exist yet in the test phase; both work on the module path).
 */
class ModulePathTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /** Where the module's classes are: the directory (or jar) HttpServer was loaded from. */
    private static Path coreModule() throws URISyntaxException {
        return Path.of(HttpServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void theDescriptorExportsTheApiReadsOnlyJavaBaseAndKeepsSysInside() throws Exception {
        ModuleDescriptor d = ModuleFinder.of(coreModule()).find("io.jepoll").orElseThrow().descriptor();
        assertThat(d.isAutomatic()).as("a real module-info, not Automatic-Module-Name").isFalse();
        assertThat(d.exports()).allSatisfy(e -> assertThat(e.isQualified()).as("%s exported to everyone", e.source()).isFalse());
        Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
        assertThat(exported).contains("io.jepoll.server", "io.jepoll.http", "io.jepoll.loop");
        // A new package must be exported, or be added here on purpose.
        assertThat(d.packages().stream().filter(p -> !exported.contains(p))).as("packages kept inside").containsExactly("io.jepoll.sys");
        assertThat(d.requires().stream().map(ModuleDescriptor.Requires::name)).containsExactly("java.base");
        assertThat(d.opens()).isEmpty();
    }

    @Test
    void anApplicationOnTheModulePathServesRequests() throws Exception {
        Path app = compile("demo.app", Map.of(
                "module-info.java", "module demo.app { requires io.jepoll; }",
                "demo/Main.java", """
                        package demo;

                        import io.jepoll.http.Response;
                        import io.jepoll.server.HttpServer;

                        public final class Main {
                            public static void main(String[] args) throws Exception {
                                Module jepoll = HttpServer.class.getModule();
                                try (HttpServer server = HttpServer.builder().host("127.0.0.1").port(0).loops(1)
                                        .handler(req -> Response.ok(Main.class.getModule().getName() + " uses " + jepoll.getName()
                                                + ", native access " + jepoll.isNativeAccessEnabled() + ": " + req.path()))
                                        .start()) {
                                    System.out.println("port " + server.port() + " " + server.config().transport());
                                    while (System.in.read() != -1) { } // serves until its stdin closes
                                }
                            }
                        }
                        """));

        String modulePath = coreModule() + File.pathSeparator + app;
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-Xmx64m",
                "--module-path", modulePath, "--enable-native-access=io.jepoll", "-m", "demo.app/demo.Main").start();
        try {
            CompletableFuture<String> stderr = readAll(child.getErrorStream());
            String ready = firstLine(child.getInputStream()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(ready).as("the child's first line (stderr: %s)", stderr.getNow("")).startsWith("port ");
            String[] words = ready.split(" ");
            if (Linux.isAvailable()) assertThat(words[2]).as("the default transport").isEqualTo("EPOLL");

            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build()) {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + words[1] + "/modular"))
                        .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("demo.app uses io.jepoll, native access true: /modular");
            }

            child.getOutputStream().close(); // asks it to stop
            assertThat(child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("stops when its stdin closes").isTrue();
            assertThat(child.exitValue()).isZero();
            // --enable-native-access=io.jepoll is what the module needs: no warning about restricted methods
            assertThat(stderr.get(WAIT.toSeconds(), TimeUnit.SECONDS)).doesNotContain("WARNING");
        } finally {
            child.destroyForcibly();
            child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void anApplicationCannotUseTheSysPackage() throws Exception {
        String errors = compileErrors("demo.peek", Map.of(
                "module-info.java", "module demo.peek { requires io.jepoll; }",
                "demo/Peek.java", """
                        package demo;

                        import io.jepoll.sys.Linux;

                        public final class Peek {
                            public static boolean epoll() { return Linux.isAvailable(); }
                        }
                        """));
        assertThat(errors).contains("package io.jepoll.sys is not visible", "does not export it");
    }

    /** Compiles a module against io.jepoll into a directory of its own, which it returns. */
    private Path compile(String module, Map<String, String> sources) throws Exception {
        Result r = javac(module, sources);
        assertThat(r.ok()).as("javac: %s", r.output()).isTrue();
        return r.classes();
    }

    /** Compiles a module that must not compile; returns what javac said. */
    private String compileErrors(String module, Map<String, String> sources) throws Exception {
        Result r = javac(module, sources);
        assertThat(r.ok()).as("javac must refuse it").isFalse();
        return r.output();
    }

    private record Result(boolean ok, String output, Path classes) {}

    private Result javac(String module, Map<String, String> sources) throws Exception {
        Path src = dir.resolve("src").resolve(module);
        for (Map.Entry<String, String> s : sources.entrySet()) {
            Path f = src.resolve(s.getKey());
            Files.createDirectories(f.getParent());
            Files.writeString(f, s.getValue());
        }
        Path classes = dir.resolve("classes").resolve(module);
        // In process, javac would default its class path to this JVM's, where io.jepoll.sys is plain visible.
        Path noClassPath = Files.createDirectories(dir.resolve("empty"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "--module-path", coreModule().toString(),
                "--class-path", noClassPath.toString()));
        Set<String> files = sources.keySet().stream().map(n -> src.resolve(n).toString()).collect(Collectors.toSet());
        args.addAll(files);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = javac.run(null, out, out, args.toArray(String[]::new));
        return new Result(code == 0, out.toString(StandardCharsets.UTF_8), classes);
    }

    /** The first line of a stream of the child (null if it ends first), read on a thread of its own. */
    private static CompletableFuture<String> firstLine(InputStream in) {
        CompletableFuture<String> line = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                line.complete(new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8)).readLine());
            } catch (IOException e) {
                line.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return line;
    }

    /** Reads a stream of the child to its end on a thread of its own, so the child never blocks on a full pipe. */
    private static CompletableFuture<String> readAll(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return text;
    }
}
