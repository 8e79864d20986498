"""What soak/run, soak/slowloris-check and soak/fd-limit-check share, on top of bench/lib/jepollbench (imported
by path): the jepoll command of this tree pinned to SERVER_CPU (default 0), clients on CLIENT_CPU (default 1),
JEPOLL_ARGS added to the server's flags, JEPOLL_JAVA_OPTS (default -Xmx512m), the server-log check, the verdict.

Only the processes these scripts start are ever signalled, by PID; only 127.0.0.1 is ever a target.
"""
import os
import shutil
import sys

SOAK = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(SOAK)
sys.path.insert(0, os.path.join(ROOT, "bench", "lib"))

from jepollbench import jvm, proc, serverlog, wrk  # noqa: E402,F401  (re-exported for the scripts)
from jepollbench.jepoll import Jepoll  # noqa: E402
from jepollbench.server import Server, ServerError, free_port, http_status  # noqa: E402,F401

SERVER_CPU = int(os.environ.get("SERVER_CPU", "0"))
CLIENT_CPU = int(os.environ.get("CLIENT_CPU", "1"))
JAVA_OPTS = os.environ.get("JEPOLL_JAVA_OPTS", "-Xmx512m")
JEPOLL_ARGS = os.environ.get("JEPOLL_ARGS", "").split()
PROG = os.path.basename(sys.argv[0])


def die(msg):
    print(f"{PROG}: {msg}", file=sys.stderr, flush=True)
    sys.exit(2)


def need(*tools):
    for t in tools:
        if not shutil.which(t):
            die(f"needs {t}")


def jepoll():
    """The working tree's ./jepoll, built now (it builds its jar when sources changed), --help cached."""
    j = Jepoll.working_tree(ROOT, JAVA_OPTS)
    try:
        j.build()
    except RuntimeError as e:
        die(str(e))
    j.help()
    return j


def start_jepoll(j, port, args, ulimit_n=None, timeout=30):
    """Starts ./jepoll --host 127.0.0.1 --port PORT ARGS JEPOLL_ARGS pinned to SERVER_CPU (optionally under
    `ulimit -n ULIMIT_N`), its console in a temporary log; returns the Server once it answers."""
    s = Server("jepoll", j.command("--host", "127.0.0.1", "--port", str(port), *args, *JEPOLL_ARGS), port,
               cpu=SERVER_CPU, ulimit_n=ulimit_n, env=j.env())
    s.start(timeout=timeout)
    return s


def other_cpu_pct(a, b, ticks):
    """% of SERVER_CPU kept busy by anything but the server between two proc.cpu_stat() samples, the server
    having used `ticks` clock ticks meanwhile (other processes, interrupts and softirqs)."""
    span = max(b[SERVER_CPU].total - a[SERVER_CPU].total, 1)
    return round(max(0.0, 100.0 * ((b[SERVER_CPU].all - a[SERVER_CPU].all) - ticks) / span))


def log_check(server, allow=()):
    """(ok, unexpected, allowed, message): the WARNING/ERROR lines of the server's log; `allow` are the regexes of
    those the scenario provokes on purpose, SOAK_LOG_ALLOW (one regex) adds one more."""
    extra = os.environ.get("SOAK_LOG_ALLOW", "")
    unexpected, allowed = serverlog.problems(server.log_text(), list(allow) + ([extra] if extra else []))
    msg = f"{len(unexpected)} unexpected WARNING/ERROR lines in the server's log"
    if unexpected:
        msg += ": " + serverlog.summary(unexpected)
    return not unexpected, unexpected, allowed, msg


def verdict(line, failed):
    """Prints PASS: line, or FAIL: line; failed: ...; returns the exit code."""
    if failed:
        print(f"FAIL: {line}; failed: {'; '.join(failed)}", flush=True)
        return 1
    print(f"PASS: {line}", flush=True)
    return 0
