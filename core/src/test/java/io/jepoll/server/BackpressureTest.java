package io.jepoll.server;

import io.jepoll.http.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that stops reading: the write timeout closes it, and the server's memory for it stays bounded because
 * it stops reading (and so stops handling) pipelined requests once {@link HttpConnection#HIGH_WATER} bytes of
 * output wait for the client.
 *
 * <p>Event-loop modes only: the blocking modes (THREADS, VIRTUAL) have no write timeout (a client that never reads
 * pins its thread in write() until shutdown, see BlockingEngine) and no high-water mark (their one thread per
 * connection simply blocks in write(), which bounds memory by itself).
 */
@ParameterizedClass
@EnumSource(value = Mode.class, names = {"EPOLL_LEVEL", "EPOLL_EDGE", "NIO", "IO_URING", "EPOLL_LEVEL_TLS", "EPOLL_EDGE_TLS", "NIO_TLS", "IO_URING_TLS"})
class BackpressureTest {
    @Parameter
    Mode mode;

    private static final Duration HOUR = Duration.ofHours(1);
    private static final int BIG = 32 << 20; // far more than the socket buffers of both ends hold
    private static final byte[] BIG_BODY = pattern(BIG, 0);

    private HttpServer server;
    private Harness.LogCapture log;
    private final List<Socket> clients = new ArrayList<>();

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed * 101 + 7);
        return b;
    }

    @BeforeEach
    void captureLogs() { log = new Harness.LogCapture(); }

    @AfterEach
    void stop() throws IOException {
        try {
            for (Socket s : clients) s.close();
            if (server != null) server.close();
            assertThat(log.unexpected()).as("warnings and errors logged by jepoll").isEmpty();
        } finally {
            log.close();
        }
    }

    /** A client with a small receive window (set before connecting, so the kernel cannot grow it). */
    private Socket connect() throws IOException {
        Socket s = mode.socket();
        clients.add(s);
        s.setReceiveBufferSize(16 * 1024);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()));
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    // ---------------------------------------------------------------- write timeout

    @Test
    void clientThatStopsReadingALargeResponseIsClosedAtTheWriteTimeout() throws Exception {
        server = mode.builder().writeTimeout(Duration.ofMillis(300)).idleTimeout(HOUR).headerTimeout(HOUR).bodyTimeout(HOUR)
                .handler(req -> Response.bytes(200, "application/octet-stream", BIG_BODY)).start();
        Socket s = connect();
        send(s, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
        // The head proves the connection was accepted and the response is under way (a connection count of 0 before
        // that would prove nothing). Then the client reads nothing until the server has given up on it: with every
        // other timeout at an hour, only the write timeout can close it.
        String head = new String(readHead(s.getInputStream()), StandardCharsets.ISO_8859_1);
        assertThat(head).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nContent-Length: " + BIG + "\r\n");
        assertThat(Harness.awaitConnectionCount(server, 0, 10_000)).as("connections open; the server should have closed ours").isZero();
        Harness.Received r = Harness.readToEnd(s); // what the kernels still held, then the end
        assertThat(r.end()).as("the connection ended (EOF or reset)").isNotEqualTo(Harness.End.TIMEOUT);
        assertThat(r.bytes().length).as("body bytes received of %d", BIG).isLessThan(BIG);
    }

    @Test
    void clientThatStopsReadingAStreamedBodyIsClosedAtTheWriteTimeoutAndTheWriterFails() throws Exception {
        BlockingQueue<Throwable> writerEnded = new LinkedBlockingQueue<>();
        byte[] part = pattern(16 * 1024, 1);
        server = mode.builder().writeTimeout(Duration.ofMillis(300)).idleTimeout(HOUR).headerTimeout(HOUR).bodyTimeout(HOUR)
                .handler(req -> Response.stream(200, "application/octet-stream", out -> {
                    try {
                        for (long i = 0; i < (1L << 40); i++) out.write(part); // until the connection is gone
                        writerEnded.add(new AssertionError("the endless writer finished"));
                    } catch (IOException e) {
                        writerEnded.add(e);
                        throw e;
                    }
                })).start();
        Socket s = connect();
        send(s, "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
        Throwable ended = writerEnded.poll(10, TimeUnit.SECONDS);
        assertThat(ended).as("the writer must fail once the server gave up on the client").isInstanceOf(IOException.class);
        assertThat(Harness.awaitConnectionCount(server, 0, 10_000)).isZero();
        Harness.Received r = Harness.readToEnd(s);
        assertThat(r.end()).as("the connection ended (EOF or reset)").isNotEqualTo(Harness.End.TIMEOUT);
        assertThat(r.text()).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nTransfer-Encoding: chunked\r\n")
                .as("the body must not look complete").doesNotEndWith("\r\n0\r\n\r\n");
    }

    // ---------------------------------------------------------------- high-water mark

    @Test
    void pipelinedRequestsStopBeingReadWhileTheirResponsesWaitForTheClient() throws Exception {
        // The client is a raw non-blocking channel that watches the kernel stop taking its bytes: plaintext only.
        org.junit.jupiter.api.Assumptions.assumeFalse(mode.tls, "needs a raw non-blocking client");
        AtomicInteger handled = new AtomicInteger();
        byte[] body = pattern(64 * 1024, 2);
        server = mode.builder().idleTimeout(HOUR).headerTimeout(HOUR).bodyTimeout(HOUR).writeTimeout(HOUR).handler(req -> {
            handled.incrementAndGet();
            return Response.bytes(200, "application/octet-stream", body);
        }).start();
        byte[] request = "GET /r HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        long cap = 64L << 20; // a server that kept reading would accept this much: two million requests
        try (SocketChannel ch = SocketChannel.open(); Selector selector = Selector.open()) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, 16 * 1024);
            ch.connect(new InetSocketAddress("127.0.0.1", server.port()));
            ch.configureBlocking(false);
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);

            // Pipeline requests, reading nothing, until the kernel stops taking them: once the server stops reading,
            // its receive buffer and our send buffer fill and stay full. A wait of 500 ms for room that does not
            // come ends the writing; a server that kept reading would make room and run into the cap.
            ByteBuffer many = ByteBuffer.wrap(repeat(request, 1024));
            long written = 0;
            while (written < cap) {
                if (!many.hasRemaining()) many.rewind();
                int n = ch.write(many);
                written += n;
                if (n == 0) {
                    if (selector.select(500) == 0) break;
                    selector.selectedKeys().clear();
                }
            }
            long sent = written / request.length;
            int atStall = handled.get();
            assertThat(written).as("bytes of requests the server let in before it stopped reading").isLessThan(cap);
            // What it handled is what fits in the socket buffers (the server's send buffer grows up to tcp_wmem's
            // maximum, 4 MiB by default; our receive buffer is fixed) plus the high-water mark plus the response
            // that crossed it: a few dozen responses of 64 KiB, whatever the number sent.
            long buffered = maxSendBuffer() + 2L * 16 * 1024 + HttpConnection.HIGH_WATER + body.length;
            long bound = buffered / body.length + 2;
            assertThat((long) atStall).as("requests handled of %d sent, with none of their responses read", sent)
                    .isLessThanOrEqualTo(bound).isLessThan(sent / 10);

            // Reading resumes the server: the responses come back complete and in order, and it handles more.
            key.cancel();
            selector.selectNow();
            ch.configureBlocking(true);
            Socket socket = ch.socket();
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            int toRead = atStall + 20;
            for (int i = 0; i < toRead; i++) {
                String h = new String(readHead(in), StandardCharsets.ISO_8859_1);
                assertThat(h).as("head of response %d", i).startsWith("HTTP/1.1 200 OK\r\n")
                        .containsIgnoringCase("\r\nContent-Length: " + body.length + "\r\n");
                assertThat(Arrays.equals(in.readNBytes(body.length), body)).as("body of response %d", i).isTrue();
            }
            assertThat(handled.get()).as("requests handled once the client read").isGreaterThanOrEqualTo(toRead);
        }
    }

    /** The largest send buffer the kernel grows a TCP socket to (the third value of tcp_wmem). */
    private static long maxSendBuffer() throws IOException {
        // (not Files.readString: /proc reports a size of 0, and readString then returns the first byte only)
        String[] wmem;
        try (InputStream in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_wmem"))) {
            wmem = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
        }
        return Long.parseLong(wmem[2]);
    }

    private static byte[] repeat(byte[] b, int times) {
        byte[] out = new byte[b.length * times];
        for (int i = 0; i < times; i++) System.arraycopy(b, 0, out, i * b.length, b.length);
        return out;
    }

    /** Reads a response head up to and including the empty line. */
    private static byte[] readHead(InputStream in) throws IOException {
        var head = new java.io.ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) throw new IOException("EOF inside a response head: " + head);
            head.write(c);
            matched = (c == "\r\n\r\n".charAt(matched)) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        return head.toByteArray();
    }
}
