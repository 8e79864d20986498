package io.jepoll.bench.peers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/**
 * The JDK's com.sun.net.httpserver: its dispatcher thread selects and accepts; handlers run on a
 * one-thread executor ({@code JdkPeer PORT single}) or on a virtual thread each ({@code JdkPeer PORT
 * virtual}). The JDK adds Date itself.
 */
public final class JdkPeer {
    private JdkPeer() {}

    public static void main(String[] args) throws IOException {
        int port = Peers.port(args);
        boolean virtual = Peers.arg(args, 1, "single").equals("virtual");
        // Defaults would close idle connections beyond 200, and any idle for 30 s: the idle tests hold 19,000.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "20000");
        System.setProperty("sun.net.httpserver.idleInterval", "600");
        HttpServer server = HttpServer.create(new InetSocketAddress(Peers.HOST, port), Peers.BACKLOG);
        server.createContext("/", JdkPeer::handle);
        server.setExecutor(virtual ? Executors.newVirtualThreadPerTaskExecutor() : Executors.newSingleThreadExecutor());
        server.start();
        Peers.ready("jdk-httpserver (" + (virtual ? "virtual threads" : "1-thread executor") + ")", port);
    }

    private static void handle(HttpExchange ex) throws IOException {
        byte[] body;
        String type;
        if (ex.getRequestMethod().equals("POST")) {
            body = ex.getRequestBody().readAllBytes();
            type = ex.getRequestHeaders().getFirst("Content-Type");
            if (type == null) type = Peers.OCTETS;
        } else {
            body = "/16k".equals(ex.getRequestURI().getPath()) ? Peers.BIG : Peers.HELLO;
            type = Peers.TEXT_PLAIN;
        }
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
