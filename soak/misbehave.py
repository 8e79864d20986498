#!/usr/bin/env python3
"""Misbehaving clients, mixed, for a duration: what a server meets on the open internet.

Worker threads each pick one behaviour at random, run it on a fresh connection, and record whether the server
did what it should:
  reset-mid-head    half a request head, then a reset (SO_LINGER 0)          → nothing to check but survival
  reset-mid-body    a head announcing 100 kB, part of the body, then a reset  → idem
  never-reader      pipelines requests for large responses, never reads, holds the connection, then resets or
                    closes                                                   → the server must not grow without bound
  garbage           random bytes, then reads                                 → a 4xx and a close (or just a close)
  half-close-head   half a head, then shutdown(SHUT_WR)                      → closed, with no answer or a 400
  half-close-done   a complete request, then shutdown(SHUT_WR)               → a 200, then EOF
With --echo (the server runs `jepoll --echo`) large responses are echoed POST bodies; otherwise they are many
pipelined GETs.

Prints "misbehave {json}" every --report seconds and at the end; the json has per-behaviour counts of ok,
unexpected and errors, and the last few unexpected outcomes.

Usage: misbehave.py [--host 127.0.0.1] --port P [--duration 60] [--workers 12] [--echo] [--seed N]
"""
import argparse
import json
import random
import socket
import struct
import sys
import threading
import time

BEHAVIOURS = ["reset-mid-head", "reset-mid-body", "never-reader", "garbage", "half-close-head", "half-close-done"]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {b: {"ok": 0, "unexpected": 0, "error": 0} for b in BEHAVIOURS}
        self.samples = []

    def add(self, behaviour, outcome, detail=""):
        with self.lock:
            self.counts[behaviour][outcome] += 1
            if outcome != "ok" and len(self.samples) < 20:
                self.samples.append(f"{behaviour}: {outcome}: {detail}"[:300])

    def snapshot(self):
        with self.lock:
            return {"counts": json.loads(json.dumps(self.counts)), "unexpected_samples": list(self.samples)}


def connect(a, timeout=15.0):
    s = socket.create_connection((a.host, a.port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def reset(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def read_to_end(s, limit=1 << 20):
    """Reads until EOF; returns (bytes, how): how is eof, reset or timeout."""
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return data, "eof"
            if len(data) < limit:
                data += chunk
    except socket.timeout:
        return data, "timeout"
    except OSError:
        return data, "reset"


def run_one(a, rng, behaviour, stats):
    s = connect(a)
    try:
        if behaviour == "reset-mid-head":
            s.sendall(b"GET /partial HTTP/1.1\r\nHost: x\r\nX-Cut: " + b"v" * rng.randrange(1, 2000))
            reset(s)
            stats.add(behaviour, "ok")
        elif behaviour == "reset-mid-body":
            s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + b"b" * rng.randrange(1, 50000))
            reset(s)
            stats.add(behaviour, "ok")
        elif behaviour == "never-reader":
            s.settimeout(2.0)
            if a.echo:
                body = b"e" * (256 * 1024)
                one = b"POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body) + body
                payload = one * 8
            else:
                payload = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" * 20000
            try:
                s.sendall(payload)  # blocks once the server stops reading (it must, to bound its memory)
            except socket.timeout:
                pass
            hold_until = time.monotonic() + rng.uniform(0.5, 4.0)
            while time.monotonic() < hold_until:  # hold the connection without reading
                time.sleep(0.1)
            if rng.random() < 0.5:
                reset(s)
            else:
                s.close()
            stats.add(behaviour, "ok")
        elif behaviour == "garbage":
            junk = rng.randbytes(rng.randrange(1, 4096))
            try:
                s.sendall(junk)
            except OSError:
                pass  # refused early and reset: fine
            data, how = read_to_end(s)
            if how == "timeout":
                stats.add(behaviour, "unexpected", "still open after 15 s")
            elif data and not (data.startswith(b"HTTP/1.1 4") or data.startswith(b"HTTP/1.1 5")):
                stats.add(behaviour, "unexpected", repr(data[:80]))  # random bytes forming a request: very unlikely
            else:
                stats.add(behaviour, "ok")
        elif behaviour == "half-close-head":
            s.sendall(b"GET /half HTTP/1.1\r\nHost: x\r\nX-Half: ")
            s.shutdown(socket.SHUT_WR)
            data, how = read_to_end(s)
            if how == "timeout" or (data and not data.startswith(b"HTTP/1.1 400")):
                stats.add(behaviour, "unexpected", f"{how} {data[:80]!r}")
            else:
                stats.add(behaviour, "ok")
        elif behaviour == "half-close-done":
            s.sendall(b"GET /done HTTP/1.1\r\nHost: x\r\n\r\n")
            s.shutdown(socket.SHUT_WR)
            data, how = read_to_end(s)
            if how != "eof" or not data.startswith(b"HTTP/1.1 200"):
                stats.add(behaviour, "unexpected", f"{how} {data[:80]!r}")
            else:
                stats.add(behaviour, "ok")
    except OSError as e:
        stats.add(behaviour, "error", repr(e))
        try:
            s.close()
        except OSError:
            pass


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=12)
    ap.add_argument("--echo", action="store_true", help="the server echoes bodies (jepoll --echo)")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--report", type=float, default=5.0)
    a = ap.parse_args()
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    stats = Stats()
    stop = time.monotonic() + a.duration

    def worker(n):
        rng = random.Random(seed * 1000 + n)
        while time.monotonic() < stop:
            run_one(a, rng, rng.choice(BEHAVIOURS), stats)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(a.workers)]
    for t in threads:
        t.start()
    t0 = time.monotonic()
    next_report = t0 + a.report
    while any(t.is_alive() for t in threads) and time.monotonic() < stop + 30:
        time.sleep(0.1)
        if time.monotonic() >= next_report:
            next_report += a.report
            print("misbehave " + json.dumps(dict(stats.snapshot(), t=round(time.monotonic() - t0, 1), seed=seed)), flush=True)
    print("misbehave " + json.dumps(dict(stats.snapshot(), t=round(time.monotonic() - t0, 1), seed=seed, final=True)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
