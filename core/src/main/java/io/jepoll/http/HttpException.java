package io.jepoll.http;

/**
 * A request the server must refuse: the status to answer with (400, 413, 414, 417, 431, 501, 505) and a short
 * reason. A malformed request is ordinary traffic, not a bug, so the exception records no stack trace: throwing it
 * costs about as much as allocating a small object.
 */
public final class HttpException extends Exception {

    private final int status;

    public HttpException(int status, String reason) {
        super(java.util.Objects.requireNonNull(reason, "reason"), null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** The same text as {@link #getMessage()}. */
    public String reason() {
        return getMessage();
    }

    @Override
    public String toString() {
        return "HttpException: " + status + " " + getMessage();
    }
}
