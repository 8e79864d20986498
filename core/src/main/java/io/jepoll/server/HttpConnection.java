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
    private RequestParser parser;        // borrowed from the loop's pool while a request is under way; null when idle
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
            if (parser == null) parser = rt.parsers(c.loop()).take();
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
        if (!inflight && !inProgress()) becameIdle(c);
    }

    /** Part of a request has arrived and the rest has not. */
    private boolean inProgress() { return parser != null && parser.inProgress(); }

    /**
     * Between requests a connection holds no parser: it goes back to the loop's pool, so an
     * idle keep-alive connection costs only its few small objects.
     */
    private void releaseParser(Connection c) {
        if (parser == null || inflight || parser.inProgress() || parser.event() == RequestParser.Event.REQUEST_COMPLETE) return;
        rt.parsers(c.loop()).give(parser);
        parser = null;
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
            if (inProgress()) c.close(); // a partial request will never be completed
            else c.closeAfterWrite();
            return;
        }
        c.resumeReading();
        if (!inProgress()) becameIdle(c);
    }

    /** Between requests. A close now was asked for (Connection: close, shutdown): no linger needed. */
    private void becameIdle(Connection c) {
        releaseParser(c);
        if (closeAfterResponse || peerDone) {
            c.closeAfterWrite(false);
        } else if (!c.isWriteBlocked()) {
            arm(c, Wait.IDLE);
        }
    }

    // ------------------------------------------------------------ requests and responses

    private void dispatch(Connection c, Request req) {
        boolean keepAlive = req.keepAlive() && !closeAfterResponse && !rt.stopping();
        boolean head = req.isMethod("HEAD");
        boolean http10 = req.versionMinor() == 0;
        // Held locally: responding can close the connection (a write fails), and onClosed drops
        // the field. Resetting a parser no connection holds any more is harmless.
        RequestParser p = parser;
        if (rt.config.virtualThreads()) {
            // The handler reads the request after this read's buffer is reused: it must own its
            // bytes. Nothing more is parsed until the response is out, so the parser can wait.
            p.retainRequest();
            inflight = true;
            c.cancelTimeout();
            wait = Wait.NONE;
            rt.executor.execute(() -> {
                Response r = rt.call(req);
                c.loop().execute(() -> {
                    inflight = false;
                    if (!c.isOpen()) return; // onClosed let the parser go
                    // Shutdown may have begun while the handler ran: then this response says Connection: close.
                    boolean stillKeepAlive = keepAlive && !closeAfterResponse && !rt.stopping();
                    if (!respond(c, r, head, http10, stillKeepAlive)) {
                        p.reset();
                        resume(c);
                    }
                });
            });
            return;
        }
        Response r = rt.call(req);
        if (respond(c, r, head, http10, keepAlive)) {
            p.retainRequest(); // the body writer may still read the request: reset when it is done
        } else {
            p.reset();
        }
    }


    /** Encodes the response; returns true when a streamed body has started (the connection is in flight). */
    private boolean respond(Connection c, Response r, boolean head, boolean http10, boolean keepAlive) {
        boolean streamed = r.isStreamed() && !head && !Status.forbidsBody(r.status());
        if (streamed && http10) keepAlive = false; // no chunked in 1.0: the body ends at close
        byte[] rest = ResponseEncoder.encode(r, head, http10, keepAlive, c.loop().epochMillis(), c.out());
        if (rest != null) c.write(rest);
        if (!c.isOpen()) return false; // the client is gone: no body to stream
        if (streamed) {
            inflight = true;
            c.cancelTimeout();
            wait = Wait.NONE;
            stream = new StreamedBody(rt, c, !http10, keepAlive, this::streamDone);
            stream.start(r.writer());
            return true;
        }
        if (!keepAlive) closeAfterResponse = true;
        if (closeAfterResponse) c.closeAfterWrite(false);
        return false;
    }

    /** On the loop: the streamed body ended, well or badly. */
    private void streamDone(Connection c, boolean ok, boolean keepAlive) {
        stream = null;
        inflight = false;
        if (parser != null && parser.event() == RequestParser.Event.REQUEST_COMPLETE) parser.reset(); // retained for the writer
        if (!c.isOpen()) return;
        if (!ok) { // headers are out: the only honest signal left is an incomplete body
            c.close();
            return;
        }
        if (!keepAlive) closeAfterResponse = true;
        if (closeAfterResponse) {
            c.closeAfterWrite(false);
            return;
        }
        resume(c);
    }

    private void refuse(Connection c, int status, String reason) {
        stash = null;
        parser = null; // failed for good: not returned to the pool
        ResponseEncoder.encodeError(status, reason, c.out());
        c.closeAfterWrite();
    }

    // ------------------------------------------------------------ events

    @Override
    public void onReadEnd(Connection c) {
        peerDone = true;
        if (inflight || stash != null) return; // finish what was asked, then close (see resume)
        if (inProgress()) c.close();
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
        if (!inflight && stash == null && !inProgress()) c.closeAfterWrite(false);
    }

    @Override
    public void onClosed(Connection c) {
        stash = null;
        parser = null; // may be mid-request or retained by a writer: let it go, do not pool it
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
