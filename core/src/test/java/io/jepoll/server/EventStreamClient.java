package io.jepoll.server;

import io.jepoll.http.EventSourceParser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A raw client of one event stream: sends a GET, reads the head, then the chunked body one chunk at a time,
 * strictly (a malformed chunk fails the test), and reads the events out of it as an EventSource would. It tells
 * apart the ways a body can end: complete (the last chunk), or cut (EOF, reset). Reads time out after 10 s.
 */
final class EventStreamClient implements AutoCloseable {
    /** How the body ended. */
    enum End { COMPLETE, EOF, RESET, TIMEOUT }

    private final Socket socket;
    private final InputStream in;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private int eventsTaken, commentsTaken;
    private boolean complete;

    EventStreamClient(HttpServer server, String path) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    Socket socket() { return socket; }

    /** Reads the head; returns its status line. */
    String readHead() throws IOException {
        String status = line();
        for (String l; !(l = line()).isEmpty(); ) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        return status;
    }

    String header(String name) { return headers.get(name); }

    /** The next event not returned yet, reading chunks as needed; fails if the body ends first. */
    EventSourceParser.Event nextEvent() throws IOException {
        while (parsed().events().size() <= eventsTaken) {
            if (!readChunk()) throw new IOException("the body ended before another event; got: " + text());
        }
        return parsed().events().get(eventsTaken++);
    }

    /** The next comment line not returned yet (without its colon). */
    String nextComment() throws IOException {
        while (parsed().comments().size() <= commentsTaken) {
            if (!readChunk()) throw new IOException("the body ended before another comment; got: " + text());
        }
        return parsed().comments().get(commentsTaken++);
    }

    /** Reads chunks until the body ends, and says how. */
    End readToEnd() {
        try {
            while (readChunk()) { }
            return End.COMPLETE;
        } catch (SocketTimeoutException e) {
            return End.TIMEOUT;
        } catch (IOException e) {
            return e.getMessage() != null && e.getMessage().startsWith("EOF") ? End.EOF : End.RESET;
        }
    }

    /** Everything of the body received so far, as parsed by an EventSource. */
    EventSourceParser parsed() { return EventSourceParser.parse(body.toByteArray()); }

    String text() { return body.toString(StandardCharsets.UTF_8); }

    /** True once the last chunk was read. */
    boolean complete() { return complete; }

    /** After the body: true when the server closed the connection (EOF or reset). */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** One chunk into the body; false at the last chunk. */
    private boolean readChunk() throws IOException {
        if (complete) return false;
        String size = line();
        int n = Integer.parseInt(size, 16);
        if (n == 0) {
            if (!line().isEmpty()) throw new IOException("trailer fields after an event stream");
            complete = true;
            return false;
        }
        byte[] data = in.readNBytes(n);
        if (data.length < n) throw new IOException("EOF inside a chunk");
        body.write(data);
        if (!line().isEmpty()) throw new IOException("chunk not followed by CRLF");
        return true;
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) throw new IOException("EOF after: " + b);
            if (c == '\r') {
                if (in.read() != '\n') throw new IOException("CR without LF");
                return b.toString();
            }
            b.append((char) c);
        }
    }

    @Override
    public void close() throws IOException { socket.close(); }
}
