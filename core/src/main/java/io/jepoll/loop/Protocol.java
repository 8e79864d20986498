package io.jepoll.loop;

/** Creates the handler for each accepted connection, on that connection's loop thread. */
@FunctionalInterface
public interface Protocol {
    ConnectionHandler open(Connection c);
}
