package io.jepoll.server;

import io.jepoll.http.ProxyHeader;
import io.jepoll.http.ProxyHeaderParser;
import io.jepoll.http.ProxyProtocolException;
import io.jepoll.loop.Connection;
import io.jepoll.loop.ConnectionHandler;

/**
 * The first phase of a connection behind a load balancer ({@link HttpServer.Builder#proxyProtocol}): reads the
 * PROXY protocol header, then hands the connection to an {@link HttpConnection} that knows the client's address,
 * with the bytes that followed the header in the same read as its first input.
 *
 * <pre>
 *   accept ─► PROXY ── header complete ──► HttpConnection (IDLE, ...), the rest of the read fed to it
 *               │                           (over TLS: TLS starts, the rest of the read is its first input)
 *               │ not a header, EOF, or the header deadline (from accept)
 *               ▼
 *             close, no answer: the peer does not speak the protocol
 * </pre>
 * A handler of its own, not a phase of {@link HttpConnection}: its parser lives only while the header arrives,
 * so a connection once past it costs what any other does.
 */
final class ProxyHeaderReader implements ConnectionHandler {
    private final HttpRuntime rt;
    private final ProxyHeaderParser parser = new ProxyHeaderParser();

    ProxyHeaderReader(HttpRuntime rt, Connection c) {
        this.rt = rt;
        c.setTimeout(rt.headerMillis); // the header deadline, from the accept
    }

    @Override
    public void onRead(Connection c, byte[] buf, int off, int len) {
        int n;
        try {
            n = parser.feed(buf, off, len);
        } catch (ProxyProtocolException e) {
            refuse(c, "PROXY header refused: " + e.getMessage());
            return;
        }
        if (!parser.isComplete()) return;
        ProxyHeader h = parser.header();
        if (c.isTraced()) traceHeader(c, h);
        HttpConnection http = new HttpConnection(rt, c, h.source()); // LOCAL, UNKNOWN: null, the socket's own peer
        c.handOver(http);
        io.jepoll.tls.TlsContext tls = rt.config.tls();
        if (tls != null) c.startTls(tls, buf, off + n, len - n); // what follows the header is the client's handshake
        else if (n < len) http.onRead(c, buf, off + n, len - n);
    }

    private static void traceHeader(Connection c, ProxyHeader h) {
        c.trace(switch (h) {
            case ProxyHeader.Proxied p -> "PROXY header: client " + p.source() + ", to " + p.destination();
            case ProxyHeader.Local l -> "PROXY header: LOCAL (the balancer's own connection)";
            case ProxyHeader.Unknown u -> "PROXY header: UNKNOWN (the connection's own peer applies)";
        });
    }

    private static void refuse(Connection c, String why) {
        if (c.isTraced()) c.trace(why + "; closing");
        c.close();
    }

    @Override
    public void onReadEnd(Connection c) { refuse(c, "EOF before a complete PROXY header"); }

    @Override
    public void onTimeout(Connection c) {
        rt.timedOut(c.loop().index(), Metrics.Timeout.HEADER); // the header timeout, from the accept
        refuse(c, "PROXY header deadline");
    }

    @Override
    public void onShutdown(Connection c) { c.close(); } // nothing was asked yet
}
