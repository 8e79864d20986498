package io.jepoll.cli;

/**
 * Ctrl-C (SIGINT) and SIGTERM trigger a graceful stop and a normal exit (code 0). A JVM
 * shutdown hook could stop the server too, but the process would then exit with 130/143,
 * which tells supervisors the server crashed. SIGUSR1 reopens the access log, as it does
 * for nginx: logrotate moves the file, signals, and the server starts a new one.
 */
final class Signals {
    private Signals() {}

    /**
     * Runs {@code first} on the first INT or TERM, {@code again} on every later one (each on a thread of its own):
     * the first starts the stop (a drain, then the graceful close), a later one hurries it (no more drain).
     */
    static void onTerminate(Runnable first, Runnable again) {
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        Runnable action = () -> (received.getAndIncrement() == 0 ? first : again).run();
        on("INT", action);
        on("TERM", action);
    }

    static void onReopen(Runnable action) { on("USR1", action); }

    @SuppressWarnings("sunapi")
    private static void on(String name, Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // the signal does not exist here, or the JVM reserves it (-Xrs): the default applies
        }
    }
}
