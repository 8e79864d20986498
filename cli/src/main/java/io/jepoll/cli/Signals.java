package io.jepoll.cli;

/**
 * Ctrl-C (SIGINT) and SIGTERM trigger a graceful stop and a normal exit (code 0). A JVM
 * shutdown hook could stop the server too, but the process would then exit with 130/143,
 * which tells supervisors the server crashed.
 */
final class Signals {
    private Signals() {}

    @SuppressWarnings("sunapi")
    static void onTerminate(Runnable action) {
        for (String name : new String[]{"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> action.run());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the signal does not exist here, or the JVM reserves it (-Xrs): the default applies
            }
        }
    }

    /** SIGHUP runs {@code action} (on the JVM's signal thread) instead of ending the process. */
    @SuppressWarnings("sunapi")
    static void onHangup(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // no SIGHUP here (or reserved): a reload needs a restart
        }
    }
}
