#!/usr/bin/env python3
"""Holds N idle keep-alive connections open to a server.

Opens the connections (at most WINDOW connecting at once, so the listen backlog never
overflows), sends one GET / on each, reads the whole response, then leaves them idle. Prints
"ready HELD FAILED SECONDS" on one line once all are settled, then holds them until SIGTERM
or SIGINT, counting any the server closes; on exit prints "closed-by-server K".

With --tls each connection shakes hands first (TLS 1.3 or 1.2, any certificate: the bench's own), then sends
its request inside TLS, and stays idle with its session open.

Usage: holder.py PORT N [HOST] [--tls]
"""
import errno
import resource
import select
import signal
import socket
import ssl
import sys
import time

WINDOW = 256


def main():
    tls = "--tls" in sys.argv
    argv = [a for a in sys.argv if a != "--tls"]
    port, total = int(argv[1]), int(argv[2])
    host = argv[3] if len(argv) > 3 else "127.0.0.1"
    ctx = None
    if tls:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    request = b"GET / HTTP/1.1\r\nHost: %s:%d\r\n\r\n" % (host.encode(), port)

    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    ep = select.epoll()
    socks, got = {}, {}   # fd -> socket; fd -> response bytes so far (while not settled)
    opened = held = failed = 0
    started = time.monotonic()

    def settle(fd, ok):
        nonlocal held, failed
        del got[fd]
        if ok:
            held += 1
            ep.modify(fd, select.EPOLLRDHUP | select.EPOLLIN)  # now only a close can wake it
        else:
            failed += 1
            ep.unregister(fd)
            socks.pop(fd).close()

    def complete(data):
        end = data.find(b"\r\n\r\n")
        if end < 0:
            return False
        length = 0
        for line in data[:end].split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return len(data) >= end + 4 + length

    while held + failed < total and not stop:
        while opened < total and len(got) < WINDOW:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setblocking(False)
            rc = s.connect_ex((host, port))
            opened += 1
            if rc not in (0, errno.EINPROGRESS):
                s.close()
                failed += 1
                continue
            socks[s.fileno()] = s
            got[s.fileno()] = None  # None: request not sent yet
            ep.register(s.fileno(), select.EPOLLOUT)
        for fd, events in ep.poll(1.0):
            if fd not in got:
                continue
            s = socks[fd]
            if got[fd] is None:
                if events & (select.EPOLLERR | select.EPOLLHUP):
                    settle(fd, False)
                    continue
                if tls and not isinstance(s, ssl.SSLSocket):
                    s = socks[fd] = ctx.wrap_socket(s, server_hostname="localhost", do_handshake_on_connect=False)
                if isinstance(s, ssl.SSLSocket):
                    try:
                        s.do_handshake()
                    except ssl.SSLWantReadError:
                        ep.modify(fd, select.EPOLLIN)
                        continue
                    except ssl.SSLWantWriteError:
                        ep.modify(fd, select.EPOLLOUT)
                        continue
                    except OSError:
                        settle(fd, False)
                        continue
                s.send(request)  # 40 bytes into an empty socket buffer: all of it
                got[fd] = b""
                ep.modify(fd, select.EPOLLIN)
                continue
            try:
                chunk = s.recv(65536)
            except (BlockingIOError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
                continue
            except OSError:
                chunk = b""
            if not chunk:
                settle(fd, False)
                continue
            got[fd] += chunk
            if complete(got[fd]):
                settle(fd, True)
    print("ready %d %d %.2f" % (held, failed, time.monotonic() - started), flush=True)

    closed = 0
    while not stop:
        for fd, _ in ep.poll(0.5):
            if fd in socks:
                ep.unregister(fd)
                socks.pop(fd).close()
                closed += 1
    print("closed-by-server %d" % closed, flush=True)
    for s in socks.values():
        s.close()


if __name__ == "__main__":
    main()
