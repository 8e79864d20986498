package io.jepoll.loop;

/**
 * A regular file opened for sending over a connection ({@link Connection#openFile}). Each
 * backend opens it its own way, so that it can send it the cheapest way it has: a raw
 * descriptor for sendfile(2) on epoll, a FileChannel for transferTo on java.nio.
 */
public abstract sealed class OpenFile implements AutoCloseable permits EpollSocket.NativeFile, NioSocket.ChannelFile {
    /** Length in bytes when it was opened. */
    public abstract long size();

    /** Releases the file; idempotent. */
    @Override
    public abstract void close();
}
