package io.jepoll.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One io_uring instance, driven by its three system calls (no liburing): a submission ring of 64-byte entries the
 * kernel reads, a completion ring of 16-byte entries it writes, both mapped into this process with mmap.
 *
 * <p>Memory order is the whole contract between the two sides. The application owns the submission tail and the
 * completion head; the kernel owns the other two. An entry is written first and its tail published after with a
 * release store, so the kernel never sees a tail ahead of the entry; the kernel's tail is read with an acquire load,
 * so the entries before it are complete when read. Nothing is allocated per submission or completion: entries are
 * filled in place, and completions are handed to a {@link Completions} callback as three numbers.
 *
 * <p>Confined to one thread (the loop's): with {@code IORING_SETUP_SINGLE_ISSUER} the kernel holds us to it, and
 * the ring is made disabled so the thread that first calls {@link #enable} becomes its one submitter.
 */
public final class IoUring implements AutoCloseable {

    // Opcodes used (include/uapi/linux/io_uring.h).
    static final byte OP_POLL_ADD = 6, OP_ACCEPT = 13, OP_ASYNC_CANCEL = 14, OP_CLOSE = 19, OP_READ = 22, OP_SEND = 26,
            OP_RECV = 27, OP_SHUTDOWN = 34;
    private static final byte[] OPS_NEEDED = {OP_POLL_ADD, OP_ACCEPT, OP_ASYNC_CANCEL, OP_CLOSE, OP_READ, OP_SEND, OP_RECV};

    /** Completion flag: a buffer of the provided ring was used; its id is in the upper 16 bits. */
    public static final int CQE_F_BUFFER = 1;
    /** Completion flag: a multishot request stays armed and will complete again. */
    public static final int CQE_F_MORE = 2;

    private static final byte SQE_IO_LINK = 4, SQE_BUFFER_SELECT = 32, SQE_CQE_SKIP_SUCCESS = 64;
    private static final short RECV_MULTISHOT = 2, ACCEPT_MULTISHOT = 1;

    private static final int SETUP_R_DISABLED = 1 << 6, SETUP_SUBMIT_ALL = 1 << 7, SETUP_COOP_TASKRUN = 1 << 8,
            SETUP_SINGLE_ISSUER = 1 << 12, SETUP_DEFER_TASKRUN = 1 << 13, SETUP_CQSIZE = 1 << 3;
    private static final int FEAT_SINGLE_MMAP = 1, FEAT_EXT_ARG = 1 << 8;
    private static final int ENTER_GETEVENTS = 1, ENTER_EXT_ARG = 8;
    private static final int REGISTER_PROBE = 8, REGISTER_ENABLE_RINGS = 12, REGISTER_PBUF_RING = 22,
            UNREGISTER_PBUF_RING = 23;
    private static final long OFF_SQ_RING = 0, OFF_SQES = 0x10000000L;
    private static final int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1, MAP_POPULATE = 0x8000;

    private static final VarHandle INT = JAVA_INT.varHandle();
    private static final VarHandle SHORT = JAVA_SHORT.varHandle();

    private final int fd;
    private final MemorySegment rings;   // the SQ and CQ rings, one mapping (IORING_FEAT_SINGLE_MMAP)
    private final MemorySegment sqes;
    private final long ringBytes, sqeBytes;
    private final int sqEntries, sqMask, cqMask;
    private final long sqHeadAt, sqTailAt, cqHeadAt, cqTailAt, cqesAt;
    private final Arena arena = Arena.ofShared(); // the enter argument and its timespec; the probe
    private final MemorySegment enterArg, timespec;
    private int sqTail;                  // ours: entries filled, published at submit
    private int submittedTail;           // what the kernel has been told
    private boolean closed;

    /** What {@link #reap} hands each completion to. */
    public interface Completions {
        /**
         * One completion.
         *
         * @param userData what the submission carried
         * @param res      its result: a count, a descriptor, or {@code -errno}
         * @param flags    {@link #CQE_F_MORE}, {@link #CQE_F_BUFFER} and the buffer id above bit 16
         */
        void complete(long userData, int res, int flags);
    }

    private IoUring(int fd, MemorySegment params) {
        this.fd = fd;
        this.sqEntries = params.get(JAVA_INT, 0);
        int cqEntries = params.get(JAVA_INT, 4);
        int features = params.get(JAVA_INT, 20);
        if ((features & FEAT_SINGLE_MMAP) == 0 || (features & FEAT_EXT_ARG) == 0) {
            Net.close(fd);
            throw new SysException("io_uring_setup (kernel lacks SINGLE_MMAP or EXT_ARG)", Errno.EINVAL);
        }
        long sq = 40, cq = 80; // io_sqring_offsets, io_cqring_offsets inside io_uring_params
        sqHeadAt = params.get(JAVA_INT, sq);
        sqTailAt = params.get(JAVA_INT, sq + 4);
        long sqMaskAt = params.get(JAVA_INT, sq + 8);
        long sqArrayAt = params.get(JAVA_INT, sq + 24);
        cqHeadAt = params.get(JAVA_INT, cq);
        cqTailAt = params.get(JAVA_INT, cq + 4);
        long cqMaskAt = params.get(JAVA_INT, cq + 8);
        cqesAt = params.get(JAVA_INT, cq + 20);
        ringBytes = Math.max(sqArrayAt + 4L * sqEntries, cqesAt + 16L * cqEntries);
        sqeBytes = 64L * sqEntries;
        MemorySegment r = map(fd, ringBytes, OFF_SQ_RING);
        MemorySegment e;
        try {
            e = map(fd, sqeBytes, OFF_SQES);
        } catch (SysException x) {
            unmap(r, ringBytes);
            Net.close(fd);
            throw x;
        }
        rings = r;
        sqes = e;
        this.sqMask = rings.get(JAVA_INT, sqMaskAt);
        this.cqMask = rings.get(JAVA_INT, cqMaskAt);
        // Entry i of the ring is always slot i of the array: fill the indirection once.
        for (int i = 0; i < sqEntries; i++) rings.set(JAVA_INT, sqArrayAt + 4L * i, i);
        sqTail = submittedTail = rings.get(JAVA_INT, sqTailAt);
        enterArg = arena.allocate(24, 8);
        timespec = arena.allocate(16, 8);
        enterArg.set(JAVA_LONG, 16, timespec.address());
    }

    /**
     * How the kernel runs the work a completion needs. The default, "defer": SINGLE_ISSUER | DEFER_TASKRUN |
     * COOP_TASKRUN, so that work runs only inside our io_uring_enter, on the loop's thread, never by interrupting it.
     * {@code -Djepoll.io_uring.setup=coop} (COOP_TASKRUN alone) or {@code plain} (neither) exist to measure the
     * difference (bench/README.md).
     */
    private static final int SETUP_FLAGS = switch (System.getProperty("jepoll.io_uring.setup", "defer")) {
        case "plain" -> 0;
        case "coop" -> SETUP_COOP_TASKRUN | SETUP_SINGLE_ISSUER;
        default -> SETUP_COOP_TASKRUN | SETUP_SINGLE_ISSUER | SETUP_DEFER_TASKRUN;
    };

    /**
     * A new ring of {@code entries} submissions (and twice as many completions), disabled until {@link #enable}.
     *
     * @throws SysException when the kernel refuses (EPERM: forbidden here; ENOSYS: too old; ENOMEM)
     */
    public static IoUring open(int entries) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(120, 8);
            p.set(JAVA_INT, 4, entries * 2);
            p.set(JAVA_INT, 8, SETUP_CQSIZE | SETUP_R_DISABLED | SETUP_SUBMIT_ALL | SETUP_FLAGS);
            long r = setup(entries, p);
            return new IoUring((int) r, p);
        }
    }

    /** Makes this thread the ring's one submitter (the ring was set up disabled by another thread). */
    public void enable() { register(REGISTER_ENABLE_RINGS, MemorySegment.NULL, 0, "io_uring_register(ENABLE_RINGS)"); }

    /**
     * Why io_uring cannot serve here, or null when it can: the ring is set up (with the flags jepoll uses) and torn
     * down, and every opcode jepoll submits is checked with IORING_REGISTER_PROBE. Done once per process.
     *
     * @return one line for a log, e.g. "io_uring_setup failed: EPERM (errno 1)"
     */
    public static String unavailableReason() { return Probe.REASON; }

    private static final class Probe {
        static final String REASON = probe();

        private static String probe() {
            if (!Linux.isAvailable()) return Linux.unavailableReason();
            if (Boolean.getBoolean("jepoll.io_uring.refuse")) {
                return "io_uring refused by -Djepoll.io_uring.refuse=true (as a seccomp filter would)";
            }
            try (IoUring ring = open(8); Arena a = Arena.ofConfined()) {
                MemorySegment probe = a.allocate(16 + 8 * 256, 8);
                ring.register(REGISTER_PROBE, probe, 256, "io_uring_register(PROBE)");
                int last = probe.get(JAVA_BYTE, 0) & 0xff;
                for (byte op : OPS_NEEDED) {
                    boolean supported = op <= last && (probe.get(JAVA_SHORT, 16 + 8L * op + 2) & 1) != 0;
                    if (!supported) return "io_uring lacks opcode " + op;
                }
                return null;
            } catch (SysException e) {
                return e.getMessage();
            } catch (Throwable t) { // no syscall symbol, native access denied
                return "io_uring unavailable: " + t;
            }
        }
    }

    // ------------------------------------------------------------------ submissions

    /** The next free entry, zeroed; submits first when the ring is full. */
    private long nextEntry() {
        if (sqTail - (int) INT.getAcquire(rings, sqHeadAt) >= sqEntries) submit(0);
        long at = 64L * (sqTail & sqMask);
        for (int i = 0; i < 64; i += 8) sqes.set(JAVA_LONG, at + i, 0L); // no slice object per submission
        sqTail++;
        return at;
    }

    private void fill(long at, byte op, byte flags, int fd, long addr, int len, long userData) {
        sqes.set(JAVA_BYTE, at, op);
        sqes.set(JAVA_BYTE, at + 1, flags);
        sqes.set(JAVA_INT, at + 4, fd);
        sqes.set(JAVA_LONG, at + 16, addr);
        sqes.set(JAVA_INT, at + 24, len);
        sqes.set(JAVA_LONG, at + 32, userData);
    }

    /** Multishot accept on a listening socket: one completion per connection, each a new non-blocking descriptor. */
    public void accept(int listenFd, long userData) {
        long at = nextEntry();
        fill(at, OP_ACCEPT, (byte) 0, listenFd, 0, 0, userData);
        sqes.set(JAVA_SHORT, at + 2, ACCEPT_MULTISHOT);
        sqes.set(JAVA_INT, at + 28, Net.SOCK_NONBLOCK | Net.SOCK_CLOEXEC);
    }

    /** Multishot receive into buffers of {@code buffers}: one completion per arrival, each naming its buffer. */
    public void receive(int fd, ProvidedBuffers buffers, long userData) {
        long at = nextEntry();
        fill(at, OP_RECV, SQE_BUFFER_SELECT, fd, 0, 0, userData);
        sqes.set(JAVA_SHORT, at + 2, RECV_MULTISHOT);
        sqes.set(JAVA_SHORT, at + 40, (short) buffers.group());
    }

    /**
     * Sends {@code len} bytes of chunk {@code chunk} from {@code from}. MSG_WAITALL: the kernel retries a short send
     * itself, so the completion reports all of it or an error, and one send per socket at a time keeps bytes in order.
     */
    public void send(int fd, SendChunks chunks, int chunk, int from, int len, long userData) {
        long at = nextEntry();
        fill(at, OP_SEND, (byte) 0, fd, chunks.address(chunk) + from, len, userData);
        sqes.set(JAVA_INT, at + 28, Net.MSG_NOSIGNAL | MSG_WAITALL);
    }

    private static final int MSG_WAITALL = 0x100;

    /** Reads an eventfd's 8-byte counter into {@code into} (which outlives the read). */
    public void readCounter(int eventFd, MemorySegment into, long userData) {
        long at = nextEntry();
        fill(at, OP_READ, (byte) 0, eventFd, into.address(), 8, userData);
    }

    /** One completion when {@code fd} can take output again (POLLOUT; also on an error or hang-up). */
    public void pollWritable(int fd, long userData) {
        long at = nextEntry();
        fill(at, OP_POLL_ADD, (byte) 0, fd, 0, 0, userData);
        sqes.set(JAVA_INT, at + 28, POLLOUT);
    }

    private static final int POLLOUT = 4;

    /** Cancels the request that carried {@code target}; a completion only when the cancel itself fails. */
    public void cancel(long target, long userData) {
        long at = nextEntry();
        fill(at, OP_ASYNC_CANCEL, SQE_CQE_SKIP_SUCCESS, -1, target, 0, userData);
    }

    /** close(fd) without a system call of its own; a completion only when it fails. */
    public void close(int fd, long userData) {
        long at = nextEntry();
        fill(at, OP_CLOSE, SQE_CQE_SKIP_SUCCESS, fd, 0, 0, userData);
    }

    /**
     * Submits what was filled and, with {@code timeoutNanos} not 0, waits for a completion: forever when negative,
     * else at most that long. One system call either way.
     *
     * @return the entries submitted, or {@code -errno} (-ETIME: the wait timed out, -EINTR: a signal)
     */
    public int submit(long timeoutNanos) {
        int toSubmit = sqTail - submittedTail;
        INT.setRelease(rings, sqTailAt, sqTail);
        submittedTail = sqTail;
        int wait = timeoutNanos == 0 ? 0 : 1;
        long argAddress = 0;
        long flags = ENTER_GETEVENTS; // also what runs deferred task work, so completions appear even without waiting
        if (timeoutNanos > 0) {
            timespec.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
            timespec.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            flags |= ENTER_EXT_ARG;
        }
        MemorySegment arg = timeoutNanos > 0 ? enterArg : MemorySegment.NULL;
        long argSize = timeoutNanos > 0 ? 24L : 0L;
        Libc.Scratch s = Libc.scratch();
        long r = Libc.call(s, SyscallNumbers.IO_URING_ENTER, fd, toSubmit, wait, flags, arg.address(), argSize);
        return r >= 0 ? (int) r : -s.errno();
    }

    /**
     * Hands every completion the kernel has posted to {@code sink}, in order, then frees their slots.
     *
     * @return how many
     */
    public int reap(Completions sink) {
        int head = (int) INT.get(rings, cqHeadAt);
        int tail = (int) INT.getAcquire(rings, cqTailAt);
        int n = tail - head;
        for (; head != tail; head++) {
            long at = cqesAt + 16L * (head & cqMask);
            long userData = rings.get(JAVA_LONG, at);
            int res = rings.get(JAVA_INT, at + 8);
            int flags = rings.get(JAVA_INT, at + 12);
            // Free the slot before the callback: it may submit, and a full completion ring would make the kernel overflow.
            INT.setRelease(rings, cqHeadAt, head + 1);
            sink.complete(userData, res, flags);
        }
        return n;
    }

    // ------------------------------------------------------------------ provided buffers

    void registerBufferRing(MemorySegment ring, int entries, int group) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(40, 8);
            reg.set(JAVA_LONG, 0, ring.address());
            reg.set(JAVA_INT, 8, entries);
            reg.set(JAVA_SHORT, 12, (short) group);
            register(REGISTER_PBUF_RING, reg, 1, "io_uring_register(PBUF_RING)");
        }
    }

    void unregisterBufferRing(int group) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(40, 8);
            reg.set(JAVA_SHORT, 12, (short) group);
            register(UNREGISTER_PBUF_RING, reg, 1, "io_uring_register(UNREGISTER_PBUF_RING)");
        }
    }

    static void publishShort(MemorySegment segment, long offset, short value) { SHORT.setRelease(segment, offset, value); }

    // ------------------------------------------------------------------ plumbing

    private void register(int opcode, MemorySegment arg, int count, String what) {
        Libc.Scratch s = Libc.scratch();
        long r = Libc.call(s, SyscallNumbers.IO_URING_REGISTER, fd, opcode, arg.address(), count);
        if (r < 0) throw new SysException(what, s.errno());
    }

    private static long setup(int entries, MemorySegment p) {
        Libc.Scratch s = Libc.scratch();
        long r = Libc.call(s, SyscallNumbers.IO_URING_SETUP, entries, p.address());
        if (r < 0) throw new SysException("io_uring_setup", s.errno());
        return r;
    }

    @SuppressWarnings("restricted") // the mapping is exactly as long as asked
    private static MemorySegment map(int fd, long bytes, long offset) {
        Libc.Scratch s = Libc.scratch();
        long address = Libc.call(s, SyscallNumbers.MMAP, 0, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
                fd, offset);
        if (address == -1L) throw new SysException("mmap(io_uring)", s.errno());
        return MemorySegment.ofAddress(address).reinterpret(bytes);
    }

    private static void unmap(MemorySegment m, long bytes) {
        Libc.Scratch s = Libc.scratch();
        Libc.call(s, SyscallNumbers.MUNMAP, m.address(), bytes);
    }

    /** Closing the descriptor makes the kernel cancel whatever is still in flight; callers drain first. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        unmap(sqes, sqeBytes);
        unmap(rings, ringBytes);
        Net.close(fd);
        arena.close();
    }
}
