package io.jepoll.loop;

/** Creates the handler for each accepted connection, on that connection's loop thread. */
@FunctionalInterface
public interface Protocol {
    /**
     * The handler for a connection just accepted, before its first byte is read.
     *
     * @param c the new connection; the handler may keep it until {@link ConnectionHandler#onClosed}
     * @return the handler for all of the connection's events; not null
     */
    ConnectionHandler open(Connection c);
}
