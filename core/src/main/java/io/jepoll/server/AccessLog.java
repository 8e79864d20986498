package io.jepoll.server;

import io.jepoll.http.Request;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * A line per exchange, in the formats of Apache and nginx or as JSON, written by a thread of its own.
 *
 * <pre>{@code
 * AccessLog log = AccessLog.to(Path.of("access.log")).format(AccessLog.Format.JSON);
 * HttpServer server = HttpServer.builder().accessLog(log).handler(...).start();
 * // logrotate moved the file: log.reopen() (the jepoll command does it on SIGUSR1)
 * }</pre>
 *
 * <p>A line is written for every response handed to a connection (for a streamed body, when it ends) and for
 * every request refused before a handler saw it (400, 408, 413, 414, 431, ...). The serving threads never wait
 * for the log: they copy a few strings into an entry and queue it; one writer thread formats and writes. When
 * the queue is full the line is dropped and counted ({@link #dropped()}), and a warning says so at most every
 * ten seconds. See {@link Format} for the formats and their escaping.
 *
 * <p>The file is opened for appending (created if missing) when the server starts; a file that cannot be
 * opened makes {@link HttpServer.Builder#start()} fail. <b>The server owns the log</b>: it closes it when it stops
 * (or fails to start), after the last exchange, so every request answered before a graceful stop is in the file
 * when {@link HttpServer#close()} returns. One log serves one server.
 */
public final class AccessLog implements AutoCloseable {
    /**
     * What a line looks like. The time is in UTC. The request line, the Referer and the User-Agent hold
     * whatever bytes a client sent (the parser accepts obs-text, 0x80 to 0xFF, in targets and fields), so every
     * string is escaped and no line can hold a raw control character or a quote that ends its field early: in the
     * text formats, as nginx does, any byte outside printable ASCII, the double quote and the backslash become
     * {@code \xHH}; in JSON, {@code \"}, {@code \\} and {@code \}{@code u00HH} (the request's Latin-1 chars, as
     * they were).
     */
    public enum Format {
        /** Apache's common log format: {@code 127.0.0.1 - - [01/Dec/2026:18:00:00 +0000] "GET /x?y=1 HTTP/1.1" 200 13}. */
        COMMON,
        /** Common, then the quoted Referer and User-Agent ("-" when absent): Apache's and nginx's default. */
        COMBINED,
        /**
         * One JSON object per line: {@code time} (ISO-8601, UTC, milliseconds), {@code remote}, {@code method},
         * {@code target}, {@code protocol}, {@code status}, {@code bytes}, {@code duration_us} (from the complete
         * request to the end of the response), {@code referer}, {@code user_agent}; null for what is absent.
         */
        JSON
    }

    /** Lines the queue holds by default. */
    public static final int DEFAULT_QUEUE_CAPACITY = 8192;
    /** Memory the queued entries may hold at most, whatever the capacity: long targets and fields count. */
    static final long MAX_QUEUED_BYTES = 16L << 20;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    private static final Duration WARN_INTERVAL = Duration.ofSeconds(10);

    private final AccessLogWriter.Output output;
    private final String name;
    private Format format = Format.COMBINED;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private volatile AccessLogWriter writer; // null until the server starts
    private boolean started;

    private AccessLog(AccessLogWriter.Output output, String name) {
        this.output = output;
        this.name = name;
    }

    /**
     * A log written to {@code file}, appended to, created if missing.
     *
     * @param file the log file
     * @return a log in the combined format
     */
    public static AccessLog to(Path file) {
        if (file == null) throw new IllegalArgumentException("file is null");
        return new AccessLog(appendingTo(file), file.toString());
    }

    /** The file opened for appending, created if missing: every write lands at its end, whoever else writes. */
    static AccessLogWriter.Output appendingTo(Path file) {
        return () -> Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /**
     * A log written to this process's standard output (as {@link System#out} is when this is called).
     *
     * @return a log in the combined format; {@link #reopen()} does nothing for it
     */
    public static AccessLog toStdout() {
        PrintStream stdout = System.out;
        return new AccessLog(() -> new FilterOutputStream(stdout) {
            @Override
            public void write(byte[] b, int off, int len) { stdout.write(b, off, len); }

            @Override
            public void close() { stdout.flush(); } // standard output stays open for the rest of the program
        }, "stdout");
    }

    /**
     * Sets the format (default {@link Format#COMBINED}).
     *
     * @param format the format of every line
     * @return this log
     * @throws IllegalStateException once the server has started
     */
    public synchronized AccessLog format(Format format) {
        if (format == null) throw new IllegalArgumentException("format is null");
        requireNotStarted();
        this.format = format;
        return this;
    }

    /**
     * Sets how many lines may wait for the writer (default {@value #DEFAULT_QUEUE_CAPACITY}); beyond them, lines
     * are dropped and counted.
     *
     * @param lines between 1 and 1,048,576
     * @return this log
     * @throws IllegalStateException once the server has started
     */
    public synchronized AccessLog queueCapacity(int lines) {
        if (lines < 1 || lines > 1 << 20) throw new IllegalArgumentException("queue capacity must be in [1, 1048576]: " + lines);
        requireNotStarted();
        this.queueCapacity = lines;
        return this;
    }

    /**
     * The format of the lines.
     *
     * @return the format
     */
    public synchronized Format format() { return format; }

    /**
     * Closes the file and opens it again by its name, after the lines already queued: after logrotate (or anyone)
     * moved it, new lines go to a new file of that name. Returns at once; the writer does it. Nothing happens
     * before the server started, or for standard output (whose reopening changes nothing).
     */
    public void reopen() {
        AccessLogWriter w = writer;
        if (w != null) w.reopen();
    }

    /**
     * Lines dropped so far because the queue was full (the output is slower than the requests).
     *
     * @return the count since the server started
     */
    public long dropped() {
        AccessLogWriter w = writer;
        return w == null ? 0 : w.dropped();
    }

    /**
     * Writes every line queued so far, flushes and closes the file; later exchanges are not logged. Waits at most
     * ten seconds for an output that takes nothing. The server calls this when it stops; calling it again does
     * nothing more.
     */
    @Override
    public synchronized void close() {
        started = true; // a log closed before its server started stays closed
        AccessLogWriter w = writer;
        if (w != null) w.close();
    }

    /** HttpServer, when it starts: opens the output and starts the writer. */
    synchronized void start() {
        if (started) throw new IllegalStateException("an access log serves one server, once");
        started = true;
        try {
            writer = new AccessLogWriter(output, name, format, queueCapacity, MAX_QUEUED_BYTES, CLOSE_WAIT, WARN_INTERVAL);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the access log " + name + ": " + AccessLogWriter.reason(e), e);
        }
    }

    /** What the engines tell of each exchange, and of each request refused before its head was complete. */
    ExchangeObserver observer() {
        return new ExchangeObserver() {
            @Override
            public void exchanged(int loop, Request req, int status, long bodyBytes, long startNanos, Request.AddressSource client) {
                record(loop, req, status, bodyBytes, startNanos, client);
            }

            @Override
            public void refused(int loop, String line, int status, long bodyBytes, Request.AddressSource client) {
                AccessLogWriter w = writer;
                if (w != null) w.offer(AccessLogEntry.refused(System.currentTimeMillis(), address(client), line, status, bodyBytes));
            }
        };
    }

    private static java.net.InetAddress address(Request.AddressSource client) {
        InetSocketAddress remote = client.remoteAddress();
        return remote == null ? null : remote.getAddress();
    }

    /** On a serving thread: copies what the line needs (the request is only valid now), queues it. */
    private void record(int loop, Request req, int status, long bodyBytes, long startNanos, Request.AddressSource client) {
        AccessLogWriter w = writer;
        if (w == null) return;
        long micros = startNanos == 0 ? 0 : Math.max(0, System.nanoTime() - startNanos) / 1000;
        long now = System.currentTimeMillis();
        java.net.InetAddress address = address(client);
        w.offer(req == null
                ? AccessLogEntry.refused(now, address, null, status, bodyBytes)
                : new AccessLogEntry(now, address, req.method(), req.target(), req.versionMinor(), status, bodyBytes,
                        micros, req.header("Referer"), req.header("User-Agent")));
    }

    private void requireNotStarted() {
        if (started) throw new IllegalStateException("the access log is in use: set it up before the server starts");
    }

    @Override
    public String toString() { return "AccessLog[" + name + ", " + format + "]"; }
}
