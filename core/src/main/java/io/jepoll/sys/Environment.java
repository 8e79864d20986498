package io.jepoll.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The process's C environment, which children started by native code inherit. The JDK reads its own copy once
 * ({@link System#getenv()}), so what is removed here still shows there, and a {@link ProcessBuilder} passes that
 * copy on; a variable scoped by a process id, like {@code LISTEN_PID}, stays harmless in such a child.
 */
public final class Environment {
    private Environment() {}

    /** Removes {@code name} from the C environment (unsetenv(3)); nothing happens when it is not set. */
    public static void unset(String name) {
        Libc.Scratch s = Libc.scratch();
        int r;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = arena.allocateFrom(name);
            r = (int) Libc.OnDemand.UNSETENV.invokeExact(s.state, cName);
        } catch (Throwable t) {
            throw Libc.linkageBug(t);
        }
        if (r < 0) throw new SysException("unsetenv " + name, s.errno());
    }
}
