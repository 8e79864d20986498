#!/usr/bin/env python3
"""The soak run's driver (soak/run starts the server and calls this): load, sample, judge, write the report.

For --duration seconds: wrk -c64 (pinned to the client CPU) in back-to-back 5 s segments, plus misbehave.py.
After each segment one sample: wrk throughput and errors, the server's open descriptors, RSS, Java heap in use,
CPU use, a liveness GET on a fresh connection, and the misbehaving clients' tallies. Then the load stops, the
server is given time to drop every connection, and descriptors and heap (after a full GC) are compared with the
baseline taken before the load.

Verdict (one line, PASS or FAIL): every liveness GET answered; descriptors back to baseline; heap after GC back
to baseline (within --heap-slack-mib); no error and no non-2xx answer for wrk; no unexpected outcome for the
misbehaving clients. Writes <out>/<date>-soak.md and <date>-soak.svg.
"""
import argparse
import datetime
import http.client
import json
import os
import re
import subprocess
import sys
import time

import svgchart

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT_CPU = 1  # where our own helpers (jcmd) run: the server's CPU is left to the server


def fd_count(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def cpu_busy_idle(cpu):
    """(busy, all) clock ticks of one CPU since boot, from /proc/stat."""
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith(f"cpu{cpu} "):
                v = [int(x) for x in line.split()[1:]]
                idle = v[3] + v[4]
                return sum(v) - idle, sum(v)
    return 0, 1


def heap_used_kib(jdk_bin, pid):
    """Java heap in use now: the "used" of each top-level line of GC.heap_info (jstat's counters for the serial
    collector are refreshed only at a GC, so between GCs they read 0)."""
    out = subprocess.run(["taskset", "-c", str(CLIENT_CPU), f"{jdk_bin}/jcmd", str(pid), "GC.heap_info"],
                         capture_output=True, text=True, timeout=30).stdout
    used = [int(m.group(1)) for line in out.splitlines()[1:] if line and not line.startswith(" ")
            for m in [re.search(r"used (\d+)K", line)] if m]
    return sum(used) if used else None


def heap_after_gc_kib(jdk_bin, pid):
    subprocess.run(["taskset", "-c", str(CLIENT_CPU), f"{jdk_bin}/jcmd", str(pid), "GC.run"], capture_output=True, timeout=60)
    return heap_used_kib(jdk_bin, pid)


def alive(port, timeout=3.0):
    """A GET on a fresh connection; returns the status or an error string."""
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        c.request("GET", "/alive")
        r = c.getresponse()
        r.read()
        c.close()
        return r.status
    except Exception as e:  # noqa: BLE001 - any failure is a dead loop for this purpose
        return repr(e)


WRK_RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
WRK_TOTAL = re.compile(r"(\d+) requests in")
WRK_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
WRK_NON2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")


def wrk_segment(cpu, port, seconds, connections):
    p = subprocess.run(["taskset", "-c", str(cpu), "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
                        f"http://127.0.0.1:{port}/"], capture_output=True, text=True)
    out = p.stdout
    m = WRK_RATE.search(out)
    e = WRK_ERRORS.search(out)
    n = WRK_NON2XX.search(out)
    t = WRK_TOTAL.search(out)
    errors = sum(int(x) for x in e.groups()) if e else 0
    return {
        "rps": float(m.group(1)) if m else 0.0,
        "requests": int(t.group(1)) if t else 0,
        "errors": errors + (0 if m else 1),  # no rate line at all: wrk itself failed
        "error_detail": e.group(0) if e else ("" if m else out[-200:] + p.stderr[-200:]),
        "non2xx": int(n.group(1)) if n else 0,
    }


def last_misbehave(path):
    last = None
    try:
        with open(path) as f:
            for line in f:
                if line.startswith("misbehave "):
                    last = json.loads(line[len("misbehave "):])
    except FileNotFoundError:
        pass
    return last


def unexpected_total(m):
    if not m:
        return 0
    return sum(v["unexpected"] + v["error"] for v in m["counts"].values())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--duration", type=int, default=600)
    ap.add_argument("--segment", type=int, default=5, help="seconds per wrk run = sample interval")
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--client-cpu", type=int, default=1)
    ap.add_argument("--server-cpu", type=int, default=0)
    ap.add_argument("--jdk-bin", required=True)
    ap.add_argument("--server-log", required=True)
    ap.add_argument("--server-args", default="")
    ap.add_argument("--echo", action="store_true")
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    ap.add_argument("--heap-slack-mib", type=float, default=16.0)
    ap.add_argument("--drain-timeout", type=int, default=120)
    a = ap.parse_args()
    pid, port = a.pid, a.port
    global CLIENT_CPU
    CLIENT_CPU = a.client_cpu
    clk = os.sysconf("SC_CLK_TCK")
    started = datetime.datetime.now()

    # ---- baseline: attach once first (the attach listener keeps a descriptor), let the JIT settle briefly
    alive(port)
    heap_base = heap_after_gc_kib(a.jdk_bin, pid)
    fd_base = fd_count(pid)
    rss_base = rss_kib(pid)
    print(f"baseline: fds={fd_base} rss={rss_base / 1024:.1f} MiB heap(after GC)={heap_base / 1024:.1f} MiB", flush=True)

    mis_log = os.path.join("/tmp", f"jepoll-misbehave-{os.getpid()}.log")
    mis_cmd = ["taskset", "-c", str(a.client_cpu), sys.executable, os.path.join(HERE, "misbehave.py"),
               "--port", str(port), "--duration", str(a.duration)] + (["--echo"] if a.echo else [])
    with open(mis_log, "w") as mis_out:
        mis = subprocess.Popen(mis_cmd, stdout=mis_out, stderr=subprocess.STDOUT)

    samples = []
    t0 = time.monotonic()
    last_ticks, last_t = cpu_ticks(pid), t0
    last_busy, last_all = cpu_busy_idle(a.server_cpu)
    while time.monotonic() - t0 < a.duration:
        seg = min(a.segment, max(1, int(a.duration - (time.monotonic() - t0))))
        w = wrk_segment(a.client_cpu, port, seg, a.connections)
        now = time.monotonic()
        ticks = cpu_ticks(pid)
        busy, total = cpu_busy_idle(a.server_cpu)
        # the server's CPU is shared with nobody we started: what else kept it busy (other processes, interrupts)
        other = max(0.0, 100.0 * ((busy - last_busy) - (ticks - last_ticks)) / max(1, total - last_all))
        last_busy, last_all = busy, total
        m = last_misbehave(mis_log)
        s = {
            "t": round(now - t0, 1),
            "rps": w["rps"], "requests": w["requests"], "errors": w["errors"], "non2xx": w["non2xx"],
            "error_detail": w["error_detail"],
            "fds": fd_count(pid), "rss_mib": round(rss_kib(pid) / 1024, 1),
            "heap_mib": round((heap_used_kib(a.jdk_bin, pid) or 0) / 1024, 1),
            "cpu_pct": round(100.0 * (ticks - last_ticks) / clk / (now - last_t), 1),
            "cpu0_other_pct": round(other, 1),
            "alive": alive(port),
            "misbehaving_done": sum(sum(v.values()) for v in m["counts"].values()) if m else 0,
            "misbehaving_unexpected": unexpected_total(m),
        }
        last_ticks, last_t = ticks, now
        samples.append(s)
        print(f"t={s['t']:6.1f}s rps={s['rps']:9.0f} errors={s['errors']} non2xx={s['non2xx']} fds={s['fds']} "
              f"rss={s['rss_mib']}MiB heap={s['heap_mib']}MiB cpu={s['cpu_pct']}% cpu{a.server_cpu}-other={s['cpu0_other_pct']}% "
              f"alive={s['alive']} "
              f"misbehaving={s['misbehaving_done']} (unexpected {s['misbehaving_unexpected']})", flush=True)

    # ---- the load stops; the server must give everything back
    try:
        mis.wait(timeout=60)
    except subprocess.TimeoutExpired:
        mis.terminate()  # our own child, by its handle
        mis.wait()
    m_final = last_misbehave(mis_log)
    drain_t0 = time.monotonic()
    while fd_count(pid) > fd_base and time.monotonic() - drain_t0 < a.drain_timeout:
        time.sleep(0.5)
    drain_s = round(time.monotonic() - drain_t0, 1)
    fd_after = fd_count(pid)
    final_alive = alive(port)
    heap_after = heap_after_gc_kib(a.jdk_bin, pid)
    rss_after = rss_kib(pid)
    warnings = 0
    with open(a.server_log, errors="replace") as f:
        for line in f:
            if line.startswith(("WARNING", "SEVERE")):
                warnings += 1

    checks = {
        "loops alive (every liveness GET answered)": all(s["alive"] == 200 for s in samples) and final_alive == 200,
        f"fds back to baseline ({fd_base} → {fd_after})": fd_after == fd_base,
        f"heap after GC back to baseline ({heap_base / 1024:.1f} → {heap_after / 1024:.1f} MiB, "
        f"slack {a.heap_slack_mib:g})": heap_after <= heap_base + a.heap_slack_mib * 1024,
        "no request errors for wrk": sum(s["errors"] + s["non2xx"] for s in samples) == 0,
        "misbehaving clients all saw what they should": unexpected_total(m_final) == 0,
    }
    verdict = "PASS" if all(checks.values()) else "FAIL"
    failed = [k for k, v in checks.items() if not v]
    total_req = sum(s["requests"] for s in samples)
    rates = [s["rps"] for s in samples]
    line = (f"{verdict}: {a.duration} s, wrk c{a.connections} {total_req} requests, "
            f"{min(rates):.0f}..{max(rates):.0f} req/s (mean {sum(rates) / len(rates):.0f}); "
            f"fds {fd_base}→{max(s['fds'] for s in samples)}→{fd_after}; heap {heap_base / 1024:.1f}→{heap_after / 1024:.1f} MiB "
            f"after GC; rss {rss_base / 1024:.0f}→{rss_after / 1024:.0f} MiB"
            + ("" if not failed else "; failed: " + "; ".join(failed)))

    # ---- report
    os.makedirs(a.out, exist_ok=True)
    stamp = started.strftime("%Y-%m-%d-%H%M")
    svg_name = f"{stamp}-soak.svg"
    xs = [s["t"] for s in samples]
    panels = [
        svgchart.Panel("wrk throughput (requests/s)", [svgchart.Series("req/s", xs, rates)]),
        svgchart.Panel("server open descriptors", [svgchart.Series("fds", xs, [s["fds"] for s in samples])],
                       [("baseline", fd_base)]),
        svgchart.Panel("server RSS (MiB)", [svgchart.Series("RSS", xs, [s["rss_mib"] for s in samples])],
                       [("start", rss_base / 1024)]),
        svgchart.Panel("Java heap in use (MiB, GC.heap_info, between GCs)", [svgchart.Series("heap", xs, [s["heap_mib"] for s in samples])],
                       [("after GC, before", heap_base / 1024)] + ([("after GC, after", heap_after / 1024)]
                                                                     if abs(heap_after - heap_base) > 2048 else [])),
        svgchart.Panel(f"CPU {a.server_cpu} (%): the server, and everything else on it", [
            svgchart.Series("server", xs, [s["cpu_pct"] for s in samples]),
            svgchart.Series("others+irq", xs, [s["cpu0_other_pct"] for s in samples])]),
    ]
    with open(os.path.join(a.out, svg_name), "w") as f:
        f.write(svgchart.render(panels, title=f"jepoll soak {stamp}: {verdict}", x_label="seconds into the run", x_min=0))
    md = [f"# jepoll soak run {started.strftime('%Y-%m-%d %H:%M')}", "",
          f"**{line}**", "",
          "## Setup", "",
          f"- server: `./jepoll {a.server_args}` pinned to CPU 0 (pid {pid}), JVM options `{os.environ.get('JEPOLL_JAVA_OPTS', '')}`",
          f"- good client: `wrk -t1 -c{a.connections}` on CPU {a.client_cpu}, {a.segment} s segments back to back, GET /",
          f"- misbehaving clients: `soak/misbehave.py{' --echo' if a.echo else ''}` on CPU {a.client_cpu} "
          f"(seed {m_final.get('seed') if m_final else '?'}): resets mid-head and mid-body, never-reading pipeliners "
          "of large responses, garbage, half-closers",
          f"- samples every {a.segment} s: descriptors (`/proc/PID/fd`), RSS, heap used (`jcmd GC.heap_info`, no forced GC), "
          "CPU, a GET on a fresh connection",
          f"- machine: {os.cpu_count()} CPUs, {os.uname().sysname} {os.uname().release}", "",
          "## Checks", ""]
    md += [f"- {'✅' if v else '❌'} {k}" for k, v in checks.items()]
    slow = sorted(samples, key=lambda x: x["rps"])[:max(1, len(samples) // 10)]
    md += ["", f"Interference: CPU {a.server_cpu} is the server's alone as far as this run goes, yet other processes and "
               f"interrupts kept it {sum(x['cpu0_other_pct'] for x in samples) / len(samples):.0f}% busy on average; in the "
               f"slowest tenth of the samples ({min(x['rps'] for x in slow):.0f}..{max(x['rps'] for x in slow):.0f} req/s) "
               f"{sum(x['cpu0_other_pct'] for x in slow) / len(slow):.0f}%. wrk shares CPU {a.client_cpu} with the "
               "misbehaving clients. Throughput here is a health signal, not a benchmark."]
    md += ["", f"Descriptors were back at baseline {drain_s} s after the load stopped. "
               f"Server log: {warnings} WARNING/SEVERE lines.", "",
           f"![chart]({svg_name})", "",
           "## Misbehaving clients (final tally)", "", "| behaviour | ok | unexpected | error |", "|---|---:|---:|---:|"]
    if m_final:
        for b, v in m_final["counts"].items():
            md.append(f"| {b} | {v['ok']} | {v['unexpected']} | {v['error']} |")
        for sample in m_final.get("unexpected_samples", []):
            md.append(f"\n- `{sample}`")
    md += ["", "## Samples", "",
           f"| t (s) | req/s | errors | non-2xx | fds | RSS MiB | heap MiB | server CPU % | CPU {a.server_cpu} other % | GET | misbehaving done | unexpected |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"]
    for s in samples:
        md.append(f"| {s['t']} | {s['rps']:.0f} | {s['errors']} | {s['non2xx']} | {s['fds']} | {s['rss_mib']} | "
                  f"{s['heap_mib']} | {s['cpu_pct']} | {s['cpu0_other_pct']} | {s['alive']} | {s['misbehaving_done']} | {s['misbehaving_unexpected']} |")
    errs = [s for s in samples if s["error_detail"] and s["errors"]]
    if errs:
        md += ["", "wrk errors:", ""] + [f"- t={s['t']}: {s['error_detail']}" for s in errs]
    md_path = os.path.join(a.out, f"{stamp}-soak.md")
    with open(md_path, "w") as f:
        f.write("\n".join(md) + "\n")
    os.remove(mis_log)
    print(f"report: {md_path}")
    print(line, flush=True)
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
