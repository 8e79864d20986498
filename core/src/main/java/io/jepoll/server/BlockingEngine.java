package io.jepoll.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;

/**
 * The model the tutorial starts from: blocking sockets and a thread per connection,
 * platform ({@link Transport#THREADS}) or virtual ({@link Transport#VIRTUAL}). It runs the
 * same parser, handler and encoder as the event loops, so benchmarks compare I/O models,
 * not HTTP code. Each connection thread blocks in read(); timeouts are socket read
 * timeouts; a client that never reads blocks its thread in write() until shutdown.
 */
final class BlockingEngine implements Engine {
    private final HttpRuntime rt;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Thread.Builder threads;
    private final Semaphore slots;
    private final Set<BlockingConnection> live = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    // Written by the acceptor thread, read by scrapes: rare events, so the simplest thread-safe counter.
    private final LongAdder accepted = new LongAdder(), pausedAtLimit = new LongAdder(), pausedForResources = new LongAdder();

    BlockingEngine(HttpRuntime rt) throws BindException {
        this.rt = rt;
        ServerConfig config = rt.config;
        try {
            server = new ServerSocket();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a server socket: " + e.getMessage(), e);
        }
        try {
            server.setReuseAddress(true);
            server.bind(config.address(), config.backlog());
        } catch (BindException e) {
            closeQuietly();
            throw new BindException("address already in use: " + config.address() + " (" + e.getMessage() + ")");
        } catch (IOException e) {
            closeQuietly();
            throw new UncheckedIOException("cannot listen on " + config.address() + ": " + e.getMessage(), e);
        }
        slots = new Semaphore(config.maxConnections());
        threads = config.transport() == Transport.VIRTUAL
                ? Thread.ofVirtual().name("jepoll-conn-", 0)
                : Thread.ofPlatform().name("jepoll-conn-", 0).daemon();
        acceptor = Thread.ofPlatform().name("jepoll-acceptor").start(this::acceptLoop);
    }

    private void closeQuietly() {
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing was bound
        }
    }

    private void acceptLoop() {
        while (!stopping) {
            try {
                if (!slots.tryAcquire()) { // at the connection limit, stop accepting until one closes
                    pausedAtLimit.increment();
                    slots.acquire();
                }
            } catch (InterruptedException e) {
                return;
            }
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                slots.release();
                if (stopping) return;
                // Out of descriptors: back off briefly instead of spinning on a ready queue.
                pausedForResources.increment();
                HttpRuntime.LOG.log(System.Logger.Level.WARNING, "accept failed: " + e.getMessage());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            accepted.increment();
            if (rt.connectionEvents != null) rt.connectionEvents.opened((InetSocketAddress) s.getRemoteSocketAddress());
            Socket raw = s;
            if (rt.config.tls() != null && !rt.config.proxyProtocol()) { // with a PROXY header first, the connection starts TLS after it
                try {
                    s = secure(raw, rt.config.tls(), null);
                } catch (IOException | RuntimeException e) {
                    closeQuietly(raw);
                    slots.release();
                    continue;
                }
            }
            BlockingConnection c = new BlockingConnection(rt, s, raw, this, threads);
            live.add(c); // after the thread exists (shutdown joins it), before it runs (it removes itself)
            c.start();
        }
    }

    /**
     * The JDK's SSLSocket layered over the accepted socket, in server mode, from the context as
     * it is now (a reload applies to the next accept). Its handshake runs inside the first read,
     * on the connection's own thread, bounded by that read's timeout. {@code consumed}: bytes of
     * the handshake read from {@code s} already (behind a PROXY header), or null.
     */
    static Socket secure(Socket s, io.jepoll.tls.TlsContext tls, java.io.InputStream consumed) throws IOException {
        javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) tls.sslContext().getSocketFactory().createSocket(s, consumed, true);
        ssl.setUseClientMode(false);
        ssl.setSSLParameters(tls.parameters());
        ssl.setTcpNoDelay(true); // as on the loops: a session ticket and the response are separate small sends
        return ssl;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // never served
        }
    }

    void finished(BlockingConnection c) {
        if (live.remove(c)) slots.release();
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    @Override
    public int connectionCount() { return live.size(); }

    @Override
    public ConnectionFigures connectionFigures() {
        return new ConnectionFigures(live.size(), accepted.sum(), pausedAtLimit.sum(), pausedForResources.sum(), List.of());
    }

    @Override
    public boolean isStopping() { return stopping; }

    @Override
    public void shutdown(long graceMillis) {
        stopping = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing the listener cannot fail in a way we could act on
        }
        acceptor.interrupt();
        for (BlockingConnection c : live) c.closeIfIdle();
        long deadline = System.nanoTime() + graceMillis * 1_000_000;
        try {
            for (BlockingConnection c : live) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left > 0) c.join(left);
            }
            for (BlockingConnection c : live) c.close();
            for (BlockingConnection c : live) c.join(1000);
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
