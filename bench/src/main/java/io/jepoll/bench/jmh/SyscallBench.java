package io.jepoll.bench.jmh;

import io.jepoll.sys.Net;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One read of an empty non-blocking socket (EAGAIN: the whole cost is the way into the kernel and back), as jepoll
 * makes it ({@link Net#read}: libc's syscall(3) by number, critical, errno captured) beside libc's own {@code recv}
 * wrapper linked the same way, which is how jepoll called it before every call went through syscall(3).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SyscallBench {
    private static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_NONBLOCK = 0x800;

    private final byte[] buffer = new byte[4096];
    private final Arena arena = Arena.ofConfined();
    private MemorySegment errno;
    /** Static and final, as jepoll's handles are: the JIT then inlines the call and the array's segment. */
    private static final MethodHandle RECV = linkRecv();
    private int fd, peer;

    @Setup
    @SuppressWarnings("restricted")
    public void setUp() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle socketpair = linker.downcallHandle(linker.defaultLookup().find("socketpair").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        MemorySegment fds = arena.allocate(JAVA_INT, 2);
        if ((int) socketpair.invokeExact(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) != 0) {
            throw new IllegalStateException("socketpair failed");
        }
        fd = fds.getAtIndex(JAVA_INT, 0);
        peer = fds.getAtIndex(JAVA_INT, 1);
        errno = arena.allocate(Linker.Option.captureStateLayout());
    }

    @SuppressWarnings("restricted")
    private static MethodHandle linkRecv() {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find("recv").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT),
                Linker.Option.captureCallState("errno"), Linker.Option.critical(true));
    }

    @TearDown
    public void tearDown() {
        Net.close(fd);
        Net.close(peer);
        arena.close();
    }

    /** jepoll's read: -EAGAIN. */
    @Benchmark
    public int jepollRead() { return Net.read(fd, buffer, 0, buffer.length); }

    /** libc's recv(fd, buf, len, 0), critical with heap access and errno captured: -1. */
    @Benchmark
    public long libcRecv() throws Throwable {
        return (long) RECV.invokeExact(errno, fd, MemorySegment.ofArray(buffer), (long) buffer.length, 0);
    }
}
