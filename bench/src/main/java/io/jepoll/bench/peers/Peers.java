package io.jepoll.bench.peers;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * What every peer serves, so that all of them send the same bytes: GET / is the tutorial's 13-byte
 * greeting, GET /16k is 16 KiB, POST /echo returns the request body. Each response carries
 * Content-Type, Content-Length (or chunked, where a framework insists) and Date, as jepoll does.
 */
public final class Peers {
    private Peers() {}

    public static final String HOST = "127.0.0.1";
    public static final String HELLO_TEXT = "Hello, world!";
    public static final byte[] HELLO = HELLO_TEXT.getBytes(StandardCharsets.US_ASCII);
    public static final byte[] BIG = big(16 * 1024);
    public static final String TEXT_PLAIN = "text/plain";
    public static final String OCTETS = "application/octet-stream";
    /** Listen backlog for every peer: the kernel caps it at net.core.somaxconn (4096 here). */
    public static final int BACKLOG = 4096;

    /** 16 KiB of printable text (a ruler of digits and newlines), so curl can show it. */
    static byte[] big(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (i % 64 == 63) ? (byte) '\n' : (byte) ('0' + i % 10);
        return b;
    }

    /** The port from the first argument. */
    public static int port(String[] args) {
        if (args.length < 1) throw new IllegalArgumentException("usage: <port> [options]");
        return Integer.parseInt(args[0]);
    }

    public static String arg(String[] args, int i, String dflt) {
        return args.length > i ? args[i] : dflt;
    }

    /** Prints the line bench/run waits for (it also polls the port). */
    public static void ready(String name, int port) {
        System.out.println(name + " listening on http://" + HOST + ":" + port + "/ (pid " + ProcessHandle.current().pid() + ")");
        System.out.flush();
    }

    // ---- Date: formatted at most once per second, read lock-free ---------------------------------

    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME;

    private record Stamp(long second, String text) {}

    private static volatile Stamp stamp = new Stamp(-1, "");

    /** The IMF-fixdate of the current second. */
    public static String date() {
        long now = System.currentTimeMillis() / 1000;
        Stamp s = stamp;
        if (s.second != now) {
            s = new Stamp(now, RFC_1123.format(ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(now), ZoneOffset.UTC)));
            stamp = s;
        }
        return s.text;
    }

    /** Blocks the main thread until the JVM is told to stop (SIGTERM from bench/run). */
    public static void park() throws InterruptedException {
        Thread.currentThread().join();
    }
}
