package io.jepoll.loop;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * io_uring's own resources come back: after resets in the middle of downloads, random bytes cut off by resets and
 * graceful closes, every provided buffer is back in the kernel's ring, no send chunk is held, and no socket
 * descriptor is left open. The loop holds them on the peer's behalf, so a leak here is invisible to a client.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UringAccountingTest {
    static final byte[] BIG = new byte[4 << 20];

    /** 'D' asks for BIG; anything else is echoed. */
    static final Protocol DOWNLOAD_OR_ECHO = c -> new ConnectionHandler() {
        @Override public void onRead(Connection c2, byte[] buf, int off, int len) {
            if (buf[off] == 'D') c2.writeShared(BIG, 0, BIG.length);
            else c2.write(buf, off, len);
        }
        @Override public void onReadEnd(Connection c2) { c2.closeAfterWrite(); }
        @Override public void onTimeout(Connection c2) { c2.close(); }
    };

    EventLoopGroup group;

    @AfterEach
    void stop() { if (group != null) group.shutdown(1000); }

    @Test
    void buffersChunksAndDescriptorsComeBackAfterResetsFuzzAndAbortedDownloads() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Backend.IO_URING.isAvailable(), "io_uring refused here: " + Backend.IO_URING.unavailableReason());
        group = EventLoopGroup.start(new InetSocketAddress("127.0.0.1", 0), 2, LoopConfig.defaults().withBackend(Backend.IO_URING), DOWNLOAD_OR_ECHO);
        List<String> before = sockets();
        InetSocketAddress at = group.localAddress();
        Random random = new Random(7);

        for (int i = 0; i < 30; i++) { // downloads cut off by a reset, after a little or nothing was read
            try (Socket s = new Socket()) {
                s.connect(at);
                s.getOutputStream().write('D');
                s.getInputStream().readNBytes(random.nextInt(2) == 0 ? 0 : 100_000);
                s.setSoLinger(true, 0);
            }
        }
        for (int i = 0; i < 30; i++) { // random bytes of random length, then a reset or a close without reading
            try (Socket s = new Socket()) {
                s.connect(at);
                byte[] junk = new byte[1 + random.nextInt(200_000)];
                random.nextBytes(junk);
                junk[0] = 'x';
                s.getOutputStream().write(junk);
                if (random.nextBoolean()) s.setSoLinger(true, 0);
            } catch (IOException refusedMidWrite) {
                // the server may reset first; that is the point
            }
        }
        for (int i = 0; i < 10; i++) { // and well-behaved clients: an echo read to the end
            try (Socket s = new Socket()) {
                s.connect(at);
                s.setSoTimeout(10_000);
                byte[] data = new byte[50_000];
                random.nextBytes(data);
                data[0] = 'e';
                OutputStream out = s.getOutputStream();
                out.write(data);
                s.shutdownOutput();
                InputStream in = s.getInputStream();
                assertThat(in.readAllBytes()).isEqualTo(data);
            }
        }

        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (group.connectionCount() > 0 && System.nanoTime() < until) Thread.onSpinWait();
        assertThat(group.connectionCount()).isZero();
        for (EventLoop loop : group.loops()) {
            String state;
            while (!(state = accounting(loop)).equals("buffers " + UringPoller.BUFFERS + " free, 0 chunks in use") && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertThat(state).as("loop " + loop.index()).isEqualTo("buffers " + UringPoller.BUFFERS + " free, 0 chunks in use");
        }
        List<String> leaked = new ArrayList<>(sockets());
        while (!before.containsAll(leaked) && System.nanoTime() < until) leaked = new ArrayList<>(sockets());
        leaked.removeAll(before);
        assertThat(leaked).as("sockets open now that were not before").isEmpty();
    }

    /** Read on the loop's thread, which owns the counts. */
    private static String accounting(EventLoop loop) throws Exception {
        CompletableFuture<String> f = new CompletableFuture<>();
        loop.execute(() -> {
            UringPoller p = (UringPoller) loop.poller;
            f.complete("buffers " + p.freeBuffers() + " free, " + p.chunksInUse() + " chunks in use");
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    private static List<String> sockets() throws IOException {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return s.map(p -> {
                try {
                    return Files.readSymbolicLink(p).toString();
                } catch (IOException gone) {
                    return "?";
                }
            }).filter(t -> t.startsWith("socket:")).sorted().toList();
        }
    }
}
