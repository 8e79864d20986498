package io.jepoll.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * eventfd(2): a counter the kernel can watch, used to wake an event loop blocked in
 * epoll_wait when another thread posts it a task.
 */
public final class EventFd {
    private EventFd() {}

    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;

    /** A new non-blocking, close-on-exec eventfd with counter 0. */
    public static int create() {
        Libc.Scratch s = Libc.scratch();
        int fd = (int) Libc.call(s, SyscallNumbers.EVENTFD2, 0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (fd < 0) throw new SysException("eventfd", s.errno());
        return fd;
    }

    /**
     * A blocking, close-on-exec eventfd: for io_uring, which waits for a blocking descriptor itself, where a
     * non-blocking one would fail its read with EAGAIN. Writers never block (the counter would have to reach 2^64-2).
     */
    public static int createBlocking() {
        Libc.Scratch s = Libc.scratch();
        int fd = (int) Libc.call(s, SyscallNumbers.EVENTFD2, 0, EFD_CLOEXEC);
        if (fd < 0) throw new SysException("eventfd", s.errno());
        return fd;
    }

    /** Adds 1 to the counter, making the fd readable. -EAGAIN (counter saturated) still means "awake". */
    public static long signal(int fd) {
        Libc.Scratch s = Libc.scratch();
        s.u64.set(JAVA_LONG, 0, 1L);
        return Net.write(fd, s.u64, 8);
    }

    /** Resets the counter to 0; returns the value read, or -errno (-EAGAIN when it was already 0). */
    public static long drain(int fd) {
        Libc.Scratch s = Libc.scratch();
        long n = Net.read(fd, s.u64, 8);
        return n == 8 ? s.u64.get(JAVA_LONG, 0) : n;
    }
}
