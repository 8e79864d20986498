package io.jepoll.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Regular files for zero-copy sending: open(2) read-only, their size, and sendfile(2),
 * which copies from the page cache to a socket without the bytes ever entering Java; and
 * pread(2) for TLS, whose records are made in Java.
 */
public final class Files {
    private Files() {}

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int SEEK_END = 2;
    private static final int AT_FDCWD = -100; // openat relative to the working directory: open(2)

    /** Opens {@code path} read-only and close-on-exec; returns the fd or throws {@link SysException}. */
    public static int open(Path path) {
        Libc.Scratch s = Libc.scratch();
        int fd;
        // One small allocation per opened file for the C string: files are opened per request, not per byte.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(path.toString());
            fd = (int) Libc.call(s, SyscallNumbers.OPENAT, AT_FDCWD, name.address(), O_RDONLY | O_CLOEXEC);
        }
        if (fd < 0) throw new SysException("open " + path, s.errno());
        return fd;
    }

    /**
     * What fstat(2) says of an open file: the facts a response about it is built from, taken
     * from the descriptor itself so they describe the very file that will be sent.
     *
     * @param regular false for directories, devices, sockets... (only regular files are served)
     */
    public record Stat(long size, long mtimeSeconds, int mtimeNanos, long inode, boolean regular) {}

    // struct stat differs between the two ABIs (x86-64 has its own; aarch64 uses the generic one).
    private static final boolean X86_64 = EpollEvents.isX86_64(System.getProperty("os.arch", ""));
    private static final long ST_INO = 8;
    private static final long ST_MODE = X86_64 ? 24 : 16;
    private static final long ST_SIZE = 48;
    private static final long ST_MTIM = 88;          // the same offset in both
    private static final int S_IFMT = 0xF000, S_IFREG = 0x8000;

    /** fstat(2) of an open descriptor, or throws {@link SysException}. */
    public static Stat stat(int fd) {
        Libc.Scratch s = Libc.scratch();
        long r = Libc.call(s, SyscallNumbers.FSTAT, fd, s.stat.address());
        if (r < 0) throw new SysException("fstat", s.errno());
        MemorySegment st = s.stat;
        int mode = st.get(JAVA_INT, ST_MODE);
        return new Stat(st.get(JAVA_LONG, ST_SIZE), st.get(JAVA_LONG, ST_MTIM), (int) st.get(JAVA_LONG, ST_MTIM + 8),
                st.get(JAVA_LONG, ST_INO), (mode & S_IFMT) == S_IFREG);
    }

    /** The size of an open file in bytes (lseek to its end; sendfile takes explicit offsets, so the position is unused). */
    public static long size(int fd) {
        Libc.Scratch s = Libc.scratch();
        long n = Libc.call(s, SyscallNumbers.LSEEK, fd, 0, SEEK_END);
        if (n < 0) throw new SysException("lseek", s.errno());
        return n;
    }

    /**
     * Sends up to {@code count} bytes of file {@code inFd} from {@code offset} to socket
     * {@code outFd}. Returns the bytes sent (0 at the end of the file), or -errno (-EAGAIN:
     * the socket buffer is full; -EPIPE/-ECONNRESET: the peer is gone; -EIO: the file failed).
     */
    public static long sendfile(int outFd, int inFd, long offset, long count) {
        Libc.Scratch s = Libc.scratch();
        s.u64.set(JAVA_LONG, 0, offset);
        long n = Libc.call(s, SyscallNumbers.SENDFILE, outFd, inFd, s.u64.address(), count);
        if (n >= 0) return n;
        int errno = s.errno();
        return errno == Errno.EINTR ? -Errno.EAGAIN : -errno;
    }

    /**
     * Reads up to {@code len} bytes of file {@code fd} at {@code offset} into {@code dst}
     * (native memory), leaving the file position alone: what TLS sends instead of sendfile,
     * which cannot encrypt. Returns the bytes read (0 at the end of the file), or -errno.
     */
    public static long pread(int fd, MemorySegment dst, long len, long offset) {
        Libc.Scratch s = Libc.scratch();
        while (true) {
            long n = Libc.call(s, SyscallNumbers.PREAD64, fd, dst.address(), len, offset);
            if (n >= 0) return n;
            int errno = s.errno();
            if (errno != Errno.EINTR) return -errno; // a signal before any byte: simply read again
        }
    }
}
