#!/usr/bin/env python3
"""Flood: open connections as fast as possible up to N and hold them.

Connects without pause (non-blocking, many in flight) until N connections are open or connecting, keeps them
open for --hold seconds after the last one was started, then closes them all. A connection the kernel does not
complete within --connect-timeout counts as failed (a full accept queue drops SYNs). With --request, each one
sends a GET once connected (so the server has something to answer); otherwise they stay silent.

Prints one line per second: t=3.0s open=1000 connecting=0 failed=0 closed_by_server=0
and "summary {json}" at the end.

Usage: flood.py [--host 127.0.0.1] --port P [-n 1000] [--hold 20] [--connect-timeout 5] [--request]
"""
import argparse
import errno
import json
import selectors
import socket
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("-n", "--connections", type=int, default=1000)
    ap.add_argument("--hold", type=float, default=20.0, help="seconds to hold after the last connect started")
    ap.add_argument("--connect-timeout", type=float, default=5.0)
    ap.add_argument("--request", action="store_true", help="send a GET on each connection once open")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()

    sel = selectors.DefaultSelector()
    state = {}        # socket -> [status, started]
    counts = {"open": 0, "connecting": 0, "failed": 0, "closed_by_server": 0, "answered": 0}
    t0 = time.monotonic()
    started = 0
    last_start = t0
    last_report = 0.0
    peak_open = 0

    def finish(s, status):
        old = state[s][0]
        counts[old] -= 1
        counts[status] += 1
        state[s][0] = status
        try:
            sel.unregister(s)
        except (KeyError, ValueError):
            pass
        s.close()

    while True:
        now = time.monotonic()
        # start connects until N are open or in flight (a batch per turn so reads are not starved)
        batch = 0
        while started < a.connections and batch < 200:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            err = s.connect_ex((a.host, a.port))
            started += 1
            batch += 1
            last_start = now
            if err not in (0, errno.EINPROGRESS):
                counts["failed"] += 1
                s.close()
                continue
            state[s] = ["connecting", now]
            counts["connecting"] += 1
            sel.register(s, selectors.EVENT_WRITE, None)
        if started >= a.connections and now - last_start >= a.hold:
            break
        for key, ev in sel.select(timeout=0.05):
            s = key.fileobj
            st = state[s][0]
            if st == "connecting":
                if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                    finish(s, "failed")
                    continue
                counts["connecting"] -= 1
                counts["open"] += 1
                state[s][0] = "open"
                sel.modify(s, selectors.EVENT_READ, None)
                if a.request:
                    try:
                        s.send(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                    except OSError:
                        finish(s, "closed_by_server")
                continue
            try:
                data = s.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                finish(s, "closed_by_server")
                continue
            if not data:
                finish(s, "closed_by_server")
            elif data.startswith(b"HTTP/1.1 "):
                counts["answered"] += 1
        now = time.monotonic()
        for s, (st, since) in list(state.items()):
            if st == "connecting" and now - since > a.connect_timeout:
                finish(s, "failed")
        peak_open = max(peak_open, counts["open"])
        if now - last_report >= 1.0:
            last_report = now
            if not a.quiet:
                print(f"t={now - t0:5.1f}s open={counts['open']} connecting={counts['connecting']} failed={counts['failed']} "
                      f"closed_by_server={counts['closed_by_server']} answered={counts['answered']}", flush=True)

    held = counts["open"]
    for s, (st, _) in list(state.items()):
        if st in ("open", "connecting"):
            sel.unregister(s)
            s.close()
    summary = dict(counts, peak_open=peak_open, open_at_end=held, elapsed_s=round(time.monotonic() - t0, 3))
    print("summary " + json.dumps(summary), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
