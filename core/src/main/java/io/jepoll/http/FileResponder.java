package io.jepoll.http;

/**
 * Decides the response for a file once the server has opened it: conditional requests,
 * ranges, headers. It returns either a plain response (304, 412, 416, ...: the file is
 * then closed unsent) or one made with {@link Response#fileParts}. Runs where the handler
 * runs (on the loop unless virtual threads are on): it must not block.
 */
@FunctionalInterface
public interface FileResponder {
    Response respond(FileInfo file);
}
