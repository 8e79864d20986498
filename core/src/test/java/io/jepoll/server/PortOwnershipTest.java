package io.jepoll.server;

import io.jepoll.http.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.BindException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A server owns its port: a second one on the same address fails with BindException, on
 * every transport and loop count, and the several loops of one server still share the
 * connections between them (SO_REUSEPORT inside the group).
 */
class PortOwnershipTest {

    @ParameterizedTest
    @MethodSource("io.jepoll.server.Mode#plaintext")
    void secondServerOnATakenPortFailsAndTheFirstKeepsServing(Mode mode) throws Exception {
        try (HttpServer first = mode.builder().loops(2).handler(req -> Response.ok("first")).start()) {
            for (int loops : new int[]{1, 2, 4}) {
                assertThatThrownBy(() -> mode.builder().port(first.port()).loops(loops).handler(req -> Response.ok("second")).start())
                        .isInstanceOf(BindException.class)
                        .hasMessageContaining("address already in use");
            }
            for (int i = 0; i < 20; i++) {
                try (RawClient c = new RawClient(first)) {
                    c.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                    assertThat(c.read().text()).isEqualTo("first");
                }
            }
        }
    }

    @Test
    void aPortHeldByAnotherProgramIsInUseToo() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            for (Mode mode : Mode.values()) {
                assertThatThrownBy(() -> mode.builder().port(other.getLocalPort()).handler(req -> Response.ok("x")).start())
                        .as(mode.name()).isInstanceOf(BindException.class);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"EPOLL_LEVEL", "EPOLL_EDGE", "NIO", "IO_URING"})
    void everyLoopServesSomeOfManyConnections(Mode mode) throws Exception {
        int loops = 4;
        try (HttpServer server = mode.builder().loops(loops).handler(req -> Response.ok(Thread.currentThread().getName())).start()) {
            Set<String> seen = new HashSet<>();
            // The kernel spreads connections over the group by a hash of their addresses: with
            // 200 connections the chance that a loop of four gets none is below 1e-24.
            for (int i = 0; i < 200 && seen.size() < loops; i++) {
                try (RawClient c = new RawClient(server)) {
                    c.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                    seen.add(c.read().text());
                }
            }
            assertThat(seen).containsExactlyInAnyOrder("jepoll-loop-0", "jepoll-loop-1", "jepoll-loop-2", "jepoll-loop-3");
        }
    }
}
