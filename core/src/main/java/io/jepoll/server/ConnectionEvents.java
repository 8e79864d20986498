package io.jepoll.server;

import io.jepoll.loop.ConnectionListener;

import java.net.InetSocketAddress;

/**
 * Told of every connection a server accepts and closes, in every engine (JFR's connection events): the event
 * loops call the {@link ConnectionListener} methods, the blocking engines these, with the address java.net.Socket
 * already holds.
 */
interface ConnectionEvents extends ConnectionListener {
    /** A blocking engine accepted a connection (on its acceptor thread). */
    void opened(InetSocketAddress remote);

    /** A blocking engine's connection ends, on its own thread; {@code why} as the loops say it. */
    void closing(InetSocketAddress remote, String why);
}
