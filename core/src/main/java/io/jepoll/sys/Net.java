package io.jepoll.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * TCP sockets: socket, bind, listen, accept4, read, send, sendfile, shutdown, close and
 * socket options. Every socket is non-blocking and close-on-exec from birth.
 *
 * <p>I/O calls return a byte count or {@code -errno}; "would block" is {@code -EAGAIN},
 * an ordinary value. Set-up calls (socket, bind, listen, options) throw {@link SysException}.
 */
public final class Net {
    private Net() {}

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int MSG_MORE = 0x8000;

    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_ACCEPTCONN = 30;
    public static final int SO_DOMAIN = 39;
    public static final int IPPROTO_TCP = 6;
    public static final int TCP_NODELAY = 1;
    public static final int TCP_CORK = 3;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPV6_V6ONLY = 26;

    public static final int SHUT_WR = 1;

    private static final int F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_DUPFD_CLOEXEC = 1030;
    private static final int FD_CLOEXEC = 1, O_NONBLOCK = 0x800;

    private static final ValueLayout.OfShort PORT_BE = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** A new non-blocking TCP socket for the given family ({@link #AF_INET} or {@link #AF_INET6}). */
    public static int socket(int family) {
        Libc.Scratch s = Libc.scratch();
        int fd = (int) Libc.call(s, SyscallNumbers.SOCKET, family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) throw new SysException("socket", s.errno());
        return fd;
    }

    /** The family a socket for this address needs. */
    public static int familyOf(InetSocketAddress address) {
        return address.getAddress() instanceof Inet6Address ? AF_INET6 : AF_INET;
    }

    public static void bind(int fd, InetSocketAddress address) {
        Libc.Scratch s = Libc.scratch();
        int len = encode(address, s.addr);
        long r = Libc.call(s, SyscallNumbers.BIND, fd, s.addr.address(), len);
        if (r < 0) throw new SysException("bind " + address, s.errno());
    }

    public static void listen(int fd, int backlog) {
        Libc.Scratch s = Libc.scratch();
        long r = Libc.call(s, SyscallNumbers.LISTEN, fd, backlog);
        if (r < 0) throw new SysException("listen", s.errno());
    }

    /**
     * Accepts one connection as a non-blocking, close-on-exec socket. Returns its fd, or
     * -errno: -EAGAIN when none is waiting, -EMFILE/-ENFILE when out of descriptors,
     * -ECONNABORTED when the client gave up first.
     */
    public static int accept(int listenFd) {
        Libc.Scratch s = Libc.scratch();
        int fd = (int) Libc.call(s, SyscallNumbers.ACCEPT4, listenFd, 0, 0, SOCK_NONBLOCK | SOCK_CLOEXEC);
        return fd >= 0 ? fd : -s.errno();
    }

    /** Reads a socket into {@code buf[off, off+len)}: bytes read, 0 at end of stream, or -errno (-EAGAIN: nothing yet). */
    public static int read(int fd, byte[] buf, int off, int len) {
        Libc.Scratch s = Libc.scratch();
        long n = Libc.callBuffer(s, SyscallNumbers.RECVFROM, fd, MemorySegment.ofArray(buf).asSlice(off, len), len, 0);
        if (n >= 0) return (int) n;
        int errno = s.errno();
        return errno == Errno.EINTR ? -Errno.EAGAIN : -errno;
    }

    /** Reads into native memory: bytes read, 0 at end of stream, or -errno. */
    public static long read(int fd, MemorySegment dst, long len) {
        Libc.Scratch s = Libc.scratch();
        long n = Libc.call(s, SyscallNumbers.READ, fd, dst.address(), len);
        return n >= 0 ? n : -s.errno();
    }

    /**
     * Sends {@code buf[off, off+len)}: bytes accepted by the kernel (possibly fewer than
     * {@code len}), or -errno (-EAGAIN: the send buffer is full; -EPIPE/-ECONNRESET: peer gone).
     */
    public static int send(int fd, byte[] buf, int off, int len) { return send(fd, buf, off, len, false); }

    /**
     * As {@link #send(int, byte[], int, int)}; with {@code more} (MSG_MORE) the kernel holds a
     * partial segment back for what the caller sends next, so that a response head and the
     * first bytes of its body (sent by sendfile, say) share a TCP segment.
     */
    public static int send(int fd, byte[] buf, int off, int len, boolean more) {
        Libc.Scratch s = Libc.scratch();
        long n = Libc.callBuffer(s, SyscallNumbers.SENDTO, fd, MemorySegment.ofArray(buf).asSlice(off, len), len,
                more ? MSG_NOSIGNAL | MSG_MORE : MSG_NOSIGNAL);
        if (n >= 0) return (int) n;
        int errno = s.errno();
        return errno == Errno.EINTR ? -Errno.EAGAIN : -errno;
    }

    /** send(2) from native memory (MSG_NOSIGNAL, and MSG_MORE with {@code more}): bytes taken, or -errno. */
    static int send(int fd, MemorySegment src, int len, boolean more) {
        Libc.Scratch s = Libc.scratch();
        long n = Libc.callBuffer(s, SyscallNumbers.SENDTO, fd, src, len, more ? MSG_NOSIGNAL | MSG_MORE : MSG_NOSIGNAL);
        if (n >= 0) return (int) n;
        int errno = s.errno();
        return errno == Errno.EINTR ? -Errno.EAGAIN : -errno;
    }

    /** write(2) from native memory: bytes written or -errno. */
    public static long write(int fd, MemorySegment src, long len) {
        Libc.Scratch s = Libc.scratch();
        long n = Libc.call(s, SyscallNumbers.WRITE, fd, src.address(), len);
        return n >= 0 ? n : -s.errno();
    }

    /** shutdown(2): 0 or -errno (ENOTCONN when the peer is already gone is normal). */
    public static int shutdown(int fd, int how) {
        Libc.Scratch s = Libc.scratch();
        long r = Libc.call(s, SyscallNumbers.SHUTDOWN, fd, how);
        return r < 0 ? -s.errno() : 0;
    }

    /** close(2) for any descriptor: 0 or -errno. Never retried: on Linux the fd is gone either way. */
    public static int close(int fd) {
        Libc.Scratch s = Libc.scratch();
        long r = Libc.call(s, SyscallNumbers.CLOSE, fd);
        return r < 0 ? -s.errno() : 0;
    }

    public static void setOption(int fd, int level, int option, int value) {
        Libc.Scratch s = Libc.scratch();
        s.int1.set(JAVA_INT, 0, value);
        long r = Libc.call(s, SyscallNumbers.SETSOCKOPT, fd, level, option, s.int1.address(), 4, 0);
        if (r < 0) throw new SysException("setsockopt(" + level + "," + option + ")", s.errno());
    }

    public static int getOption(int fd, int level, int option) {
        Libc.Scratch s = Libc.scratch();
        s.len.set(JAVA_INT, 0, 4);
        long r = Libc.call(s, SyscallNumbers.GETSOCKOPT, fd, level, option, s.int1.address(), s.len.address(), 0);
        if (r < 0) throw new SysException("getsockopt(" + level + "," + option + ")", s.errno());
        return s.int1.get(JAVA_INT, 0);
    }

    /**
     * Makes a descriptor this process inherited (a socket passed by a service manager) what every socket jepoll
     * opens is from birth: non-blocking, and closed on exec so that children do not inherit it in turn.
     */
    public static void makeNonBlockingCloseOnExec(int fd) {
        int flags = fcntl(fd, F_GETFL, 0, "fcntl(F_GETFL)");
        if ((flags & O_NONBLOCK) == 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK, "fcntl(F_SETFL, O_NONBLOCK)");
        fcntl(fd, F_SETFD, FD_CLOEXEC, "fcntl(F_SETFD, FD_CLOEXEC)");
    }

    /** A second descriptor for the same open socket (close-on-exec), e.g. for another epoll instance to watch. */
    public static int duplicate(int fd) {
        return fcntl(fd, F_DUPFD_CLOEXEC, 0, "fcntl(F_DUPFD_CLOEXEC)");
    }

    private static int fcntl(int fd, int cmd, int arg, String callName) {
        Libc.Scratch s = Libc.scratch();
        int r = (int) Libc.call(s, SyscallNumbers.FCNTL, fd, cmd, arg);
        if (r < 0) throw new SysException(callName, s.errno());
        return r;
    }

    /** The address a socket is bound to (the real port after binding port 0). */
    public static InetSocketAddress localAddress(int fd) {
        return name(fd, SyscallNumbers.GETSOCKNAME, "getsockname");
    }

    /** The address of the connected peer. */
    public static InetSocketAddress remoteAddress(int fd) {
        return name(fd, SyscallNumbers.GETPEERNAME, "getpeername");
    }

    private static InetSocketAddress name(int fd, long number, String callName) {
        Libc.Scratch s = Libc.scratch();
        s.len.set(JAVA_INT, 0, (int) s.addr.byteSize());
        long r = Libc.call(s, number, fd, s.addr.address(), s.len.address());
        if (r < 0) throw new SysException(callName, s.errno());
        return decode(s.addr);
    }

    /** Writes a sockaddr_in / sockaddr_in6 into {@code dst}; returns its length. */
    static int encode(InetSocketAddress address, MemorySegment dst) {
        if (address.isUnresolved()) throw new IllegalArgumentException("unresolved address: " + address);
        InetAddress ip = address.getAddress();
        dst.fill((byte) 0);
        dst.set(JAVA_SHORT_UNALIGNED, 0, (short) (ip instanceof Inet6Address ? AF_INET6 : AF_INET));
        dst.set(PORT_BE, 2, (short) address.getPort());
        byte[] raw = ip.getAddress();
        if (ip instanceof Inet4Address) {
            MemorySegment.copy(raw, 0, dst, JAVA_BYTE, 4, 4);
            return 16;
        }
        MemorySegment.copy(raw, 0, dst, JAVA_BYTE, 8, 16);
        dst.set(JAVA_INT_UNALIGNED, 24, ((Inet6Address) ip).getScopeId());
        return 28;
    }

    static InetSocketAddress decode(MemorySegment src) {
        int family = src.get(JAVA_SHORT_UNALIGNED, 0);
        int port = Short.toUnsignedInt(src.get(PORT_BE, 2));
        try {
            if (family == AF_INET) {
                byte[] raw = new byte[4];
                MemorySegment.copy(src, JAVA_BYTE, 4, raw, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(raw), port);
            }
            if (family == AF_INET6) {
                byte[] raw = new byte[16];
                MemorySegment.copy(src, JAVA_BYTE, 8, raw, 0, 16);
                int scope = src.get(JAVA_INT_UNALIGNED, 24);
                // An IPv4 client of a dual-stack socket arrives as ::ffff:a.b.c.d: given as the IPv4 address it
                // is (getByAddress does that), as java.nio gives it.
                InetAddress ip = scope == 0 ? InetAddress.getByAddress(raw) : Inet6Address.getByAddress(null, raw, scope);
                return new InetSocketAddress(ip, port);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("kernel returned a malformed address", e);
        }
        throw new IllegalStateException("unexpected address family " + family);
    }
}
