package io.jepoll.cli;

import io.jepoll.http.HttpLimits;
import io.jepoll.server.AccessLog;
import io.jepoll.server.Transport;
import io.jepoll.loop.Trigger;

import java.time.Duration;

/**
 * The command line, parsed. Defaults reproduce the tutorial: Hello, world! on 0.0.0.0:8080.
 * A null timeout or a zero {@code maxConnections} means "the library's default"; a null
 * {@code compression} means off; a {@code redirectHttp} of -1 means no plain listener. A non-null
 * {@code transportNote} is the one line that says the transport asked for was refused here and another serves.
 */
record Options(String host, int port, int loops, Trigger trigger, Transport transport, boolean tcpNoDelay,
               boolean tcpCork, Mode mode, boolean logRequests, boolean virtualThreads, HttpLimits limits,
               int maxConnections, Timeouts timeouts, Dir dir, boolean trace, Action action, boolean proxyProtocol,
               LogFile accessLog, String healthPath, Duration drain, io.jepoll.http.Compression compression,
               MetricsPort metrics, Tls tls, int redirectHttp, String transportNote) {

    enum Mode { HELLO, ECHO, FILES }

    /** --dir and its options (null unless serving a directory); maxAge -1: no Cache-Control. */
    record Dir(java.nio.file.Path root, String index, boolean listing, boolean dotfiles, boolean followSymlinksOut, long maxAge) {}

    enum Action { SERVE, HELP, VERSION }

    /** --access-log (null when none): a path, or "-" for standard output, and its format. */
    record LogFile(String path, AccessLog.Format format) {
        boolean toStdout() { return path.equals("-"); }
    }

    /** --metrics-port (null when none): where GET /metrics is served, apart from the traffic. */
    record MetricsPort(String host, int port) {
        static final String DEFAULT_HOST = "127.0.0.1"; // metrics say much about the traffic: not to the world by default
    }

    /** --tls-* (null unless serving HTTPS): PEM pairs in order, and/or a PKCS#12 keystore; clientCa may be null. */
    record Tls(java.util.List<java.nio.file.Path> certificates, java.util.List<java.nio.file.Path> keys,
               java.nio.file.Path keyStore, java.nio.file.Path passwordFile, java.nio.file.Path clientCa) {}

    record Timeouts(Duration idle, Duration header, Duration body, Duration write, Duration shutdownGrace) {
        static final Timeouts DEFAULTS = new Timeouts(null, null, null, null, null);
    }

    static Options defaults() {
        return new Options("0.0.0.0", 8080, Runtime.getRuntime().availableProcessors(), Trigger.LEVEL,
                Transport.best(), false, false, Mode.HELLO, false, false, HttpLimits.defaults(), 0,
                Timeouts.DEFAULTS, null, false, Action.SERVE, false, null, null, Duration.ZERO, null, null, null, -1, null);
    }

    static final String USAGE = """
            Usage: jepoll [options]
            Serves HTTP/1.1 from epoll. With no options: "Hello, world!" on 0.0.0.0:8080.

              --host ADDR             address to listen on (default 0.0.0.0; "::" for IPv6)
              --port N                TCP port, 0 for any free one (default 8080)
              --loops N               event loops, one thread each (default: one per core)
              --trigger level|edge    epoll trigger mode (default level)
              --transport T           epoll (default on Linux), io_uring or nio: event loops; threads
                                      or virtual: blocking sockets, a thread per connection (to
                                      compare). io_uring falls back to epoll, with one line, where
                                      the kernel refuses it
              --no-fallback           fail instead when the transport asked for is refused here
              --tcp-nodelay           set TCP_NODELAY: send small writes at once
              --tcp-cork              set TCP_CORK around each flush: full segments only
              --echo                  answer every request with its own body
              --dir DIR               serve the files under DIR (GET/HEAD, ranges, validators)
              --log-requests          print each request, as the tutorial does
              --access-log FILE       append a line per request to FILE ("-": standard output);
                                      SIGUSR1 reopens FILE (after logrotate moved it)
              --access-log-format F   common, combined (default) or json
              --metrics-port N        serve GET /metrics (Prometheus text) on port N, a listener
                                      of its own; also turns on the JFR events jepoll.Request and
                                      jepoll.Connection (off unless a recording enables them)
              --metrics-host ADDR     address of the metrics listener (default 127.0.0.1)
              --trace                 print every step of the event loop: epoll_wait, events,
                                      accept4, reads, sends, epoll_ctl, timers, closes (on
                                      io_uring: its submissions and completions too)
              --virtual-threads       run the handler on virtual threads
              --proxy-protocol        behind a load balancer: every connection starts with a PROXY
                                      header (v1 or v2), whose client address is the request's;
                                      a connection without one is closed
              --health-path PATH      answer PATH (e.g. /healthz) before the handler: 200 "ok"
                                      while serving, 503 "draining" once stopping
              --drain D               on SIGTERM, first answer the health path with 503 and keep
                                      serving for D (a balancer takes the instance out), then
                                      stop gracefully; a second signal skips the rest (default 0)
              --gzip                  compress text, JSON, JS, XML, SVG answers of 1k or more for
                                      clients that accept gzip (files under --dir are sent as they are)
              --gzip-min-size N       with --gzip: smallest body compressed (default 1k)
              --gzip-level N          with --gzip: deflate level, 1 fastest to 9 smallest (default 6)

            Serving a directory (with --dir):
              --index NAME            file served for a directory's URI (default index.html)
              --dir-listing           list a directory that has no index (default: 404)
              --dotfiles              serve names starting with "." (default: not found)
              --follow-symlinks-out   follow symlinks that leave DIR (default: not found)
              --max-age SECONDS       send Cache-Control: max-age=SECONDS (default: none)

            Limits (sizes in bytes, or with k/m suffix: 16k, 1m):
              --max-request-line N    request line (default 8k; longer gets 414)
              --max-header-size N     all header fields together (default 16k; larger gets 431)
              --max-headers N         header field count (default 100; more gets 431)
              --max-body-size N       request body (default 1m; larger gets 413)
              --max-connections N     open connections; accepting pauses at the limit (default 100000)

            HTTPS (TLS 1.3 and 1.2; SIGHUP reloads the files for new connections):
              --tls-cert FILE         certificate chain (PEM), the server's own first; with --tls-key
              --tls-key FILE          its private key (PEM, unencrypted PKCS#8, RSA or EC); repeat the
                                      pair for more names, chosen by the client's SNI
              --tls-keystore FILE     a PKCS#12 keystore instead (every key entry in it)
              --tls-password-file F   the keystore's password: the first line of F
              --tls-client-ca FILE    require client certificates issued by these CAs (PEM)
              --redirect-http PORT    also listen on PORT in plaintext and answer every request with
                                      308 to https://HOST/same-target (HOST from the Host field)

            Timeouts (durations: 10s, 500ms, 2m; a bare number is seconds):
              --idle-timeout D        keep-alive connection with no request (default 60s)
              --header-timeout D      whole request head, from its first byte (default 10s; then 408)
              --body-timeout D        request body making no progress (default 30s; then 408)
              --write-timeout D       client not reading its response (default 30s)
              --shutdown-grace D      requests in flight may finish on stop (default 3s)

              --help                  print this and exit
              --version               print the version and exit

            Started by systemd socket activation (LISTEN_PID naming this process, LISTEN_FDS 1 or
            more) it serves the sockets passed, from descriptor 3, instead of --host and --port
            (epoll or io_uring). Ctrl-C or SIGTERM stops the server gracefully (exit code 0), after the
            --drain if one is set.
            """;
}
