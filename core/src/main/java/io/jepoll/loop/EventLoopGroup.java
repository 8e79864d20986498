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

    /** Starts nothing yet: one loop per list of listening sockets, which the group owns from here on. */
    private EventLoopGroup(List<List<Socket>> perLoop, LoopConfig config, Protocol protocol) {
        this.config = config;
        try {
            this.localAddress = perLoop.getFirst().getFirst().localAddress();
            for (int i = 0; i < perLoop.size(); i++) loops.add(new EventLoop(this, i, config, protocol, perLoop.get(i)));
            this.watchdog = new Watchdog(List.copyOf(loops), config.stallWarnMillis());
        } catch (RuntimeException e) {
            for (EventLoop l : loops) l.closeUnstarted();
            closeAll(perLoop.subList(loops.size(), perLoop.size()));
            throw e;
        }
    }

    /**
     * Binds {@code address} once per loop and starts the loops.
     *
     * @param address   where to listen; port 0 asks the kernel for a free one ({@link #localAddress()} tells which)
     * @param loopCount loops, each a platform thread, at least 1; more than one needs SO_REUSEPORT
     * @param config    the loops' backend, trigger mode, buffers and bounds
     * @param protocol  makes the handler of each accepted connection
     * @return the running group; close it to stop
     * @throws BindException when the address is in use (by anyone) or cannot be bound here
     * @throws IllegalArgumentException when loopCount is below 1, or above 1 on a backend without SO_REUSEPORT
     */
    public static EventLoopGroup start(InetSocketAddress address, int loopCount, LoopConfig config, Protocol protocol) throws BindException {
        if (loopCount < 1) throw new IllegalArgumentException("need at least one loop: " + loopCount);
        return launch(new EventLoopGroup(bind(address, loopCount, config), config, protocol));
    }

    /**
     * Serves listening sockets this process inherited (systemd socket activation) instead of binding: every loop
     * watches every one of them, the first loop through the descriptor itself, the others through duplicates
     * (one socket, so the kernel wakes every loop for a connection and one accept4 wins; EPOLLEXCLUSIVE would
     * spare the others the wakeup but forbids the EPOLL_CTL_MOD with which a listener pauses). A descriptor that
     * is not a listening TCP socket, or a backend that cannot adopt one (java.nio), is refused before any is
     * touched; once accepted, the group owns them and closes them when it stops or fails to start.
     *
     * @param fds       the inherited descriptors, from 3 up as the service manager passed them; not empty
     * @param loopCount loops, at least 1
     * @param config    the loops' backend (epoll), trigger mode, buffers and bounds
     * @param protocol  makes the handler of each accepted connection
     * @return the running group; close it to stop
     * @throws IllegalArgumentException naming the descriptor refused, or the backend
     */
    public static EventLoopGroup adopt(List<Integer> fds, int loopCount, LoopConfig config, Protocol protocol) {
        if (loopCount < 1) throw new IllegalArgumentException("need at least one loop: " + loopCount);
        if (fds.isEmpty()) throw new IllegalArgumentException("no descriptor to serve");
        for (int fd : fds) config.backend().checkAdoptable(fd);
        List<List<Socket>> perLoop = new ArrayList<>();
        for (int i = 0; i < loopCount; i++) perLoop.add(new ArrayList<>());
        try {
            for (int fd : fds) {
                List<Socket> copies = config.backend().adopt(fd, loopCount);
                for (int i = 0; i < loopCount; i++) perLoop.get(i).add(copies.get(i));
            }
        } catch (RuntimeException e) {
            closeAll(perLoop);
            throw e;
        }
        return launch(new EventLoopGroup(perLoop, config, protocol));
    }

    private static EventLoopGroup launch(EventLoopGroup g) {
        for (EventLoop l : g.loops) l.start();
        g.watchdog.start();
        return g;
    }

    /** One listening socket per loop, as the class comment says. */
    private static List<List<Socket>> bind(InetSocketAddress address, int loopCount, LoopConfig config) throws BindException {
        Backend backend = config.backend();
        boolean reusePort = loopCount > 1;
        if (reusePort && !backend.supportsReusePort()) {
            throw new IllegalArgumentException("several loops need SO_REUSEPORT, which " + backend.label() + " lacks here; use one loop");
        }
        // Port 0 asks the kernel for a free port: nobody holds it, no probe needed.
        if (reusePort && address.getPort() != 0) backend.probe(address);
        List<List<Socket>> sockets = new ArrayList<>();
        try {
            Socket first = backend.listen(address, reusePort, config.backlog());
            sockets.add(List.of(first));
            // With port 0 the other loops must join the port the kernel chose.
            InetSocketAddress bound = first.localAddress();
            for (int i = 1; i < loopCount; i++) sockets.add(List.of(backend.listen(bound, true, config.backlog())));
            return sockets;
        } catch (BindException | RuntimeException e) {
            closeAll(sockets);
            throw e;
        }
    }

    private static void closeAll(List<List<Socket>> sockets) {
        for (List<Socket> l : sockets) for (Socket s : l) s.close();
    }

    /** {@return the address the first listening socket is bound to, with the port the kernel chose for port 0} */
    public InetSocketAddress localAddress() { return localAddress; }

    /** {@return the configuration every loop of the group runs with} */
    public LoopConfig config() { return config; }

    /** {@return the loops, in index order; a copy} */
    public List<EventLoop> loops() { return List.copyOf(loops); }

    /** {@return open connections across all loops, at most {@link LoopConfig#maxConnections()}} */
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
     *
     * @param graceMillis how long connections may take to finish, 0 to close them at once
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

    /** {@return true once {@link #shutdown} has begun} */
    public boolean isStopping() { return stopping; }

    @Override
    public void close() { shutdown(0); }
}
