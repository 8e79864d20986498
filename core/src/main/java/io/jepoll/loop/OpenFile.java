package io.jepoll.loop;

/**
 * A regular file opened for sending over a connection ({@link Connection#openFile}). Each
 * backend opens it its own way, so that it can send it the cheapest way it has: a raw
 * descriptor for sendfile(2) on epoll, a FileChannel for transferTo on java.nio. Over TLS
 * both are read into the loop's buffers instead ({@link #read}), see {@link TlsSocket}.
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

    /**
     * Reads file bytes at {@code position} into {@code dst} (a direct buffer), from its position
     * up to its limit at most, without moving any file position: how a TLS connection sends a
     * file, since records are encrypted in Java. Returns the bytes read, 0 at the end of the
     * file, or -1 when the file failed.
     */
    abstract int read(java.nio.ByteBuffer dst, long position);

    /** Releases the file; idempotent. */
    @Override
    public abstract void close();
}
