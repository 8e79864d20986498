package io.jepoll.loop;

/**
 * Logging for the loop thread that can never throw. A loop must outlive its log: when
 * descriptors run out, the logging system itself may fail (it may need to open a file),
 * and an exception from a log call must not end the loop that would recover afterwards.
 */
final class LoopLog {
    private LoopLog() {}

    static final System.Logger LOG = System.getLogger("io.jepoll");

    /** Loads this class (see EventLoop's static initializer). */
    static void preload() {}

    static void warn(String message) { log(System.Logger.Level.WARNING, message, null); }

    static void warn(String message, Throwable t) { log(System.Logger.Level.WARNING, message, t); }

    static void error(String message, Throwable t) { log(System.Logger.Level.ERROR, message, t); }

    private static void log(System.Logger.Level level, String message, Throwable t) {
        try {
            if (t == null) LOG.log(level, message);
            else LOG.log(level, message, t);
        } catch (Throwable broken) {
            try {
                System.err.println("jepoll " + level + ": " + message + (t == null ? "" : " (" + t + ")"));
            } catch (Throwable ignored) {
                // nothing left to report with; the loop goes on
            }
        }
    }
}
