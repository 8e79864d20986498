package io.jepoll.loop;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The trace's lines: decoded masks, aligned columns, empty waits folded, and the rate bound with its summary. */
class TracePrinterTest {
    final AtomicLong clock = new AtomicLong();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final TracePrinter printer = new TracePrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 5, true, clock::get);

    List<String> lines() { return bytes.toString(StandardCharsets.UTF_8).lines().toList(); }

    @Test
    void masksAreDecodedByName() {
        assertThat(TracePrinter.mask(Interest.READ | Interest.READ_HANGUP)).isEqualTo("EPOLLIN|EPOLLRDHUP");
        assertThat(TracePrinter.mask(Interest.READ | Interest.WRITE | Interest.READ_HANGUP | Interest.EDGE)).isEqualTo("EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET");
        assertThat(TracePrinter.mask(Interest.ERROR | Interest.HANGUP)).isEqualTo("EPOLLHUP|EPOLLERR");
        assertThat(TracePrinter.mask(0)).isEqualTo("none");
        assertThat(TracePrinter.mask(1 << 20)).isEqualTo("0x100000");
    }

    @Test
    void eachStepIsOneAlignedLine() {
        TracePrinter printer = new TracePrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 100, true, clock::get);
        clock.set(1_500_000_000L);
        printer.event(0, 7, Interest.READ, false);
        printer.read(0, 7, 78, 65536);
        printer.read(0, 7, Socket.AGAIN, 65536);
        printer.sent(0, 7, 100, 130, false);
        printer.interest(0, 7, Interest.READ | Interest.READ_HANGUP, Interest.WRITE);
        printer.closed(0, 7, "reset by the peer");
        assertThat(lines()).containsExactly(
                "    1.500  L0    event       fd 7    EPOLLIN",
                "    1.500  L0    read        fd 7    78 bytes",
                "    1.500  L0    read        fd 7    EAGAIN (drained)",
                "    1.500  L0    send        fd 7    100 of 130 bytes (partial)",
                "    1.500  L0    epoll_ctl   fd 7    EPOLLIN|EPOLLRDHUP → EPOLLOUT",
                "    1.500  L0    close       fd 7    (reset by the peer)");
    }

    @Test
    void heldLinesComeAfterTheHeader() {
        printer.holdUntilHeader();
        printer.read(0, 7, 78, 65536);
        assertThat(lines()).isEmpty(); // the banner, printed by the caller, still has to come
        printer.header();
        printer.read(0, 7, 12, 65536);
        assertThat(lines()).hasSize(3);
        assertThat(lines().get(0)).contains("time", "loop", "call", "socket", "what");
        assertThat(lines().get(1)).endsWith("78 bytes");
        assertThat(lines().get(2)).endsWith("12 bytes");
    }

    @Test
    void waitsThatFindNothingAreFoldedIntoOneLine() {
        for (int i = 0; i < 20; i++) printer.polled(0, 0, 50_000_000L, 50);
        printer.polled(0, 1, 1_000_000L, 50);
        assertThat(lines()).containsExactly(
                "    0.000  L0    epoll_wait          0 ready, 20 times (timer ticks, nothing to do)",
                "    0.000  L0    epoll_wait          1 ready after 1.000 ms (timeout 50 ms)");
    }

    @Test
    void pastTheBoundLinesAreCountedAndSummedUpTheNextSecond() {
        for (int i = 0; i < 8; i++) printer.read(0, 9, 10, 100);
        for (int i = 0; i < 4; i++) printer.sent(0, 9, 10, 10, false);
        assertThat(lines()).hasSize(5); // the bound: 5 a second
        clock.set(1_000_000_000L);
        printer.closed(0, 9, "bye");
        List<String> all = lines();
        assertThat(all).hasSize(7);
        assertThat(all.get(5)).contains("… 7 more lines in second 0 not shown (read 3, send 4)");
        assertThat(all.get(6)).contains("close").contains("(bye)");
    }
}
