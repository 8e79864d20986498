package io.jepoll.server;

import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code openssl s_client} for the protocol checks the JDK client cannot make (old versions it refuses to offer,
 * renegotiation) or does not show (session reuse). Every run is bounded; a test that needs openssl is skipped where
 * it is not installed.
 */
final class OpenSsl {
    private OpenSsl() {}

    /** What s_client printed (stdout and stderr together) and how it ended. */
    record Result(int exit, String output) {
        /** The server's certificate as s_client printed it. */
        X509Certificate certificate() throws Exception {
            int begin = output.indexOf("-----BEGIN CERTIFICATE-----");
            int end = output.indexOf("-----END CERTIFICATE-----", begin);
            if (begin < 0 || end < 0) throw new AssertionError("no certificate in: " + output);
            byte[] pem = output.substring(begin, end + 25).getBytes(StandardCharsets.US_ASCII);
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
        }
    }

    private static Boolean present;

    /** Skips the calling test when openssl is not installed. */
    static synchronized void assumePresent() {
        if (present == null) {
            try {
                Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                present = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                present = false;
            }
        }
        Assumptions.assumeTrue(present, "openssl is not installed");
    }

    /**
     * One request through s_client: {@code -ign_eof} keeps it reading after the request was sent, and the request asks
     * for the close, so it ends when the server has answered (after any session ticket) and closed.
     */
    static Result request(int port, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("-ign_eof"));
        args.addAll(List.of(options));
        return run(port, "GET /via-openssl HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", true, args);
    }

    /**
     * s_client with {@code first} on its standard input, then, once its output shows {@code await} (s_client takes
     * one read of its input as a command, so the two must not arrive together), {@code then}, with the input left
     * open: the run ends when the server closes.
     */
    static Result converse(int port, List<String> options, String first, String await, String then) throws Exception {
        Process p = launch(port, options, first);
        try {
            OutputStream in = p.getOutputStream();
            StringBuilder seen = new StringBuilder();
            java.util.concurrent.CompletableFuture<Void> awaited = new java.util.concurrent.CompletableFuture<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (InputStream o = p.getInputStream()) {
                    for (int c; (c = o.read()) >= 0; ) {
                        synchronized (seen) {
                            seen.append((char) c);
                            if (!awaited.isDone() && seen.indexOf(await) >= 0) awaited.complete(null);
                        }
                    }
                } catch (IOException e) {
                    // the process is gone: what was seen is the result
                }
                awaited.complete(null);
            });
            awaited.get(20, TimeUnit.SECONDS);
            in.write(then.getBytes(StandardCharsets.ISO_8859_1));
            in.flush();
            if (!p.waitFor(20, TimeUnit.SECONDS)) throw new AssertionError("openssl " + options + " still running after 20 s: " + seen);
            reader.join(10_000);
            synchronized (seen) {
                return new Result(p.exitValue(), seen.toString());
            }
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * s_client with {@code input} on its standard input; with {@code closeInput} false the input stays open, so that
     * the run ends only when the server closes (or the 20 s bound passes, which then fails the calling test).
     */
    static Result run(int port, String input, boolean closeInput, List<String> options) throws Exception {
        Process p = launch(port, options, input);
        try {
            if (closeInput) p.getOutputStream().close();
            byte[][] out = new byte[1][];
            Thread reader = Thread.ofVirtual().start(() -> {
                try (InputStream o = p.getInputStream()) {
                    out[0] = o.readAllBytes();
                } catch (IOException e) {
                    out[0] = new byte[0];
                }
            });
            if (!p.waitFor(20, TimeUnit.SECONDS)) throw new AssertionError("openssl " + options + " still running after 20 s");
            reader.join(10_000);
            return new Result(p.exitValue(), new String(out[0] == null ? new byte[0] : out[0], StandardCharsets.ISO_8859_1));
        } finally {
            p.destroyForcibly();
        }
    }

    /** s_client started, {@code input} written to it. */
    private static Process launch(int port, List<String> options, String input) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
        cmd.addAll(options);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            p.getOutputStream().write(input.getBytes(StandardCharsets.ISO_8859_1));
            p.getOutputStream().flush();
        } catch (IOException e) {
            p.destroyForcibly();
            throw e;
        }
        return p;
    }
}
