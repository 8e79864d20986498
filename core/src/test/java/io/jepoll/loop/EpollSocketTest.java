package io.jepoll.loop;

import io.jepoll.sys.Epoll;
import io.jepoll.sys.EpollEvents;
import io.jepoll.sys.Net;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.assertj.core.api.Assertions.assertThat;

/** EpollSocket against the kernel, where it differs from a plain system call. */
class EpollSocketTest {

    /**
     * After a reset getpeername fails with ENOTCONN: the address is then null, as on java.nio, not an exception
     * in the middle of answering (the access log asks for it while responding).
     */
    @Test
    void theRemoteAddressIsNullOnceThePeerHasReset() throws Exception {
        EpollSocket listener = EpollSocket.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false, 16);
        int ep = Epoll.create();
        try (EpollEvents events = new EpollEvents(4)) {
            InetSocketAddress bound = listener.localAddress();
            Epoll.add(ep, listener.id(), Epoll.EPOLLIN);
            java.net.Socket client = new java.net.Socket(bound.getAddress(), bound.getPort());
            assertThat(Epoll.wait(ep, events, 10_000)).as("the connection is ready to accept").isEqualTo(1);
            Socket accepted = listener.accept();
            try {
                assertThat(accepted.remoteAddress().getPort()).isEqualTo(client.getLocalPort());
                Epoll.add(ep, accepted.id(), Epoll.EPOLLRDHUP);
                client.setSoLinger(true, 0);
                client.close(); // a reset
                assertThat(Epoll.wait(ep, events, 10_000)).as("the reset has arrived").isEqualTo(1);
                assertThat(events.events(0) & (Epoll.EPOLLHUP | Epoll.EPOLLERR)).isNotZero();
                assertThat(accepted.remoteAddress()).isNull();
            } finally {
                accepted.close();
            }
        } finally {
            Net.close(ep);
            listener.close();
        }
    }
}
