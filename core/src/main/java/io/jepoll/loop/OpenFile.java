package io.jepoll.loop;

/**
 * A regular file opened for sending over a connection ({@link Connection#openFile}). Each
 * backend opens it its own way, so that it can send it the cheapest way it has: a raw
 * descriptor for sendfile(2) on epoll, a FileChannel for transferTo on java.nio.
 */
public abstract sealed class OpenFile implements AutoCloseable permits EpollSocket.NativeFile, NioSocket.ChannelFile {
    private final long size, mtimeSeconds, inode;
    private final int mtimeNanos;

    OpenFile(long size, long mtimeSeconds, int mtimeNanos, long inode) {
        this.size = size;
        this.mtimeSeconds = mtimeSeconds;
        this.mtimeNanos = mtimeNanos;
        this.inode = inode;
    }

    /** {@return length in bytes when it was opened} */
    public final long size() { return size; }

    /** {@return last modification when it was opened, seconds since the epoch} */
    public final long mtimeSeconds() { return mtimeSeconds; }

    /** {@return the nanoseconds within {@link #mtimeSeconds()}, 0 to 999,999,999} */
    public final int mtimeNanos() { return mtimeNanos; }

    /** {@return its identity on the file system (0 where the backend cannot tell)} */
    public final long inode() { return inode; }

    /** Releases the file; idempotent. */
    @Override
    public abstract void close();
}
