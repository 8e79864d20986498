package io.jepoll.sys;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The system calls against the real kernel, one behaviour each. */
class SysCallsTest {

    static int listenOn(String host) throws Exception {
        InetSocketAddress a = new InetSocketAddress(InetAddress.getByName(host), 0);
        int fd = Net.socket(Net.familyOf(a));
        Net.setOption(fd, Net.SOL_SOCKET, Net.SO_REUSEADDR, 1);
        Net.bind(fd, a);
        Net.listen(fd, 16);
        return fd;
    }

    @Test
    void epollEventLayoutMatchesTheArchitecture() {
        String arch = System.getProperty("os.arch");
        assertThat(EpollEvents.SIZE).isEqualTo(arch.equals("amd64") || arch.equals("x86_64") ? 12 : 16);
        assertThat(EpollEvents.DATA_OFFSET).isEqualTo(EpollEvents.SIZE - 8);
    }

    @Test
    void listenAcceptReadSendOverIpv4AndIpv6() throws Exception {
        for (String host : new String[]{"127.0.0.1", "::1"}) {
            int lfd = listenOn(host);
            int ep = Epoll.create();
            try (EpollEvents events = new EpollEvents(8)) {
                InetSocketAddress bound = Net.localAddress(lfd);
                assertThat(bound.getAddress()).isEqualTo(InetAddress.getByName(host));
                assertThat(bound.getPort()).isPositive();
                assertThat(Net.accept(lfd)).isEqualTo(-Errno.EAGAIN); // non-blocking from birth
                Epoll.add(ep, lfd, Epoll.EPOLLIN);
                try (Socket client = new Socket(bound.getAddress(), bound.getPort())) {
                    client.setSoTimeout(10_000);
                    assertThat(Epoll.wait(ep, events, 5000)).isEqualTo(1);
                    assertThat(events.fd(0)).isEqualTo(lfd);
                    assertThat(events.events(0) & Epoll.EPOLLIN).isNotZero();
                    int cfd = Net.accept(lfd);
                    assertThat(cfd).isPositive();
                    assertThat(Net.remoteAddress(cfd).getPort()).isEqualTo(client.getLocalPort());

                    byte[] buf = new byte[64];
                    assertThat(Net.read(cfd, buf, 0, buf.length)).isEqualTo(-Errno.EAGAIN);
                    OutputStream out = client.getOutputStream();
                    out.write("ping".getBytes(StandardCharsets.US_ASCII));
                    Epoll.add(ep, cfd, Epoll.EPOLLIN | Epoll.EPOLLRDHUP | Epoll.EPOLLET);
                    assertThat(Epoll.wait(ep, events, 5000)).isEqualTo(1);
                    assertThat(events.fd(0)).isEqualTo(cfd);
                    assertThat(Net.read(cfd, buf, 10, 20)).isEqualTo(4);
                    assertThat(new String(buf, 10, 4, StandardCharsets.US_ASCII)).isEqualTo("ping");

                    byte[] reply = "pong!".getBytes(StandardCharsets.US_ASCII);
                    assertThat(Net.send(cfd, reply, 1, 4)).isEqualTo(4);
                    InputStream in = client.getInputStream();
                    assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ong!");

                    client.shutdownOutput(); // half-close: RDHUP, then read() == 0
                    assertThat(Epoll.wait(ep, events, 5000)).isEqualTo(1);
                    assertThat(events.events(0) & Epoll.EPOLLRDHUP).isNotZero();
                    assertThat(Net.read(cfd, buf, 0, buf.length)).isZero();
                    assertThat(Net.close(cfd)).isZero();
                }
            } finally {
                Net.close(ep);
                Net.close(lfd);
            }
        }
    }

    @Test
    void sendToAVanishedPeerIsEpipeOrResetNotASignal() throws Exception {
        int lfd = listenOn("127.0.0.1");
        try {
            InetSocketAddress bound = Net.localAddress(lfd);
            int cfd;
            try (Socket client = new Socket(bound.getAddress(), bound.getPort())) {
                client.setSoLinger(true, 0); // close with RST
                cfd = acceptBlocking(lfd);
            }
            byte[] data = new byte[65536];
            int r = 0;
            for (int i = 0; i < 100 && r >= 0; i++) r = Net.send(cfd, data, 0, data.length);
            assertThat(r).isIn(-Errno.EPIPE, -Errno.ECONNRESET);
            Net.close(cfd);
        } finally {
            Net.close(lfd);
        }
    }

    static int acceptBlocking(int lfd) {
        int ep = Epoll.create();
        try (EpollEvents events = new EpollEvents(1)) {
            Epoll.add(ep, lfd, Epoll.EPOLLIN);
            assertThat(Epoll.wait(ep, events, 5000)).isEqualTo(1);
            return Net.accept(lfd);
        } finally {
            Net.close(ep);
        }
    }

    @Test
    void failuresAreTypedAndNameTheCallAndErrno() throws Exception {
        int lfd = listenOn("127.0.0.1");
        int other = Net.socket(Net.AF_INET);
        try {
            InetSocketAddress taken = Net.localAddress(lfd);
            assertThatThrownBy(() -> Net.bind(other, taken))
                    .isInstanceOfSatisfying(SysException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.EADDRINUSE);
                        assertThat(e.call()).startsWith("bind");
                    })
                    .hasMessageContaining("EADDRINUSE");
            assertThatThrownBy(() -> Epoll.add(12345, lfd, Epoll.EPOLLIN))
                    .isInstanceOfSatisfying(SysException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
            assertThat(Net.read(99999, new byte[1], 0, 1)).isEqualTo(-Errno.EBADF);
            assertThat(Net.close(99999)).isEqualTo(-Errno.EBADF);
        } finally {
            Net.close(other);
            Net.close(lfd);
        }
    }

    @Test
    void socketOptionsRoundTrip() {
        int fd = Net.socket(Net.AF_INET6);
        try {
            Net.setOption(fd, Net.IPPROTO_TCP, Net.TCP_NODELAY, 1);
            assertThat(Net.getOption(fd, Net.IPPROTO_TCP, Net.TCP_NODELAY)).isEqualTo(1);
            Net.setOption(fd, Net.IPPROTO_TCP, Net.TCP_CORK, 1);
            assertThat(Net.getOption(fd, Net.IPPROTO_TCP, Net.TCP_CORK)).isEqualTo(1);
            Net.setOption(fd, Net.SOL_SOCKET, Net.SO_REUSEPORT, 1);
            assertThat(Net.getOption(fd, Net.SOL_SOCKET, Net.SO_REUSEPORT)).isEqualTo(1);
            Net.setOption(fd, Net.SOL_SOCKET, Net.SO_RCVBUF, 65536);
            assertThat(Net.getOption(fd, Net.SOL_SOCKET, Net.SO_RCVBUF)).isEqualTo(2 * 65536); // Linux doubles it
            Net.setOption(fd, Net.SOL_SOCKET, Net.SO_SNDBUF, 65536);
            assertThat(Net.getOption(fd, Net.SOL_SOCKET, Net.SO_SNDBUF)).isEqualTo(2 * 65536);
        } finally {
            Net.close(fd);
        }
    }

    @Test
    void eventFdWakesEpollAndDrainsToZero() {
        int ep = Epoll.create();
        int efd = EventFd.create();
        try (EpollEvents events = new EpollEvents(4)) {
            Epoll.add(ep, efd, Epoll.EPOLLIN);
            assertThat(Epoll.wait(ep, events, 0)).isZero();
            EventFd.signal(efd);
            EventFd.signal(efd);
            assertThat(Epoll.wait(ep, events, 5000)).isEqualTo(1);
            assertThat(EventFd.drain(efd)).isEqualTo(2);
            assertThat(EventFd.drain(efd)).isEqualTo(-Errno.EAGAIN);
            assertThat(Epoll.wait(ep, events, 0)).isZero();
        } finally {
            Net.close(efd);
            Net.close(ep);
        }
    }

}
