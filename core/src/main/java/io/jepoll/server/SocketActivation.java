package io.jepoll.server;

import io.jepoll.sys.Environment;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * systemd socket activation (sd_listen_fds(3)): a service manager that opened the listening sockets itself
 * starts the server with them as descriptors 3, 4, ..., and says so in {@code LISTEN_FDS} (how many) and
 * {@code LISTEN_PID} (for which process: a child that inherits the variables is not meant). As sd_listen_fds
 * does, the variables are removed once the sockets are taken (from the C environment; the JDK's own copy keeps
 * them, but names the wrong process for any child) and the descriptors are made close-on-exec. The sockets can
 * be taken once per process.
 */
final class SocketActivation {
    private SocketActivation() {}

    /** SD_LISTEN_FDS_START: the first passed descriptor, after stdin, stdout and stderr. */
    static final int FIRST_FD = 3;
    /** More passed sockets than this is taken for a mistake, not a configuration. */
    static final int MAX_FDS = 64;

    private static final AtomicBoolean TAKEN = new AtomicBoolean();

    /** The descriptors passed to this process; empty when none were, or when a server of this process took them. */
    static List<Integer> passed() {
        if (TAKEN.get()) return List.of();
        return parse(System.getenv("LISTEN_PID"), System.getenv("LISTEN_FDS"), ProcessHandle.current().pid());
    }

    /**
     * The descriptors that {@code LISTEN_PID} and {@code LISTEN_FDS} pass to process {@code self}: none when
     * either is unset or another process is named.
     *
     * @throws IllegalArgumentException when this process is named but the values are malformed or out of bounds
     */
    static List<Integer> parse(String listenPid, String listenFds, long self) {
        if (listenPid == null || listenFds == null) return List.of();
        long pid = number("LISTEN_PID", listenPid, Long.MAX_VALUE);
        if (pid != self) return List.of();
        int n = (int) number("LISTEN_FDS", listenFds, MAX_FDS);
        List<Integer> fds = new ArrayList<>(n);
        for (int i = 0; i < n; i++) fds.add(FIRST_FD + i);
        return List.copyOf(fds);
    }

    private static long number(String name, String value, long max) {
        // Digits only: Long.parseLong would also take a sign.
        if (value.isEmpty() || value.length() > 19 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException(name + " is not a number: '" + value + "'");
        }
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is out of range: " + value, e);
        }
        if (n > max) throw new IllegalArgumentException(name + " is above " + max + ": " + value);
        return n;
    }

    /** Marks the passed sockets as taken and removes the variables, so that nothing started later is misled. */
    static void take() {
        if (!TAKEN.compareAndSet(false, true)) throw new IllegalStateException("the passed sockets were taken by another server");
        for (String name : new String[]{"LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"}) Environment.unset(name);
    }
}
