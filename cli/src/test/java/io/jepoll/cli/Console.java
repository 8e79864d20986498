package io.jepoll.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A child's console, line by line: read on a virtual thread into a queue that tests poll with a timeout. */
final class Console {
    private Console() {}

    /** The last element of every queue, once the console ended (the child exited or was destroyed). */
    static final String END = "\u0000";

    static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        Thread.ofVirtual().start(() -> {
            try {
                out.lines().forEach(lines::add);
            } catch (UncheckedIOException closed) {
                // the child was destroyed: its output ends here
            }
            lines.add(END);
        });
        return lines;
    }
}
