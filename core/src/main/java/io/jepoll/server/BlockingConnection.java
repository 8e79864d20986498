package io.jepoll.server;

import io.jepoll.http.FileInfo;
import io.jepoll.http.FilePart;
import io.jepoll.http.HttpException;
import io.jepoll.http.OutputBuffer;
import io.jepoll.http.ProxyHeaderParser;
import io.jepoll.http.ProxyProtocolException;
import io.jepoll.http.Request;
import io.jepoll.http.RequestParser;
import io.jepoll.http.Response;
import io.jepoll.http.ResponseEncoder;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * One connection on its own thread, blocking: read → parse → handler → encode → write.
 * Responses to the requests found in one read leave in one write, as on the event loops.
 */
final class BlockingConnection implements Runnable, Request.AddressSource {
    private final HttpRuntime rt;
    private volatile Socket socket;  // what is read and written: raw, or TLS over it (layered after a PROXY header)
    private final Socket raw;        // the TCP socket under a TLS one (or the socket itself)
    private volatile boolean secured; // TLS: the handshake is done; before it, a close sends nothing (no alerts)
    private final BlockingEngine engine;
    private volatile boolean busy;   // a request is under way: shutdown lets it finish
    private InetSocketAddress peer;  // the client; set by serve() before the first request
    private volatile BodyStream streaming; // the streamed body under way, told of a shutdown; null when none
    private final Thread thread;

    BlockingConnection(HttpRuntime rt, Socket socket, Socket raw, BlockingEngine engine, Thread.Builder threads) {
        this.rt = rt;
        this.socket = socket;
        this.raw = raw;
        this.engine = engine;
        this.thread = threads.unstarted(this);
    }

    void start() { thread.start(); }

    void join(long millis) throws InterruptedException { thread.join(millis); }

    /** Shutdown: an idle connection is closed at once (its thread is blocked in read); a streamed body is told to end. */
    void closeIfIdle() {
        BodyStream s = streaming;
        if (s != null) s.signals.finish();
        if (!busy) close();
    }

    void close() {
        try {
            // TLS: from the connection's own thread, with close_notify. From another (shutdown), the socket underneath:
            // the JDK's SSLSocket.close() can wait on the reader's lock, and before the handshake it would send alerts
            // to a client that never said hello.
            boolean own = Thread.currentThread() == thread;
            (socket == raw || (secured && own) ? socket : raw).close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }

    @Override
    public void run() {
        String why = "the exchange is over";
        try {
            serve();
        } catch (IOException | RuntimeException e) {
            // the peer vanished or the socket was closed by shutdown: nothing to answer
            why = "failed: " + e;
        } finally {
            if (rt.connectionEvents != null) rt.connectionEvents.closing(peer, why);
            close();
            engine.finished(this);
        }
    }

    private void serve() throws IOException {
        // Shutdown may have looked at the live set before this connection joined it: it would not close us, so look
        // here (before the TLS handshake's blocking read, which would otherwise hold on until its deadline).
        if (engine.isStopping()) return;
        byte[] buf = new byte[16 * 1024];
        peer = (InetSocketAddress) raw.getRemoteSocketAddress();
        int pending = 0; // bytes that arrived with the PROXY header, at the start of buf
        if (rt.config.proxyProtocol()) { // in clear, before TLS if any (as a balancer sends it)
            Preamble proxy = readProxyHeader(raw.getInputStream(), buf);
            if (proxy == null) return; // not the protocol, or too slow: closed without an answer
            if (proxy.client() != null) peer = proxy.client();
            pending = proxy.rest();
            if (rt.config.tls() != null) { // those bytes are the start of the client's handshake
                socket = BlockingEngine.secure(raw, rt.config.tls(), new java.io.ByteArrayInputStream(buf, 0, pending));
                pending = 0;
            }
        }
        if (rt.config.tcpNoDelay()) socket.setTcpNoDelay(true);
        if (socket instanceof javax.net.ssl.SSLSocket ssl) { // TLS: the handshake first, with its own deadline
            if (engine.isStopping()) return; // closeIfIdle may have closed raw before socket was the TLS one
            ssl.setSoTimeout((int) Math.min(rt.config.tls().handshakeTimeout().toMillis(), Integer.MAX_VALUE));
            ssl.startHandshake();
            secured = true;
        }
        InputStream in = socket.getInputStream();
        OutputStream os = socket.getOutputStream();
        RequestParser parser = new RequestParser(rt.config.limits());
        OutputBuffer out = new OutputBuffer(4096);
        boolean inBody = false;
        long headDeadline = 0;
        while (true) {
            long now = System.nanoTime() / 1_000_000;
            long timeout = !parser.inProgress() ? rt.idleMillis : inBody ? rt.bodyMillis : Math.max(1, headDeadline - now);
            socket.setSoTimeout((int) Math.min(timeout, Integer.MAX_VALUE));
            busy = parser.inProgress();
            if (!busy && engine.isStopping()) return;
            int n;
            try {
                n = pending > 0 ? pending : in.read(buf);
                pending = 0;
            } catch (SocketTimeoutException e) {
                rt.timedOut(-1, !parser.inProgress() ? Metrics.Timeout.IDLE : inBody ? Metrics.Timeout.BODY : Metrics.Timeout.HEADER);
                if (parser.inProgress()) refuse(os, out, 408, inBody ? ExchangePolicy.BODY_STALLED : ExchangePolicy.HEAD_TOO_SLOW, parser);
                return;
            }
            if (n < 0) return; // EOF: whatever was complete has been answered
            busy = true;
            if (!parser.inProgress()) headDeadline = System.nanoTime() / 1_000_000 + rt.headerMillis;
            boolean close = false;
            for (int off = 0; off < n && !close; ) {
                try {
                    off += parser.feed(buf, off, n - off);
                } catch (HttpException e) {
                    refuse(os, out, e.status(), e.reason(), parser);
                    return;
                }
                switch (parser.event()) {
                    case NEED_MORE -> { }
                    case HEAD_COMPLETE -> {
                        inBody = true;
                        if (ExchangePolicy.sendContinue(parser.request(), off < n)) {
                            ResponseEncoder.encodeContinue(out);
                            flush(os, out);
                        }
                    }
                    case REQUEST_COMPLETE -> {
                        inBody = false;
                        parser.request().remoteAddress(peer);
                        close = !answer(parser.request(), os, out);
                        parser.reset();
                        if (off < n) headDeadline = System.nanoTime() / 1_000_000 + rt.headerMillis;
                    }
                }
            }
            flush(os, out);
            if (close) {
                socket.shutdownOutput();
                return;
            }
        }
    }

    /** A PROXY header read: its client (null: the socket's own peer), and how many bytes of HTTP came with it. */
    private record Preamble(InetSocketAddress client, int rest) {}

    /**
     * Reads the PROXY header from the TCP socket within the header timeout, from the accept; the bytes read after it
     * (HTTP, or the start of the TLS handshake) are moved to the start of {@code buf}. Null when the peer sent no
     * valid header in time.
     */
    private Preamble readProxyHeader(InputStream in, byte[] buf) throws IOException {
        ProxyHeaderParser p = new ProxyHeaderParser();
        long deadline = System.nanoTime() / 1_000_000 + rt.headerMillis;
        while (true) {
            long left = deadline - System.nanoTime() / 1_000_000;
            if (left <= 0) return null;
            raw.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                rt.timedOut(-1, Metrics.Timeout.HEADER);
                return null;
            }
            if (n < 0) return null;
            int used;
            try {
                used = p.feed(buf, 0, n);
            } catch (ProxyProtocolException e) {
                return null;
            }
            if (p.isComplete()) {
                System.arraycopy(buf, used, buf, 0, n - used);
                return new Preamble(p.header().source(), n - used);
            }
        }
    }

    /** Answers one request; returns whether the connection stays open. */
    private boolean answer(Request req, OutputStream os, OutputBuffer out) throws IOException {
        long start = rt.exchangeStart();
        Response r = rt.health.answer(req); // a health check, answered before any handler (Health)
        if (r == null) r = rt.call(req);
        if (rt.compression != null) r = rt.compression.apply(req, r, rt.sharedDeflaters());
        FileChannel file = null;
        if (r.isFile()) {
            FileAnswer<FileChannel> fa = FileAnswer.open(r, BlockingConnection::openFile);
            r = fa.response();
            file = fa.file();
        }
        ExchangePolicy.Answer a = ExchangePolicy.answer(req, r, rt.closingConnections());
        ChunkedOutputStream body = a.streamed() ? new ChunkedOutputStream(os, a.chunked()) : null;
        try {
            return send(a, file, body, os, out);
        } finally { // a body that failed halfway is reported too, with the bytes that left
            if (rt.observer != null) {
                rt.exchanged(-1, req, a.response().status(), body == null ? a.bodyBytes() : body.bodyBytes(), start, this);
            }
        }
    }

    /** Writes the answer (a large body, a file, a stream: at once; a small one: with the next flush); returns keep-alive. */
    private boolean send(ExchangePolicy.Answer a, FileChannel file, ChunkedOutputStream body, OutputStream os, OutputBuffer out)
            throws IOException {
        Response r = a.response();
        byte[] rest = a.encode(System.currentTimeMillis(), out);
        if (file != null) {
            try (FileChannel f = file) {
                if (a.sendsBody()) {
                    flush(os, out);
                    WritableByteChannel sink = Channels.newChannel(os);
                    for (FilePart p : a.response().fileParts()) {
                        switch (p) {
                            case FilePart.Bytes b -> os.write(b.bytes());
                            case FilePart.Region reg -> transfer(f, reg.offset(), reg.length(), sink);
                        }
                    }
                }
            }
            return a.keepAlive();
        }
        if (body != null) {
            flush(os, out);
            streaming = body;
            if (engine.isStopping()) body.signals.finish(); // closeIfIdle may have looked before the field was set
            try {
                r.writer().writeTo(body); // an exception here leaves the body unterminated: the client sees it fail
            } catch (RuntimeException | Error e) {
                rt.handlerFailed();
                throw e;
            } finally {
                streaming = null;
            }
            body.finish();
            return a.keepAlive();
        }
        if (rest != null) {
            flush(os, out);
            os.write(rest);
        }
        return a.keepAlive();
    }

    /** java.nio has no fstat: the size is the channel's, the date and identity are read by path just after opening. */
    private static FileAnswer.Opened<FileChannel> openFile(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) throw new IOException("not a regular file: " + path);
            java.time.Instant m = attrs.lastModifiedTime().toInstant();
            FileInfo info = new FileInfo(ch.size(), m.getEpochSecond(), m.getNano(), inodeOf(path));
            return new FileAnswer.Opened<>(ch, info, () -> closeQuietly(ch));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static long inodeOf(Path path) {
        try {
            Object ino = Files.getAttribute(path, "unix:ino");
            return ino == null ? 0 : (Long) ino;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 0; // no Unix view here: identity from size and date only
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }

    /** Copies a region of the file to the socket; a file that shrank ends the connection (its length was promised). */
    private static void transfer(FileChannel f, long offset, long length, WritableByteChannel sink) throws IOException {
        long end = offset + length;
        while (offset < end) {
            long n = f.transferTo(offset, end - offset, sink);
            if (n <= 0) throw new IOException("file shrank while being sent");
            offset += n;
        }
    }

    private void refuse(OutputStream os, OutputBuffer out, int status, String reason, RequestParser failed) throws IOException {
        int bodyBytes = ExchangePolicy.refuse(status, reason, out);
        if (rt.observer != null) rt.refused(-1, failed, status, bodyBytes, this);
        flush(os, out);
        socket.shutdownOutput();
    }

    /** The client's address: from the PROXY header, else the socket's (java.net.Socket keeps it: no system call). */
    @Override
    public InetSocketAddress remoteAddress() { return peer; }

    private static void flush(OutputStream os, OutputBuffer out) throws IOException {
        if (out.isEmpty()) return;
        os.write(out.array(), out.start(), out.readable());
        out.clear();
    }
}
