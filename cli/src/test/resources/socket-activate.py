"""Runs a command the way systemd socket activation starts a service (sd_listen_fds(3)).

Opens a listening TCP socket on 127.0.0.1 and a free port, puts it on descriptor 3, sets LISTEN_FDS=1 and
LISTEN_PID to this process's id, which the command keeps since it replaces this process (exec), prints
"port N" and becomes the command: socket-activate.py COMMAND [ARGS...]. With LISTEN_PID=other it names
another process instead, which the command must ignore.
"""
import os
import socket
import sys

sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", 0))
sock.listen(128)
port = sock.getsockname()[1]
if sock.fileno() != 3:
    os.dup2(sock.fileno(), 3)  # the copy on 3 is inheritable
    sock.close()
else:
    os.set_inheritable(3, True)
os.environ["LISTEN_FDS"] = "1"
os.environ["LISTEN_PID"] = str(os.getpid() + 1 if os.environ.get("LISTEN_PID") == "other" else os.getpid())
print("port", port, flush=True)
os.execv(sys.argv[1], sys.argv[1:])
