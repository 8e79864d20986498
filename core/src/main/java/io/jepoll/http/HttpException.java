package io.jepoll.http;

/**
 * A request the server must refuse: the status to answer with (400, 413, 414, 417, 431, 501, 505) and a short
 * reason. A malformed request is ordinary traffic, not a bug, so the exception records no stack trace: throwing it
 * costs about as much as allocating a small object.
 */
public final class HttpException extends Exception {

    /** The status to answer with, 400 to 599. */
    private final int status;

    /**
     * A refusal to answer with status.
     *
     * @param status 400 to 599: the response the client gets before the connection closes
     * @param reason a short text for the trace and the response body; not null
     * @throws IllegalArgumentException when status is not an error status
     */
    public HttpException(int status, String reason) {
        super(java.util.Objects.requireNonNull(reason, "reason"), null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        this.status = status;
    }

    /** {@return the status to answer with, 400 to 599} */
    public int status() {
        return status;
    }

    /** {@return the same text as {@link #getMessage()}: what was wrong, in a few words} */
    public String reason() {
        return getMessage();
    }

    @Override
    public String toString() {
        return "HttpException: " + status + " " + getMessage();
    }
}
