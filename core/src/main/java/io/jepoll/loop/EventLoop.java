package io.jepoll.loop;

import java.util.ArrayDeque;
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
    private TlsBuffers tlsBuffers;  // made on the first TLS connection; shared by all of this loop's

    private final int index;
    private final Protocol protocol;
    private final Listener listener;
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
    private boolean accepting = true;
    private long shutdownDeadline = -1;

    EventLoop(EventLoopGroup group, int index, LoopConfig config, Protocol protocol, Socket listenSocket) {
        this.group = group;
        this.index = index;
        this.config = config;
        this.protocol = protocol;
        this.edge = config.trigger() == Trigger.EDGE;
        this.trace = config.tracer();
        this.poller = config.backend().newPoller(config.maxEvents());
        this.readBuffer = new byte[config.readBufferSize()];
        this.scratch = new ByteBuf(config.readBufferSize());
        this.now = clock();
        this.wheel = new TimerWheel(50, 512, now);
        this.listener = new Listener(this, listenSocket);
        try {
            this.listener.register();
        } catch (RuntimeException e) {
            poller.close();
            throw e;
        }
        this.thread = Thread.ofPlatform().name("jepoll-loop-" + index).unstarted(this::run);
    }

    void start() { thread.start(); }

    static long clock() { return System.nanoTime() / 1_000_000; }

    /** The loop's clock in milliseconds (monotonic; refreshed once per iteration). */
    public long now() { return now; }

    private long wallBase = System.currentTimeMillis(), wallBaseNow = now;

    /**
     * Wall-clock milliseconds as of this iteration, for Date headers. Reading the wall clock
     * costs about as much as encoding a small response, so it is read once a second and
     * advanced with the loop's monotonic clock in between.
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

    public boolean inLoop() { return Thread.currentThread() == thread; }

    public int index() { return index; }

    /** Open connections on this loop (a snapshot when read from another thread). */
    public int connectionCount() { return liveCount; }

    boolean isAccepting() { return accepting; }

    /** Runs {@code task} on the loop thread, soon. Safe from any thread. */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop() && wakeupPending.compareAndSet(false, true)) poller.wakeup();
    }

    private void run() {
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
        busySince = 0;
        if (trace == null) {
            poller.poll(timeout);
        } else {
            long t0 = System.nanoTime();
            int ready = poller.poll(timeout);
            trace.polled(index, ready, System.nanoTime() - t0, timeout);
        }
        now = clock();
        busySince = now;
        poller.dispatch();
        if (listener.ready && accepting) listener.acceptBatch();
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
                if (accepting) listener.onConnectionClosed();
                return;
            }
        }
        Connection c = new Connection(this, s);
        c.nextLive = live;
        if (live != null) live.prevLive = c;
        live = c;
        liveCount++;
        try {
            // TLS always: its flights and post-handshake messages (a session ticket) are small sends
            // followed by the response, which Nagle would hold for the client's delayed ACK.
            if (config.tcpNoDelay() || tls != null) s.setNoDelay(true);
            if (config.receiveBuffer() > 0 || config.sendBuffer() > 0) s.setBuffers(config.receiveBuffer(), config.sendBuffer());
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
        if (accepting) listener.onConnectionClosed();
    }

    /** Graceful stop: no more accepts; connections finish what they do; at the deadline the rest are closed. */
    void shutdown(long graceMillis) {
        execute(() -> {
            if (shutdownDeadline >= 0) return;
            shutdownDeadline = now + graceMillis;
            accepting = false;
            listener.close();
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

    /** Milliseconds the loop has been busy without returning to poll, or 0 when it is waiting. */
    long busyMillis(long nowMillis) {
        long since = busySince;
        return since == 0 ? 0 : nowMillis - since;
    }

    Thread thread() { return thread; }

    /** Releases what the constructor opened when the group fails to start (the thread never ran). */
    void closeUnstarted() {
        listener.close();
        poller.close();
        terminated.countDown();
    }

    boolean awaitTermination(long millis) throws InterruptedException {
        return terminated.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void closeEverything() {
        accepting = false;
        if (shutdownDeadline < 0) listener.close(); // died without a shutdown
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
