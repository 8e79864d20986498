package io.jepoll.sys;

/**
 * The Linux system call numbers jepoll uses, for the machine it runs on. x86-64 has its own table; aarch64 uses
 * the kernel's generic one (asm-generic/unistd.h), which has no epoll_wait, eventfd or open: so jepoll calls
 * their successors everywhere (epoll_pwait with no signal mask, eventfd2, openat), which do the same.
 */
final class SyscallNumbers {
    private SyscallNumbers() {}

    private static final boolean X86_64 = EpollEvents.isX86_64(System.getProperty("os.arch", ""));

    private static long nr(long x86_64, long generic) { return X86_64 ? x86_64 : generic; }

    static final long READ = nr(0, 63);
    static final long WRITE = nr(1, 64);
    static final long CLOSE = nr(3, 57);
    static final long FSTAT = nr(5, 80);
    static final long LSEEK = nr(8, 62);
    static final long MMAP = nr(9, 222);
    static final long MUNMAP = nr(11, 215);
    static final long PREAD64 = nr(17, 67);
    static final long SENDFILE = nr(40, 71);
    static final long SOCKET = nr(41, 198);
    static final long SENDTO = nr(44, 206);
    static final long RECVFROM = nr(45, 207);
    static final long SHUTDOWN = nr(48, 210);
    static final long BIND = nr(49, 200);
    static final long LISTEN = nr(50, 201);
    static final long GETSOCKNAME = nr(51, 204);
    static final long GETPEERNAME = nr(52, 205);
    static final long SETSOCKOPT = nr(54, 208);
    static final long GETSOCKOPT = nr(55, 209);
    static final long FCNTL = nr(72, 25);
    static final long EPOLL_CTL = nr(233, 21);
    static final long OPENAT = nr(257, 56);
    static final long EPOLL_PWAIT = nr(281, 22);
    static final long ACCEPT4 = nr(288, 242);
    static final long EVENTFD2 = nr(290, 19);
    static final long EPOLL_CREATE1 = nr(291, 20);
    // io_uring came after the tables were unified: the same numbers on every architecture.
    static final long IO_URING_SETUP = 425;
    static final long IO_URING_ENTER = 426;
    static final long IO_URING_REGISTER = 427;
}
