#!/usr/bin/env python3
"""Liveness probe: GET every --interval seconds for --duration seconds, on one keep-alive connection opened at
the start (it must keep working whatever else happens), and also on a fresh connection each time (which may
legitimately wait while the server is out of descriptors). Also samples the server's CPU use and descriptors
when --pid is given.

Prints one line per probe and "summary {json}" at the end.

Usage: probe.py --port P [--duration 20] [--interval 0.5] [--pid PID]
"""
import argparse
import http.client
import json
import os
import sys
import time

from common import proc  # bench/lib/jepollbench/proc.py

cpu_ticks = proc.cpu_ticks


def get(conn):
    t = time.monotonic()
    conn.request("GET", "/probe")
    r = conn.getresponse()
    r.read()
    return r.status, time.monotonic() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--duration", type=float, default=20.0)
    ap.add_argument("--interval", type=float, default=0.5)
    ap.add_argument("--pid", type=int)
    ap.add_argument("--fresh-timeout", type=float, default=0.5)
    a = ap.parse_args()
    clk = os.sysconf("SC_CLK_TCK")
    keep = http.client.HTTPConnection(a.host, a.port, timeout=5)
    kept = {"ok": 0, "failed": 0, "max_latency_s": 0.0}
    fresh = {"ok": 0, "failed": 0}
    cpu = []
    fds = []
    t0 = time.monotonic()
    last_ticks, last_t = (cpu_ticks(a.pid), t0) if a.pid else (0, t0)
    first = True
    while time.monotonic() - t0 < a.duration:
        try:
            status, lat = get(keep)
            ok = status == 200
            kept["max_latency_s"] = max(kept["max_latency_s"], round(lat, 4))
        except (OSError, http.client.HTTPException) as e:
            ok, status = False, repr(e)
            keep.close()
            keep = http.client.HTTPConnection(a.host, a.port, timeout=5)
        kept["ok" if ok else "failed"] += 1
        try:
            c = http.client.HTTPConnection(a.host, a.port, timeout=a.fresh_timeout)
            fstatus, _ = get(c)
            c.close()
        except (OSError, http.client.HTTPException) as e:
            fstatus = type(e).__name__
        fresh["ok" if fstatus == 200 else "failed"] += 1
        line = f"t={time.monotonic() - t0:5.1f}s keep-alive GET={status} fresh GET={fstatus}"
        if a.pid:
            now = time.monotonic()
            ticks = cpu_ticks(a.pid)
            pct = 100.0 * (ticks - last_ticks) / clk / (now - last_t) if now > last_t else 0.0
            last_ticks, last_t = ticks, now
            n = proc.fd_count(a.pid)
            if first:
                first = False  # a fraction of a second since our start: too short to say anything
            else:
                cpu.append(round(pct, 1))
            fds.append(n)
            line += f" server cpu={pct:.0f}% fds={n}"
        print(line, flush=True)
        time.sleep(max(0.0, a.interval - (time.monotonic() - t0) % a.interval))
    summary = {"keep_alive": kept, "fresh": fresh}
    if a.pid:
        # the longest run of consecutive samples above 50% of a core: a spinning loop shows as a long run,
        # a JIT compilation or GC burst as a single sample
        run = longest = 0
        for c in cpu:
            run = run + 1 if c > 50.0 else 0
            longest = max(longest, run)
        summary.update(cpu_pct_max=max(cpu), cpu_pct_mean=round(sum(cpu) / len(cpu), 1), fds_max=max(fds),
                       cpu_samples_over_50pct_in_a_row=longest, cpu_samples=cpu)
    print("summary " + json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
