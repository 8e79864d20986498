package io.jepoll.server;

import io.jepoll.http.FileInfo;
import io.jepoll.http.Response;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Turns a {@link Response#file} into the response to send, for every engine alike: opens
 * the file (each engine the way it sends files best), asks the handler's responder with
 * the facts of the open file, and keeps the file open only if the answer sends some of it.
 *
 * @param response what to send
 * @param file     the open file its regions refer to; null when nothing of it is sent (then already closed)
 */
record FileAnswer<F>(Response response, F file) {

    /** An engine's open file, what it knows of it, and how to close it. */
    record Opened<F>(F file, FileInfo info, Runnable close) {}

    @FunctionalInterface
    interface Opener<F> {
        Opened<F> open(Path path) throws IOException;
    }

    static final Response NOT_FOUND = Response.text(404, "Not Found\n");
    static final Response FAILED = Response.text(500, "Internal Server Error\n");

    /**
     * Never throws: a file that cannot be opened is a 404 (missing, forbidden, not regular) or a logged 500. Header
     * fields added to the file response itself (a filter's CORS or cache fields around a StaticFiles) are added to
     * whatever answer comes of it, after the responder's own.
     */
    static <F> FileAnswer<F> open(Response r, Opener<F> opener) {
        FileAnswer<F> a = ask(r, opener);
        Response answer = a.response;
        for (Response.Header h : r.headers()) answer = answer.withHeader(h.name(), h.value());
        return answer == a.response ? a : new FileAnswer<>(answer, a.file);
    }

    private static <F> FileAnswer<F> ask(Response r, Opener<F> opener) {
        Opened<F> o;
        try {
            o = opener.open(r.filePath());
        } catch (NoSuchFileException | AccessDeniedException e) {
            return new FileAnswer<>(NOT_FOUND, null);
        } catch (IOException e) {
            // A directory or a device where a file was expected: as good as missing to a client.
            if (String.valueOf(e.getMessage()).startsWith("not a regular file")) return new FileAnswer<>(NOT_FOUND, null);
            HttpRuntime.LOG.log(System.Logger.Level.ERROR, "cannot open " + r.filePath(), e);
            return new FileAnswer<>(FAILED, null);
        }
        Response answer;
        try {
            answer = r.fileResponder().respond(o.info());
        } catch (RuntimeException e) {
            HttpRuntime.LOG.log(System.Logger.Level.ERROR, "file responder failed for " + r.filePath(), e);
            answer = null;
        }
        if (answer == null || answer.isFile()) {
            o.close().run();
            return new FileAnswer<>(FAILED, null);
        }
        if (answer.fileParts() == null) { // 304, 412, 416...: nothing of the file leaves
            o.close().run();
            return new FileAnswer<>(answer, null);
        }
        return new FileAnswer<>(answer, o.file());
    }
}
