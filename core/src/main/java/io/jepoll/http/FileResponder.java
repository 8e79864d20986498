package io.jepoll.http;

/**
 * Decides the response for a file once the server has opened it: conditional requests,
 * ranges, headers. It returns either a plain response (304, 412, 416, ...: the file is
 * then closed unsent) or one made with {@link Response#fileParts}. Runs where the handler
 * runs (on the loop unless virtual threads are on): it must not block.
 */
@FunctionalInterface
public interface FileResponder {
    /**
     * The response for the file as opened.
     *
     * @param file what fstat said of the open file: the one that will be sent
     * @return a {@link Response#fileParts} response to send regions of it, or any other non-file response to send
     *         instead (the file is closed unsent); null or a throw is answered 500
     */
    Response respond(FileInfo file);
}
