package io.jepoll.server;

import io.jepoll.http.Response;
import io.jepoll.loop.Tracer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * --trace, through a recording tracer on a real server: one request on a connection the
 * client closes produces the tutorial's steps in order, on each event-loop mode.
 */
class TraceTest {
    /** Records "kind fd detail", the connection's own lines only. */
    static final class Recording implements Tracer {
        final List<String> lines = new CopyOnWriteArrayList<>();
        @Override public void polled(int loop, int ready, long waitedNanos, int timeoutMillis) { }
        @Override public void event(int loop, int id, int events, boolean listener) { lines.add((listener ? "listener-event " : "event ") + id); }
        @Override public void accepted(int loop, int id, InetSocketAddress peer) { lines.add("accept " + id); }
        @Override public void acceptFailed(int loop, String detail, boolean paused) { lines.add("accept-failed"); }
        @Override public void read(int loop, int id, int n, int asked) { lines.add("read " + id + " " + (n > 0 ? "data" : n == 0 ? "eof" : "again")); }
        @Override public void sent(int loop, int id, long taken, long asked, boolean file) { lines.add("send " + id + " " + taken + "/" + asked); }
        @Override public void interest(int loop, int id, int from, int to) { lines.add("ctl " + id); }
        @Override public void cork(int loop, int id, boolean on) { lines.add("cork " + id + " " + on); }
        @Override public void timer(int loop, int id, String what) { lines.add("timer " + id); }
        @Override public void closed(int loop, int id, String why) { lines.add("close " + id); }
        @Override public void note(int loop, int id, String text) { lines.add("note " + id + " " + text); }
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"EPOLL_LEVEL", "EPOLL_EDGE", "NIO", "IO_URING"})
    void oneRequestShowsEveryStepInOrder(Mode mode) throws Exception {
        Recording trace = new Recording();
        Response hello = Response.ok("hi");
        try (HttpServer server = mode.builder().loops(1).tcpCork(true).tracer(trace).handler(req -> hello).start()) {
            try (RawClient c = new RawClient(server)) {
                c.send("GET /x?y=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(c.read().text()).isEqualTo("hi");
                assertThat(c.closedByServer()).isTrue();
            }
            assertThat(Harness.awaitConnectionCount(server, 0, 10_000)).isZero();
            // The close is traced before the connection count drops: the list is complete now.
            String id = trace.lines.stream().filter(l -> l.startsWith("accept ")).findFirst().orElseThrow().substring(7);
            List<String> mine = trace.lines.stream().filter(l -> l.endsWith(" " + id) || l.contains(" " + id + " ")).toList();
            assertThat(mine).containsSubsequence("accept " + id, "ctl " + id, "event " + id, "read " + id + " data",
                    "note " + id + " GET /x?y=1 HTTP/1.1", "note " + id + " → 200, then close");
            assertThat(mine).anyMatch(l -> l.startsWith("send " + id + " ") && !l.contains(" 0/"));
            assertThat(mine).contains("cork " + id + " true", "cork " + id + " false");
            // io_uring adds its submissions and completions, the descriptor's actual close (an SQE) last of all
            List<String> loopLines = mine.stream().filter(l -> !l.matches("note \\d+ (SQE|CQE) .*")).toList();
            assertThat(loopLines.getLast()).isEqualTo("close " + id);
            if (mode == Mode.IO_URING) {
                List<String> ops = mine.stream().filter(l -> l.matches("note \\d+ (SQE|CQE) .*"))
                        .map(l -> l.split(" ")[2] + " " + l.split(" ")[3].replace(":", "")).toList();
                assertThat(ops).containsSubsequence("SQE recv", "CQE recv", "SQE send", "CQE send", "SQE close");
                assertThat(mine.getLast()).startsWith("note " + id + " SQE close");
            }
            assertThat(trace.lines).anyMatch(l -> l.startsWith("listener-event "));
        }
    }

    /** A refused request: the line as far as it came (escaped), then the status and the reason. */
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"EPOLL_LEVEL", "EPOLL_EDGE", "NIO", "IO_URING"})
    void aRefusalShowsItsLineAndWhy(Mode mode) throws Exception {
        Recording trace = new Recording();
        try (HttpServer server = mode.builder().loops(1).tracer(trace).handler(req -> Response.ok("hi")).start()) {
            try (RawClient c = new RawClient(server)) {
                c.send("GET /x\u007f HTTP/1.1\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(400);
            }
            try (RawClient c = new RawClient(server)) {
                c.send("GET /no-host HTTP/1.1\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(400);
            }
            assertThat(Harness.awaitConnectionCount(server, 0, 10_000)).isZero();
        }
        // what followed the refused byte is there when it came in the same read (on loopback, always in practice)
        assertThat(trace.lines).anyMatch(l -> l.matches("note \\d+ GET /x\\\\x7F( [HTP/.1]*)? \\(its head refused\\)"));
        assertThat(trace.lines).anyMatch(l -> l.matches("note \\d+ → 400 refused: .+, then close"));
        assertThat(trace.lines).anyMatch(l -> l.matches("note \\d+ GET /no-host HTTP/1\\.1"));
    }
}
