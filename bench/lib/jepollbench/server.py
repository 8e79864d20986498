"""Starts a server pinned to one CPU and stops it, by its PID only.

    s = Server("jepoll", ["./jepoll", "--port", str(port)], port, cpu=0, log_path="x.log")
    s.start()          # raises ServerError (with the log's tail) if it exits or never accepts a connection
    ... s.pid ...
    code = s.stop()    # SIGTERM, then SIGKILL after `grace` seconds; the exit code

The command runs as `taskset -c CPU command...`: taskset execs the command, so when the command
execs too (./jepoll execs java), s.pid is the server process itself. Readiness: a TCP connection
to 127.0.0.1:port is accepted and answers an HTTP request (any status); over TLS with tls=True
(the certificate is not checked: it is the bench's own).
"""
import http.client
import os
import resource
import signal
import socket
import ssl
import subprocess
import tempfile
import time

from . import proc


class ServerError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_request(port, path="/", method="GET", body=None, headers=None, timeout=5.0, host="127.0.0.1"):
    """One request on a fresh connection: (status, body bytes); raises OSError/HTTPException on failure."""
    c = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def http_status(port, path="/", timeout=5.0):
    """The status of a GET on a fresh connection, or the error's name."""
    try:
        return http_request(port, path, timeout=timeout)[0]
    except (OSError, http.client.HTTPException) as e:
        return type(e).__name__


def client_tls():
    """A TLS client context that accepts any certificate: the bench talks to its own servers on the loopback."""
    c = ssl.create_default_context()
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    return c


def answers(port, timeout=1.0, host="127.0.0.1", tls=False):
    """True when the port accepts a connection and answers a GET / with any HTTP status line."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw:
            s = client_tls().wrap_socket(raw, server_hostname="localhost") if tls else raw
            s.sendall(b"GET / HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n\r\n" % (host.encode(), port))
            return s.recv(16).startswith(b"HTTP/")
    except OSError:
        return False


class Server:
    def __init__(self, name, cmd, port, cpu=0, log_path=None, ulimit_n=None, env=None, cwd=None, tls=False):
        self.name, self.cmd, self.port, self.cpu, self.tls = name, list(cmd), port, cpu, tls
        self.ulimit_n, self.env, self.cwd = ulimit_n, env, cwd
        self.own_log = log_path is None
        self.log_path = log_path or tempfile.mkstemp(prefix=f"{name}-", suffix=".log")[1]
        self.proc = None
        self.exit_code = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def _limits(self):
        # Soft and hard: the JVM raises its soft limit to the hard one at start (-XX:+MaxFDLimit).
        resource.setrlimit(resource.RLIMIT_NOFILE, (self.ulimit_n, self.ulimit_n))

    def start(self, timeout=30.0):
        cmd = (["taskset", "-c", str(self.cpu)] if self.cpu is not None else []) + self.cmd
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         env=self.env, cwd=self.cwd,
                                         preexec_fn=self._limits if self.ulimit_n else None)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if answers(self.port, tls=self.tls):
                return self
            if self.proc.poll() is not None:
                self.exit_code = self.proc.returncode
                pid, self.proc = self.proc.pid, None
                raise ServerError(f"{self.name} (pid {pid}) exited at start with code {self.exit_code}: "
                                  f"{self.log_tail(5)}")
            time.sleep(0.1)
        self.stop()
        raise ServerError(f"{self.name} did not answer on 127.0.0.1:{self.port} within {timeout:g} s: {self.log_tail(5)}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def comm(self):
        return proc.comm(self.pid) if self.pid else ""

    def stop(self, grace=5.0):
        """SIGTERM (a graceful stop), SIGKILL after `grace` s; returns the exit code (-9: killed)."""
        if self.proc is None:
            return self.exit_code
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # Popen signals its own child by PID
            try:
                self.proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.exit_code = self.proc.returncode
        self.proc = None
        return self.exit_code

    def log_text(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def log_tail(self, n=3):
        return " | ".join(self.log_text().strip().splitlines()[-n:])

    def first_log_line(self):
        lines = self.log_text().splitlines()
        return lines[0] if lines else ""

    def remove_log(self):
        if self.own_log:
            try:
                os.remove(self.log_path)
            except OSError:
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
