package io.jepoll.cli;

import io.jepoll.loop.Transport;
import io.jepoll.loop.Trigger;

/** Turns arguments into {@link Options}; every mistake is one line naming the argument. */
final class OptionParser {
    private OptionParser() {}

    /** A bad command line: the message is printed as is, the exit code is 2. */
    static final class UsageException extends Exception {
        UsageException(String message) { super(message); }
    }

    static Options parse(String... args) throws UsageException {
        Options d = Options.defaults();
        String host = d.host();
        int port = d.port(), loops = d.loops();
        Trigger trigger = d.trigger();
        Transport transport = d.transport();
        boolean noDelay = false, cork = false, log = false, virtual = false;
        Options.Mode mode = d.mode();
        Options.Action action = d.action();

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg, value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) { // --port=8080 as well as --port 8080
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            boolean takesValue = switch (name) {
                case "--host", "--port", "--loops", "--trigger", "--transport" -> true;
                default -> false;
            };
            if (takesValue && value == null) {
                if (++i >= args.length) throw new UsageException(name + " needs a value (see --help)");
                value = args[i];
            } else if (!takesValue && value != null) {
                throw new UsageException(name + " takes no value");
            }
            switch (name) {
                case "--help", "-h" -> action = Options.Action.HELP;
                case "--version", "-V" -> action = Options.Action.VERSION;
                case "--host" -> {
                    if (value.isBlank()) throw new UsageException("--host needs an address");
                    host = value;
                }
                case "--port" -> port = number(name, value, 0, 65535);
                case "--loops" -> loops = number(name, value, 1, 1024);
                case "--trigger" -> trigger = switch (value) {
                    case "level" -> Trigger.LEVEL;
                    case "edge" -> Trigger.EDGE;
                    default -> throw new UsageException("--trigger must be level or edge, not '" + value + "'");
                };
                case "--transport" -> transport = switch (value) {
                    case "epoll" -> Transport.EPOLL;
                    case "nio" -> Transport.NIO;
                    default -> throw new UsageException("--transport must be epoll or nio, not '" + value + "'");
                };
                case "--tcp-nodelay" -> noDelay = true;
                case "--tcp-cork" -> cork = true;
                case "--echo" -> mode = Options.Mode.ECHO;
                case "--log-requests" -> log = true;
                case "--virtual-threads" -> virtual = true;
                default -> throw new UsageException(arg.startsWith("-")
                        ? "unknown option " + name + " (see --help)"
                        : "unexpected argument '" + arg + "' (see --help)");
            }
        }
        if (trigger == Trigger.EDGE && transport != Transport.EPOLL) {
            throw new UsageException("--trigger edge needs --transport epoll (java.nio is level-triggered)");
        }
        if (transport == Transport.EPOLL && !Transport.EPOLL.isAvailable() && action == Options.Action.SERVE) {
            throw new UsageException("--transport epoll is not available here: " + io.jepoll.sys.Linux.unavailableReason());
        }
        return new Options(host, port, loops, trigger, transport, noDelay, cork, mode, log, virtual, action);
    }

    private static int number(String name, String v, int min, int max) throws UsageException {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a number, not '" + v + "'");
        }
        if (n < min || n > max) throw new UsageException(name + " must be between " + min + " and " + max + ", not " + v);
        return n;
    }
}
