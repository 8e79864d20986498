package io.jepoll.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Shared by the hardening suites: descriptor counts, log capture, raw reads that tolerate any ending. */
final class Harness {
    private Harness() {}

    /**
     * Makes the JDK open the descriptors it keeps for good once sockets are used (the "pre-close" Unix socket
     * of sun.nio.ch, made when the first socket closes), so that a descriptor baseline taken afterwards is not
     * moved by them.
     */
    static void warmUpJdkSockets() throws IOException {
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            accepted.setSoTimeout(10_000);
            client.getOutputStream().write(1);
            if (accepted.getInputStream().read() != 1) throw new IOException("loopback warm-up failed");
            // A virtual thread that blocks on a socket starts the JDK's pollers (epoll instances
            // it keeps for good): a read that times out on an empty socket always parks on them.
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    accepted.setSoTimeout(1);
                    accepted.getInputStream().read();
                } catch (java.net.SocketTimeoutException expected) {
                    // parked and woke up: the pollers exist now
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** This process's open descriptors as "fd -> target" (for messages: what leaked, not only how many). */
    static List<String> descriptors() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.map(p -> {
                try {
                    return p.getFileName() + " -> " + Files.readSymbolicLink(p);
                } catch (IOException gone) { // the directory stream's own descriptor, closed by now
                    return p.getFileName() + " -> ?";
                }
            }).sorted().toList();
        }
    }

    /**
     * Fails if this process has a socket, epoll or eventfd instance, or pipe open that it did not have in
     * {@code before} (a list from {@link #descriptors()}): what a server opens and must release. The entries name
     * the target ("socket:[inode]"), so a leaked socket that reuses a released descriptor number still counts as
     * new. Descriptors of other kinds (a jar the class loader opens on first use) and descriptors that went away
     * (the JDK closing one of its own) do not make this fail, unlike a comparison of counts, which both would move.
     */
    static void assertDescriptorsBackTo(List<String> before, String when) throws IOException {
        List<String> now = descriptors();
        List<String> added = new ArrayList<>(now);
        added.removeAll(before);
        List<String> leaked = added.stream()
                .filter(d -> d.contains("-> socket:") || d.contains("-> anon_inode:") || d.contains("-> pipe:"))
                .toList();
        List<String> gone = new ArrayList<>(before);
        gone.removeAll(now);
        org.assertj.core.api.Assertions.assertThat(leaked)
                .as("descriptors opened and not released %s (all new: %s; gone: %s)", when, added, gone).isEmpty();
    }

    /**
     * Waits until the server's connection count is {@code n}, at most {@code maxMillis}; returns the last count seen.
     *
     * <p>This is the one place the suites wait on a condition instead of on an event: the server has no public
     * "connection closed" hook, and the count is updated on the loop thread right after the descriptor is closed.
     * The loop is a spin with {@link Thread#onSpinWait()} (and a yield, so the loops get the CPU on a small machine)
     * bounded by a deadline; the caller asserts on the result, so a leak fails the test instead of hanging it.
     *
     * <p>Waiting for 0 proves a close only once the connection is known to have been accepted (the client read a
     * response, or a response head): before the server accepts it, the count is 0 already.
     */
    static int awaitConnectionCount(HttpServer server, int n, long maxMillis) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        int count;
        while ((count = server.connectionCount()) != n && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
        return count;
    }

    /** Runs {@code server.close()} on a thread of its own; the future completes when it has returned. */
    static java.util.concurrent.CompletableFuture<Void> closeInBackground(HttpServer server) {
        java.util.concurrent.CompletableFuture<Void> f = new java.util.concurrent.CompletableFuture<>();
        Thread.ofPlatform().name("closer").start(() -> {
            try {
                server.close();
                f.complete(null);
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Closes {@code server} (if started), then fails if jepoll logged a warning or an error; {@code log} is closed either way. */
    static void stopAndCheckLogs(HttpServer server, LogCapture log) {
        try {
            if (server != null) server.close();
            org.assertj.core.api.Assertions.assertThat(log.unexpected()).as("warnings and errors logged by jepoll").isEmpty();
        } finally {
            log.close();
        }
    }

    /** How a raw read ended. */
    enum End { EOF, RESET, TIMEOUT }

    record Received(byte[] bytes, End end) {
        String text() { return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1); }
    }

    /** Reads everything until EOF, a reset, or the socket's read timeout. */
    static Received readToEnd(Socket s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = s.getInputStream();
            for (int n; (n = in.read(buf)) >= 0; ) out.write(buf, 0, n);
            return new Received(out.toByteArray(), End.EOF);
        } catch (SocketTimeoutException e) {
            return new Received(out.toByteArray(), End.TIMEOUT);
        } catch (IOException e) {
            return new Received(out.toByteArray(), End.RESET);
        }
    }

    /** Sends a reset instead of a FIN: SO_LINGER 0, then close. */
    static void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }

    /**
     * Collects what jepoll logs at WARNING or above (loggers "io.jepoll" and below) while open. A connection
     * callback that throws is logged by the loop and the connection closed; the suites treat any such record
     * as a bug unless the test provoked it on purpose (a throwing handler).
     */
    static final class LogCapture extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger("io.jepoll");
        private final ConcurrentLinkedQueue<LogRecord> records = new ConcurrentLinkedQueue<>();

        LogCapture() {
            setLevel(Level.WARNING);
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) records.add(r);
        }

        /** Messages (with the thrown exception, if any) of every record that does not contain one of {@code expected}. */
        List<String> unexpected(String... expected) {
            List<String> out = new ArrayList<>();
            outer:
            for (LogRecord r : records) {
                String m = String.valueOf(r.getMessage());
                for (String e : expected) if (m.contains(e)) continue outer;
                out.add(r.getLevel() + " " + r.getLoggerName() + ": " + m + (r.getThrown() == null ? "" : " / " + r.getThrown()));
            }
            return out;
        }

        /** The messages of every record collected so far. */
        List<String> messages() {
            return records.stream().map(r -> String.valueOf(r.getMessage())).toList();
        }

        @Override
        public void flush() {}

        @Override
        public void close() { logger.removeHandler(this); }
    }
}
