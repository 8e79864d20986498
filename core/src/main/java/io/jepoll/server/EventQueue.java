package io.jepoll.server;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-over between the threads that send events and the one writer of an {@link EventStream}, and the
 * stream's state. Senders never wait: an event is queued, or refused. The lock is held only to move references, so
 * the loop thread may signal through it too.
 *
 * <pre>
 *          close(), shutdown, the client's EOF
 *   OPEN ───────────────────────────────────────► CLOSING ── the queue is written: the body ends
 *    │  the queue is full                            │
 *    ├────────────────► DROPPED                      │ the connection closed, a write failed
 *    │                     │ the connection closed   ▼
 *    └─────────────────────┴───────────────────────► GONE ── nothing more is written
 *       the connection closed, a write failed
 * </pre>
 */
final class EventQueue {
    enum State {
        /** Events are taken. */
        OPEN,
        /** No more events; those queued are written, then the body ends. */
        CLOSING,
        /** The queue overflowed; the connection is being closed. */
        DROPPED,
        /** The connection is closed; nothing more is written. */
        GONE
    }

    /** What became of an offered event. */
    enum Offer { QUEUED, REFUSED, OVERFLOWED }

    private final int maxEvents;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> events = new ArrayDeque<>();
    private long bytes;               // the sum of the queued events' lengths
    private State state = State.OPEN;

    EventQueue(int maxEvents, long maxBytes) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    long maxBytes() { return maxBytes; }

    /** Sender: queues {@code event}; a full queue is {@link Offer#OVERFLOWED} and moves to DROPPED. */
    Offer offer(byte[] event) {
        lock.lock();
        try {
            if (state != State.OPEN) return Offer.REFUSED;
            if (events.size() >= maxEvents || event.length > maxBytes - bytes) {
                moveTo(State.DROPPED);
                return Offer.OVERFLOWED;
            }
            events.add(event);
            bytes += event.length;
            changed.signal();
            return Offer.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /** Any thread: no more events; those queued still leave. Returns false when it was not OPEN. */
    boolean close() {
        lock.lock();
        try {
            if (state != State.OPEN) return false;
            moveTo(State.CLOSING);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Any thread: the connection is closed. */
    void gone() {
        lock.lock();
        try {
            moveTo(State.GONE);
        } finally {
            lock.unlock();
        }
    }

    boolean isOpen() {
        lock.lock();
        try {
            return state == State.OPEN;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writer: moves every queued event to {@code batch} and returns the state. With nothing queued it waits
     * while OPEN, at most {@code timeoutNanos} (0: without end), and returns OPEN with an empty batch when that
     * time passed: a heartbeat is due. After DROPPED it waits (at most {@code dropNanos}) for the connection to be
     * closed, so that the writer ends after the server knows why.
     */
    State take(List<byte[]> batch, long timeoutNanos, long dropNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = timeoutNanos;
            while (state == State.OPEN && events.isEmpty()) {
                if (timeoutNanos == 0) {
                    changed.await();
                } else {
                    if (left <= 0) return State.OPEN;
                    left = changed.awaitNanos(left);
                }
            }
            if (state == State.DROPPED) {
                long end = System.nanoTime() + dropNanos;
                while (state == State.DROPPED && changed.await(end - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    // woken: look again
                }
                return state;
            }
            batch.addAll(events);
            events.clear();
            bytes = 0;
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** Under the lock: a state later in the diagram; a stream never goes back. Leaving OPEN lets the queue go. */
    private void moveTo(State next) {
        if (next.ordinal() <= state.ordinal()) return;
        state = next;
        if (next == State.DROPPED || next == State.GONE) {
            events.clear();
            bytes = 0;
        }
        changed.signalAll();
    }
}
