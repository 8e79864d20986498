package io.jepoll.loop;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one write path, on the loop alone: copied bytes, shared arrays and file regions leave
 * in the order they were written, whole, under backpressure (a client that reads slowly
 * through a small window), with and without TCP_CORK, and a file is closed whatever
 * happens to the connection.
 */
class WritePathTest {
    enum Mode {
        EPOLL_LEVEL(Backend.EPOLL, Trigger.LEVEL, false), EPOLL_EDGE(Backend.EPOLL, Trigger.EDGE, false),
        EPOLL_CORKED(Backend.EPOLL, Trigger.LEVEL, true), NIO(Backend.NIO, Trigger.LEVEL, false),
        IO_URING(Backend.IO_URING, Trigger.LEVEL, false);
        final Backend backend;
        final Trigger trigger;
        final boolean cork;
        Mode(Backend b, Trigger t, boolean cork) {
            this.backend = b;
            this.trigger = t;
            this.cork = cork;
        }
        /** A small send buffer keeps most of the output in the connection's queue, not in the kernel. Skipped where the backend is refused. */
        LoopConfig config() {
            org.junit.jupiter.api.Assumptions.assumeTrue(backend.isAvailable(), () -> backend.label() + " refused here: " + backend.unavailableReason());
            return LoopConfig.builder().backend(backend).trigger(trigger).tcpCork(cork).socketBuffers(0, 32 * 1024).build();
        }
    }

    @TempDir
    Path dir;
    EventLoopGroup group;

    @AfterEach
    void stop() { if (group != null) group.shutdown(1000); }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Each line names a file; the answer is "<" + name + ">", two regions of the file, a shared array, "</>". */
    Protocol sendFiles(AtomicReference<Throwable> failure, byte[] shared) {
        return c -> new ConnectionHandler() {
            @Override
            public void onRead(Connection conn, byte[] buf, int off, int len) {
                String name = new String(buf, off, len, StandardCharsets.US_ASCII).trim();
                try {
                    OpenFile f = conn.openFile(dir.resolve(name));
                    long half = f.size() / 2;
                    conn.write(("<" + name + ">").getBytes(StandardCharsets.US_ASCII));
                    conn.writeFile(f, 0, half, false);
                    conn.writeFile(f, half, f.size() - half, true);
                    conn.writeShared(shared, 0, shared.length);
                    conn.write("</>".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException | RuntimeException e) {
                    failure.set(e);
                    conn.close();
                }
            }
            @Override public void onReadEnd(Connection conn) { conn.closeAfterWrite(); }
            @Override public void onTimeout(Connection conn) { conn.close(); }
        };
    }

    static byte[] readAll(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] small = new byte[1500]; // small reads: the server's queue fills and drains many times
        int n;
        while ((n = in.read(small)) >= 0) got.write(small, 0, n);
        return got.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void bytesFileRegionsAndSharedArraysLeaveInOrderUnderBackpressure(Mode mode) throws Exception {
        byte[] file = random(3 << 20, 1);
        byte[] shared = random(100_000, 2);
        Files.write(dir.resolve("a.bin"), file);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        group = EventLoopGroup.start(new InetSocketAddress("127.0.0.1", 0), 1, mode.config(), sendFiles(failure, shared));
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(8192);
            s.setSoTimeout(20_000);
            s.connect(group.localAddress());
            s.getOutputStream().write("a.bin\n".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput(); // the server closes after its answer: the read below ends
            byte[] got = readAll(s);
            ByteArrayOutputStream want = new ByteArrayOutputStream();
            want.write("<a.bin>".getBytes(StandardCharsets.US_ASCII));
            want.write(file);
            want.write(shared);
            want.write("</>".getBytes(StandardCharsets.US_ASCII));
            assertThat(failure.get()).isNull();
            assertThat(got.length).isEqualTo(want.size());
            assertThat(got).isEqualTo(want.toByteArray());
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFileThatShrinksWhileSentEndsTheConnectionEarly(Mode mode) throws Exception {
        int full = 8 << 20, cut = 1 << 20;
        byte[] file = random(full, 3);
        Path p = dir.resolve("shrinks.bin");
        Files.write(p, file);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        group = EventLoopGroup.start(new InetSocketAddress("127.0.0.1", 0), 1, mode.config(), sendFiles(failure, new byte[0]));
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(8192);
            s.setSoTimeout(20_000);
            s.connect(group.localAddress());
            s.getOutputStream().write("shrinks.bin\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] first = in.readNBytes(1000); // the answer has started: the file is open and being sent
            assertThat(first).hasSize(1000);
            try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
                raf.setLength(cut); // the server cannot send what is no longer there
            }
            byte[] rest = readAll(s);
            int total = first.length + rest.length;
            // What was in the kernel's buffers when the file shrank may still arrive, but never
            // the whole file, and the connection ends (EOF or reset) instead of hanging.
            assertThat(total).isLessThan("<shrinks.bin>".length() + full);
        } catch (java.net.SocketException reset) {
            // a reset is an acceptable way for the server to say "this body is broken"
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aClientThatLeavesMidFileReleasesTheFile(Mode mode) throws Exception {
        byte[] file = random(16 << 20, 4);
        Files.write(dir.resolve("big.bin"), file);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        group = EventLoopGroup.start(new InetSocketAddress("127.0.0.1", 0), 1, mode.config(), sendFiles(failure, new byte[0]));
        long before = openFilesNamed("big.bin");
        for (int i = 0; i < 5; i++) {
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(8192);
                s.setSoTimeout(20_000);
                s.connect(group.localAddress());
                s.getOutputStream().write("big.bin\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(s.getInputStream().readNBytes(10_000)).hasSize(10_000);
                s.setSoLinger(true, 0); // leave with a reset, mid-body
            }
        }
        // The loop notices each reset when it next writes; poll (bounded) until every file is closed.
        long left = -1;
        for (int i = 0; i < 200 && (left = openFilesNamed("big.bin")) != before; i++) Thread.onSpinWait();
        for (int i = 0; i < 100 && (left = openFilesNamed("big.bin")) != before; i++) {
            try (Socket probe = new Socket()) { // a round trip through the loop: it has run its events by then
                probe.setSoTimeout(5_000);
                probe.connect(group.localAddress());
                probe.getOutputStream().write("none\n".getBytes(StandardCharsets.US_ASCII)); // no such file: closed
                probe.getInputStream().read();
            }
        }
        assertThat(left).isEqualTo(before);
        assertThat(before).isZero();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void aStalledClientIsCutByTheWriteDeadlineWhateverIsQueued(Mode mode) throws Exception {
        byte[] file = random(16 << 20, 5);
        Files.write(dir.resolve("stall.bin"), file);
        Protocol withDeadline = c -> new ConnectionHandler() {
            @Override
            public void onRead(Connection conn, byte[] buf, int off, int len) {
                try {
                    OpenFile f = conn.openFile(dir.resolve("stall.bin"));
                    conn.write("head".getBytes(StandardCharsets.US_ASCII));
                    conn.writeFile(f, 0, f.size(), true);
                } catch (IOException e) {
                    conn.close();
                }
            }
            // The same policy as HttpConnection: a deadline from each stall or progress.
            @Override public void onWriteBlocked(Connection conn) { conn.setTimeout(200); }
            @Override public void onDrained(Connection conn) { conn.cancelTimeout(); }
            @Override public void onReadEnd(Connection conn) { conn.closeAfterWrite(); }
            @Override public void onTimeout(Connection conn) { conn.close(); }
        };
        group = EventLoopGroup.start(new InetSocketAddress("127.0.0.1", 0), 1, mode.config(), withDeadline);
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(8192);
            s.setSoTimeout(20_000);
            s.connect(group.localAddress());
            s.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().readNBytes(10_000)).hasSize(10_000);
            // Stop reading. The server must give up on us: bounded wait for its connection count.
            long until = System.nanoTime() + 15_000_000_000L;
            while (group.connectionCount() > 0 && System.nanoTime() < until) Thread.onSpinWait();
            assertThat(group.connectionCount()).isZero();
            int total = 10_000;
            try {
                total += readAll(s).length; // what was in flight, then EOF (or a reset)
            } catch (java.net.SocketException reset) {
                // the close found unread input or the kernel reset: either way the connection is gone
            }
            assertThat(total).isLessThan(4 + file.length);
        }
    }

    /** Descriptors of this process open on a file of that name. */
    static long openFilesNamed(String name) throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).getFileName().toString().equals(name);
                } catch (IOException e) {
                    return false; // closed while we looked
                }
            }).count();
        }
    }
}
