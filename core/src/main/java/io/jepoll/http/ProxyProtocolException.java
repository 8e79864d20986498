package io.jepoll.http;

/**
 * Bytes that are not a valid PROXY protocol header: the peer does not speak the protocol, or lies about its
 * lengths. The connection is closed without an answer. Like {@link HttpException} it is ordinary traffic, so it
 * records no stack trace.
 */
public final class ProxyProtocolException extends Exception {

    /**
     * A header refused for reason.
     *
     * @param reason what was wrong, for a trace line; not null
     */
    public ProxyProtocolException(String reason) {
        super(java.util.Objects.requireNonNull(reason, "reason"), null, false, false);
    }
}
