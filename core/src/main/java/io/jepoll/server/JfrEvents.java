package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.loop.Connection;

import java.net.InetSocketAddress;

/**
 * Commits jepoll's JFR events ({@link RequestEvent}, {@link ConnectionEvent}). Both are disabled unless a recording
 * enables them, and each call asks {@code shouldCommit()} before it reads anything: without such a recording an
 * exchange costs an event object that escape analysis removes and one test. Loaded only through
 * {@link JfrSupport#events()}.
 */
final class JfrEvents implements JfrSupport.Events {
    @Override
    public void exchanged(int loop, Request req, int status, long bodyBytes, long startNanos, Request.AddressSource client) {
        RequestEvent e = new RequestEvent();
        if (!e.shouldCommit()) return;
        long now = System.nanoTime();
        if (req != null) {
            e.method = req.method();
            e.target = req.target();
        }
        e.status = status;
        e.bytes = bodyBytes;
        e.requestDuration = startNanos == 0 ? 0 : Math.max(0, now - startNanos);
        e.refused = startNanos == 0;
        e.remote = text(client.remoteAddress());
        e.loop = loop;
        e.commit();
    }

    @Override
    public void opened(Connection c) { connection("accepted", c.loop().index(), c, null, null); }

    @Override
    public void closing(Connection c, String why) { connection("closed", c.loop().index(), c, null, why); }

    @Override
    public void opened(InetSocketAddress remote) { connection("accepted", -1, null, remote, null); }

    @Override
    public void closing(InetSocketAddress remote, String why) { connection("closed", -1, null, remote, why); }

    /** The peer is asked of the connection (a system call on epoll) only when the event is recorded. */
    private static void connection(String action, int loop, Connection c, InetSocketAddress remote, String why) {
        ConnectionEvent e = new ConnectionEvent();
        if (!e.shouldCommit()) return;
        e.action = action;
        e.remote = text(c != null ? c.remoteAddress() : remote);
        e.why = why;
        e.loop = loop;
        e.commit();
    }

    private static String text(InetSocketAddress a) {
        return a == null ? null : a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
