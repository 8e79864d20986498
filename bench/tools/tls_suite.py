"""The TLS suite of bench/run (`bench/run tls`): HTTPS against jepoll (the library, JepollTlsPeer), Netty's
SslHandler with the JDK provider (NettyTlsPeer: the same JSSE engine jepoll drives) and nginx (OpenSSL), one event
loop / worker each, the same EC P-256 certificate, made by openssl at the start of every run in bench/work/tls/
(never committed).

A mixin of driver.Bench: it uses the driver's start/stop, measure() and rows. Workloads (bench/README.md):

    tls-ka64    GET / (13 bytes), keep-alive, 64 connections
    tls-64k     GET /64k.bin, a 64 KiB file read and encrypted per request (no sendfile under TLS), 64 connections
    tls-hs      full handshakes: 16 `openssl s_time -new -www /` clients on CPU 1, each connecting, shaking hands
                without a session to resume (so the server signs with its P-256 key every time), GET / over
                HTTP/1.0 and closing, one after the other: req/s is full handshakes per second
    tls-resume  GET / with Connection: close through wrk, 64 connections: a new TCP connection and TLS handshake
                per request, but wrk's OpenSSL client resumes the session (TLS 1.3 tickets: checked against nginx
                with $ssl_session_reused, 2609 of 2613 resumed), so no certificate signature

Then, in round 1, the heap of idle TLS connections: the live heap (after a full GC) with none and with TLS_IDLE
(5000) held by holder.py --tls (each shook hands, asked GET / and stays idle), and the RSS both times (Netty's
buffers are direct memory, outside the heap).

Each server is checked before it is measured: GET / is the greeting and GET /64k.bin the file, byte for byte, over
TLS; `openssl s_client` records the protocol, cipher and key exchange group it negotiates with OpenSSL's client.
"""
import os
import random
import re
import socket
import subprocess
import time

from jepollbench import jvm, proc
from jepollbench.server import client_tls

TLS_SERVERS = ["jepoll-lt", "netty-tls", "nginx"]
TLS_OPTIONAL = ["jepoll-et"]
TLS_WORKLOADS = {  # name -> (connections, workload.lua mode, path)
    "tls-ka64": (64, ["plain"], "/"),
    "tls-64k": (64, ["plain"], "/64k.bin"),
    "tls-hs": (16, None, "/"),
    "tls-resume": (64, ["close"], "/"),
}
SERVER_CPU, CLIENT_CPU = 0, 1  # as in driver.py
FILE_NAME, FILE_SIZE = "64k.bin", 64 * 1024


class TlsSuite:
    def tls_knobs(self):
        wanted = (os.environ.get("TLS_SERVERS") or os.environ.get("SERVERS", "")).split()
        self.tls_servers = [s for s in TLS_SERVERS + TLS_OPTIONAL if (s in wanted if wanted else s in TLS_SERVERS)]
        wl = (os.environ.get("TLS_WORKLOADS") or os.environ.get("WORKLOADS", "")).split()
        for w in wl:
            if w not in TLS_WORKLOADS:
                raise RuntimeError(f"unknown TLS workload {w} ({' '.join(TLS_WORKLOADS)})")
        self.tls_workloads = [w for w in TLS_WORKLOADS if not wl or w in wl]
        self.tls_idle = int(os.environ.get("TLS_IDLE", "5000"))
        d = os.path.join(self.work, "tls")
        self.tls_files = os.path.join(d, "files")
        os.makedirs(self.tls_files, exist_ok=True)
        self.tls_cert, self.tls_key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
        for f in (self.tls_cert, self.tls_key):
            if os.path.exists(f):
                os.remove(f)
        p = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                            "-keyout", self.tls_key, "-out", self.tls_cert, "-days", "2", "-subj", "/CN=localhost",
                            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(f"openssl req failed: {p.stderr.strip()[-300:]}")
        os.chmod(self.tls_key, 0o600)
        body = random.Random(20261202).randbytes(FILE_SIZE)
        path = os.path.join(self.tls_files, FILE_NAME)
        if not os.path.exists(path) or open(path, "rb").read() != body:
            with open(path, "wb") as f:
                f.write(body)
        self.tls_body = body
        self.tls_failed = []
        self.tls_negotiated = {}

    def tls_environment(self):
        return [("tls_servers", " ".join(self.tls_servers)), ("tls_workloads", " ".join(self.tls_workloads)),
                ("tls_certificate", "EC P-256 (prime256v1), self-signed, made by openssl req at the start of the run"),
                ("tls_file", f"{FILE_NAME}: {FILE_SIZE} random bytes"), ("tls_idle", str(self.tls_idle))]

    def tls_cmd(self, name, port):
        java = [self.java, *self.jvm_opts.split(), "-cp", self.cp]
        if name in ("jepoll-lt", "jepoll-et"):
            trigger = "edge" if name.endswith("-et") else "level"
            return java + ["io.jepoll.bench.peers.JepollTlsPeer", str(port), self.tls_cert, self.tls_key, self.tls_files,
                           "epoll", trigger]
        if name == "netty-tls":
            return java + ["io.jepoll.bench.peers.NettyTlsPeer", str(port), self.tls_cert, self.tls_key, self.tls_files]
        if name == "nginx":
            d = os.path.join(self.work, "nginx-tls")
            os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
            with open(os.path.join(os.path.dirname(self.work), "conf", "nginx-tls.conf.in")) as f:
                conf = (f.read().replace("@PORT@", str(port)).replace("@DIR@", d).replace("@CERT@", self.tls_cert)
                        .replace("@KEY@", self.tls_key).replace("@FILES@", self.tls_files))
            with open(os.path.join(d, "nginx.conf"), "w") as f:
                f.write(conf)
            return [self.nginx, "-p", d, "-c", os.path.join(d, "nginx.conf"), "-e", os.path.join(d, "error.log")]
        raise RuntimeError(f"unknown TLS server {name}")

    def check_tls(self, port):
        """A problem, or None: GET / and GET /64k.bin over one TLS connection, kept alive between them."""
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
                with client_tls().wrap_socket(raw, server_hostname="localhost") as s:
                    f = s.makefile("rb")
                    for path, want in (("/", b"Hello, world!"), ("/" + FILE_NAME, self.tls_body)):
                        s.sendall(b"GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n" % path.encode())
                        status = f.readline()
                        length = None
                        while True:
                            line = f.readline()
                            if line in (b"\r\n", b""):
                                break
                            k, _, v = line.partition(b":")
                            if k.strip().lower() == b"content-length":
                                length = int(v)
                        body = f.read(length) if length is not None else b""
                        if not status.startswith(b"HTTP/1.1 200") or body != want:
                            return f"GET {path}: {status.strip()!r}, {len(body)} bytes (want {len(want)})"
        except OSError as e:
            return f"{type(e).__name__}: {e}"
        return None

    def negotiated(self, port):
        """What OpenSSL's client and the server agree on: "TLSv1.3 TLS_AES_256_GCM_SHA384 X25519"."""
        try:
            p = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost",
                                "-brief"], input="", capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired) as e:
            return f"openssl s_client: {e}"
        out = p.stdout + p.stderr
        version = re.search(r"Protocol version: (\S+)", out)
        cipher = re.search(r"Ciphersuite: (\S+)", out)
        group = re.search(r"(?:Negotiated TLS1.3 group|Server Temp Key): ([^\n,]+)", out)
        return " ".join(m.group(1).strip() for m in (version, cipher, group) if m) or out.strip()[-120:]

    def suite_tls(self):
        servers = self.tls_servers
        self.say(f"tls: {' '.join(servers)} x {' '.join(self.tls_workloads)}; idle TLS connections: {self.tls_idle}")
        for rnd in range(1, self.rounds + 1):
            self.say(f"tls: round {rnd} of {self.rounds}")
            for i in range(len(servers)):
                name = servers[(i + rnd - 1) % len(servers)]
                if not self.start_server(name, "tls"):
                    self.row(suite="tls", round=rnd, server=name, workload="start", note="did not start")
                    self.tls_failed.append(f"{name} did not start (round {rnd})")
                    continue
                why = self.check_tls(self.server.port)
                if rnd == 1 or why:
                    agreed = self.negotiated(self.server.port)
                    note = f"CHECK FAILED {why}" if why else f"ok: {agreed}"
                    self.row(suite="tls-check", round=rnd, server=name, workload="check", note=note)
                    self.say(f"  {name}: {note}")
                if why:
                    self.tls_failed.append(f"{name}: {why}")
                    self.stop_server()
                    continue
                self.run_wrk(64, self.warmup, ["plain"])
                for wl in self.tls_workloads:
                    conns, mode_args, path = TLS_WORKLOADS[wl]
                    if wl == "tls-hs":
                        self.full_handshakes(None, name, wl, conns, 2)  # the handshake's code compiled first, untimed
                        self.full_handshakes(rnd, name, wl, conns, self.measure_s)
                        continue
                    if wl != "tls-ka64":
                        self.run_wrk(conns, 2, mode_args, path=path)  # its own code path: two seconds of it first
                    self.measure("tls", rnd, name, wl, conns, self.measure_s, 0, mode_args, path=path,
                                 size=FILE_SIZE if wl == "tls-64k" else None)
                if rnd == 1 and self.tls_idle > 0:
                    self.tls_idle_memory(name)
                self.stop_server()

    def full_handshakes(self, rnd, name, wl, clients, seconds):
        """clients `openssl s_time -new` on CPU 1 for whole seconds; a row like measure()'s unless rnd is None."""
        pid, port = self.server.pid, self.server.port
        if rnd is not None:
            self.wait_quiet(float(os.environ.get("QUIET_WAIT", "8")), 0.2)
        seconds = max(1, int(seconds))
        s0, t0, start = proc.cpu_stat(), proc.cpu_ticks(pid, tree=True), time.monotonic()
        ps = [subprocess.Popen(["taskset", "-c", str(CLIENT_CPU), "openssl", "s_time", "-connect", f"127.0.0.1:{port}",
                                "-new", "-time", str(seconds), "-www", "/"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL) for _ in range(clients)]
        done, client_s = 0, 0.0
        for p in ps:
            out = p.stdout.read().decode(errors="replace")
            p.stdout.close()
            _, _, ru = os.wait4(p.pid, 0)  # our own child: its CPU time
            client_s += ru.ru_utime + ru.ru_stime
            m = re.search(r"(\d+) connections in \d+ real seconds", out)
            done += int(m.group(1)) if m else 0
        wall = time.monotonic() - start
        t1, s1 = proc.cpu_ticks(pid, tree=True), proc.cpu_stat()
        if rnd is None:
            return
        ticks = t1 - t0
        span0 = max(s1[SERVER_CPU].total - s0[SERVER_CPU].total, 1)
        span1 = max(s1[CLIENT_CPU].total - s0[CLIENT_CPU].total, 1)
        server_pct = 100 * ticks / span0
        cpu0_pct = 100 * (s1[SERVER_CPU].busy - s0[SERVER_CPU].busy) / span0
        cpu1_pct = 100 * (s1[CLIENT_CPU].busy - s0[CLIENT_CPU].busy) / span1
        client_pct = 100 * client_s * proc.CLK_TCK / span1
        rps = done / wall if wall else 0
        self.row(suite="tls", round=rnd, server=name, workload=wl, conns=clients, idle=0, rps=f"{rps:.0f}",
                 requests=done, seconds=f"{wall:.2f}", cpu_us_per_req=f"{ticks * 1e6 / proc.CLK_TCK / done if done else 0:.2f}",
                 server_cpu_pct=f"{server_pct:.0f}", cpu0_pct=f"{cpu0_pct:.0f}", cpu1_pct=f"{cpu1_pct:.0f}",
                 wrk_cpu_pct=f"{client_pct:.0f}", other_cpu0_pct=f"{max(0.0, cpu0_pct - server_pct):.0f}",
                 other_cpu1_pct=f"{max(0.0, cpu1_pct - client_pct):.0f}",
                 cpu0_all_pct=f"{proc.cpu_share(s0, s1, SERVER_CPU, 'all'):.0f}",
                 cpu1_all_pct=f"{proc.cpu_share(s0, s1, CLIENT_CPU, 'all'):.0f}", rss_kb=proc.rss_kb(pid, tree=True),
                 note="openssl s_time -new")
        self.say(f"  {name:<16} {wl:<7} {clients} s_time {rps:>8.0f} full handshakes/s  cpu "
                 f"{ticks * 1e6 / proc.CLK_TCK / done if done else 0:8.1f} us/handshake  server {server_pct:.0f}% "
                 f"clients {client_pct:.0f}% cpu1 {cpu1_pct:.0f}%")

    def tls_idle_memory(self, name):
        """Live heap (JVMs) and RSS with no idle connection, then with tls_idle idle TLS ones held."""
        pid = self.server.pid
        time.sleep(3)  # the last window's connections are gone (a closing one lingers up to 2 s), so none is counted
        for n in (0, self.tls_idle):
            held, failed, took = self.start_holder(n, tls=True) if n > 0 else (0, 0, "0")
            rss = proc.rss_kb(pid, tree=True)
            heap = None
            if self.is_jvm(name):  # the lower of two full GCs: the first may still free what the load left behind
                heaps = [h for h in (jvm.live_heap_kb(self.java_home, pid) for _ in range(2)) if h is not None]
                heap = min(heaps) if heaps else None
            closed = self.stop_holder() if n > 0 else 0
            self.row(suite="tls-idle", round=1, server=name, workload=f"idle{n}", conns=0, idle=held, rss_kb=rss,
                     heap_kb=heap if heap is not None else "",
                     note=f"held {held}, failed {failed}, set up in {took}s, closed by server {closed}")
            self.say(f"  {name} idle TLS {held} (failed {failed}, {took}s): rss {rss} KiB, live heap "
                     f"{heap if heap is not None else 'n/a'} KiB, closed by server {closed}")
