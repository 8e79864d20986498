package io.jepoll.loop;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop alone, with a protocol that knows nothing of HTTP: every byte read is written
 * back. Runs on each transport and trigger mode.
 */
class EchoLoopTest {
    enum Mode {
        EPOLL_LEVEL(Backend.EPOLL, Trigger.LEVEL), EPOLL_EDGE(Backend.EPOLL, Trigger.EDGE), NIO(Backend.NIO, Trigger.LEVEL),
        IO_URING(Backend.IO_URING, Trigger.LEVEL);
        final Backend transport;
        final Trigger trigger;
        Mode(Backend t, Trigger g) { transport = t; trigger = g; }
        LoopConfig config() {
            org.junit.jupiter.api.Assumptions.assumeTrue(transport.isAvailable(), () -> transport.label() + " refused here: " + transport.unavailableReason());
            return LoopConfig.defaults().withBackend(transport).withTrigger(trigger);
        }
    }

    static final Protocol ECHO = c -> new ConnectionHandler() {
        @Override public void onRead(Connection c2, byte[] buf, int off, int len) { c2.write(buf, off, len); }
        @Override public void onReadEnd(Connection c2) { c2.closeAfterWrite(); }
        @Override public void onTimeout(Connection c2) { c2.close(); }
    };

    EventLoopGroup group;

    @AfterEach
    void stop() { if (group != null) group.shutdown(1000); }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void echoesEveryByteOfALargeStreamReadSlowly(Mode mode) throws Exception {
        group = EventLoopGroup.start(new InetSocketAddress("127.0.0.1", 0), 2, mode.config(), ECHO);
        byte[] data = new byte[8 << 20];
        new Random(42).nextBytes(data);
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(group.localAddress());
            s.setSoTimeout(10_000); // a broken loop fails the read instead of hanging it
            assertEchoed(s, data);
        }
    }

    /**
     * Writes {@code data} from a thread of its own, then half-closes (over TLS: close_notify), while this thread
     * reads; what comes back until EOF must be {@code data}, byte for byte.
     */
    static void assertEchoed(Socket s, byte[] data) throws Exception {
        OutputStream out = s.getOutputStream();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                for (int off = 0; off < data.length; off += 65536) out.write(data, off, Math.min(65536, data.length - off));
                s.shutdownOutput(); // half-close: the echo must still finish
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        byte[] got = new DataInputStream(s.getInputStream()).readNBytes(data.length + 1);
        assertThat(writer.join(java.time.Duration.ofSeconds(10))).as("the writer finished").isTrue();
        assertThat(got.length).isEqualTo(data.length);
        assertThat(Arrays.equals(got, data)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void closesEverySocketOnShutdown(Mode mode) throws Exception {
        group = EventLoopGroup.start(new InetSocketAddress("127.0.0.1", 0), 1, mode.config(), ECHO);
        try (Socket s = new Socket()) {
            s.connect(group.localAddress());
            s.setSoTimeout(10_000);
            s.getOutputStream().write("ping".getBytes());
            InputStream in = s.getInputStream();
            assertThat(new String(in.readNBytes(4))).isEqualTo("ping");
            group.shutdown(0);
            group = null;
            assertThat(in.read()).isEqualTo(-1);
        }
    }
}
