package io.jepoll.cli;

import io.jepoll.http.HttpLimits;
import io.jepoll.server.AccessLog;
import io.jepoll.server.Transport;
import io.jepoll.loop.Trigger;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/** Turns arguments into {@link Options}; every mistake is one line naming the argument. */
final class OptionParser {
    private OptionParser() {}

    /** A bad command line: the message is printed as is, the exit code is 2. */
    static final class UsageException extends Exception {
        UsageException(String message) { super(message); }
    }

    private static final Set<String> WITH_VALUE = Set.of("--host", "--port", "--loops", "--trigger", "--transport",
            "--dir", "--index", "--max-age", "--access-log", "--access-log-format", "--gzip-min-size", "--gzip-level",
            "--metrics-port", "--metrics-host",
            "--max-request-line", "--max-header-size", "--max-headers", "--max-body-size", "--max-connections",
            "--idle-timeout", "--header-timeout", "--body-timeout", "--write-timeout", "--shutdown-grace",
            "--health-path", "--drain",
            "--tls-cert", "--tls-key", "--tls-keystore", "--tls-password-file", "--tls-client-ca", "--redirect-http");

    static Options parse(String... args) throws UsageException {
        Options d = Options.defaults();
        String host = d.host();
        int port = d.port(), loops = d.loops(), maxConnections = 0;
        Trigger trigger = d.trigger();
        Transport transport = d.transport();
        boolean noDelay = false, cork = false, log = false, virtual = false, trace = false, proxy = false, noFallback = false;
        Options.Mode mode = d.mode();
        Options.Action action = d.action();
        HttpLimits limits = d.limits();
        Duration idle = null, header = null, body = null, write = null, grace = null;
        String dir = null, index = null;
        boolean listing = false, dotfiles = false, symlinksOut = false;
        long maxAge = -1;
        String accessLog = null;
        AccessLog.Format logFormat = null;
        String healthPath = null;
        Duration drain = d.drain();
        boolean gzip = false;
        Integer gzipMinSize = null, gzipLevel = null;
        int metricsPort = -1, redirectHttp = -1;
        String metricsHost = null;
        TlsFlags tls = new TlsFlags();

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg, value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) { // --port=8080 as well as --port 8080
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            boolean takesValue = WITH_VALUE.contains(name);
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
                case "--port" -> port = (int) number(name, value, 0, 65535);
                case "--loops" -> loops = (int) number(name, value, 1, 1024);
                case "--trigger" -> trigger = switch (value) {
                    case "level" -> Trigger.LEVEL;
                    case "edge" -> Trigger.EDGE;
                    default -> throw new UsageException("--trigger must be level or edge, not '" + value + "'");
                };
                case "--transport" -> transport = switch (value) {
                    case "epoll" -> Transport.EPOLL;
                    case "nio" -> Transport.NIO;
                    case "io_uring", "io-uring", "uring" -> Transport.IO_URING;
                    case "threads" -> Transport.THREADS;
                    case "virtual" -> Transport.VIRTUAL;
                    default -> throw new UsageException("--transport must be epoll, io_uring, nio, threads or virtual, not '" + value + "'");
                };
                case "--tcp-nodelay" -> noDelay = true;
                case "--tcp-cork" -> cork = true;
                case "--echo" -> mode = Options.Mode.ECHO;
                case "--dir" -> {
                    if (value.isBlank()) throw new UsageException("--dir needs a directory");
                    dir = value;
                }
                case "--index" -> {
                    if (value.isEmpty() || value.contains("/") || value.startsWith(".")) {
                        throw new UsageException("--index needs a plain file name, not '" + value + "'");
                    }
                    index = value;
                }
                case "--dir-listing" -> listing = true;
                case "--dotfiles" -> dotfiles = true;
                case "--follow-symlinks-out" -> symlinksOut = true;
                case "--max-age" -> maxAge = number(name, value, 0, 10L * 365 * 24 * 3600);
                case "--log-requests" -> log = true;
                case "--access-log" -> {
                    if (value.isBlank()) throw new UsageException("--access-log needs a file, or - for standard output");
                    accessLog = value;
                }
                case "--access-log-format" -> logFormat = switch (value) {
                    case "common" -> AccessLog.Format.COMMON;
                    case "combined" -> AccessLog.Format.COMBINED;
                    case "json" -> AccessLog.Format.JSON;
                    default -> throw new UsageException("--access-log-format must be common, combined or json, not '" + value + "'");
                };
                case "--metrics-port" -> metricsPort = (int) number(name, value, 0, 65535);
                case "--metrics-host" -> {
                    if (value.isBlank()) throw new UsageException("--metrics-host needs an address");
                    metricsHost = value;
                }
                case "--trace" -> trace = true;
                case "--no-fallback" -> noFallback = true;
                case "--virtual-threads" -> virtual = true;
                case "--proxy-protocol" -> proxy = true;
                case "--health-path" -> healthPath = healthPath(value);
                case "--drain" -> drain = duration(name, value);
                case "--gzip" -> gzip = true;
                case "--gzip-min-size" -> gzipMinSize = (int) size(name, value, 0, Integer.MAX_VALUE);
                case "--gzip-level" -> gzipLevel = (int) number(name, value, 1, 9);
                case "--max-request-line" -> limits = limits.withMaxRequestLine((int) size(name, value, 64, 1 << 20));
                case "--max-header-size" -> limits = limits.withMaxHeaderSize((int) size(name, value, 64, 16 << 20));
                case "--max-headers" -> limits = limits.withMaxHeaderCount((int) number(name, value, 1, 100_000));
                case "--max-body-size" -> limits = limits.withMaxBodySize(size(name, value, 1, Integer.MAX_VALUE - 64));
                case "--max-connections" -> maxConnections = (int) number(name, value, 1, 10_000_000);
                case "--idle-timeout" -> idle = duration(name, value);
                case "--header-timeout" -> header = duration(name, value);
                case "--body-timeout" -> body = duration(name, value);
                case "--write-timeout" -> write = duration(name, value);
                case "--shutdown-grace" -> grace = duration(name, value);
                case "--redirect-http" -> redirectHttp = (int) number(name, value, 0, 65535);
                case "--tls-cert", "--tls-key", "--tls-keystore", "--tls-password-file", "--tls-client-ca" -> tls.add(name, value);
                default -> throw new UsageException(arg.startsWith("-")
                        ? "unknown option " + name + " (see --help)"
                        : "unexpected argument '" + arg + "' (see --help)");
            }
        }
        if (trigger == Trigger.EDGE && transport != Transport.EPOLL) {
            throw new UsageException("--trigger edge needs --transport epoll (" + (transport == Transport.IO_URING
                    ? "io_uring reports completions, level-triggered)" : "java.nio is level-triggered)"));
        }
        String transportNote = null;
        if (transport == Transport.IO_URING && action == Options.Action.SERVE && !transport.isAvailable()) {
            if (noFallback) throw new UsageException("--transport io_uring is refused here: " + transport.unavailableReason());
            transportNote = "io_uring is refused here (" + transport.unavailableReason() + "); serving on "
                    + Transport.best().label() + " instead (--no-fallback: fail)";
            transport = Transport.best();
        }
        if (transport == Transport.EPOLL && !Transport.EPOLL.isAvailable() && action == Options.Action.SERVE) {
            throw new UsageException("--transport epoll is not available here: " + io.jepoll.sys.Linux.unavailableReason());
        }
        if (trace && !transport.isEventDriven()) {
            throw new UsageException("--trace shows the event loops: use --transport epoll, io_uring or nio");
        }
        Options.Dir files = null;
        if (dir != null) {
            if (mode == Options.Mode.ECHO) throw new UsageException("--dir and --echo cannot be used together");
            if (action == Options.Action.SERVE && !java.nio.file.Files.isDirectory(java.nio.file.Path.of(dir))) {
                throw new UsageException("--dir: not a directory: " + dir);
            }
            mode = Options.Mode.FILES;
            files = new Options.Dir(java.nio.file.Path.of(dir), index == null ? "index.html" : index, listing, dotfiles, symlinksOut, maxAge);
        } else if (index != null || listing || dotfiles || symlinksOut || maxAge >= 0) {
            throw new UsageException("--index, --dir-listing, --dotfiles, --follow-symlinks-out and --max-age need --dir");
        }
        if (!gzip && (gzipMinSize != null || gzipLevel != null)) throw new UsageException("--gzip-min-size and --gzip-level need --gzip");
        io.jepoll.http.Compression compression = null;
        if (gzip) {
            compression = io.jepoll.http.Compression.gzip();
            if (gzipMinSize != null) compression = compression.minSize(gzipMinSize);
            if (gzipLevel != null) compression = compression.level(gzipLevel);
        }
        if (logFormat != null && accessLog == null) throw new UsageException("--access-log-format needs --access-log");
        Options.LogFile logFile = accessLog == null ? null
                : new Options.LogFile(accessLog, logFormat == null ? AccessLog.Format.COMBINED : logFormat);
        if (metricsHost != null && metricsPort < 0) throw new UsageException("--metrics-host needs --metrics-port");
        Options.MetricsPort metrics = metricsPort < 0 ? null
                : new Options.MetricsPort(metricsHost == null ? Options.MetricsPort.DEFAULT_HOST : metricsHost, metricsPort);
        Options.Tls https = tls.options();
        if (redirectHttp >= 0 && https == null) {
            throw new UsageException("--redirect-http sends clients to https: it needs --tls-cert and --tls-key, or --tls-keystore");
        }
        return new Options(host, port, loops, trigger, transport, noDelay, cork, mode, log, virtual, limits,
                maxConnections, new Options.Timeouts(idle, header, body, write, grace), files, trace, action, proxy, logFile,
                healthPath, drain, compression, metrics, https, redirectHttp, transportNote);
    }

    private static long number(String name, String v, long min, long max) throws UsageException {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a number, not '" + v + "'");
        }
        if (n < min || n > max) throw new UsageException(name + " must be between " + min + " and " + max + ", not " + v);
        return n;
    }

    /** An absolute path of visible ASCII without a query: what the server accepts as its health path. */
    private static String healthPath(String v) throws UsageException {
        try {
            io.jepoll.server.HttpServer.builder().healthPath(v); // the library's rule, checked once
            return v;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--health-path needs a path like /healthz (visible ASCII, no query), not '" + v + "'");
        }
    }

    /** Bytes: 8192, 16k, 1m (binary multiples). */
    static long size(String name, String v, long min, long max) throws UsageException {
        String s = v.toLowerCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("k")) unit = 1024;
        else if (s.endsWith("m")) unit = 1024 * 1024;
        if (unit > 1) s = s.substring(0, s.length() - 1);
        long n;
        try {
            n = Math.multiplyExact(Long.parseLong(s), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException(name + " needs a size like 8192, 16k or 1m, not '" + v + "'");
        }
        if (n < min || n > max) throw new UsageException(name + " must be between " + min + " and " + max + " bytes, not " + v);
        return n;
    }

    /** A positive duration: 10s, 500ms, 2m, or a bare number of seconds; at most a day. */
    static Duration duration(String name, String v) throws UsageException {
        String s = v.toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (s.endsWith("ms")) d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            else if (s.endsWith("s")) d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            else if (s.endsWith("m")) d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            else d = Duration.ofSeconds(Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new UsageException(name + " needs a duration like 10s, 500ms or 2m, not '" + v + "'");
        }
        boolean grace = name.equals("--shutdown-grace") || name.equals("--drain"); // zero: none
        if (d.isNegative() || (d.isZero() && !grace) || d.compareTo(Duration.ofDays(1)) > 0) {
            throw new UsageException(name + " must be " + (grace ? "between 0 and" : "above 0 and at most") + " 1 day, not " + v);
        }
        return d;
    }
}
