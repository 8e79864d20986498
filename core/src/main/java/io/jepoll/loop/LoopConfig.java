package io.jepoll.loop;

/**
 * How a group of event loops runs. Sizes are bounded: each loop holds one read buffer and
 * one write scratch of {@code readBufferSize}, whatever the number of connections.
 *
 * @param transport       epoll or java.nio
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
 */
public record LoopConfig(Transport transport, Trigger trigger, int readBufferSize, int edgeReadBudget,
                         int maxEvents, boolean tcpNoDelay, boolean tcpCork, int receiveBuffer,
                         int sendBuffer, int backlog, int maxConnections, long stallWarnMillis) {

    public LoopConfig {
        if (transport == null || trigger == null) throw new IllegalArgumentException("transport and trigger are required");
        if (trigger == Trigger.EDGE && transport != Transport.EPOLL) {
            throw new IllegalArgumentException("edge-triggered mode needs the epoll transport (java.nio is level-triggered)");
        }
        if (!transport.isAvailable()) {
            throw new IllegalArgumentException("the epoll transport is not available here: " + io.jepoll.sys.Linux.unavailableReason());
        }
        if (readBufferSize < 1024 || readBufferSize > (16 << 20)) throw new IllegalArgumentException("readBufferSize out of [1 KiB, 16 MiB]: " + readBufferSize);
        if (edgeReadBudget < 1) throw new IllegalArgumentException("edgeReadBudget must be >= 1");
        if (maxEvents < 1) throw new IllegalArgumentException("maxEvents must be >= 1");
        if (receiveBuffer < 0 || sendBuffer < 0) throw new IllegalArgumentException("socket buffer sizes must be >= 0");
        if (backlog < 1) throw new IllegalArgumentException("backlog must be >= 1");
        if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be >= 1");
        if (stallWarnMillis < 1) throw new IllegalArgumentException("stallWarnMillis must be >= 1");
    }

    public static LoopConfig defaults() {
        return new LoopConfig(Transport.best(), Trigger.LEVEL, 64 * 1024, 16, 1024, false, false, 0, 0, 4096, 100_000, 1000);
    }

    public LoopConfig withTransport(Transport t) {
        return new LoopConfig(t, trigger, readBufferSize, edgeReadBudget, maxEvents, tcpNoDelay, tcpCork, receiveBuffer, sendBuffer, backlog, maxConnections, stallWarnMillis);
    }

    public LoopConfig withTrigger(Trigger t) {
        return new LoopConfig(transport, t, readBufferSize, edgeReadBudget, maxEvents, tcpNoDelay, tcpCork, receiveBuffer, sendBuffer, backlog, maxConnections, stallWarnMillis);
    }

    public LoopConfig withTcpNoDelay(boolean on) {
        return new LoopConfig(transport, trigger, readBufferSize, edgeReadBudget, maxEvents, on, tcpCork, receiveBuffer, sendBuffer, backlog, maxConnections, stallWarnMillis);
    }

    public LoopConfig withTcpCork(boolean on) {
        return new LoopConfig(transport, trigger, readBufferSize, edgeReadBudget, maxEvents, tcpNoDelay, on, receiveBuffer, sendBuffer, backlog, maxConnections, stallWarnMillis);
    }

    public LoopConfig withSocketBuffers(int receive, int send) {
        return new LoopConfig(transport, trigger, readBufferSize, edgeReadBudget, maxEvents, tcpNoDelay, tcpCork, receive, send, backlog, maxConnections, stallWarnMillis);
    }

    public LoopConfig withReadBufferSize(int size) {
        return new LoopConfig(transport, trigger, size, edgeReadBudget, maxEvents, tcpNoDelay, tcpCork, receiveBuffer, sendBuffer, backlog, maxConnections, stallWarnMillis);
    }

    public LoopConfig withMaxConnections(int max) {
        return new LoopConfig(transport, trigger, readBufferSize, edgeReadBudget, maxEvents, tcpNoDelay, tcpCork, receiveBuffer, sendBuffer, backlog, max, stallWarnMillis);
    }

    public LoopConfig withStallWarnMillis(long millis) {
        return new LoopConfig(transport, trigger, readBufferSize, edgeReadBudget, maxEvents, tcpNoDelay, tcpCork, receiveBuffer, sendBuffer, backlog, maxConnections, millis);
    }
}
