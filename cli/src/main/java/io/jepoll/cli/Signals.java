package io.jepoll.cli;

/**
 * Ctrl-C (SIGINT) and SIGTERM trigger a graceful stop and a normal exit (code 0). A JVM
 * shutdown hook could stop the server too, but the process would then exit with 130/143,
 * which tells supervisors the server crashed.
 */
final class Signals {
    private Signals() {}

    /**
     * Runs {@code first} on the first INT or TERM, {@code again} on every later one (each on a thread of its own):
     * the first starts the stop (a drain, then the graceful close), a later one hurries it (no more drain).
     */
    @SuppressWarnings("sunapi")
    static void onTerminate(Runnable first, Runnable again) {
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        for (String name : new String[]{"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), s -> (received.getAndIncrement() == 0 ? first : again).run());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the signal does not exist here, or the JVM reserves it (-Xrs): the default applies
            }
        }
    }
}
