#!/usr/bin/env python3
"""The epoll tutorial's server, rewritten for the benchmark: one process, one level-triggered
epoll loop, non-blocking sockets. It reads a request until the end of its head (and its body,
for POST), answers with HTTP/1.0, shuts the connection down and closes it: one request per
connection, as in the tutorial. Routes as every peer: GET / -> "Hello, world!", GET /16k ->
16 KiB, POST /echo -> the request body.

Usage: tutorial_server.py PORT
"""
import select
import socket
import sys
import time
from email.utils import formatdate

HELLO = b"Hello, world!"
BIG = bytes((10 if i % 64 == 63 else 48 + i % 10) for i in range(16 * 1024))
END = b"\r\n\r\n"


def response(body, content_type=b"text/plain"):
    head = b"HTTP/1.0 200 OK\r\nDate: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n" % (
        formatdate(time.time(), usegmt=True).encode(), content_type, len(body))
    return head + body


def body_length(head):
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


def answer(data):
    """The response for a complete request in data, or None while it is incomplete."""
    end = data.find(END)
    if end < 0:
        return None
    head = data[:end]
    want = body_length(head)
    body = data[end + 4:]
    if len(body) < want:
        return None
    method, _, rest = head.partition(b" ")
    path = rest.split(b" ", 1)[0]
    if method == b"POST":
        return response(body[:want], b"application/octet-stream")
    return response(BIG if path == b"/16k" else HELLO)


def main():
    port = int(sys.argv[1])
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(4096)
    listener.setblocking(False)

    ep = select.epoll()
    ep.register(listener.fileno(), select.EPOLLIN)  # level-triggered: no EPOLLET anywhere
    sockets, inbox, outbox = {}, {}, {}
    print("tutorial_server listening on http://127.0.0.1:%d/" % port, flush=True)
    try:
        while True:
            for fd, events in ep.poll(1):
                if fd == listener.fileno():
                    try:
                        conn, _ = listener.accept()
                    except BlockingIOError:
                        continue
                    conn.setblocking(False)
                    sockets[conn.fileno()] = conn
                    inbox[conn.fileno()] = b""
                    ep.register(conn.fileno(), select.EPOLLIN)
                elif events & select.EPOLLIN:
                    conn = sockets[fd]
                    try:
                        chunk = conn.recv(65536)
                    except (BlockingIOError, InterruptedError):
                        continue
                    except OSError:
                        chunk = b""
                    if not chunk:  # the client went away before asking anything
                        ep.unregister(fd)
                        conn.close()
                        del sockets[fd], inbox[fd]
                        continue
                    inbox[fd] += chunk
                    reply = answer(inbox[fd])
                    if reply is not None:
                        outbox[fd] = reply
                        ep.modify(fd, select.EPOLLOUT)
                elif events & select.EPOLLOUT:
                    conn = sockets[fd]
                    try:
                        sent = conn.send(outbox[fd])
                    except (BlockingIOError, InterruptedError):
                        continue
                    except OSError:
                        sent = len(outbox[fd])
                    outbox[fd] = outbox[fd][sent:]
                    if not outbox[fd]:
                        # All sent: stop watching, say goodbye both ways; the HUP below closes it.
                        ep.modify(fd, 0)
                        try:
                            conn.shutdown(socket.SHUT_RDWR)
                        except OSError:
                            pass
                if events & select.EPOLLHUP and fd in sockets:
                    ep.unregister(fd)
                    sockets.pop(fd).close()
                    inbox.pop(fd, None)
                    outbox.pop(fd, None)
    except KeyboardInterrupt:
        pass
    finally:
        ep.unregister(listener.fileno())
        ep.close()
        listener.close()


if __name__ == "__main__":
    main()
