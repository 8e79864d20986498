package io.jepoll.server;

import io.jepoll.http.HttpException;
import io.jepoll.http.Request;
import io.jepoll.http.RequestParser;
import io.jepoll.http.Response;
import io.jepoll.http.ResponseEncoder;
import io.jepoll.http.Status;
import io.jepoll.loop.Connection;
import io.jepoll.loop.ConnectionHandler;

/**
 * HTTP/1.1 on one connection: bytes → parser → handler → encoder, in request order.
 *
 * <p>Pipelined requests that arrive in one read are answered in one write: every response
 * is appended to the connection's output and the loop flushes once after {@link #onRead}.
 * When a handler runs elsewhere (virtual threads, streamed bodies) or the client reads too
 * slowly, the bytes not yet parsed are set aside ({@code stash}) and reading pauses; they
 * are parsed when the connection is free again, so responses never overtake each other
 * and memory per connection stays bounded.
 */
final class HttpConnection implements ConnectionHandler {
    /** Stop answering pipelined requests while more than this waits for the client to read. */
    static final int HIGH_WATER = 256 * 1024;

    private enum Wait { NONE, IDLE, HEADER, BODY, WRITE }

    private final HttpRuntime rt;
    private final RequestParser parser;
    private byte[] stash;                // input not parsed yet; null when none
    private int stashStart, stashEnd;
    private boolean inflight;            // a handler or a streamed body is running off the loop
    private boolean inBody;              // the current request's head is parsed, its body is not
    private boolean peerDone;            // the client sent EOF
    private boolean closeAfterResponse;  // shutting down: answer what is in progress, then close
    private Wait wait = Wait.NONE;
    private StreamedBody stream;

    HttpConnection(HttpRuntime rt, Connection c) {
        this.rt = rt;
        this.parser = new RequestParser(rt.config.limits());
        arm(c, Wait.IDLE); // a connection that never sends anything is closed like an idle one
    }

    // ------------------------------------------------------------ input

    @Override
    public void onRead(Connection c, byte[] buf, int off, int len) {
        if (inflight || stash != null) {
            stashBytes(c, buf, off, off + len);
            return;
        }
        process(c, buf, off, off + len);
    }

    /** Parses and answers requests in {@code buf[off, end)} until done, or until it must wait. */
    private void process(Connection c, byte[] buf, int off, int end) {
        while (off < end) {
            if (!c.isOpen() || c.isClosing()) return; // refused or closing: later bytes are dropped
            if (inflight || c.backlogBytes() > HIGH_WATER) {
                stashBytes(c, buf, off, end);
                return;
            }
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
                    if (inBody) arm(c, Wait.BODY);             // inactivity: reset per read
                    else if (wait != Wait.HEADER) arm(c, Wait.HEADER); // deadline: from the first byte
                }
                case HEAD_COMPLETE -> {
                    inBody = true;
                    // 100 Continue only if the client is still holding the body back.
                    if (off == end && parser.request().expectContinue()) ResponseEncoder.encodeContinue(c.out());
                    arm(c, Wait.BODY);
                }
                case REQUEST_COMPLETE -> {
                    inBody = false;
                    dispatch(c, parser.request());
                }
            }
        }
        if (!inflight && !parser.inProgress()) becameIdle(c);
    }

    private void stashBytes(Connection c, byte[] buf, int off, int end) {
        int len = end - off;
        if (len <= 0) return;
        if (stash == null) {
            stash = new byte[Math.max(len, 1024)];
            stashStart = stashEnd = 0;
        } else if (stashEnd + len > stash.length) {
            int live = stashEnd - stashStart;
            byte[] bigger = new byte[Math.max(live + len, stash.length * 2)];
            System.arraycopy(stash, stashStart, bigger, 0, live);
            stash = bigger;
            stashStart = 0;
            stashEnd = live;
        }
        System.arraycopy(buf, off, stash, stashEnd, len);
        stashEnd += len;
        c.pauseReading(); // bounded: at most one read's worth is ever set aside
    }

    /** The connection is free again (handler done, client drained): parse what was set aside. */
    private void resume(Connection c) {
        if (!c.isOpen() || inflight) return;
        if (stash != null) {
            byte[] a = stash;
            int s = stashStart, e = stashEnd;
            stash = null;
            process(c, a, s, e);
            if (inflight || stash != null || c.isClosing()) return;
        }
        if (peerDone) {
            if (parser.inProgress()) c.close(); // a partial request will never be completed
            else c.closeAfterWrite();
            return;
        }
        c.resumeReading();
        if (!parser.inProgress()) becameIdle(c);
    }

    private void becameIdle(Connection c) {
        if (closeAfterResponse || peerDone) {
            c.closeAfterWrite();
        } else if (!c.isWriteBlocked()) {
            arm(c, Wait.IDLE);
        }
    }

    // ------------------------------------------------------------ requests and responses

    private void dispatch(Connection c, Request req) {
        boolean keepAlive = req.keepAlive() && !closeAfterResponse && !rt.stopping();
        boolean head = req.isMethod("HEAD");
        boolean http10 = req.versionMinor() == 0;
        if (rt.config.virtualThreads()) {
            // The handler reads the request after this read's buffer is reused: it must own its
            // bytes. Nothing more is parsed until the response is out, so the parser can wait.
            parser.retainRequest();
            inflight = true;
            c.cancelTimeout();
            wait = Wait.NONE;
            rt.executor.execute(() -> {
                Response r = invoke(req);
                c.loop().execute(() -> {
                    inflight = false;
                    // Shutdown may have begun while the handler ran: then this response says Connection: close.
                    boolean stillKeepAlive = keepAlive && !closeAfterResponse && !rt.stopping();
                    if (!c.isOpen()) {
                        parser.reset();
                    } else if (!respond(c, r, head, http10, stillKeepAlive)) {
                        parser.reset();
                        resume(c);
                    }
                });
            });
            return;
        }
        Response r = invoke(req);
        if (respond(c, r, head, http10, keepAlive)) {
            parser.retainRequest(); // the body writer may still read the request: reset when it is done
        } else {
            parser.reset();
        }
    }

    private Response invoke(Request req) {
        try {
            Response r = rt.handler.handle(req);
            if (r != null) return r;
            HttpRuntime.LOG.log(System.Logger.Level.ERROR, "handler returned null for " + req);
        } catch (Exception | Error e) {
            if (e instanceof VirtualMachineError vme) throw vme;
            HttpRuntime.LOG.log(System.Logger.Level.ERROR, "handler failed for " + req, e);
        }
        return Response.text(500, "Internal Server Error\n");
    }

    /** Encodes the response; returns true when a streamed body has started (the connection is in flight). */
    private boolean respond(Connection c, Response r, boolean head, boolean http10, boolean keepAlive) {
        boolean streamed = r.isStreamed() && !head && !Status.forbidsBody(r.status());
        if (streamed && http10) keepAlive = false; // no chunked in 1.0: the body ends at close
        byte[] rest = ResponseEncoder.encode(r, head, http10, keepAlive, c.out());
        if (rest != null) c.write(rest);
        if (streamed) {
            inflight = true;
            c.cancelTimeout();
            wait = Wait.NONE;
            stream = new StreamedBody(rt, c, !http10, keepAlive, this::streamDone);
            stream.start(r.writer());
            return true;
        }
        if (!keepAlive) closeAfterResponse = true;
        if (closeAfterResponse) c.closeAfterWrite();
        return false;
    }

    /** On the loop: the streamed body ended, well or badly. */
    private void streamDone(Connection c, boolean ok, boolean keepAlive) {
        stream = null;
        inflight = false;
        if (parser.event() == RequestParser.Event.REQUEST_COMPLETE) parser.reset(); // retained for the writer
        if (!c.isOpen()) return;
        if (!ok) { // headers are out: the only honest signal left is an incomplete body
            c.close();
            return;
        }
        if (!keepAlive) closeAfterResponse = true;
        if (closeAfterResponse) {
            c.closeAfterWrite();
            return;
        }
        resume(c);
    }

    private void refuse(Connection c, int status, String reason) {
        stash = null;
        ResponseEncoder.encodeError(status, reason, c.out());
        c.closeAfterWrite();
    }

    // ------------------------------------------------------------ events

    @Override
    public void onReadEnd(Connection c) {
        peerDone = true;
        if (inflight || stash != null) return; // finish what was asked, then close (see resume)
        if (parser.inProgress()) c.close();
        else c.closeAfterWrite();
    }

    @Override
    public void onWriteBlocked(Connection c) { arm(c, Wait.WRITE); }

    @Override
    public void onDrained(Connection c) {
        if (stream != null) stream.drained();
        if (wait == Wait.WRITE) {
            c.cancelTimeout();
            wait = Wait.NONE;
        }
        if (!inflight) resume(c);
    }

    @Override
    public void onTimeout(Connection c) {
        Wait w = wait;
        wait = Wait.NONE;
        switch (w) {
            case HEADER, BODY -> refuse(c, 408, w == Wait.HEADER ? "request head not received in time" : "request body stalled");
            default -> c.close(); // idle keep-alive, or a client that stopped reading
        }
    }

    @Override
    public void onShutdown(Connection c) {
        closeAfterResponse = true;
        if (!inflight && stash == null && !parser.inProgress()) c.closeAfterWrite();
    }

    @Override
    public void onClosed(Connection c) {
        stash = null;
        if (stream != null) stream.abort();
    }

    private void arm(Connection c, Wait w) {
        wait = w;
        c.setTimeout(switch (w) {
            case IDLE -> rt.idleMillis;
            case HEADER -> rt.headerMillis;
            case BODY -> rt.bodyMillis;
            case WRITE -> rt.writeMillis;
            case NONE -> throw new IllegalArgumentException();
        });
    }
}
