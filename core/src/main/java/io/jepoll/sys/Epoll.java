package io.jepoll.sys;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

/** epoll(7): create an instance, change its interest list, wait for readiness. */
public final class Epoll {
    private Epoll() {}

    public static final int EPOLLIN = 0x001;
    public static final int EPOLLPRI = 0x002;
    public static final int EPOLLOUT = 0x004;
    public static final int EPOLLERR = 0x008;
    public static final int EPOLLHUP = 0x010;
    public static final int EPOLLRDHUP = 0x2000;
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    public static final int EPOLLET = 1 << 31;

    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;
    private static final int EPOLL_CLOEXEC = 0x80000;
    private static final int SIGSET_BYTES = 8; // the kernel's sigset_t, checked even when no mask is given

    /** A new epoll instance (close-on-exec). */
    public static int create() {
        Libc.Scratch s = Libc.scratch();
        int fd = (int) Libc.call(s, SyscallNumbers.EPOLL_CREATE1, EPOLL_CLOEXEC);
        if (fd < 0) throw new SysException("epoll_create1", s.errno());
        return fd;
    }

    /** Watches {@code fd} for {@code events}; the fd itself is the event's user data. */
    public static void add(int epfd, int fd, int events) { ctl(epfd, EPOLL_CTL_ADD, fd, events, "epoll_ctl(ADD)"); }

    /** Replaces the events watched on {@code fd}. */
    public static void modify(int epfd, int fd, int events) { ctl(epfd, EPOLL_CTL_MOD, fd, events, "epoll_ctl(MOD)"); }

    /** Stops watching {@code fd}. Returns 0 or -errno (ENOENT/EBADF are normal during teardown). */
    public static int remove(int epfd, int fd) {
        Libc.Scratch s = Libc.scratch();
        long r = Libc.call(s, SyscallNumbers.EPOLL_CTL, epfd, EPOLL_CTL_DEL, fd, s.event.address());
        return r < 0 ? -s.errno() : 0;
    }

    private static void ctl(int epfd, int op, int fd, int events, String call) {
        Libc.Scratch s = Libc.scratch();
        MemorySegment ev = s.event;
        ev.set(JAVA_INT_UNALIGNED, 0, events);
        ev.set(JAVA_INT_UNALIGNED, EpollEvents.DATA_OFFSET, fd);
        ev.set(JAVA_INT_UNALIGNED, EpollEvents.DATA_OFFSET + 4, 0);
        long r = Libc.call(s, SyscallNumbers.EPOLL_CTL, epfd, op, fd, ev.address());
        if (r < 0) throw new SysException(call, s.errno());
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: forever, 0: poll) and fills {@code events}.
     * Returns the number of ready descriptors, or {@code -EINTR} when a signal interrupted
     * the wait (an ordinary result: wait again).
     */
    public static int wait(int epfd, EpollEvents events, int timeoutMillis) {
        Libc.Scratch s = Libc.scratch();
        // epoll_pwait with no signal mask (0) is epoll_wait, and the one of the two that every architecture has.
        int n = (int) Libc.call(s, SyscallNumbers.EPOLL_PWAIT, epfd, events.segment().address(), events.capacity(),
                timeoutMillis, 0, SIGSET_BYTES);
        if (n >= 0) return n;
        int errno = s.errno();
        if (errno == Errno.EINTR) return -Errno.EINTR;
        throw new SysException("epoll_wait", errno);
    }
}
