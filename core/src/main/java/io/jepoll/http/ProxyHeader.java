package io.jepoll.http;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What a PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2) said about a connection that a load
 * balancer opened on behalf of a client. Parsed by {@link ProxyHeaderParser}.
 */
public sealed interface ProxyHeader permits ProxyHeader.Proxied, ProxyHeader.Local, ProxyHeader.Unknown {

    /**
     * The client's address as the balancer saw it, or null when the header carries none ({@link Local},
     * {@link Unknown}): then the connection's own peer is the one to believe.
     *
     * @return the original source address, or null
     */
    InetSocketAddress source();

    /**
     * A proxied TCP connection over IPv4 or IPv6: v1 {@code TCP4}/{@code TCP6}, v2 PROXY command with
     * {@code AF_INET}/{@code AF_INET6} and {@code STREAM}.
     *
     * @param source      the client's address and port
     * @param destination the address and port the client connected to (the balancer's)
     */
    record Proxied(InetSocketAddress source, InetSocketAddress destination) implements ProxyHeader {
        /** Checks that both addresses are given. */
        public Proxied {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(destination, "destination");
        }
    }

    /**
     * v2 LOCAL command: the balancer opened this connection for itself (a health check); the real connection
     * endpoints apply.
     */
    record Local() implements ProxyHeader {
        @Override
        public InetSocketAddress source() { return null; }
    }

    /**
     * v1 {@code UNKNOWN}, or a v2 PROXY command with an unspecified family or a UNIX socket: the balancer knows no
     * IP address to pass on; the real connection endpoints apply.
     */
    record Unknown() implements ProxyHeader {
        @Override
        public InetSocketAddress source() { return null; }
    }
}
