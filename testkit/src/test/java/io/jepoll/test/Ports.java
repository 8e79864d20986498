package io.jepoll.test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Whether anything still listens on a port of 127.0.0.1: how the tests see that a server was closed. */
final class Ports {
    private Ports() {}

    /** True when a connection to 127.0.0.1:{@code port} is refused (bounded: a 10 s connect timeout). */
    static boolean refused(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }
}
