package io.jepoll.http;

/**
 * What the server learned of a file when it opened it (fstat of the open descriptor on
 * epoll), from which a {@link FileResponder} builds validators, ranges and lengths, so
 * that a response always describes the file that is actually sent.
 *
 * @param size         bytes
 * @param mtimeSeconds last modification, seconds since the epoch
 * @param mtimeNanos   the nanoseconds within that second
 * @param inode        the file's identity on its file system (0 where unknown)
 */
public record FileInfo(long size, long mtimeSeconds, int mtimeNanos, long inode) {}
