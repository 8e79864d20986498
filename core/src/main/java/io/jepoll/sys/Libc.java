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
 * The downcall handles for every libc function jepoll calls, and the per-thread memory
 * they need. This class is the only one that knows how errno is captured.
 *
 * <p>Each handle captures errno into a small per-thread segment ({@link Scratch}), so a
 * call allocates nothing and concurrent loops never see each other's errno. Calls that
 * never block and take Java arrays (recv, send) are linked as <em>critical</em> with heap
 * access: the kernel copies straight to or from the {@code byte[]}, no native bounce buffer.
 */
final class Libc {
    private Libc() {}

    static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final Linker.Option CRITICAL_HEAP = Linker.Option.critical(true);

    // Linked when Libc is first used: the calls every server makes before its first answer (the
    // probe, an event loop, a listener, accept, read, send, close). Linking a call of a new shape
    // costs several milliseconds (the JDK spins its stub classes then), so the calls that only some
    // features need wait in the holders below until that feature first runs.
    static final MethodHandle EPOLL_CREATE1 = fn("epoll_create1", JAVA_INT, JAVA_INT);
    static final MethodHandle EPOLL_CTL = fn("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    static final MethodHandle EPOLL_WAIT = fn("epoll_wait", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    static final MethodHandle EVENTFD = fn("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
    static final MethodHandle SOCKET = fn("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    static final MethodHandle BIND = fn("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    static final MethodHandle LISTEN = fn("listen", JAVA_INT, JAVA_INT, JAVA_INT);
    static final MethodHandle ACCEPT4 = fn("accept4", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    static final MethodHandle GETSOCKNAME = fn("getsockname", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle GETPEERNAME = fn("getpeername", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    static final MethodHandle SETSOCKOPT = fn("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    static final MethodHandle SHUTDOWN = fn("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    static final MethodHandle CLOSE = fn("close", JAVA_INT, JAVA_INT);
    /**
     * recv(2) into a Java array: critical (never blocks on a non-blocking socket). With flags 0 it is read(2),
     * and it has send's shape, so the two share one stub.
     */
    static final MethodHandle RECV_HEAP = fnCritical("recv", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    /** send(2) from a Java array, with MSG_NOSIGNAL so a vanished peer gives EPIPE, not SIGPIPE. */
    static final MethodHandle SEND_HEAP = fnCritical("send", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);

    /**
     * Linked when the first file is served. Also, fstat is a real symbol only since glibc 2.33: on an
     * older libc only file serving fails, not every socket call.
     */
    static final class FileCalls {
        private FileCalls() {}

        static final MethodHandle OPEN = fn("open", JAVA_INT, ADDRESS, JAVA_INT);
        static final MethodHandle FSTAT = fn("fstat", JAVA_INT, JAVA_INT, ADDRESS);
        static final MethodHandle LSEEK = fn("lseek", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
        static final MethodHandle SENDFILE = fn("sendfile", JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG);
        /** pread(2) into native memory (files over TLS): not critical, a disk read may take a while. */
        static final MethodHandle PREAD = fn("pread", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG);
    }

    /** Linked when a loop is first woken by another thread: read and write on an eventfd's counter. */
    static final class MemoryCalls {
        private MemoryCalls() {}

        static final MethodHandle READ = fn("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
        static final MethodHandle WRITE = fn("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    }

    /** Linked on first use: getsockopt, and what inherited sockets need (fcntl, unsetenv). */
    static final class OnDemand {
        private OnDemand() {}

        static final MethodHandle GETSOCKOPT = fn("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
        /** fcntl(fd, cmd, int): variadic in C, so linked with its third argument marked as such. */
        static final MethodHandle FCNTL = fnVariadic("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
        static final MethodHandle UNSETENV = fn("unsetenv", JAVA_INT, ADDRESS);
    }

    /**
     * Linked when an io_uring loop starts. glibc has no wrapper for io_uring's three calls, so they go through
     * syscall(2), variadic: every argument is passed as a full register (long or pointer), as the kernel reads them.
     */
    static final class UringCalls {
        private UringCalls() {}

        static final MethodHandle SYSCALL_SETUP = fnVariadic("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS);
        static final MethodHandle SYSCALL_ENTER = fnVariadic("syscall", 1, JAVA_LONG,
                JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG);
        static final MethodHandle SYSCALL_REGISTER = fnVariadic("syscall", 1, JAVA_LONG,
                JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG);
        static final MethodHandle MMAP = fn("mmap", ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
        static final MethodHandle MUNMAP = fn("munmap", JAVA_INT, ADDRESS, JAVA_LONG);
    }

    @SuppressWarnings("restricted") // native access is this package's job; enabled by the manifest / flag
    private static MethodHandle fn(String name, java.lang.foreign.MemoryLayout ret,
                                   java.lang.foreign.MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args), CAPTURE_ERRNO);
    }

    @SuppressWarnings("restricted")
    private static MethodHandle fnVariadic(String name, int firstVariadic, java.lang.foreign.MemoryLayout ret,
                                           java.lang.foreign.MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args), CAPTURE_ERRNO,
                Linker.Option.firstVariadicArg(firstVariadic));
    }

    @SuppressWarnings("restricted")
    private static MethodHandle fnCritical(String name, java.lang.foreign.MemoryLayout ret,
                                           java.lang.foreign.MemoryLayout... args) {
        return LINKER.downcallHandle(symbol(name), FunctionDescriptor.of(ret, args), CAPTURE_ERRNO, CRITICAL_HEAP);
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
