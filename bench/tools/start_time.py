#!/usr/bin/env python3
"""Time to first response: from spawning a server to its first 200 answer (bench/README.md, "Start time").

  bench/start                       ./jepoll, jwebserver and the tutorial's Python server, 10 runs each
  bench/start --runs 20 --pin       20 runs; servers on CPU 0 (taskset -c 0), this client on CPU 1
  bench/start jepoll jepoll-java jepoll-nocache    the launcher, the JVM alone with the cache, and without
  bench/start --launcher /path/to/other/checkout/jepoll     also that checkout's launcher, as "other"

Servers (all on 127.0.0.1, a fresh free port each run):
  jepoll          ./jepoll --host 127.0.0.1 --port P   (the launcher users run: JDK lookup, staleness check, java)
  jepoll-java     java with the flags the launcher adds (the AOT cache) -jar cli/target/jepoll.jar ...: no launcher
  jepoll-nocache  java -XX:AOTMode=off -jar cli/target/jepoll.jar ...   (the JVM alone, no AOT cache)
  jwebserver      $JAVA_HOME/bin/jwebserver -b 127.0.0.1 -p P -d DIR   (DIR holds one small index.html)
  python          python3 bench/tools/tutorial_server.py P             (the tutorial's level-triggered server)

Per run: the clock starts just before the spawn; a client connects every millisecond (a refused connect on
the loopback answers at once) and sends `GET /`; the clock stops at the first `HTTP/1.x 200` status line.
Then the server gets SIGTERM (SIGKILL after 10 s), by its PID, and the port must refuse connections before
the next run. One warm start per server first (page cache, JIT-free paths of the kernel), not counted; then
RUNS rounds, one start of each server per round, the order rotated each round. Before each start the script
waits (at most QUIET_WAIT s, default 8) for both CPUs to be quiet, as bench/run does. Prints medians, min
and max per server in milliseconds, and the ratio to the first server's time in the same round (median of
the rounds).
"""
import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from jepollbench import ROOT, jvm, proc  # noqa: E402
from jepollbench.proc import CLK_TCK  # noqa: E402
from jepollbench.server import free_port  # noqa: E402

POLL_EVERY = 0.001   # seconds between connection attempts
START_LIMIT = 30.0   # seconds a server may take to answer before the run counts as failed
WARM_LIMIT = 600.0   # the same for the warm start, which may build the jar first
SERVERS = ("jepoll", "jepoll-java", "jepoll-nocache", "jwebserver", "python")
DEFAULT_SERVERS = ("jepoll", "jwebserver", "python")


class StartFailed(Exception):
    pass


def commands(java_home, docroot, launcher):
    """name -> function(port) -> argv."""
    java = os.path.join(java_home, "bin", "java")
    target = os.path.join(ROOT, "cli", "target")
    jar = os.path.join(target, "jepoll.jar")
    cached = ["--enable-native-access=ALL-UNNAMED", "-XX:AOTCache=" + os.path.join(target, "jepoll.aot"), "-Xlog:aot=off"]
    cmds = {
        "jepoll": lambda p: [os.path.join(ROOT, "jepoll"), "--host", "127.0.0.1", "--port", str(p)],
        "jepoll-java": lambda p: [java, *cached, "-jar", jar, "--host", "127.0.0.1", "--port", str(p)],
        "jepoll-nocache": lambda p: [java, "-XX:AOTMode=off", "-jar", jar, "--host", "127.0.0.1", "--port", str(p)],
        "jwebserver": lambda p: [os.path.join(java_home, "bin", "jwebserver"), "-b", "127.0.0.1", "-p", str(p),
                                 "-d", docroot],
        "python": lambda p: [sys.executable, os.path.join(HERE, "tutorial_server.py"), str(p)],
    }
    if launcher:
        cmds["other"] = lambda p: [launcher, "--host", "127.0.0.1", "--port", str(p)]
    return cmds


def cpu_seconds(pid):
    """CPU time of a process so far: its threads' (live and ended) and its waited-for children's (the
    launcher's JDK lookup), user and system; /proc/PID/stat's fields 14-17, in clock ticks."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return sum(int(v) for v in fields[11:15]) / CLK_TCK


def first_200(port, child, t0, limit):
    """Polls until a GET / on a fresh connection gets a 200 status line; returns (its time since t0 in s,
    the server's CPU seconds then)."""
    request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n" % port
    deadline = t0 + limit
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise StartFailed(f"exited with code {child.returncode} before answering")
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(max(deadline - time.monotonic(), 0.01))
        try:
            s.connect(("127.0.0.1", port))
            s.sendall(request)
            head = b""
            while b"\r\n" not in head:
                chunk = s.recv(256)
                if not chunk:
                    break
                head += chunk
            t = time.monotonic()
            status = head.split(b"\r\n", 1)[0]
            if status.startswith(b"HTTP/1.") and status[9:12] == b"200":
                return t - t0, cpu_seconds(child.pid)
            if head:
                raise StartFailed(f"first answer was {status!r}, not 200")
        except (ConnectionRefusedError, ConnectionResetError, BrokenPipeError):
            pass  # not listening yet (or closed while starting): try again
        except socket.timeout:
            break
        finally:
            s.close()
        time.sleep(POLL_EVERY)
    raise StartFailed(f"no 200 within {limit:g} s")


def refuses(port, limit=10.0):
    """Waits until nothing listens on the port any more; True when it refuses within `limit` s."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except ConnectionRefusedError:
            return True
        except OSError:
            pass
        time.sleep(0.01)
    return False


def one_start(name, argv, port, pin, log, limit=START_LIMIT):
    """Starts argv, times its first 200 and stops it; returns (seconds to first 200, CPU seconds used by then,
    seconds to the first console line)."""
    cmd = (["taskset", "-c", "0"] if pin else []) + argv
    first_line = []

    def read_output(stream):
        for line in iter(stream.readline, b""):
            if not first_line:
                first_line.append(time.monotonic())
            log.write(line)
        stream.close()

    t0 = time.monotonic()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             cwd=ROOT)
    reader = threading.Thread(target=read_output, args=(child.stdout,), daemon=True)
    reader.start()
    try:
        took, cpu = first_200(port, child, t0, limit)
    finally:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)  # by PID: the child we spawned (taskset and ./jepoll exec)
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        reader.join(timeout=5)
    if not refuses(port):
        raise StartFailed(f"port {port} still answers after {name} stopped")
    return took, cpu, (first_line[0] - t0) if first_line else None


def ms(v):
    return "-" if v is None else f"{v * 1000:.0f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("servers", nargs="*", help=f"any of {', '.join(SERVERS)} (default: {' '.join(DEFAULT_SERVERS)})")
    ap.add_argument("--runs", type=int, default=10, help="measured starts per server (default 10)")
    ap.add_argument("--pin", action="store_true", help="servers on CPU 0 (taskset -c 0), the client on CPU 1")
    ap.add_argument("--launcher", help="another ./jepoll to measure beside this one (as 'other')")
    a = ap.parse_args()
    if not 1 <= a.runs <= 1000:
        ap.error("--runs must be 1..1000")
    java_home = jvm.find_jdk()
    docroot = tempfile.mkdtemp(prefix="bench-start-")
    with open(os.path.join(docroot, "index.html"), "w") as f:
        f.write("Hello, world!")
    cmds = commands(java_home, docroot, a.launcher)
    names = list(a.servers or DEFAULT_SERVERS) + (["other"] if a.launcher else [])
    for n in names:
        if n not in cmds:
            ap.error(f"unknown server {n}; known: {', '.join(cmds)}")
    if a.pin:
        os.sched_setaffinity(0, {1})
    log_path = os.path.join(tempfile.gettempdir(), "bench-start.log")
    times, cpus, lines = ({n: [] for n in names} for _ in range(3))
    try:
        with open(log_path, "wb") as log:
            for n in names:  # the warm start: builds the jar if sources changed, fills the page cache
                print(f"warm start: {n}", file=sys.stderr, flush=True)
                port = free_port()
                one_start(n, cmds[n](port), port, a.pin, log, WARM_LIMIT)
            for r in range(a.runs):
                order = names[r % len(names):] + names[:r % len(names)]
                for n in order:
                    proc.wait_quiet((0, 1), limit=float(os.environ.get("QUIET_WAIT", 8)))
                    port = free_port()
                    took, cpu, line = one_start(n, cmds[n](port), port, a.pin, log)
                    times[n].append(took)
                    for store, v in ((cpus, cpu), (lines, line)):
                        if v is not None:
                            store[n].append(v)
                print(f"round {r + 1}/{a.runs}: " + ", ".join(f"{n} {ms(times[n][-1])}" for n in names),
                      file=sys.stderr, flush=True)
    except StartFailed as e:
        sys.exit(f"bench/start: {e} (console: {log_path})")
    finally:
        for f in os.listdir(docroot):
            os.remove(os.path.join(docroot, f))
        os.rmdir(docroot)

    # Ratios within a round, then their median: a disturbance slows one round of every server alike.
    ratio = {n: statistics.median(t / b for t, b in zip(times[n], times[names[0]])) for n in names}
    print(f"\nTime from spawn to first 200 response, ms ({a.runs} runs after one warm start"
          f"{', server on CPU 0, client on CPU 1' if a.pin else ''}; {os.cpu_count()} CPUs)\n")
    print(f"| server | median | min | max | vs {names[0]}, median of rounds | CPU by then, median | first console line, median |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for n in names:
        med = statistics.median(times[n])
        cpu, line = (statistics.median(v[n]) if v[n] else None for v in (cpus, lines))
        print(f"| {n} | {ms(med)} | {ms(min(times[n]))} | {ms(max(times[n]))} | {ratio[n]:.2f}x | {ms(cpu)} | {ms(line)} |")


if __name__ == "__main__":
    main()
