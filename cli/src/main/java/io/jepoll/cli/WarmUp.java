package io.jepoll.cli;

import java.net.InetAddress;
import java.time.ZoneId;

/**
 * One-time set-ups of the JDK that a server needs before its first answer and that do not depend on the command
 * line, run on a helper thread so that they overlap the main thread's linking of the native calls, the longest
 * step of the start (docs/ARCHITECTURE.md, "Start"): the address classes (they read the security properties),
 * the time-zone rules and the logging system (the event loops load both before they accept: see EventLoop).
 * The JDK initialises each once, on whichever thread comes first, and the other waits for it; this thread only
 * makes it likely to be done before the main thread asks.
 */
final class WarmUp {
    private WarmUp() {}

    static void start() {
        Thread.ofPlatform().name("jepoll-warm-up").daemon().start(() -> {
            InetAddress.getLoopbackAddress();
            ZoneId.systemDefault().getRules();
            System.getLogger("io.jepoll").isLoggable(System.Logger.Level.WARNING); // creates the logging backend
        });
    }
}
