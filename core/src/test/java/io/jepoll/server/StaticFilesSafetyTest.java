package io.jepoll.server;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing outside the root, ever: a table of attacks on the path (encoded dots and slashes,
 * double encoding, overlong UTF-8, backslashes, NUL, dotfiles, symlinks out, absolute-form),
 * each of which must look like a missing file (404; the parser may refuse a malformed target
 * with 400 first), never a 500 and never the secret. And the honest spellings that must work.
 */
@ParameterizedClass
@MethodSource("io.jepoll.server.Mode#plaintext")
class StaticFilesSafetyTest {
    @TempDir
    static Path base;
    static HttpServer server;
    static final String SECRET = "the secret outside the root";

    @Parameter
    Mode mode;

    static void layout() throws Exception {
        Path root = Files.createDirectories(base.resolve("root"));
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), SECRET);
        Files.writeString(root.resolve("public.txt"), "public");
        Files.writeString(root.resolve(".secret"), SECRET);
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("sub/x.txt"), "x");
        Files.writeString(root.resolve("a b.txt"), "space");
        Files.writeString(root.resolve("é.txt"), "accent");
        Files.createSymbolicLink(root.resolve("link-out"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("dir-out"), outside);
        Files.createSymbolicLink(root.resolve("link-in"), root.resolve("public.txt"));
    }

    @BeforeParameterizedClassInvocation
    static void start(Mode mode) throws Exception {
        if (!Files.isDirectory(base.resolve("root"))) layout(); // the class's @BeforeAll may come after this
        server = mode.builder().handler(StaticFiles.of(base.resolve("root"))).start();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        if (server != null) server.close();
        server = null;
    }

    RawClient.Reply get(String target) throws Exception {
        try (RawClient c = new RawClient(server)) {
            c.send("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            return c.read();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/../outside/secret.txt",
            "/sub/../../outside/secret.txt",
            "/%2e%2e/outside/secret.txt",
            "/%2E%2E/outside/secret.txt",
            "/.%2e/outside/secret.txt",
            "/%2e%2e%2foutside%2fsecret.txt",
            "/sub/..%2F..%2Foutside/secret.txt",
            "/%252e%252e/outside/secret.txt",
            "/%c0%ae%c0%ae/outside/secret.txt",
            "/%e0%80%ae%e0%80%ae/outside/secret.txt",
            "/..%5coutside%5csecret.txt",
            "/..\\outside\\secret.txt",
            "/public.txt%00.html",
            "/.secret",
            "/%2esecret",
            "/sub/../.secret",
            "/link-out",
            "/dir-out/secret.txt",
            "/public.txt/",
            "/nothing-here",
            "http://x/../outside/secret.txt",
            "/%",
            "/%zz",
    })
    void attacksLookLikeAMissingFile(String target) throws Exception {
        RawClient.Reply r = get(target);
        assertThat(r.status()).as(target).isIn(400, 404);
        assertThat(r.text()).as(target).doesNotContain(SECRET);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/public.txt|public",
            "/%70ublic.txt|public",
            "/sub/x.txt|x",
            "/sub/../public.txt|public",
            "//sub///x.txt|x",
            "/a%20b.txt|space",
            "/%C3%A9.txt|accent",
            "/link-in|public",
    })
    void honestSpellingsAreServed(String target, String body) throws Exception {
        RawClient.Reply r = get(target);
        assertThat(r.status()).as(target).isEqualTo(200);
        assertThat(r.text()).isEqualTo(body);
    }
}
