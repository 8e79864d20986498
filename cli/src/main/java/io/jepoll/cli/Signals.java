package io.jepoll.cli;

/**
 * Ctrl-C (SIGINT) and SIGTERM trigger a graceful stop and a normal exit (code 0). A JVM
 * shutdown hook could stop the server too, but the process would then exit with 130/143,
 * which tells supervisors the server crashed. SIGUSR1 reopens the access log, as it does
 * for nginx: logrotate moves the file, signals, and the server starts a new one.
 */
final class Signals {
    private Signals() {}

    static void onTerminate(Runnable action) {
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
