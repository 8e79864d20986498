package io.jepoll.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A byte-level HTTP client for tests: sends exactly the bytes given and parses responses
 * strictly, so a test sees what the server really put on the wire (over TLS: what it put in
 * its records). Reads time out after 10 s so a broken server fails a test instead of hanging it.
 */
public final class RawClient implements AutoCloseable {
    public record Reply(int status, String statusLine, Map<String, String> headers, byte[] body) {
        public String text() { return new String(body, StandardCharsets.UTF_8); }
        public String header(String name) { return headers.get(name.toLowerCase(Locale.ROOT)); }
    }

    private final Socket socket;
    private InputStream in;
    private final OutputStream out;

    /** A client of {@code server} on 127.0.0.1: over TLS (trusting the test certificate) when the server speaks it. */
    public RawClient(HttpServer server) throws IOException {
        this(new java.net.InetSocketAddress("127.0.0.1", server.port()), server.config().tls() != null);
    }

    public RawClient(int port) throws IOException {
        this(new java.net.InetSocketAddress("127.0.0.1", port), false);
    }

    public RawClient(java.net.InetSocketAddress address) throws IOException {
        this(address, false);
    }

    /** With {@code tls}, the bytes given are sent inside TLS records and what is read is the plaintext. */
    public RawClient(java.net.InetSocketAddress address, boolean tls) throws IOException {
        socket = tls ? io.jepoll.tls.TestCertificates.trustingLocalhost().getSocketFactory().createSocket() : new Socket();
        socket.connect(address);
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** A client over a socket the test connected (and layered, for TLS) itself; its timeout is the test's. */
    public static RawClient over(Socket connected) throws IOException { return new RawClient(connected); }

    private RawClient(Socket connected) throws IOException {
        socket = connected;
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public Socket socket() { return socket; }

    /**
     * From now on every read from the socket asks for at most {@code max} bytes: a client that reads in small
     * pieces, so the server's output backs up and it has to resume partial writes.
     */
    public RawClient limitReads(int max) {
        InputStream raw = in;
        in = new java.io.FilterInputStream(raw) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, max));
            }
        };
        return this;
    }

    public RawClient send(String s) throws IOException { return send(s.getBytes(StandardCharsets.ISO_8859_1)); }

    public RawClient send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    /** Sends one byte per write call. */
    public RawClient trickle(String s) throws IOException {
        for (byte b : s.getBytes(StandardCharsets.ISO_8859_1)) {
            out.write(b);
            out.flush();
        }
        return this;
    }

    public void shutdownOutput() throws IOException { socket.shutdownOutput(); }

    /** Reads one response; {@code head} true when it answers a HEAD request (no body follows). */
    public Reply read(boolean head) throws IOException {
        String statusLine = line();
        if (statusLine == null) throw new IOException("connection closed before a response");
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) throw new IOException("bad status line: " + statusLine);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l; !(l = line()).isEmpty(); ) {
            int colon = l.indexOf(':');
            if (colon <= 0) throw new IOException("bad field line: " + l);
            String name = l.substring(0, colon).toLowerCase(Locale.ROOT);
            if (headers.containsKey(name)) throw new IOException("duplicate field " + name);
            headers.put(name, l.substring(colon + 1).trim());
        }
        byte[] body;
        if (head || status == 204 || status == 304 || status / 100 == 1) body = new byte[0];
        else if ("chunked".equals(headers.get("transfer-encoding"))) body = chunked();
        else if (headers.containsKey("content-length")) body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
        else body = in.readAllBytes();
        return new Reply(status, statusLine, headers, body);
    }

    public Reply read() throws IOException { return read(false); }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semi = size.indexOf(';');
            int n = Integer.parseInt(semi >= 0 ? size.substring(0, semi) : size, 16);
            if (n == 0) {
                while (!line().isEmpty()) { } // trailers
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            if (!line().isEmpty()) throw new IOException("chunk not followed by CRLF");
        }
    }

    /** A CRLF-terminated line without the CRLF; null at EOF before any byte. */
    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (b.isEmpty()) return null;
                throw new IOException("EOF inside a line: " + b);
            }
            if (c == '\r') {
                if (in.read() != '\n') throw new IOException("CR without LF");
                return b.toString();
            }
            if (c == '\n') throw new IOException("bare LF from server");
            b.append((char) c);
        }
    }

    /** True when the server closed the connection (EOF or reset), false if bytes are still arriving. */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) { // reset counts as closed
            return true;
        }
    }

    @Override
    public void close() throws IOException { socket.close(); }
}
