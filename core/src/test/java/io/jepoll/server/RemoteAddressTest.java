package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.http.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link Request#remoteAddress()} in every mode: the client's own address and port, over IPv4 and IPv6, for each
 * request of a keep-alive connection, from a handler on a virtual thread, and in a copy kept after the handler.
 */
@ParameterizedClass
@EnumSource(Mode.class)
class RemoteAddressTest {
    @Parameter
    Mode mode;

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    /** Answers with the address the request reports, as "host port". */
    private static Response echoAddress(Request req) {
        InetSocketAddress a = req.remoteAddress();
        return Response.ok(a == null ? "none" : a.getAddress().getHostAddress() + " " + a.getPort());
    }

    private static String expected(RawClient client) {
        return client.socket().getLocalAddress().getHostAddress() + " " + client.socket().getLocalPort();
    }

    @Test
    void theClientOfEachRequestOnIpv4() throws Exception {
        server = mode.builder().handler(RemoteAddressTest::echoAddress).start();
        try (RawClient a = new RawClient(server); RawClient b = new RawClient(server)) {
            for (int i = 0; i < 2; i++) { // the second request of a connection: the address it kept
                assertThat(a.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().text()).isEqualTo(expected(a));
                assertThat(b.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().text()).isEqualTo(expected(b));
            }
            assertThat(expected(a)).startsWith("127.0.0.1 ").isNotEqualTo(expected(b));
        }
    }

    @Test
    void theClientOnIpv6() throws Exception {
        assumeTrue(ipv6Loopback(), "no IPv6 loopback here");
        server = mode.builder().host("::1").handler(RemoteAddressTest::echoAddress).start();
        try (RawClient c = new RawClient(new InetSocketAddress(InetAddress.getByName("::1"), server.port()))) {
            String answer = c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().text();
            assertThat(answer).isEqualTo(expected(c));
            assertThat(InetAddress.getByName(answer.split(" ")[0])).isInstanceOf(Inet6Address.class);
            assertThat(InetAddress.getByName(answer.split(" ")[0]).isLoopbackAddress()).isTrue();
        }
    }

    @Test
    void anIpv4ClientOfADualStackSocketIsGivenAsIpv4() throws Exception {
        assumeTrue(ipv6Loopback(), "no IPv6 here");
        server = mode.builder().host("::").handler(RemoteAddressTest::echoAddress).start();
        try (RawClient c = new RawClient(server.port())) { // to 127.0.0.1: arrives as ::ffff:127.0.0.1
            assertThat(c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().text()).isEqualTo(expected(c)).startsWith("127.0.0.1 ");
        }
    }

    @Test
    void fromAHandlerOnAVirtualThread() throws Exception {
        server = mode.builder().virtualThreads(true).handler(RemoteAddressTest::echoAddress).start();
        try (RawClient c = new RawClient(server)) {
            assertThat(c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().text()).isEqualTo(expected(c));
            assertThat(c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().text()).isEqualTo(expected(c));
        }
    }

    @Test
    void aCopyKeepsTheAddressAfterTheHandler() throws Exception {
        AtomicReference<Request> kept = new AtomicReference<>();
        server = mode.builder().handler(req -> {
            kept.set(req.copy());
            return Response.ok("kept");
        }).start();
        String client;
        try (RawClient c = new RawClient(server)) {
            assertThat(c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n").read().text()).isEqualTo("kept");
            client = expected(c);
        }
        InetSocketAddress a = kept.get().remoteAddress();
        assertThat(a.getAddress().getHostAddress() + " " + a.getPort()).isEqualTo(client);
    }

    private static boolean ipv6Loopback() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
