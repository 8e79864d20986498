package io.jepoll.sys;

/** Whether the native transport can run here: Linux on x86-64 or aarch64, with epoll. */
public final class Linux {
    private Linux() {}

    private static final String UNAVAILABLE_REASON = probe();

    /** True when epoll can be used on this machine. */
    public static boolean isAvailable() { return UNAVAILABLE_REASON == null; }

    /** Why epoll is unavailable, or null when it is available. */
    public static String unavailableReason() { return UNAVAILABLE_REASON; }

    private static String probe() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.equals("Linux")) return "not Linux (" + os + ")";
        if (!EpollEvents.isX86_64(arch) && !arch.equals("aarch64")) return "unsupported architecture " + arch;
        try {
            int ep = Epoll.create();
            Net.close(ep);
            return null;
        } catch (Throwable t) { // no libc symbol, or native access denied
            return t.toString();
        }
    }
}
