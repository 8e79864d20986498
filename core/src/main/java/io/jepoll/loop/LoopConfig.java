package io.jepoll.loop;

/**
 * How a group of event loops runs. Sizes are bounded: each loop holds one read buffer and
 * one write scratch of {@code readBufferSize}, whatever the number of connections. Build
 * one with {@link #builder()} or change one with {@link #toBuilder()}: a new setting is a
 * new component and one builder method, not another copy of every argument.
 *
 * @param backend         epoll or java.nio
 * @param trigger         level or edge (edge needs epoll)
 * @param readBufferSize  bytes per read(2); also the initial write scratch size
 * @param edgeReadBudget  edge mode: reads per connection per wakeup before others get a turn
 * @param maxEvents       ready descriptors taken per epoll_wait
 * @param tcpNoDelay      set TCP_NODELAY on accepted sockets (send small writes at once)
 * @param tcpCork         cork around each flush so it leaves in full segments
 * @param receiveBuffer   SO_RCVBUF for accepted sockets, 0 = kernel default
 * @param sendBuffer      SO_SNDBUF for accepted sockets, 0 = kernel default
 * @param backlog         listen(2) backlog
 * @param maxConnections  open connections per group; accepting pauses at the limit
 * @param stallWarnMillis warn (with the loop's stack) when a loop is busy this long without polling
 * @param tracer          reports every step of the loops ({@code --trace}); null: off, at no cost
 * @param connectionListener told of every accept and close; null: none, at the cost of a null test
 * @param tls             TLS on every accepted connection; null: plaintext
 */
public record LoopConfig(Backend backend, Trigger trigger, int readBufferSize, int edgeReadBudget,
                         int maxEvents, boolean tcpNoDelay, boolean tcpCork, int receiveBuffer,
                         int sendBuffer, int backlog, int maxConnections, long stallWarnMillis, Tracer tracer,
                         ConnectionListener connectionListener, io.jepoll.tls.TlsContext tls) {

    /**
     * Checks every bound and that the backend runs here.
     *
     * @throws IllegalArgumentException when a setting is out of range, edge mode is asked of java.nio, or epoll is
     *                                  asked where it is not available
     */
    public LoopConfig {
        if (backend == null || trigger == null) throw new IllegalArgumentException("backend and trigger are required");
        if (trigger == Trigger.EDGE && backend != Backend.EPOLL) {
            throw new IllegalArgumentException("edge-triggered mode needs the epoll backend (" + backend.label()
                    + (backend == Backend.NIO ? " is level-triggered)" : " reports completions, level-triggered)"));
        }
        if (!backend.isAvailable()) {
            throw new IllegalArgumentException("the " + backend.label() + " backend is not available here: " + backend.unavailableReason());
        }
        if (readBufferSize < 1024 || readBufferSize > (16 << 20)) throw new IllegalArgumentException("readBufferSize out of [1 KiB, 16 MiB]: " + readBufferSize);
        if (edgeReadBudget < 1) throw new IllegalArgumentException("edgeReadBudget must be >= 1");
        if (maxEvents < 1) throw new IllegalArgumentException("maxEvents must be >= 1");
        if (receiveBuffer < 0 || sendBuffer < 0) throw new IllegalArgumentException("socket buffer sizes must be >= 0");
        if (backlog < 1) throw new IllegalArgumentException("backlog must be >= 1");
        if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be >= 1");
        if (stallWarnMillis < 1) throw new IllegalArgumentException("stallWarnMillis must be >= 1");
    }

    /** {@return the defaults of {@link Builder}: the best backend, level-triggered, 64 KiB buffers} */
    public static LoopConfig defaults() { return builder().build(); }

    /** {@return a builder holding the defaults} */
    public static Builder builder() { return new Builder(); }

    /** {@return a builder holding this configuration's settings, to change a few} */
    public Builder toBuilder() { return new Builder(this); }

    /**
     * A copy on another backend.
     *
     * @param b epoll or java.nio
     * @return the new configuration
     * @throws IllegalArgumentException when b cannot run here or does not support the trigger mode
     */
    public LoopConfig withBackend(Backend b) { return toBuilder().backend(b).build(); }

    /**
     * A copy with another trigger mode.
     *
     * @param t level or edge
     * @return the new configuration
     * @throws IllegalArgumentException when t is edge and the backend is java.nio
     */
    public LoopConfig withTrigger(Trigger t) { return toBuilder().trigger(t).build(); }

    /** Every setting with its default; {@link #build()} checks them together. */
    public static final class Builder {
        private Backend backend = Backend.best();
        private Trigger trigger = Trigger.LEVEL;
        private int readBufferSize = 64 * 1024;
        private int edgeReadBudget = 16;
        private int maxEvents = 1024;
        private boolean tcpNoDelay;
        private boolean tcpCork;
        private int receiveBuffer;
        private int sendBuffer;
        private int backlog = 4096;
        private int maxConnections = 100_000;
        private long stallWarnMillis = 1000;
        private Tracer tracer;
        private ConnectionListener connectionListener;
        private io.jepoll.tls.TlsContext tls;

        private Builder() {}

        private Builder(LoopConfig c) {
            backend = c.backend;
            trigger = c.trigger;
            readBufferSize = c.readBufferSize;
            edgeReadBudget = c.edgeReadBudget;
            maxEvents = c.maxEvents;
            tcpNoDelay = c.tcpNoDelay;
            tcpCork = c.tcpCork;
            receiveBuffer = c.receiveBuffer;
            sendBuffer = c.sendBuffer;
            backlog = c.backlog;
            maxConnections = c.maxConnections;
            stallWarnMillis = c.stallWarnMillis;
            tracer = c.tracer;
            connectionListener = c.connectionListener;
            tls = c.tls;
        }

        /**
         * The backend; default {@link Backend#best()}.
         *
         * @param b epoll or java.nio
         * @return this builder
         */
        public Builder backend(Backend b) { backend = b; return this; }
        /**
         * The trigger mode; default level.
         *
         * @param t level or edge (edge needs epoll)
         * @return this builder
         */
        public Builder trigger(Trigger t) { trigger = t; return this; }
        /**
         * The read buffer of each loop, also the initial write scratch; default 64 KiB.
         *
         * @param n bytes, 1 KiB to 16 MiB
         * @return this builder
         */
        public Builder readBufferSize(int n) { readBufferSize = n; return this; }
        /**
         * Edge mode: reads per connection per wakeup before the others get a turn; default 16.
         *
         * @param n reads, at least 1
         * @return this builder
         */
        public Builder edgeReadBudget(int n) { edgeReadBudget = n; return this; }
        /**
         * Ready descriptors taken per epoll_wait; default 1024.
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder maxEvents(int n) { maxEvents = n; return this; }
        /**
         * TCP_NODELAY on accepted sockets; default off (a flush's writes already leave together).
         *
         * @param on true to send small segments at once
         * @return this builder
         */
        public Builder tcpNoDelay(boolean on) { tcpNoDelay = on; return this; }
        /**
         * TCP_CORK around each flush; default off.
         *
         * @param on true to send only full segments until the flush ends
         * @return this builder
         */
        public Builder tcpCork(boolean on) { tcpCork = on; return this; }
        /**
         * SO_RCVBUF and SO_SNDBUF for accepted sockets; default the kernel's (which tunes them as it goes).
         *
         * @param receive bytes, 0 for the kernel default
         * @param send    bytes, 0 for the kernel default
         * @return this builder
         */
        public Builder socketBuffers(int receive, int send) { receiveBuffer = receive; sendBuffer = send; return this; }
        /**
         * The listen(2) backlog; default 4096 (the kernel caps it at somaxconn).
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder backlog(int n) { backlog = n; return this; }
        /**
         * Open connections per group; accepting pauses at the limit; default 100,000.
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder maxConnections(int n) { maxConnections = n; return this; }
        /**
         * How long a loop may work without polling before the watchdog warns with its stack; default 1 s.
         *
         * @param ms milliseconds, at least 1
         * @return this builder
         */
        public Builder stallWarnMillis(long ms) { stallWarnMillis = ms; return this; }
        /**
         * What reports every step of the loops; default none.
         *
         * @param t the tracer, safe for several threads, or null for no tracing (at no cost)
         * @return this builder
         */
        public Builder tracer(Tracer t) { tracer = t; return this; }

        /**
         * TLS on every accepted connection.
         *
         * @param t the certificates and settings, or null for plaintext
         * @return this builder
         */
        public Builder tls(io.jepoll.tls.TlsContext t) { tls = t; return this; }

        /**
         * Tells {@code l} of every connection accepted and closed.
         *
         * @param l the listener, or null for none
         * @return this builder
         */
        public Builder connectionListener(ConnectionListener l) { connectionListener = l; return this; }

        /**
         * Checks the settings together.
         *
         * @return the configuration
         * @throws IllegalArgumentException as {@link LoopConfig#LoopConfig} does
         */
        public LoopConfig build() {
            return new LoopConfig(backend, trigger, readBufferSize, edgeReadBudget, maxEvents, tcpNoDelay, tcpCork,
                    receiveBuffer, sendBuffer, backlog, maxConnections, stallWarnMillis, tracer, connectionListener,
                    tls);
        }
    }
}
