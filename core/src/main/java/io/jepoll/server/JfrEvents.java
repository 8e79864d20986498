package io.jepoll.server;

import io.jepoll.http.Request;
import io.jepoll.loop.Connection;

import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

import java.net.InetSocketAddress;

/**
 * Commits jepoll's JFR events ({@link RequestEvent}, {@link ConnectionEvent}). Both are disabled unless a recording
 * enables them; each call tests whether any recording runs, then asks {@code shouldCommit()}, before it reads
 * anything (the peer, the target). Loaded only through {@link JfrSupport#events()}.
 */
final class JfrEvents implements JfrSupport.Events {
    /**
     * Whether any recording is running: the serving threads test this one field first, so without a recording an
     * exchange costs a load, not an event object (which escape analysis removes in a small test, but need not at
     * the depth an exchange is reported from). A listener that JFR tells of every recording's start and stop keeps
     * it; whether a running recording enables jepoll's events is {@code shouldCommit()}'s business.
     */
    private static volatile boolean recording;

    static {
        FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recordingStateChanged(Recording r) { recording = anyRunning(); }
        });
        if (FlightRecorder.isInitialized()) recording = anyRunning(); // started before us: no change will say so
    }

    private static boolean anyRunning() {
        for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) if (r.getState() == RecordingState.RUNNING) return true;
        return false;
    }

    @Override
    public void exchanged(int loop, Request req, int status, long bodyBytes, long startNanos, Request.AddressSource client) {
        if (!recording) return;
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
        if (!recording) return;
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
