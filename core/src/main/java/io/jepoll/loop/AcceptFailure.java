package io.jepoll.loop;

/**
 * Why an accept returned no connection although the listener was ready: the loop's own
 * vocabulary, so the listener decides on a kind rather than on errno numbers.
 *
 * @param kind   what the listener should do about it
 * @param detail for the log: the errno name, or the exception's message on java.nio
 */
record AcceptFailure(Kind kind, String detail) {
    /** Loads this record, its kinds and the errno names they are reported with (see EventLoop's static initializer). */
    static void preload() {
        new AcceptFailure(Kind.NO_RESOURCES, io.jepoll.sys.Errno.name(io.jepoll.sys.Errno.EMFILE)).kind().ordinal();
    }

    enum Kind {
        /** Out of descriptors or kernel memory (EMFILE, ENFILE, ENOBUFS, ENOMEM): back off, retry later. */
        NO_RESOURCES,
        /** That client reset before we took it (ECONNABORTED, EPROTO): take the next one. */
        CLIENT_GONE,
        /** Anything else: stop this batch; the listener is reported again on the next poll. */
        OTHER
    }
}
