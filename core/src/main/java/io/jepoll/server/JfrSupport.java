package io.jepoll.server;

import java.util.Optional;

/**
 * Whether JFR's API can be used here, and jepoll's events if so. The module {@code io.jepoll} requires
 * {@code jdk.jfr} only statically: a runtime without it (a jlink image of {@code java.base} alone, or an
 * application on the module path that does not add it) must still run, so no class naming a {@code jdk.jfr} type
 * is loaded unless {@link #available()} said yes. This class names none.
 */
final class JfrSupport {
    private JfrSupport() {}

    /** jepoll's JFR events, for requests and for connections. */
    interface Events extends ExchangeObserver, ConnectionEvents {}

    /** True when the module jdk.jfr is in this runtime and this code can read it. */
    static boolean available() {
        Module self = JfrSupport.class.getModule();
        ModuleLayer layer = self.getLayer() != null ? self.getLayer() : ModuleLayer.boot();
        Optional<Module> jfr = layer.findModule("jdk.jfr");
        return jfr.isPresent() && self.canRead(jfr.get());
    }

    /** The events, or null where JFR is not available (or fails to start: the server runs without them). */
    static Events events() {
        if (!available()) return null;
        try {
            return new JfrEvents();
        } catch (RuntimeException | LinkageError e) { // a JVM without Flight Recorder support, say
            HttpRuntime.LOG.log(System.Logger.Level.WARNING, "JFR events off: " + e, e);
            return null;
        }
    }
}
