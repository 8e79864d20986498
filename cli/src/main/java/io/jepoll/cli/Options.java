package io.jepoll.cli;

import io.jepoll.loop.Transport;
import io.jepoll.loop.Trigger;

/** The command line, parsed. Defaults reproduce the tutorial: Hello, world! on 0.0.0.0:8080. */
record Options(String host, int port, int loops, Trigger trigger, Transport transport, boolean tcpNoDelay,
               boolean tcpCork, Mode mode, boolean logRequests, boolean virtualThreads, Action action) {

    enum Mode { HELLO, ECHO }

    enum Action { SERVE, HELP, VERSION }

    static Options defaults() {
        return new Options("0.0.0.0", 8080, Runtime.getRuntime().availableProcessors(), Trigger.LEVEL,
                Transport.best(), false, false, Mode.HELLO, false, false, Action.SERVE);
    }

    static final String USAGE = """
            Usage: jepoll [options]
            Serves HTTP/1.1 from epoll. With no options: "Hello, world!" on 0.0.0.0:8080.

              --host ADDR             address to listen on (default 0.0.0.0; "::" for IPv6)
              --port N                TCP port, 0 for any free one (default 8080)
              --loops N               event loops, one thread each (default: one per core)
              --trigger level|edge    epoll trigger mode (default level)
              --transport epoll|nio   readiness source (default epoll on Linux, else nio)
              --tcp-nodelay           set TCP_NODELAY: send small writes at once
              --tcp-cork              set TCP_CORK around each flush: full segments only
              --echo                  answer every request with its own body
              --log-requests          print each request, as the tutorial does
              --virtual-threads       run the handler on virtual threads
              --help                  print this and exit
              --version               print the version and exit

            Ctrl-C or SIGTERM stops the server gracefully (exit code 0).
            """;
}
