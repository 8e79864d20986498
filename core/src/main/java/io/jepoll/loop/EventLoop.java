package io.jepoll.loop;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One thread, one poller (one epoll fd), its own listening socket and the connections it
 * accepted. The cycle, as in the tutorial: wait → dispatch readiness → accept → run tasks
 * posted by other threads → expire timers → repeat; on the way out close every socket.
 */
public final class EventLoop implements Executor {

    static {
        // Log records carry a timestamp, and the first one formatted loads the time-zone database from a file.
        // Load it now: the first record may be "accept: EMFILE", when no descriptor is left to open that file;
        // the JDK class then stays unusable and every later log call throws an Error that ends the loop.
        java.time.ZoneId.systemDefault().getRules();
        // The same for our own classes on the accept-failure path: loaded from a class directory
        // (tests, an IDE, an exploded deployment) each needs a descriptor to open its file, and
        // a NoClassDefFoundError there would end the loop at the very moment it should pause.
        LoopLog.preload();
        AcceptFailure.preload();
    }

    final LoopConfig config;
    final EventLoopGroup group;
    final Poller poller;
    final boolean edge;
    final byte[] readBuffer;
    final ByteBuf scratch;
    Connection scratchOwner;
    final TimerWheel wheel;
    final Tracer trace;             // null unless tracing: every use is behind a null test
    final ConnectionListener listener; // null unless set: told of accepts and closes
    private TlsBuffers tlsBuffers;  // made on the first TLS connection; shared by all of this loop's

    private final int index;
    private final Protocol protocol;
    private final Listener[] listeners; // usually one; one per socket a service manager passed
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final ArrayDeque<Connection> readQueue = new ArrayDeque<>();
    private final CountDownLatch terminated = new CountDownLatch(1);

    private Connection live;          // head of the intrusive list of open connections
    private volatile int liveCount;  // written by the loop only; read by monitors
    private long now;                 // milliseconds, monotonic, refreshed once per iteration
    /** When the loop last woke up to work (ms, loop clock); 0 while it waits in poll. Read by the watchdog. */
    private volatile long busySince;
    private long wokeNanos;           // System.nanoTime() when the loop last returned from poll: a busy turn starts
    private final long startNanos = System.nanoTime();
    /** What {@link #stats()} reports: written by this loop only (see {@link LoopCounters}). */
    final LoopCounters counters = new LoopCounters(LoopStats.SLOTS);
    private boolean accepting = true;
    private long shutdownDeadline = -1;

    EventLoop(EventLoopGroup group, int index, LoopConfig config, Protocol protocol, List<Socket> listenSockets) {
        this.group = group;
        this.index = index;
        this.config = config;
        this.protocol = protocol;
        this.edge = config.trigger() == Trigger.EDGE;
        this.trace = config.tracer();
        this.listener = config.connectionListener();
        this.poller = config.backend().newPoller(config.maxEvents(), trace, index);
        this.readBuffer = new byte[config.readBufferSize()];
        this.scratch = new ByteBuf(config.readBufferSize());
        this.now = clock();
        this.wheel = new TimerWheel(50, 512, now);
        this.listeners = new Listener[listenSockets.size()];
        try {
            for (int i = 0; i < listeners.length; i++) {
                listeners[i] = new Listener(this, listenSockets.get(i));
                listeners[i].register();
            }
        } catch (RuntimeException e) {
            poller.close();
            throw e;
        }
        this.thread = Thread.ofPlatform().name("jepoll-loop-" + index).unstarted(this::run);
    }

    void start() { thread.start(); }

    static long clock() { return System.nanoTime() / 1_000_000; }

    /** {@return the loop's clock in milliseconds (monotonic, not the wall clock; refreshed once per iteration)} */
    public long now() { return now; }

    /**
     * {@link System#nanoTime()} as read when this turn of the loop began (its return from poll): a clock that
     * costs nothing to read, with the resolution of one turn. Call it on the loop thread.
     *
     * @return nanoseconds, on the scale of {@code System.nanoTime()}
     */
    public long turnNanos() { return wokeNanos; }

    private long wallBase = System.currentTimeMillis(), wallBaseNow = now;

    /**
     * Wall-clock milliseconds as of this iteration, for Date headers. Reading the wall clock
     * costs about as much as encoding a small response, so it is read once a second and
     * advanced with the loop's monotonic clock in between.
     *
     * @return milliseconds since the epoch; off by at most the loop clock's drift within a second
     */
    public long epochMillis() {
        long elapsed = now - wallBaseNow;
        if (elapsed < 0 || elapsed >= 1000) {
            wallBase = System.currentTimeMillis();
            wallBaseNow = now;
            return wallBase;
        }
        return wallBase + elapsed;
    }

    /** {@return true on this loop's own thread, where its connections may be touched} */
    public boolean inLoop() { return Thread.currentThread() == thread; }

    /** {@return this loop's place in its group, 0 to loops - 1; its thread is named jepoll-loop-index} */
    public int index() { return index; }

    /** {@return open connections on this loop (a snapshot when read from another thread)} */
    public int connectionCount() { return liveCount; }

    boolean isAccepting() { return accepting; }

    /** Runs {@code task} on the loop thread, soon. Safe from any thread. */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop() && wakeupPending.compareAndSet(false, true)) poller.wakeup();
    }

    private void run() {
        wokeNanos = System.nanoTime(); // the thread is working from its start until its first wait
        int failures = 0; // consecutive iterations that threw
        try {
            while (shutdownDeadline < 0 || (liveCount > 0 && now < shutdownDeadline)) {
                try {
                    iterate();
                    failures = 0;
                } catch (Throwable t) {
                    // A bug or an exhausted resource must not silently end every connection of the
                    // loop: report and go on; only a failure that repeats without end stops it.
                    LoopLog.error("event loop " + index + ": unexpected failure, continuing", t);
                    if (++failures >= 100) throw t;
                }
            }
        } catch (Throwable t) {
            LoopLog.error("event loop " + index + " died after repeated failures", t);
        } finally {
            closeEverything();
            terminated.countDown();
        }
    }

    /** One turn: wait, dispatch readiness, accept, retry reads, run tasks, expire timers. */
    private void iterate() {
        int timeout = (!tasks.isEmpty() || !readQueue.isEmpty()) ? 0 : wheel.millisToNextTick(now);
        if (shutdownDeadline >= 0) {
            int left = (int) Math.max(0, shutdownDeadline - now);
            timeout = timeout < 0 ? left : Math.min(timeout, left);
        }
        // Two clock reads a turn, not one: the busy time a scrape reports is the time between them.
        long waitFrom = System.nanoTime();
        counters.add(LoopStats.BUSY_NANOS, waitFrom - wokeNanos);
        busySince = 0;
        int ready = poller.poll(timeout);
        long woke = System.nanoTime();
        if (trace != null) trace.polled(index, ready, woke - waitFrom, timeout);
        wokeNanos = woke;
        now = woke / 1_000_000; // clock(), without reading it again
        busySince = now;
        poller.dispatch();
        for (Listener l : listeners) if (l.ready && accepting) l.acceptBatch();
        runReadQueue();
        wakeupPending.set(false); // after the poll, before the tasks: see execute()
        runTasks();
        wheel.advance(now);
    }

    /** Edge mode: a connection that used its read budget comes back after the others. */
    void readLater(Connection c) {
        if (c.queuedForRead) return;
        c.queuedForRead = true;
        readQueue.add(c);
    }

    private void runReadQueue() {
        for (int n = readQueue.size(); n > 0; n--) {
            Connection c = readQueue.poll();
            try {
                c.readAgain();
            } catch (RuntimeException | Error e) {
                c.failed(e);
            }
        }
    }

    private void runTasks() {
        Runnable task;
        // Bounded: tasks posted while running wait for the next iteration, so I/O is not starved.
        for (int n = tasks.size(); n > 0 && (task = tasks.poll()) != null; n--) {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LoopLog.error("task failed on event loop " + index, e);
            }
            if (scratchOwner != null) scratchOwner.flush();
        }
    }

    /** The buffers this loop's TLS connections encrypt and decrypt through, sized by the first engine. */
    TlsBuffers tlsBuffers(javax.net.ssl.SSLEngine engine) {
        if (tlsBuffers == null) tlsBuffers = new TlsBuffers(config.readBufferSize(), engine.getSession());
        return tlsBuffers;
    }

    /** A connection accepted by this loop's listener. */
    void adopt(Socket accepted) {
        io.jepoll.tls.TlsContext tls = config.tls();
        Socket s = accepted;
        if (tls != null) {
            try {
                s = new TlsSocket(accepted, tls.newEngine(), this, tls.handshakeExecutor());
            } catch (RuntimeException e) {
                LoopLog.warn("could not start TLS on an accepted connection", e);
                accepted.close();
                group.releaseConnection();
                if (accepting) for (Listener l : listeners) l.onConnectionClosed();
                return;
            }
        }
        Connection c = new Connection(this, s);
        c.nextLive = live;
        if (live != null) live.prevLive = c;
        live = c;
        liveCount++;
        counters.add(LoopStats.ACCEPTED, 1);
        try {
            // TLS always: its flights and post-handshake messages (a session ticket) are small sends
            // followed by the response, which Nagle would hold for the client's delayed ACK.
            if (config.tcpNoDelay() || tls != null) s.setNoDelay(true);
            if (config.receiveBuffer() > 0 || config.sendBuffer() > 0) s.setBuffers(config.receiveBuffer(), config.sendBuffer());
            if (listener != null) listener.opened(c);
            c.attach(protocol.open(c));
            c.register();
            c.flush(); // a protocol that speaks first wrote in open()
            if (tls != null) c.setTimeout(tls.handshakeTimeout().toMillis()); // until the handshake is done, its deadline rules
        } catch (RuntimeException e) {
            LoopLog.warn("could not set up an accepted connection", e);
            c.close();
        }
    }

    void connectionClosed(Connection c) {
        if (c.prevLive != null) c.prevLive.nextLive = c.nextLive;
        else if (live == c) live = c.nextLive;
        if (c.nextLive != null) c.nextLive.prevLive = c.prevLive;
        c.prevLive = c.nextLive = null;
        liveCount--;
        group.releaseConnection();
        if (accepting) for (Listener l : listeners) l.onConnectionClosed();
    }

    /** Graceful stop: no more accepts; connections finish what they do; at the deadline the rest are closed. */
    void shutdown(long graceMillis) {
        execute(() -> {
            if (shutdownDeadline >= 0) return;
            shutdownDeadline = now + graceMillis;
            accepting = false;
            closeListeners();
            for (Connection c = live; c != null; ) {
                Connection next = c.nextLive;
                try {
                    c.handler().onShutdown(c);
                    c.flush();
                } catch (RuntimeException | Error e) {
                    c.close();
                }
                c = next;
            }
        });
    }

    /**
     * What this loop has done since it started, read without stopping it: safe from any thread.
     *
     * @return the loop's figures now
     */
    public LoopStats stats() {
        return new LoopStats(index, liveCount, counters.get(LoopStats.ACCEPTED), counters.get(LoopStats.PAUSED_AT_LIMIT),
                counters.get(LoopStats.PAUSED_FOR_RESOURCES), counters.get(LoopStats.BUSY_NANOS), System.nanoTime() - startNanos);
    }

    /** Milliseconds the loop has been busy without returning to poll, or 0 when it is waiting. */
    long busyMillis(long nowMillis) {
        long since = busySince;
        return since == 0 ? 0 : nowMillis - since;
    }

    Thread thread() { return thread; }

    /** Releases what the constructor opened when the group fails to start (the thread never ran). */
    void closeUnstarted() {
        closeListeners();
        poller.close();
        terminated.countDown();
    }

    boolean awaitTermination(long millis) throws InterruptedException {
        return terminated.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void closeListeners() {
        for (Listener l : listeners) l.close();
    }

    private void closeEverything() {
        accepting = false;
        if (shutdownDeadline < 0) closeListeners(); // died without a shutdown
        while (live != null) live.closeFor("the loop is stopping");
        // Tasks posted after the end must not vanish silently: run them (they find closed connections).
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException | Error ignored) {
                // the connection it was for is gone
            }
        }
        poller.close();
    }
}
