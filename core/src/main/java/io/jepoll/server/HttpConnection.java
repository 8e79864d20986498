package io.jepoll.server;

import io.jepoll.http.HttpException;
import io.jepoll.http.OutputBuffer;
import io.jepoll.http.Request;
import io.jepoll.http.RequestParser;
import io.jepoll.http.Response;
import io.jepoll.http.ResponseEncoder;
import io.jepoll.loop.Connection;
import io.jepoll.loop.ConnectionHandler;
import io.jepoll.loop.OpenFile;
import io.jepoll.http.FileInfo;
import io.jepoll.http.FilePart;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * HTTP/1.1 on one event-loop connection: bytes → parser → handler → encoder, in request order.
 *
 * <h2>The exchange</h2>
 * <pre>
 *          a byte of a head                 head parsed                  body complete (or none)
 *   IDLE ─────────────────────► HEAD ─────────────────────► BODY ─────────────────────────────┐
 *    ▲ ▲                         │ header deadline           │ body stall timeout            │
 *    │ │                         ▼ (from the first byte)     ▼                               │
 *    │ │                        408 + close                 408 + close                      │
 *    │ │        response encoded (handler on the loop)                                       │
 *    │ ├─────────────────────────────────────────────────────────────────────────────────────┤
 *    │ │        response encoded back on the loop                                            │
 *    │ └───────────────────────────── HANDLER ◄──── handler on a virtual thread ──────────────┤
 *    │          last chunk written                                                           │
 *    └─────────────────────────────── STREAMING ◄── streamed body (its writer on a v-thread) ┘
 * </pre>
 * IDLE waits with the idle timeout. While output is blocked (the client reads slowly) the
 * one deadline is the write timeout instead, whatever the phase. {@link #moveTo} is the one
 * place the phase changes, and it arms the deadline that goes with the new phase.
 *
 * <p>Pipelined requests that arrive in one read are answered in one send: responses are
 * handed to the connection, which sends once after {@link #onRead} returns. In HANDLER and
 * STREAMING, or when more than {@link #HIGH_WATER} waits for the client, the bytes not yet
 * parsed are set aside ({@code stash}) and reading pauses; they are parsed when the
 * connection is free again, so responses never overtake each other and memory per
 * connection stays bounded.
 */
final class HttpConnection implements ConnectionHandler {
    /** Stop answering pipelined requests while more than this waits for the client to read. */
    static final int HIGH_WATER = 256 * 1024;

    enum Phase {
        /** Between requests. */
        IDLE,
        /** Part of a request head has arrived. */
        HEAD,
        /** The head is parsed; the body is arriving. */
        BODY,
        /** The handler runs off the loop (virtual threads). */
        HANDLER,
        /** A streamed body is being written by its writer. */
        STREAMING;

        /** Whether a handler or a writer runs elsewhere: input must wait. */
        boolean inFlight() { return this == HANDLER || this == STREAMING; }
    }

    private final HttpRuntime rt;
    private Phase phase;
    private long headDeadline;           // loop clock: when the head under way must be complete
    private RequestParser parser;        // borrowed from the loop's pool while a request is under way; null when idle
    private OutputBuffer stash;          // input set aside, not parsed yet; null when none (the usual case)
    private boolean peerDone;            // the client sent EOF: answer what was asked, then close
    private boolean lastExchange;        // the response under way is the last (shutdown, Connection: close)
    private StreamedBody stream;         // non-null exactly in STREAMING
    private InetSocketAddress peer;      // the client: from a PROXY header, or asked of the socket when first wanted

    HttpConnection(HttpRuntime rt, Connection c) { this(rt, c, null); }

    /** With the client's address known already (a PROXY header carried it), or null to ask the socket. */
    HttpConnection(HttpRuntime rt, Connection c, InetSocketAddress peer) {
        this.rt = rt;
        this.peer = peer;
        this.phase = Phase.IDLE;
        armDeadline(c); // a connection that never sends anything is closed like an idle one
    }

    /**
     * Enters {@code next} and arms its deadline (unless output is blocked: then the write
     * deadline stays). IDLE's deadline is armed once the whole read has been answered
     * ({@link #becameIdle}), not after each of its pipelined responses.
     */
    private void moveTo(Connection c, Phase next) {
        phase = next;
        if (next == Phase.HEAD) headDeadline = c.loop().now() + rt.headerMillis;
        if (next != Phase.IDLE) armDeadline(c);
    }

    private void armDeadline(Connection c) {
        if (c.isWriteBlocked()) return; // the write timeout governs until the client catches up
        switch (phase) {
            case IDLE -> c.setTimeout(rt.idleMillis);
            case HEAD -> c.setTimeout(Math.max(0, headDeadline - c.loop().now()));
            case BODY -> c.setTimeout(rt.bodyMillis);
            case HANDLER, STREAMING -> c.cancelTimeout();
        }
    }

    // ------------------------------------------------------------ input

    @Override
    public void onRead(Connection c, byte[] buf, int off, int len) {
        if (phase.inFlight() || stash != null) {
            stashBytes(c, buf, off, off + len);
            return;
        }
        process(c, buf, off, off + len);
        rt.settleDurations(c.loop()); // what this read answered leaves when it returns
    }

    /** Parses and answers requests in {@code buf[off, end)} until done, or until it must wait. */
    private void process(Connection c, byte[] buf, int off, int end) {
        while (off < end) {
            if (c.isClosing()) return; // refused or closing: later bytes are dropped
            if (phase.inFlight() || c.queuedBytes() > HIGH_WATER) {
                stashBytes(c, buf, off, end);
                return;
            }
            if (parser == null) parser = rt.local(c.loop()).parsers.take();
            int n;
            try {
                n = parser.feed(buf, off, end - off);
            } catch (HttpException e) {
                refuse(c, e.status(), e.reason());
                return;
            }
            off += n;
            switch (parser.event()) {
                case NEED_MORE -> {
                    if (phase == Phase.BODY) armDeadline(c);                            // progress: the stall clock restarts
                    else if (phase == Phase.IDLE && parser.inProgress()) moveTo(c, Phase.HEAD); // the deadline runs from here
                }
                case HEAD_COMPLETE -> {
                    if (ExchangePolicy.sendContinue(parser.request(), off < end)) {
                        ResponseEncoder.encodeContinue(out(c));
                        send(c, null);
                    }
                    moveTo(c, Phase.BODY);
                }
                case REQUEST_COMPLETE -> {
                    if (c.isTraced()) traceRequest(c, parser.request());
                    parser.request().remoteAddressFrom(rt.local(c.loop()).peer.of(c, this));
                    dispatch(c, parser.request());
                }
            }
        }
        if (phase == Phase.IDLE) becameIdle(c);
    }

    /**
     * The client's address, asked of the socket once (getpeername on epoll) and kept for the later requests; null
     * when the peer reset before anyone asked (an access log writes "-").
     */
    InetSocketAddress remoteAddress(Connection c) {
        if (peer == null) peer = c.remoteAddress();
        return peer;
    }

    // The trace lines are built in methods of their own, never run untraced: the per-request
    // path keeps its size (and so its inlining), and an untraced server pays one null test.
    private static void traceAnswer(Connection c, ExchangePolicy.Answer a) {
        c.trace("→ " + a.response().status() + (a.keepAlive() ? "" : ", then close") + (a.streamed() ? ", streamed" : ""));
    }

    private static void traceRequest(Connection c, Request req) {
        c.trace(requestLine(req) + (req.hasBody() ? " (" + req.body().length + " bytes of body)" : ""));
    }

    private static String requestLine(Request req) { return req.method() + " " + req.target() + " HTTP/1." + req.versionMinor(); }

    /** The request line as far as it came (escaped: a refused one may hold any byte), then the refusal and why. */
    private static void traceRefusal(Connection c, RequestParser failed, int status, String reason) {
        if (failed != null && failed.request().isParsed()) {
            c.trace(requestLine(failed.request())); // its body, if any, never completed: not asked for
        } else if (failed != null && failed.requestLineSeen() != null) {
            StringBuilder line = new StringBuilder();
            LogEscape.text(failed.requestLineSeen(), line);
            c.trace(line.append(" (its head refused)").toString());
        }
        c.trace("→ " + status + " refused: " + reason + ", then close");
    }

    private void stashBytes(Connection c, byte[] buf, int off, int end) {
        int len = end - off;
        if (len <= 0) return;
        // An object only while needed: an idle connection pays one null reference for it.
        if (stash == null) stash = new OutputBuffer(Math.max(len, 1024));
        stash.put(buf, off, len);
        c.pauseReading(); // bounded: at most one read's worth is ever set aside
    }

    /** The connection is free again (handler done, client drained): parse what was set aside. */
    private void resume(Connection c) {
        if (!c.isOpen() || phase.inFlight()) return;
        if (stash != null) {
            OutputBuffer s = stash;
            stash = null;
            process(c, s.array(), s.start(), s.start() + s.readable());
            if (phase.inFlight() || stash != null || c.isClosing()) return;
        }
        if (peerDone) {
            endOfInput(c);
            return;
        }
        c.resumeReading();
        if (phase == Phase.IDLE) becameIdle(c);
    }

    /** Between requests. A close now was asked for (Connection: close, shutdown, EOF): no linger needed. */
    private void becameIdle(Connection c) {
        releaseParser(c);
        if (lastExchange || peerDone) c.closeAfterWrite(false);
        else armDeadline(c);
    }

    /**
     * Between requests a connection holds no parser: it goes back to the loop's pool, so an
     * idle keep-alive connection costs only its few small objects.
     */
    private void releaseParser(Connection c) {
        if (parser == null || parser.inProgress() || parser.event() == RequestParser.Event.REQUEST_COMPLETE) return;
        rt.local(c.loop()).parsers.give(parser);
        parser = null;
    }

    /** The client sent EOF and everything it asked for is answered (or being answered). */
    private void endOfInput(Connection c) {
        if (phase == Phase.HEAD || phase == Phase.BODY) c.close(); // a partial request will never be completed
        else c.closeAfterWrite();
    }

    // ------------------------------------------------------------ requests and responses

    private void dispatch(Connection c, Request req) {
        // Held locally: responding can close the connection (a write fails), and onClosed drops
        // the field. Resetting a parser no connection holds any more is harmless.
        RequestParser p = parser;
        long start = rt.exchangeStart(c.loop());
        if (answeredHealthCheck(c, req, p, start)) return;
        Handler h = rt.handler;
        boolean offLoop = rt.offLoop;
        if (rt.router != null) { // matched here, once: where its route runs is known before anything runs
            Router.Route route = rt.router.select(req);
            h = route.chain;
            offLoop = route.blocking;
        }
        if (offLoop) {
            // The handler reads the request after this read's buffer is reused: it must own its
            // bytes. Nothing more is parsed until the response is out, so the parser can wait.
            p.retainRequest();
            moveTo(c, Phase.HANDLER);
            Handler chain = h;
            rt.executor.execute(() -> {
                Response r = rt.call(chain, req);
                c.loop().execute(() -> {
                    if (!c.isOpen()) return; // onClosed let the parser go
                    if (!respond(c, req, r, start)) {
                        p.reset();
                        resume(c);
                    }
                    rt.settleDurations(c.loop());
                });
            });
            return;
        }
        Response r = rt.call(h, req);
        // A body writer may read the request on its own thread: it must own its bytes before the writer starts.
        if (r.isStreamed()) p.retainRequest();
        if (!respond(c, req, r, start)) p.reset(); // else reset when the streamed body is done
    }

    /** A health check is answered here, on the loop, before any handler (Health): true when {@code req} was one. */
    private boolean answeredHealthCheck(Connection c, Request req, RequestParser p, long start) {
        Response h = rt.health.answer(req);
        if (h == null) return false;
        respond(c, req, h, start); // a constant, never streamed: the exchange is over
        p.reset();
        return true;
    }

    /** Encodes the response; returns true when a streamed body has started (STREAMING). */
    private boolean respond(Connection c, Request req, Response r, long start) {
        if (rt.compression != null) r = rt.compression.apply(req, r, rt.local(c.loop()).deflaters);
        OpenFile file = null;
        if (r.isFile()) {
            FileAnswer<OpenFile> fa = FileAnswer.open(r, path -> {
                OpenFile f = c.openFile(path);
                return new FileAnswer.Opened<>(f, new FileInfo(f.size(), f.mtimeSeconds(), f.mtimeNanos(), f.inode()), f::close);
            });
            r = fa.response();
            file = fa.file();
        }
        ExchangePolicy.Answer a = ExchangePolicy.answer(req, r, lastExchange || rt.closingConnections());
        if (c.isTraced()) traceAnswer(c, a);
        long now = c.loop().epochMillis();
        byte[] whole = a.whole(now);
        if (whole != null) c.write(whole); // the common case: one copy, into the loop's output
        else send(c, a.encode(now, out(c)));
        if (file != null) sendFileParts(c, a, file);
        if (rt.observer != null && !(a.streamed() && c.isOpen())) { // a body still to stream is reported when it ends
            rt.exchanged(c.loop().index(), req, a.response().status(), a.bodyBytes(), start, client(c));
        }
        if (!c.isOpen()) { // the client is gone: no body to stream
            moveTo(c, Phase.IDLE);
            return false;
        }
        if (a.streamed()) {
            stream = new StreamedBody(rt, c, a.chunked(), a.keepAlive(), this::streamDone);
            if (rt.observer != null) stream.observe(req, a.response().status(), start, remoteAddress(c)); // before a close hides it
            moveTo(c, Phase.STREAMING);
            stream.start(r.writer());
            return true;
        }
        if (!a.keepAlive()) lastExchange = true;
        moveTo(c, Phase.IDLE);
        if (lastExchange) c.closeAfterWrite(false);
        return false;
    }

    /** On the loop: the streamed body ended, well or badly. */
    private void streamDone(Connection c, boolean ok, boolean keepAlive) {
        stream = null;
        if (parser != null && parser.event() == RequestParser.Event.REQUEST_COMPLETE) parser.reset(); // retained for the writer
        if (!c.isOpen()) return;
        if (!ok) { // headers are out: the only honest signal left is an incomplete body
            c.close();
            return;
        }
        if (!keepAlive) lastExchange = true;
        moveTo(c, Phase.IDLE);
        if (lastExchange) {
            c.closeAfterWrite(false);
            return;
        }
        resume(c); // arms the idle deadline, or parses what arrived meanwhile
        rt.settleDurations(c.loop());
    }

    private void refuse(Connection c, int status, String reason) {
        RequestParser failed = parser;
        stash = null;
        parser = null; // failed for good: not returned to the pool
        int bodyBytes = ExchangePolicy.refuse(status, reason, out(c));
        if (c.isTraced()) traceRefusal(c, failed, status, reason);
        if (rt.observer != null) rt.refused(c.loop().index(), failed, status, bodyBytes, client(c));
        send(c, null);
        c.closeAfterWrite();
    }

    /** The client's address for an observer, looked up only if it asks: the loop's one source, bound to this connection. */
    private Request.AddressSource client(Connection c) { return rt.local(c.loop()).peer.of(c, this); }

    /** The loop's encode buffer (empty between uses). */
    private OutputBuffer out(Connection c) { return rt.local(c.loop()).out; }

    /** Hands what was encoded to the connection (a copy into its output), then a large body without copying. */
    private void send(Connection c, byte[] body) {
        OutputBuffer out = out(c);
        c.write(out.array(), out.start(), out.readable());
        out.clear();
        out.shrinkIfLarger(1 << 20, 4096);
        if (body != null) c.writeShared(body, 0, body.length);
    }

    /** The body of a file response: regions straight from the file (sendfile), framing bytes between them. */
    private static void sendFileParts(Connection c, ExchangePolicy.Answer a, OpenFile file) {
        List<FilePart> parts = a.response().fileParts();
        int lastRegion = -1;
        if (parts != null && a.sendsBody()) {
            for (int i = 0; i < parts.size(); i++) if (parts.get(i) instanceof FilePart.Region) lastRegion = i;
        }
        if (lastRegion < 0) { // HEAD, 304, an empty file...: nothing of the file leaves
            file.close();
            return;
        }
        for (int i = 0; i < parts.size(); i++) {
            switch (parts.get(i)) {
                // The connection closes the file after the last region, or when it closes first.
                case FilePart.Region reg -> c.writeFile(file, reg.offset(), reg.length(), i == lastRegion);
                case FilePart.Bytes b -> c.write(b.bytes());
            }
        }
    }

    // ------------------------------------------------------------ events

    @Override
    public void onReadEnd(Connection c) {
        peerDone = true;
        if (stream != null) stream.signals.finish(); // an event stream ends: its client is gone or done (EventStream)
        if (phase.inFlight() || stash != null) return; // finish what was asked, then close (see resume)
        endOfInput(c);
    }

    @Override
    public void onWriteBlocked(Connection c) { c.setTimeout(rt.writeMillis); }

    @Override
    public void onSecured(Connection c) { armDeadline(c); } // TLS is up: the idle deadline replaces the handshake's

    @Override
    public void onDrained(Connection c) {
        if (stream != null) stream.drained();
        armDeadline(c); // the write deadline is over: back to the phase's own
        if (!phase.inFlight()) resume(c);
        rt.settleDurations(c.loop());
    }

    @Override
    public void onTimeout(Connection c) {
        if (c.isTraced()) c.trace(c.isWriteBlocked() ? "write timeout: the client stopped reading" : timeoutName(phase));
        int loop = c.loop().index();
        if (c.isWriteBlocked()) { // the client stopped reading its response
            rt.timedOut(loop, Metrics.Timeout.WRITE);
            c.close();
            return;
        }
        switch (phase) {
            case HEAD -> {
                rt.timedOut(loop, Metrics.Timeout.HEADER);
                refuse(c, 408, ExchangePolicy.HEAD_TOO_SLOW);
            }
            case BODY -> {
                rt.timedOut(loop, Metrics.Timeout.BODY);
                refuse(c, 408, ExchangePolicy.BODY_STALLED);
            }
            case IDLE -> {
                rt.timedOut(loop, Metrics.Timeout.IDLE);
                c.close();
            }
            case HANDLER, STREAMING -> c.close(); // they arm no deadline
        }
    }

    private static String timeoutName(Phase phase) {
        return switch (phase) {
            case IDLE -> "idle timeout";
            case HEAD -> "header deadline: 408";
            case BODY -> "body stalled: 408";
            case HANDLER, STREAMING -> "deadline";
        };
    }

    @Override
    public void onShutdown(Connection c) {
        lastExchange = true;
        if (stream != null) stream.signals.finish(); // an event stream ends cleanly within the grace
        if (phase == Phase.IDLE && stash == null) c.closeAfterWrite(false);
    }

    @Override
    public void onClosed(Connection c) {
        stash = null;
        parser = null; // may be mid-request or retained by a writer: let it go, do not pool it
        if (stream != null) stream.abort();
    }
}
