package io.jepoll.loop;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several event loops serving one address: each has its own listening socket bound with
 * SO_REUSEPORT, so the kernel spreads new connections across them and no lock or hand-off
 * sits between accept and the loop that serves the connection.
 */
public final class EventLoopGroup implements AutoCloseable {
    private final LoopConfig config;
    private final List<EventLoop> loops = new ArrayList<>();
    private final InetSocketAddress localAddress;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean stopping;
    private final Watchdog watchdog;

    private EventLoopGroup(InetSocketAddress address, int loopCount, LoopConfig config, Protocol protocol) {
        this.config = config;
        Transport t = config.transport();
        if (!t.isEventDriven()) throw new IllegalArgumentException(t.label() + " is not an event-loop transport (use epoll or nio)");
        boolean reusePort = loopCount > 1;
        if (reusePort && !t.supportsReusePort()) {
            throw new IllegalArgumentException("several loops need SO_REUSEPORT, which " + t.label() + " lacks here; use one loop");
        }
        List<Socket> sockets = new ArrayList<>();
        try {
            Socket first = t.listen(address, reusePort, config.backlog());
            sockets.add(first);
            // Port 0 asks the kernel for a free port: the other loops must join that one.
            InetSocketAddress bound = first.localAddress();
            this.localAddress = bound;
            for (int i = 1; i < loopCount; i++) sockets.add(t.listen(bound, true, config.backlog()));
            for (int i = 0; i < loopCount; i++) loops.add(new EventLoop(this, i, config, protocol, sockets.get(i)));
            this.watchdog = new Watchdog(List.copyOf(loops), config.stallWarnMillis());
        } catch (RuntimeException e) {
            for (EventLoop l : loops) l.closeUnstarted();
            for (int i = loops.size(); i < sockets.size(); i++) sockets.get(i).close();
            throw e;
        }
    }

    /** Binds {@code address} once per loop and starts the loops. */
    public static EventLoopGroup start(InetSocketAddress address, int loopCount, LoopConfig config, Protocol protocol) {
        if (loopCount < 1) throw new IllegalArgumentException("need at least one loop: " + loopCount);
        EventLoopGroup g = new EventLoopGroup(address, loopCount, config, protocol);
        for (EventLoop l : g.loops) l.start();
        g.watchdog.start();
        return g;
    }

    public InetSocketAddress localAddress() { return localAddress; }

    public LoopConfig config() { return config; }

    public List<EventLoop> loops() { return List.copyOf(loops); }

    /** Open connections across all loops. */
    public int connectionCount() { return connections.get(); }

    boolean tryReserveConnection() {
        while (true) {
            int n = connections.get();
            if (n >= config.maxConnections()) return false;
            if (connections.compareAndSet(n, n + 1)) return true;
        }
    }

    void releaseConnection() { connections.decrementAndGet(); }

    /**
     * Stops accepting at once, lets connections finish within {@code graceMillis}, then
     * closes what is left; returns when every loop has ended (or after grace + 5 s).
     */
    public void shutdown(long graceMillis) {
        stopping = true;
        watchdog.stop();
        for (EventLoop l : loops) l.shutdown(graceMillis);
        long deadline = System.nanoTime() + (graceMillis + 5_000) * 1_000_000;
        try {
            for (EventLoop l : loops) {
                long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
                if (!l.awaitTermination(left)) {
                    LoopLog.warn("event loop " + l.index() + " did not stop in time");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isStopping() { return stopping; }

    @Override
    public void close() { shutdown(0); }
}
