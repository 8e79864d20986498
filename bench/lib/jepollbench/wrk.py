"""Runs wrk pinned to one CPU and parses what it prints.

    r = run(port, conns=256, seconds=3, cpu=1, script=".../workload.lua", script_args=["pipeline", "16"])
    r.ok, r.rps, r.requests, r.errors (connect/read/write/timeout), r.non2xx, r.p50_us, r.p99_us, r.cpu_s,
    r.bytes (every byte wrk read, heads and bodies, partly read answers at the end included)

When the script prints bench/wrk/workload.lua's "WRKJSON {...}" line (its done()), the figures come
from there (exact counts, microseconds); otherwise from wrk's text ("Requests/sec:", "Socket
errors:", "Non-2xx or 3xx responses:", the --latency table). r.cpu_s is wrk's own user + system
time, from the rusage of the process (taskset execs wrk, so the child is wrk itself).
"""
import json
import os
import re
import subprocess
from dataclasses import dataclass, field

_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
_TOTAL = re.compile(r"(\d+) requests in ([\d.]+)(us|ms|s|m|h)\b")
_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_READ = re.compile(r"requests in [\d.]+\w+, ([\d.]+)(B|KB|MB|GB|TB) read")
_SIZE = {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3, "TB": 1024 ** 4}
_NON2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
_PCT = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.M)
_UNIT = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


@dataclass
class Result:
    ok: bool = False
    requests: int = 0
    duration_s: float = 0.0
    rps: float = 0.0
    p50_us: float = 0.0
    p99_us: float = 0.0
    errors: dict = field(default_factory=lambda: {"connect": 0, "read": 0, "write": 0, "timeout": 0})
    non2xx: int = 0
    bytes: int = 0
    cpu_s: float = 0.0
    exit_code: int = 0
    text: str = ""

    @property
    def socket_errors(self):
        return sum(self.errors.values())

    def error_line(self):
        e = self.errors
        return (f"connect {e['connect']}, read {e['read']}, write {e['write']}, timeout {e['timeout']}; "
                f"non-2xx {self.non2xx}")


def parse(text):
    r = Result(text=text)
    for line in text.splitlines():
        if line.startswith("WRKJSON "):
            j = json.loads(line[len("WRKJSON "):])
            r.ok = True
            r.requests = j["requests"]
            r.duration_s = j["duration_us"] / 1e6
            r.rps = r.requests / r.duration_s if r.duration_s else 0.0
            r.p50_us, r.p99_us = j["p50_us"], j["p99_us"]
            r.errors = {k: j[k] for k in ("connect", "read", "write", "timeout")}
            r.non2xx = j["status"]
            r.bytes = j.get("bytes", 0)
    if r.ok:
        return r
    m = _RATE.search(text)
    if not m:
        return r
    r.ok = True
    r.rps = float(m.group(1))
    t = _TOTAL.search(text)
    if t:
        r.requests = int(t.group(1))
        r.duration_s = float(t.group(2)) * _UNIT[t.group(3)]
    e = _ERRORS.search(text)
    if e:
        r.errors = dict(zip(("connect", "read", "write", "timeout"), (int(x) for x in e.groups())))
    b = _READ.search(text)
    if b:
        r.bytes = int(float(b.group(1)) * _SIZE[b.group(2)])
    n = _NON2XX.search(text)
    r.non2xx = int(n.group(1)) if n else 0
    for pct, v, unit in _PCT.findall(text):
        us = float(v) * _UNIT[unit] * 1e6
        if pct == "50":
            r.p50_us = us
        else:
            r.p99_us = us
    return r


def command(port, conns, seconds, cpu=1, threads=1, timeout="10s", latency=True, script=None, script_args=(),
            path="/", host="127.0.0.1", headers=(), scheme="http"):
    """headers: "Name: value" strings, each a -H (with a script, wrk keeps its static request: no Lua per request);
    scheme https: wrk's OpenSSL client (it checks no certificate and resumes no session: each connection is a full
    handshake)."""
    cmd = (["taskset", "-c", str(cpu)] if cpu is not None else []) + ["wrk", f"-t{threads}", f"-c{conns}",
                                                                      f"-d{seconds}s", "--timeout", timeout]
    for h in headers:
        cmd += ["-H", h]
    if latency:
        cmd.append("--latency")
    if script:
        cmd += ["-s", script]
    cmd.append(f"{scheme}://{host}:{port}{path}")
    if script_args:
        cmd += ["--"] + [str(a) for a in script_args]
    return cmd


class Run:
    """A wrk run in the background: Run(...).wait() -> Result."""

    def __init__(self, port, conns, seconds, log=None, **kw):
        self.log = log
        self.cmd = command(port, conns, seconds, **kw)
        self.p = subprocess.Popen(self.cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def wait(self):
        text = self.p.stdout.read().decode(errors="replace")
        self.p.stdout.close()
        _, status, ru = os.wait4(self.p.pid, 0)
        self.p.returncode = os.waitstatus_to_exitcode(status)
        r = parse(text)
        r.exit_code = self.p.returncode
        r.cpu_s = ru.ru_utime + ru.ru_stime
        if r.exit_code != 0:
            r.ok = False
        if self.log:
            with open(self.log, "a") as f:
                f.write("$ " + " ".join(self.cmd) + "\n" + text + ("" if text.endswith("\n") else "\n"))
        return r

    def stop(self):
        """Ends the run early (SIGTERM to our own wrk, by its PID) and reaps it."""
        if self.p.returncode is None:
            self.p.terminate()
            return self.wait()


def run(port, conns, seconds, log=None, **kw):
    return Run(port, conns, seconds, log=log, **kw).wait()
