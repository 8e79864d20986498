"""The static-file suite of bench/run (`bench/run static`, and part of `full`): files from a directory,
keep-alive, jepoll against nginx, jwebserver, Vert.x's StaticHandler and Undertow's ResourceHandler.

A mixin of driver.Bench: it uses the driver's start/stop, measure() and rows. Workloads (bench/README.md):

    1k     GET /1k.bin, a 1 KiB file, STATIC_CONNS (64) connections
    64k    GET /64k.bin, 64 KiB, STATIC_CONNS connections
    64m    GET /64m.bin, 64 MiB, STATIC_BIG_CONNS (4) connections: throughput (MB/s = 10^6 bytes/s)
    304    GET /1k.bin with If-None-Match: <the server's own ETag> (If-Modified-Since: <its Last-Modified>
           for a server that sends no ETag): every answer 304

Before any window, each server is checked on every workload it will be measured on (status,
Content-Length, the body byte for byte, keep-alive kept, an ETag where one is expected, 304 for the
revalidation); a failed check is printed as CHECK FAILED, recorded, that workload is not measured for
that server, and bench/run exits 1 at the end.
"""
import http.client
import os
import signal
import subprocess
import time

from jepollbench import proc
from jepollbench.server import free_port

STATIC_FILES = {"1k.bin": 1024, "64k.bin": 64 * 1024, "64m.bin": 64 * 1024 * 1024}
# name -> (file, what)
STATIC_WORKLOADS = {"1k": "1k.bin", "64k": "64k.bin", "64m": "64m.bin", "304": "1k.bin"}
STATIC_ORDER = ["1k", "64k", "64m", "304"]
STATIC_SERVERS = "jepoll-lt jepoll-et nginx nginx-ofc jwebserver vertx undertow".split()
STATIC_OPTIONAL = ["jepoll-nio", "jepoll-uring"]  # STATIC_SERVERS="... jepoll-nio" adds it (FileChannel.transferTo)
ETAG_EXPECTED = ("jepoll-", "nginx")  # servers whose defaults send an ETag (Vert.x and Undertow: Last-Modified only)
NO_CONDITIONAL = {"jwebserver": "jwebserver sends no ETag and ignores If-Modified-Since (always 200)"}
FILES_MTIME = 1_767_225_600  # 2026-01-01T00:00:00Z: whole seconds, long past (no "modified this second" rules)


class StaticSuite:
    # ------------------------------------------------------------------------------------------
    # Files, servers
    # ------------------------------------------------------------------------------------------
    def static_dir(self):
        """bench/work/static with the suite's files, written once (the same files for every server)."""
        d = os.path.join(self.work, "static")
        os.makedirs(d, exist_ok=True)
        for name, size in STATIC_FILES.items():
            path = os.path.join(d, name)
            if not (os.path.exists(path) and os.path.getsize(path) == size):
                with open(path + ".tmp", "wb") as f:
                    left = size
                    while left:  # random bytes: nothing a server could compress
                        n = min(left, 1 << 20)
                        f.write(os.urandom(n))
                        left -= n
                os.replace(path + ".tmp", path)
            if int(os.stat(path).st_mtime) != FILES_MTIME or os.stat(path).st_mtime_ns % 1_000_000_000:
                os.utime(path, (FILES_MTIME, FILES_MTIME))
        return d

    def static_content(self, name):
        if not hasattr(self, "_static_bytes"):
            self._static_bytes = {}
        if name not in self._static_bytes:
            with open(os.path.join(self.static_root, name), "rb") as f:
                self._static_bytes[name] = f.read()
        return self._static_bytes[name]

    def nginx_static_conf(self, name, port):
        d = os.path.join(self.work, name)
        os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
        ofc = "open_file_cache max=1000 inactive=20s;" if name == "nginx-ofc" else "open_file_cache off;"
        with open(os.path.join(os.path.dirname(self.work), "conf", "nginx-static.conf.in")) as f:
            conf = (f.read().replace("@PORT@", str(port)).replace("@DIR@", d).replace("@ROOT@", self.static_root)
                    .replace("@OPEN_FILE_CACHE@", ofc))
        with open(os.path.join(d, "nginx.conf"), "w") as f:
            f.write(conf)
        return d

    def jwebserver(self):
        j = os.path.join(self.java_home, "bin", "jwebserver")
        return j if os.access(j, os.X_OK) else None

    def static_cmd(self, name, port):
        java = [self.java, *self.jvm_opts.split(), "-cp", self.cp]
        if name == "jepoll-alloc":
            return java + ["io.jepoll.bench.peers.JepollStaticPeer", str(port), str(self.alloc_port), self.static_root,
                           "epoll", "level"]
        if name.startswith("jepoll-"):
            model = name[len("jepoll-"):]
            return self.jepoll.command("--host", "127.0.0.1", "--port", str(port), "--loops", "1",
                                       "--dir", self.static_root, *self.model_args[model])
        if name in ("nginx", "nginx-ofc"):
            d = self.nginx_static_conf(name, port)
            return [self.nginx, "-p", d, "-c", os.path.join(d, "nginx.conf"), "-e", os.path.join(d, "error.log")]
        if name == "jwebserver":
            # The JDK's launcher: its JVM takes the same flags as every other (-J), request log off (-o none),
            # as nginx's access log is.
            return [self.jwebserver(), *[f"-J{o}" for o in self.jvm_opts.split()], "-b", "127.0.0.1", "-p", str(port),
                    "-d", self.static_root, "-o", "none"]
        if name == "vertx":
            return java + ["io.jepoll.bench.peers.VertxStaticPeer", str(port), self.static_root]
        if name == "undertow":
            return java + ["io.jepoll.bench.peers.UndertowStaticPeer", str(port), self.static_root,
                           str(self.undertow_workers)]
        raise RuntimeError(f"unknown static server {name}")

    # ------------------------------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------------------------------
    def check_static(self, name, port, workloads):
        """Checks every workload the server will be measured on, on one keep-alive connection.
        Returns {workload: None (ok) or the reason it failed or is unsupported}, and sets
        self.static_reval[name] = the header wrk sends for 304."""
        out = {}
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        facts = {}
        try:
            for wl in workloads:
                fname = STATIC_WORKLOADS[wl]
                want = self.static_content(fname)
                if wl != "304" or fname not in facts:
                    c.request("GET", "/" + fname)
                    r = c.getresponse()
                    body = r.read()
                    problems = []
                    if r.status != 200:
                        problems.append(f"status {r.status}")
                    cl = r.getheader("Content-Length")
                    if cl != str(len(want)):
                        problems.append(f"Content-Length {cl!r}, not {len(want)}")
                    if body != want:
                        problems.append(f"body of {len(body)} bytes differs from the file")
                    if r.will_close:
                        problems.append("the server closes the connection (no keep-alive)")
                    etag = r.getheader("ETag")
                    if not etag and name.startswith(ETAG_EXPECTED):
                        problems.append("no ETag")
                    facts[fname] = (etag, r.getheader("Last-Modified"), r.getheader("Content-Type"))
                    if wl != "304":
                        out[wl] = "; ".join(problems) or None
                        self.static_facts.setdefault(name, {})[fname] = facts[fname]
                        if problems:
                            continue
                if wl == "304":
                    etag, lm, _ = facts[fname]
                    if etag:
                        header = f"If-None-Match: {etag}"
                    elif lm:
                        header = f"If-Modified-Since: {lm}"
                    else:
                        out[wl] = "unsupported: no ETag, no Last-Modified"
                        continue
                    k, _, v = header.partition(": ")
                    c.request("GET", "/" + fname, headers={k: v})
                    r = c.getresponse()
                    body = r.read()
                    if r.status != 304:
                        why = NO_CONDITIONAL.get(name, "")
                        out[wl] = (f"unsupported: {why}" if why else "") or f"{header} answered {r.status}, not 304"
                        continue
                    if body or r.will_close:
                        out[wl] = f"304 with a body of {len(body)} bytes" if body else "304 closed the connection"
                        continue
                    self.static_reval[name] = header
                    out[wl] = None
        except (OSError, http.client.HTTPException) as e:
            for wl in workloads:
                out.setdefault(wl, f"{type(e).__name__}: {e}")
        finally:
            c.close()
        return out

    # ------------------------------------------------------------------------------------------
    # Untimed looks: threads that worked, syscalls per request
    # ------------------------------------------------------------------------------------------
    @staticmethod
    def thread_note(before, after):
        """"name 97%, name 2%": each thread's share of the CPU time the server's process tree used between two
        samples (threads of one name summed; shares under 1% left out)."""
        used = {}
        for tid, (_, tname, t1) in after.items():
            t0 = before.get(tid, (0, tname, 0))[2]
            if t1 - t0 > 0:
                used[tname] = used.get(tname, 0) + t1 - t0
        parts = sorted(used.items(), key=lambda kv: -kv[1])
        total = sum(used.values()) or 1
        return ", ".join(f"{n} {100 * t / total:.0f}%" for n, t in parts if 100 * t / total >= 1) or "none"

    def strace_window(self, rnd, name, wl, conns, path, headers, mode_args=("plain",), suite="static-strace"):
        """Syscalls per request, counted by `strace -c -f` on the server's process tree during an untimed
        wrk run (strace slows the server; only the counts are kept)."""
        out = os.path.join(self.logs, f"strace-{name}-{wl}.txt")
        pids = proc.tree_pids(self.server.pid)
        cmd = ["strace", "-c", "-f", "-o", out]
        for p in pids:
            cmd += ["-p", str(p)]
        st = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        time.sleep(1.0)  # strace attaches to every thread first
        r = self.run_wrk(conns, 2, list(mode_args), path=path, headers=headers)
        st.send_signal(signal.SIGINT)  # our own strace, by its PID: it prints its table and detaches
        try:
            st.wait(timeout=20)
        except subprocess.TimeoutExpired:
            st.kill()
            st.wait()
        calls = {}
        try:
            with open(out) as f:
                for line in f:
                    p = line.split()
                    # % time, seconds, usecs/call, calls, [errors,] syscall
                    if len(p) >= 5 and p[0].replace(".", "").isdigit() and p[-1] != "total":
                        calls[p[-1]] = int(p[3])
        except OSError:
            pass
        if not r.ok or not r.requests or not calls:
            self.say(f"  {name} {wl}: strace gave nothing (see {out})")
            return
        # The futex, epoll and timer calls of idle threads are counted too: they are per request only in a loose sense.
        per = sorted(((k, v / r.requests) for k, v in calls.items()), key=lambda kv: -kv[1])
        total = sum(v for _, v in per)
        note = " ".join(f"{k}={v:.2f}" for k, v in per if v >= 0.01)
        self.row(suite=suite, round=rnd, server=name, workload=wl, conns=conns, requests=r.requests,
                 note=f"total={total:.2f} {note}")
        self.say(f"  {name} {wl}: {total:.1f} syscalls/request under strace: {note[:160]}")

    # ------------------------------------------------------------------------------------------
    # The suite
    # ------------------------------------------------------------------------------------------
    def static_knobs(self):
        self.static_root = self.static_dir()
        self.static_conns = int(os.environ.get("STATIC_CONNS", "64"))
        self.static_big_conns = int(os.environ.get("STATIC_BIG_CONNS", "4"))
        self.undertow_workers = int(os.environ.get("UNDERTOW_WORKERS", "1"))
        wanted = (os.environ.get("STATIC_SERVERS") or (os.environ.get("SERVERS", "") if self.mode == "static" else "")).split()
        servers = [s for s in STATIC_SERVERS + STATIC_OPTIONAL if (s in wanted if wanted else s in STATIC_SERVERS)]
        if "jwebserver" in servers and not self.jwebserver():
            self.say(f"no {self.java_home}/bin/jwebserver: jwebserver skipped")
            servers.remove("jwebserver")
        self.static_servers = servers
        wl = (os.environ.get("STATIC_WORKLOADS") or (os.environ.get("WORKLOADS", "") if self.mode == "static" else "")).split()
        for w in wl:
            if w not in STATIC_WORKLOADS:
                raise RuntimeError(f"unknown static workload {w} ({' '.join(STATIC_ORDER)})")
        self.static_workloads = [w for w in STATIC_ORDER if not wl or w in wl]
        self.static_strace = os.environ.get("STATIC_STRACE", "1") != "0" and bool(_which("strace"))
        self.static_strace_wl = [w for w in os.environ.get("STATIC_STRACE_WORKLOADS", "1k 64m").split()
                                 if w in self.static_workloads]
        self.static_alloc = os.environ.get("STATIC_ALLOC", "1") != "0"
        self.static_facts, self.static_reval, self.static_failed = {}, {}, []

    def static_window(self, wl):
        """(connections, path, extra headers, seconds) of a workload for the server being measured."""
        conns = self.static_big_conns if wl == "64m" else self.static_conns
        headers = [self.static_reval[self.server.name]] if wl == "304" else []
        seconds = self.measure_minor if wl == "304" else self.measure_s
        return conns, "/" + STATIC_WORKLOADS[wl], headers, seconds

    def warm_static(self, todo):
        """JIT warm-up on the 1 KiB file, then one second of each other workload."""
        first = "1k" if "1k" in todo else todo[0]
        conns, path, headers, _ = self.static_window(first)
        self.run_wrk(conns, self.warmup, ["plain"], path=path, headers=headers)
        for w in todo:
            if w != first:
                conns, path, headers, _ = self.static_window(w)
                self.run_wrk(conns, 1, ["plain"], path=path, headers=headers)

    def sane(self, name, wl, r):
        """What wrk read must fit the workload: whole 64 MiB bodies, small 304s, 1 KiB bodies."""
        if not r or not r.requests:
            return
        size = STATIC_FILES[STATIC_WORKLOADS[wl]]
        per = r.bytes / r.requests
        bad = (wl == "304" and per >= 1024) or (wl != "304" and r.bytes < r.requests * size) or r.non2xx
        if bad:
            msg = f"{name} {wl}: wrk read {per:,.0f} bytes per request ({r.non2xx} non-2xx/3xx): not this workload's answers"
            self.say("  CHECK FAILED " + msg)
            self.static_failed.append(msg)

    def suite_static(self):
        servers, workloads = self.static_servers, self.static_workloads
        self.say(f"static: {' '.join(servers)} x {' '.join(workloads)}; files in {self.static_root}")
        for rnd in range(1, self.rounds + 1):
            self.say(f"static: round {rnd} of {self.rounds}")
            for i in range(len(servers)):
                name = servers[(i + rnd - 1) % len(servers)]
                if not self.start_server(name, "static"):
                    self.row(suite="static", round=rnd, server=name, workload="start", note="did not start")
                    self.static_failed.append(f"{name} did not start (round {rnd})")
                    continue
                checks = self.check_static(name, self.server.port, workloads)
                for wl, why in checks.items():
                    facts = self.static_facts.get(name, {}).get(STATIC_WORKLOADS[wl], (None, None, None))
                    if wl == "304":
                        ok = f"ok: {self.static_reval.get(name, '')}"
                    else:
                        ok = f"ok: ETag {facts[0] or 'none'}; Last-Modified {facts[1] or 'none'}; Content-Type {facts[2]}"
                    if rnd == 1:
                        self.row(suite="static-check", round=rnd, server=name, workload=wl, note=why or ok)
                    if why and not why.startswith("unsupported"):
                        msg = f"{name} {wl}: {why}"
                        self.say(f"  CHECK FAILED {msg}")
                        self.static_failed.append(msg)
                    elif why and rnd == 1:
                        self.say(f"  {name} {wl}: {why}: not measured")
                todo = [w for w in workloads if checks.get(w) is None]
                if not todo:
                    self.stop_server()
                    continue
                self.warm_static(todo)
                for wl in todo:
                    conns, path, headers, seconds = self.static_window(wl)
                    t0 = proc.thread_ticks(self.server.pid, tree=True) if rnd == 1 and wl in ("1k", "64m") else None
                    r = self.measure("static", rnd, name, wl, conns, seconds, 0, ["plain"], path=path, headers=headers,
                                     size=STATIC_FILES[STATIC_WORKLOADS[wl]])
                    self.sane(name, wl, r)
                    if t0 is not None:
                        note = self.thread_note(t0, proc.thread_ticks(self.server.pid, tree=True))
                        self.row(suite="static-threads", round=rnd, server=name, workload=wl, note=note)
                        self.say(f"  {name} {wl} threads: {note}")
                if rnd == 1 and self.static_strace:
                    for wl in self.static_strace_wl:
                        if wl in todo:
                            conns, path, headers, _ = self.static_window(wl)
                            self.strace_window(rnd, name, wl, conns, path, headers)
                self.stop_server()
        if self.static_alloc:
            self.static_allocation()

    # ------------------------------------------------------------------------------------------
    # Allocation per request
    # ------------------------------------------------------------------------------------------
    def alloc_sample(self):
        import socket
        with socket.create_connection(("127.0.0.1", self.alloc_port), timeout=5) as s:
            s.sendall(b"sample\n")
            data = b""
            while not data.endswith(b"\n"):
                chunk = s.recv(256)
                if not chunk:
                    break
                data += chunk
        return {k: int(v) for k, v in (p.split("=") for p in data.decode().split())}

    def static_allocation(self):
        """Heap bytes allocated by jepoll's loop thread per request: JepollStaticPeer (StaticFiles, one loop,
        epoll level-triggered) read before and after each wrk run, three runs per workload."""
        self.alloc_port = free_port()
        name = "jepoll-alloc"
        self.say("static: heap allocated per request (JepollStaticPeer, loop thread's allocation counter)")
        if not self.start_server(name, "static"):
            self.static_failed.append("jepoll-alloc did not start")
            return
        workloads = [w for w in self.static_workloads]
        checks = self.check_static(name, self.server.port, workloads)
        todo = [w for w in workloads if checks.get(w) is None]
        for w, why in checks.items():
            if why:
                self.say(f"  CHECK FAILED jepoll-alloc {w}: {why}")
                self.static_failed.append(f"jepoll-alloc {w}: {why}")
        # Twice the warm-up: allocation depends on what C2 has compiled (escape analysis), more than speed does.
        self.warm_static(todo)
        self.warm_static(todo)
        reps = int(os.environ.get("ALLOC_REPS", "3"))
        for wl in todo:
            conns, path, headers, seconds = self.static_window(wl)
            for rep in range(1, reps + 1):
                a = self.alloc_sample()
                r = self.run_wrk(conns, seconds, ["plain"], path=path, headers=headers)
                b = self.alloc_sample()
                n = b["requests"] - a["requests"]
                if not r.ok or n <= 0:
                    self.say(f"  jepoll-alloc {wl}: no requests counted")
                    continue
                loop = (b["loop_alloc"] - a["loop_alloc"]) / n
                total = (b["total_alloc"] - a["total_alloc"]) / n
                self.row(suite="static-alloc", round=rep, server=name, workload=wl, conns=conns, requests=n,
                         rps=f"{r.rps:.0f}", alloc_b_per_req=f"{loop:.1f}", alloc_total_b_per_req=f"{total:.1f}",
                         note=f"wrk counted {r.requests}")
                self.say(f"  jepoll-alloc {wl} c{conns}: {n} requests, loop thread {loop:,.1f} B/request, "
                         f"all threads {total:,.1f} B/request ({r.rps:,.0f} req/s)")
        self.stop_server()


def _which(tool):
    import shutil
    return shutil.which(tool)
