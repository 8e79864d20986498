package io.jepoll.server;

import io.jepoll.http.Response;
import io.jepoll.sys.Net;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link HttpServer.Builder#listenFd}: serving listening sockets the server did not open (what socket activation
 * passes), on every loop of both epoll modes; the server owns them and closes them (and its duplicates) when it
 * stops. A descriptor that is not a listening TCP socket is refused and left open, and so is every transport
 * that cannot adopt one. The process-level test with LISTEN_PID and LISTEN_FDS is in the cli module.
 */
class ListenFdTest {
    private static final String GET = "GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";

    @BeforeAll
    static void warmUp() throws IOException { Harness.warmUpJdkSockets(); }

    /** A listening socket as a service manager would pass it: bound and listening, opened by someone else. */
    private static int listening(String host) throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), 0);
        int fd = Net.socket(Net.familyOf(address));
        Net.setOption(fd, Net.SOL_SOCKET, Net.SO_REUSEADDR, 1);
        Net.bind(fd, address);
        Net.listen(fd, 128);
        return fd;
    }

    private static String get(InetSocketAddress to) throws IOException {
        try (RawClient c = new RawClient(to)) {
            return c.send(GET).read().text();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"EPOLL_LEVEL", "EPOLL_EDGE", "IO_URING"})
    void servesAPassedSocketOnEveryLoopAndClosesItWhenStopped(Mode mode) throws Exception {
        List<String> before = Harness.descriptors();
        int fd = listening("127.0.0.1");
        int port = Net.localAddress(fd).getPort();
        try (HttpServer server = mode.builder().port(1).loops(2).listenFd(fd).handler(req -> Response.ok("passed")).start()) {
            assertThat(server.port()).as("the passed socket's port, not the one configured").isEqualTo(port);
            for (int i = 0; i < 20; i++) assertThat(get(new InetSocketAddress("127.0.0.1", port))).isEqualTo("passed");
        }
        Harness.assertDescriptorsBackTo(before, "after the server that owned the passed socket stopped");
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"EPOLL_LEVEL", "EPOLL_EDGE", "IO_URING"})
    void servesSeveralPassedSockets(Mode mode) throws Exception {
        assumeTrue(ipv6Loopback(), "no IPv6 loopback here");
        int v4 = listening("127.0.0.1"), v6 = listening("::1");
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", Net.localAddress(v4).getPort());
        InetSocketAddress b = new InetSocketAddress(InetAddress.getByName("::1"), Net.localAddress(v6).getPort());
        try (HttpServer server = mode.builder().loops(2).listenFd(v4).listenFd(v6).handler(req -> Response.ok("both")).start()) {
            for (int i = 0; i < 5; i++) {
                assertThat(get(a)).isEqualTo("both");
                assertThat(get(b)).isEqualTo("both");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"NIO", "THREADS", "VIRTUAL"})
    void aTransportThatCannotAdoptADescriptorSaysSo(Mode mode) throws Exception {
        int fd = listening("127.0.0.1");
        try {
            assertThatThrownBy(() -> mode.builder().listenFd(fd).handler(req -> Response.ok("x")).start())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs the epoll or io_uring transport").hasMessageContaining(mode.transport.label());
            assertThat(Net.getOption(fd, Net.SOL_SOCKET, Net.SO_ACCEPTCONN)).as("left open").isEqualTo(1);
        } finally {
            Net.close(fd);
        }
    }

    @Test
    void aDescriptorThatIsNotAListeningSocketIsRefusedAndLeftOpen() throws Exception {
        int unlistened = Net.socket(Net.AF_INET);
        Path file = Files.createTempFile("jepoll-fd", ".txt");
        int regular = io.jepoll.sys.Files.open(file);
        try {
            assertRefused(unlistened, "is a socket that is not listening");
            assertRefused(regular, "is not a socket");
            assertRefused(999_999, "is not open");
            assertThat(Net.getOption(unlistened, Net.SOL_SOCKET, Net.SO_TYPE)).as("left open").isEqualTo(Net.SOCK_STREAM);
        } finally {
            Net.close(unlistened);
            Net.close(regular);
            Files.delete(file);
        }
    }

    @Test
    void aRefusalClosesNoneOfTheOthers() throws Exception {
        int good = listening("127.0.0.1");
        try {
            assertThatThrownBy(() -> Mode.EPOLL_LEVEL.builder().listenFd(good).listenFd(999_999).handler(req -> Response.ok("x")).start())
                    .hasMessageContaining("descriptor 999999 is not open");
            assertThat(Net.getOption(good, Net.SOL_SOCKET, Net.SO_ACCEPTCONN)).as("the good one, untouched").isEqualTo(1);
        } finally {
            Net.close(good);
        }
    }

    private static void assertRefused(int fd, String what) {
        assertThatThrownBy(() -> Mode.EPOLL_LEVEL.builder().listenFd(fd).handler(req -> Response.ok("x")).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("descriptor " + fd + " " + what);
    }

    private static boolean ipv6Loopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
