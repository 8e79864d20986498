package io.jepoll.sys;

/**
 * A system call failed with an errno that is not an ordinary result. EAGAIN and EINTR
 * never arrive here: callers see them as negative return values.
 */
public final class SysException extends RuntimeException {
    private final String call;
    private final int errno;

    public SysException(String call, int errno) {
        super(call + " failed: " + Errno.name(errno) + " (errno " + errno + ")");
        this.call = call;
        this.errno = errno;
    }

    /** The name of the failed call, e.g. "bind". */
    public String call() { return call; }

    /** The errno value, see {@link Errno}. */
    public int errno() { return errno; }
}
