package io.jepoll.loop;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Several event loops serving one address: each has its own listening socket bound with
 * SO_REUSEPORT, so the kernel spreads new connections across them and no lock or hand-off
 * sits between accept and the loop that serves the connection.
 *
 * <p>SO_REUSEPORT also lets any other process of the same user join the group, which would
 * silently take a share of our connections. So before binding the group we bind the
 * address once <em>without</em> it: that bind fails if anybody holds the address, with or
 * without SO_REUSEPORT, and the failure is reported as the port being in use. The probe is
 * released before the group binds; two servers started within the same microseconds could
 * still both pass it, a window we accept for keeping one socket per loop.
 */
public final class EventLoopGroup implements AutoCloseable {
    private final LoopConfig config;
    private final List<EventLoop> loops = new ArrayList<>();
    private final InetSocketAddress localAddress;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean stopping;
    private final Watchdog watchdog;

    private EventLoopGroup(InetSocketAddress address, int loopCount, LoopConfig config, Protocol protocol) throws BindException {
        this.config = config;
        Backend backend = config.backend();
        boolean reusePort = loopCount > 1;
        if (reusePort && !backend.supportsReusePort()) {
            throw new IllegalArgumentException("several loops need SO_REUSEPORT, which " + backend.label() + " lacks here; use one loop");
        }
        // Port 0 asks the kernel for a free port: nobody holds it, no probe needed.
        if (reusePort && address.getPort() != 0) backend.probe(address);
        List<Socket> sockets = new ArrayList<>();
        try {
            Socket first = backend.listen(address, reusePort, config.backlog());
            sockets.add(first);
            // With port 0 the other loops must join the port the kernel chose.
            InetSocketAddress bound = first.localAddress();
            this.localAddress = bound;
            for (int i = 1; i < loopCount; i++) sockets.add(backend.listen(bound, true, config.backlog()));
            for (int i = 0; i < loopCount; i++) loops.add(new EventLoop(this, i, config, protocol, sockets.get(i)));
            this.watchdog = new Watchdog(List.copyOf(loops), config.stallWarnMillis());
        } catch (BindException | RuntimeException e) {
            for (EventLoop l : loops) l.closeUnstarted();
            for (int i = loops.size(); i < sockets.size(); i++) sockets.get(i).close();
            throw e;
        }
    }

    /**
     * Binds {@code address} once per loop and starts the loops.
     *
     * @throws BindException when the address is in use (by anyone) or cannot be bound here
     */
    public static EventLoopGroup start(InetSocketAddress address, int loopCount, LoopConfig config, Protocol protocol) throws BindException {
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
