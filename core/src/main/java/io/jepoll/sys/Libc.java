package io.jepoll.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The way into the kernel: every system call jepoll makes goes through libc's {@code syscall(3)}, by number
 * ({@link SyscallNumbers}), and this class is the only one that knows how, and how errno is captured.
 *
 * <p>Why one C function and not libc's wrapper for each call: each downcall handle of a new C signature makes the
 * JDK spin its stub classes, 10 to 20 ms of a cold start each, and a server needs ten signatures before its first
 * answer. {@code long syscall(long number, ...)} passes every argument in a full register, as the kernel reads
 * them (an int sign-extended, a pointer as its address), so two handles serve every call: {@link #SYSCALL}, and
 * {@link #SYSCALL_BUFFER} for recv and send, whose buffer may be a Java array. That one is <em>critical</em>
 * with heap access: the kernel copies straight to or from the {@code byte[]}, no native bounce buffer; it never
 * blocks, as recv and send on a non-blocking socket do not.
 *
 * <p>Each call captures errno into a small per-thread segment ({@link Scratch}), so a call allocates nothing and
 * concurrent loops never see each other's errno. A call returns what the kernel returned, or -1 with errno set.
 */
final class Libc {
    private Libc() {}

    static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    /** The number is syscall's one named parameter; the six arguments after it are its "...". */
    private static final Linker.Option NUMBER_THEN_VARIADIC = Linker.Option.firstVariadicArg(1);

    /** {@code long syscall(long number, long a1, ..., long a6)}. */
    static final MethodHandle SYSCALL = link(FunctionDescriptor.of(JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), CAPTURE_ERRNO,
            NUMBER_THEN_VARIADIC);
    /** {@code long syscall(long number, long fd, void *buffer, long a3, ..., long a6)}: the buffer may be on the heap. */
    static final MethodHandle SYSCALL_BUFFER = link(FunctionDescriptor.of(JAVA_LONG,
            JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), CAPTURE_ERRNO,
            NUMBER_THEN_VARIADIC, Linker.Option.critical(true));

    /** System call {@code number} with up to six arguments (the unused ones 0): what the kernel returned, or -1. */
    static long call(Scratch s, long number, long a1, long a2, long a3, long a4, long a5, long a6) {
        try {
            return (long) SYSCALL.invokeExact(s.state, number, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw linkageBug(t);
        }
    }

    static long call(Scratch s, long number, long a1) { return call(s, number, a1, 0, 0, 0, 0, 0); }

    static long call(Scratch s, long number, long a1, long a2) { return call(s, number, a1, a2, 0, 0, 0, 0); }

    static long call(Scratch s, long number, long a1, long a2, long a3) { return call(s, number, a1, a2, a3, 0, 0, 0); }

    static long call(Scratch s, long number, long a1, long a2, long a3, long a4) {
        return call(s, number, a1, a2, a3, a4, 0, 0);
    }

    /** recvfrom or sendto of {@code buffer} (heap or native) with no address: bytes moved, or -1. */
    static long callBuffer(Scratch s, long number, int fd, MemorySegment buffer, long length, int flags) {
        try {
            return (long) SYSCALL_BUFFER.invokeExact(s.state, number, (long) fd, buffer, length, (long) flags, 0L, 0L);
        } catch (Throwable t) {
            throw linkageBug(t);
        }
    }

    /** Linked on first use: unsetenv, a libc function rather than a system call (what inherited sockets need). */
    static final class OnDemand {
        private OnDemand() {}

        static final MethodHandle UNSETENV = link(symbol("unsetenv"), FunctionDescriptor.of(JAVA_INT, ADDRESS),
                CAPTURE_ERRNO);
    }

    private static MethodHandle link(FunctionDescriptor descriptor, Linker.Option... options) {
        return link(symbol("syscall"), descriptor, options);
    }

    @SuppressWarnings("restricted") // native access is this package's job; enabled by the manifest / flag
    private static MethodHandle link(MemorySegment symbol, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException("libc has no " + name + " here"));
    }

    /** Per-thread native scratch: the errno capture area and small in/out arguments. */
    static final class Scratch {
        final MemorySegment state;   // errno capture
        final MemorySegment event;   // one struct epoll_event for epoll_ctl
        final MemorySegment u64;     // eventfd counter
        final MemorySegment int1;    // socket option value
        final MemorySegment len;     // socklen_t in/out
        final MemorySegment addr;    // sockaddr_storage
        final MemorySegment stat;    // struct stat

        Scratch() {
            Arena arena = Arena.ofAuto(); // freed with the thread's Scratch
            state = arena.allocate(CAPTURE);
            event = arena.allocate(16, 8);
            u64 = arena.allocate(8, 8);
            int1 = arena.allocate(4, 4);
            len = arena.allocate(4, 4);
            addr = arena.allocate(128, 8);
            stat = arena.allocate(256, 8);
        }

        int errno() { return (int) ERRNO.get(state, 0L); }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static Scratch scratch() { return SCRATCH.get(); }

    /** A MethodHandle threw: only possible through a bug in a descriptor, never from the kernel. */
    static AssertionError linkageBug(Throwable t) {
        return new AssertionError("native call failed to link or run", t);
    }
}
