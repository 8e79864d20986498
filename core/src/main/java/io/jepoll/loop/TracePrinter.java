package io.jepoll.loop;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The {@code --trace} output: one aligned line per step of the loop,
 *
 * <pre>
 *     time  loop  call        socket  what
 *    0.412  L0    epoll_wait          1 ready after 1.204 ms (timeout 50 ms)
 *    0.412  L0    event       fd 6    EPOLLIN (listener)
 *    0.412  L0    accept4     fd 9    from 127.0.0.1:40522
 *    0.413  L0    read        fd 9    78 bytes
 *    0.413  L0    http        fd 9    GET / HTTP/1.1
 *    0.413  L0    send        fd 9    130 of 130 bytes
 * </pre>
 *
 * coloured by kind when it goes to a terminal. Under load it stays readable and cheap: past
 * {@code maxLinesPerSecond} lines in one second it counts instead of printing, and the
 * next line after that second says how many were left out, of which kinds.
 */
public final class TracePrinter implements Tracer {
    private static final String RESET = "\u001b[0m";
    private static final String DIM = "\u001b[2m", CYAN = "\u001b[36m", GREEN = "\u001b[32m",
            YELLOW = "\u001b[33m", MAGENTA = "\u001b[35m", RED = "\u001b[31m", BLUE = "\u001b[34m";

    private enum Kind {
        POLL("epoll_wait", CYAN), EVENT("event", CYAN), ACCEPT("accept4", GREEN), READ("read", BLUE),
        SEND("send", MAGENTA), CTL("epoll_ctl", YELLOW), CORK("setsockopt", YELLOW), TIMER("timer", YELLOW),
        CLOSE("close", RED), NOTE("", GREEN), SQE("sqe", DIM), CQE("cqe", DIM);

        final String call, colour;

        Kind(String call, String colour) {
            this.call = call;
            this.colour = colour;
        }
    }

    private final PrintStream out;
    private final boolean colour;
    private final int maxLinesPerSecond;
    private final LongSupplier nanoClock;
    private final long start;
    private final String pollCall;
    private final boolean uring;                              // io_uring: accept and interest are no system calls of ours
    private long second;                                      // the second the counts below are for
    private int printed;                                      // lines printed in that second
    private final long[] dropped = new long[Kind.values().length];
    private int emptyWaits;                                   // waits that returned nothing, not printed yet
    private int emptyWaitLoop;
    private java.util.List<String> held;                      // lines waiting for the header; null when not holding

    /**
     * A printer with every knob given, for tests and embedders.
     *
     * @param out               where lines go
     * @param colour            ANSI colours (for a terminal)
     * @param maxLinesPerSecond lines printed per second at most; the rest are counted
     * @param epoll             name the wait epoll_wait (else select, for java.nio)
     * @param nanoClock         time source, {@code System::nanoTime} outside tests
     */
    public TracePrinter(PrintStream out, boolean colour, int maxLinesPerSecond, boolean epoll, LongSupplier nanoClock) {
        this(out, colour, maxLinesPerSecond, epoll ? Backend.EPOLL : Backend.NIO, nanoClock);
    }

    /**
     * A printer with every knob given, the wait named after {@code backend}'s call.
     *
     * @param out               where lines go
     * @param colour            ANSI colours (for a terminal)
     * @param maxLinesPerSecond lines printed per second at most; the rest are counted
     * @param backend           names the wait: epoll_wait, io_uring_enter or select
     * @param nanoClock         time source, {@code System::nanoTime} outside tests
     */
    public TracePrinter(PrintStream out, boolean colour, int maxLinesPerSecond, Backend backend, LongSupplier nanoClock) {
        if (maxLinesPerSecond < 1) throw new IllegalArgumentException("maxLinesPerSecond must be >= 1");
        this.out = out;
        this.colour = colour;
        this.maxLinesPerSecond = maxLinesPerSecond;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.uring = backend == Backend.IO_URING;
        this.pollCall = switch (backend) {
            case EPOLL -> "epoll_wait";
            case IO_URING -> "io_uring_enter";
            case NIO -> "select";
        };
    }

    /**
     * For the command line: to stdout, coloured when that is a terminal, 300 lines a second at most.
     *
     * @param epoll name the wait epoll_wait (else select, for java.nio)
     * @return the printer
     */
    public static TracePrinter toStdout(boolean epoll) { return toStdout(epoll ? Backend.EPOLL : Backend.NIO); }

    /**
     * For the command line: to stdout, coloured when that is a terminal, 300 lines a second at most.
     *
     * @param backend names the wait: epoll_wait, io_uring_enter or select
     * @return the printer
     */
    public static TracePrinter toStdout(Backend backend) {
        String term = System.getenv("TERM");
        boolean tty = System.console() != null && term != null && !term.equals("dumb") && System.getenv("NO_COLOR") == null;
        return new TracePrinter(System.out, tty, 300, backend, System::nanoTime);
    }

    /**
     * Keeps the lines the loops print until {@link #header()} is called: a server's loops start
     * tracing (registering the listener) before its banner, which names the port, can be printed.
     *
     * @return this printer
     */
    public synchronized TracePrinter holdUntilHeader() {
        if (held == null) held = new java.util.ArrayList<>();
        return this;
    }

    /** Printed once at start: the column heads, then any line held until now. */
    public synchronized void header() {
        out.println(String.format(Locale.ROOT, "%9s  %-4s  %-11s %-7s %s", "time", "loop", "call", "socket", "what"));
        if (held == null) return;
        held.forEach(out::println);
        held = null;
    }

    @Override
    public synchronized void polled(int loop, int ready, long waitedNanos, int timeoutMillis) {
        if (ready == 0) { // the timer wheel ticking while nothing happens: one line for a run of them
            emptyWaits++;
            emptyWaitLoop = loop;
            return;
        }
        line(Kind.POLL, loop, -1, ready + " ready after " + millis(waitedNanos)
                + (timeoutMillis < 0 ? " (no timeout)" : " (timeout " + timeoutMillis + " ms)"));
    }

    @Override
    public void event(int loop, int id, int events, boolean listener) {
        line(Kind.EVENT, loop, id, mask(events) + (listener ? " (listener)" : ""));
    }

    @Override
    public void accepted(int loop, int id, InetSocketAddress peer) {
        line(Kind.ACCEPT, loop, id, "from " + (peer == null ? "?" : Backend.hostPort(peer)));
    }

    @Override
    public void acceptFailed(int loop, String detail, boolean paused) {
        line(Kind.ACCEPT, loop, -1, "failed: " + detail + (paused ? ", accepting paused" : ""));
    }

    @Override
    public void read(int loop, int id, int n, int asked) {
        line(Kind.READ, loop, id, n > 0 ? n + " bytes" : n == 0 ? "EOF (the peer shut its side)"
                : n == Socket.AGAIN ? "EAGAIN (drained)" : "reset by the peer");
    }

    @Override
    public void sent(int loop, int id, long taken, long asked, boolean file) {
        String what = taken < 0 ? "failed: the peer is gone"
                : taken == 0 ? "EAGAIN (send buffer full), " + asked + " bytes wait"
                : taken + " of " + asked + " bytes" + (taken < asked ? " (partial)" : "");
        line(Kind.SEND, loop, id, (file ? "sendfile: " : "") + what);
    }

    @Override
    public void interest(int loop, int id, int from, int to) {
        line(Kind.CTL, loop, id, (from < 0 ? "add " : mask(from) + " → ") + mask(to));
    }

    @Override
    public void cork(int loop, int id, boolean on) {
        line(Kind.CORK, loop, id, "TCP_CORK " + (on ? "on" : "off"));
    }

    @Override
    public void timer(int loop, int id, String what) {
        line(Kind.TIMER, loop, id, what);
    }

    @Override
    public void closed(int loop, int id, String why) {
        line(Kind.CLOSE, loop, id, "(" + why + ")");
    }

    @Override
    public void note(int loop, int id, String text) {
        line(Kind.NOTE, loop, id, text);
    }

    @Override
    public void submitted(int loop, int id, String what) {
        line(Kind.SQE, loop, id, what);
    }

    @Override
    public void completed(int loop, int id, String what) {
        line(Kind.CQE, loop, id, what);
    }

    /** epoll's bits by name: EPOLLIN|EPOLLRDHUP; 0 is "none". */
    static String mask(int events) {
        if (events == 0) return "none";
        StringBuilder b = new StringBuilder();
        append(b, events, Interest.READ, "EPOLLIN");
        append(b, events, Interest.WRITE, "EPOLLOUT");
        append(b, events, Interest.READ_HANGUP, "EPOLLRDHUP");
        append(b, events, Interest.HANGUP, "EPOLLHUP");
        append(b, events, Interest.ERROR, "EPOLLERR");
        append(b, events, Interest.EDGE, "EPOLLET");
        int rest = events & ~(Interest.READ | Interest.WRITE | Interest.READ_HANGUP | Interest.HANGUP | Interest.ERROR | Interest.EDGE);
        if (rest != 0) b.append(b.isEmpty() ? "" : "|").append("0x").append(Integer.toHexString(rest));
        return b.toString();
    }

    private static void append(StringBuilder b, int events, int bit, String name) {
        if ((events & bit) == 0) return;
        if (!b.isEmpty()) b.append('|');
        b.append(name);
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    private synchronized void line(Kind kind, int loop, int id, String what) {
        if (emptyWaits > 0) {
            int n = emptyWaits;
            emptyWaits = 0;
            line(Kind.POLL, emptyWaitLoop, -1, "0 ready, " + n + (n == 1 ? " time" : " times") + " (timer ticks, nothing to do)");
        }
        long now = nanoClock.getAsLong() - start;
        long sec = now / 1_000_000_000L;
        if (sec != second) {
            flushDropped();
            second = sec;
            printed = 0;
        }
        if (printed >= maxLinesPerSecond) {
            dropped[kind.ordinal()]++;
            return;
        }
        printed++;
        String call = switch (kind) {
            case POLL -> pollCall;
            case NOTE -> "http";
            case ACCEPT -> uring ? "accept" : kind.call;    // the kernel's multishot accept, handed out by the loop
            case CTL -> uring ? "interest" : kind.call;     // what the poller reports, no epoll_ctl behind it
            default -> kind.call;
        };
        String socket = id < 0 ? "" : "fd " + id;
        String text = String.format(Locale.ROOT, "%9.3f  L%-3d  %-11s %-7s %s", now / 1e9, loop, call, socket, what);
        String coloured = colour ? kind.colour + text + RESET : text;
        if (held != null) held.add(coloured); // bounded: at most maxLinesPerSecond a second, and only until the banner
        else out.println(coloured);
    }

    /** The summary of the lines left out in the second that just ended. */
    private void flushDropped() {
        long total = 0;
        StringBuilder kinds = new StringBuilder();
        for (Kind k : Kind.values()) {
            long n = dropped[k.ordinal()];
            if (n == 0) continue;
            total += n;
            if (!kinds.isEmpty()) kinds.append(", ");
            kinds.append(k == Kind.NOTE ? "http" : k == Kind.POLL ? pollCall : k.call).append(' ').append(n);
            dropped[k.ordinal()] = 0;
        }
        if (total == 0) return;
        String text = String.format(Locale.ROOT, "%9s  %-4s  … %d more lines in second %d not shown (%s)", "", "", total, second, kinds);
        out.println(colour ? DIM + text + RESET : text);
    }
}
