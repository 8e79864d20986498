#!/usr/bin/env python3
"""jepoll's benchmark system (bench/README.md). One command:

  bench/run quick     plaintext keep-alive c256 and pipelined x16 c256; jepoll LT/ET/nio, Netty, nginx (~5 min)
  bench/run full      every server x every workload, the I/O-model tests, JMH (< 30 min)
  bench/run jmh       the codec micro-benchmarks only
  bench/run static    static files over keep-alive (1 KiB, 64 KiB, 64 MiB, 304): jepoll LT/ET, nginx with and
                      without open_file_cache, jwebserver, Vert.x StaticHandler, Undertow ResourceHandler;
                      heap allocated per request (~12 min; also part of `full`)
  bench/run gzip      a 64 KiB JSON body gzipped per request (levels 1 and 6): jepoll against Netty's
                      HttpContentCompressor and nginx's gzip on (~5 min; not part of `full`)
  bench/run tls       HTTPS: keep-alive hello c64, a 64 KiB file, full and resumed handshakes (a new TLS connection per
                      request), idle TLS connections' heap; jepoll against Netty's SslHandler (JDK provider)
                      and nginx (OpenSSL), an EC P-256 certificate made at run time (~6 min; not part of `full`)
  bench/run main|scaling|idle    one part of `full` (for working on it)
  bench/run uring     the io_uring transport: jepoll io_uring, epoll LT and ET, Netty io_uring and epoll,
                      nginx; keep-alive c16 and c256, pipelined x16, churn; then, untimed, system calls
                      per request (strace -c) of every server and workload (~15 min; not part of `full`)

  bench/run quick --ref REF    also builds git REF (a commit, tag, branch, HEAD~3...) in a temporary
                      worktree (its jar cached by commit id in bench/work/refs/) and measures its jar as
                      jepoll-REF-lt and jepoll-REF-et in the same run, beside the working tree's jepoll;
                      the report starts with new/old ratios. --ref may be given more than once; it applies
                      to the main suite (quick, full, main).

Servers run pinned to CPU 0 (taskset -c 0), one IO thread / event loop / worker each; wrk runs
pinned to CPU 1 with one thread. Results: bench/results/<date>-<what>.md, .tsv, .env and .svg;
logs of the last run in bench/work/logs/.

Knobs (environment):
  ROUNDS          rounds of the main suite, server order rotated each round (default 3)
  MEASURE         seconds of each measured window (quick 5, else 3)
  MEASURE_MINOR   seconds for ka1024, big and echo (default MEASURE - 1 when MEASURE > 2)
  WARMUP          seconds of keep-alive load before measuring a server (quick 5, else 4)
  SERVERS         space-separated server names: a subset of the mode's servers
  WORKLOADS       space-separated workload names: a subset (ka16 ka256 ka1024 pipe churn big echo)
  REF             a git ref, as --ref (space-separated for several)
  REF_MODELS      the jepoll models run from a --ref jar (lt et nio threads virtual; default: lt and et
                  when their working-tree counterpart runs, e.g. only lt with SERVERS="jepoll-lt netty")
  SCALING_CONNS   connection counts of the scaling suite (default "16 256 1000 10000")
  IDLE_COUNTS     idle connections held in the idle suite (default "0 1000 19000")
  IDLE_SERVERS    servers of the idle suite (default jepoll's models, netty, vertx, jdk, nginx)
  BENCH_JVM_OPTS  JVM flags of every Java server (default -Xms1g -Xmx1g -XX:+UseParallelGC ...)
  QUIET_WAIT      seconds to wait for quiet CPUs before each start and window (default 8)
  JMH_WI, JMH_I   JMH warm-up and measurement iterations (default 6, 5)
  SKIP_INSTALL=1  never apt-get install a missing tool
  SYSCALLS=1      strace -c windows (system calls per request) after the main suite's timed ones
                  (on by default in `uring`, off elsewhere)
Static suite (bench/run static; SERVERS and WORKLOADS work there too):
  STATIC_SERVERS    subset of: jepoll-lt jepoll-et nginx nginx-ofc jwebserver vertx undertow (and jepoll-nio)
  STATIC_WORKLOADS  subset of: 1k 64k 64m 304
  STATIC_CONNS      connections for 1k, 64k and 304 (default 64); STATIC_BIG_CONNS for 64m (default 4)
  UNDERTOW_WORKERS  Undertow's worker threads (default 1)
  STATIC_STRACE=0   no untimed strace -c window (syscalls per request, round 1; STATIC_STRACE_WORKLOADS "1k 64m")
  STATIC_ALLOC=0    no allocation measurement; ALLOC_REPS runs per workload (default 3)
TLS suite (bench/run tls; SERVERS and WORKLOADS work there too):
  TLS_SERVERS       subset of: jepoll-lt netty-tls nginx (and jepoll-et)
  TLS_WORKLOADS     subset of: tls-ka64 tls-64k tls-hs tls-resume
  TLS_IDLE          idle TLS connections held for the heap figure (default 5000; 0: none)
Gzip suite (bench/run gzip; SERVERS works there too):
  GZIP_SERVERS      subset of: jepoll-lt netty nginx (and jepoll-et)
  GZIP_LEVELS       deflate levels, one server process each (default "1 6")
  GZIP_CONNS        connections (default 16); GZIP_IDENTITY=0: no window without Accept-Encoding
Example: MEASURE=2 WARMUP=1 ROUNDS=1 SERVERS="jepoll-lt netty" WORKLOADS=pipe bench/run quick --ref HEAD~1
"""
import argparse
import datetime
import os
import resource
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from jepollbench import BENCH, ROOT, gitref, jvm, proc, wrk  # noqa: E402
from jepollbench.jepoll import Jepoll  # noqa: E402
from jepollbench.server import Server, ServerError, free_port, http_request  # noqa: E402

import report  # noqa: E402  (bench/tools/report.py)
from static_suite import StaticSuite  # noqa: E402  (bench/tools/static_suite.py)
from gzip_suite import GzipSuite  # noqa: E402  (bench/tools/gzip_suite.py)
from tls_suite import TlsSuite  # noqa: E402  (bench/tools/tls_suite.py)

MODES = ("quick", "full", "jmh", "main", "scaling", "idle", "static", "gzip", "tls", "uring")
SERVER_CPU, CLIENT_CPU = 0, 1
DEFAULT_JVM_OPTS = ("-Xms1g -Xmx1g -XX:+UseParallelGC --enable-native-access=ALL-UNNAMED "
                    "--sun-misc-unsafe-memory-access=allow")
WORKLOAD_DEFS = {  # name -> (connections, workload.lua mode and argument)
    "ka16": (16, ["plain"]), "ka256": (256, ["plain"]), "ka1024": (1024, ["plain"]),
    "pipe": (256, ["pipeline", "16"]), "churn": (256, ["close"]), "big": (256, ["big"]), "echo": (256, ["echo", "4096"]),
}
MAIN_WORKLOADS = "ka16 ka256 ka1024 pipe churn big echo".split()
QUICK_WORKLOADS = ["ka256", "pipe"]
# The flags of each jepoll model: the command's, and JepollPeer's (the library embedded, for 16 KiB and echo).
MODEL_ARGS = {"lt": ["--transport", "epoll", "--trigger", "level"], "et": ["--transport", "epoll", "--trigger", "edge"],
              "nio": ["--transport", "nio"], "uring": ["--transport", "io_uring", "--no-fallback"], "threads": ["--transport", "threads"], "virtual": ["--transport", "virtual"]}
PEER_ARGS = {"lt": ["epoll", "level"], "et": ["epoll", "edge"], "nio": ["nio", "level"], "uring": ["io_uring", "level"], "threads": ["threads", "level"],
             "virtual": ["virtual", "level"]}
PEERS = {  # name -> main class and arguments after the port
    "netty": ("NettyPeer", ["epoll", "codec"]), "netty-raw": ("NettyPeer", ["epoll", "raw"]),
    "netty-nio": ("NettyPeer", ["nio", "codec"]), "netty-uring": ("NettyPeer", ["io_uring", "codec"]), "vertx": ("VertxPeer", []), "undertow": ("UndertowPeer", []),
    "jdk": ("JdkPeer", ["single"]), "jdk-virtual": ("JdkPeer", ["virtual"]),
    # what a Router costs: the library on epoll LT, one loop, with a few routes, against the bare handler
    "router": ("JepollRouterPeer", ["router"]), "router-bare": ("JepollRouterPeer", ["bare"]),
}
BY_REQUEST_ONLY = ("router", "router-bare", "netty-uring")  # in the main suite only when SERVERS names them
URING_SERVERS = "jepoll-uring jepoll-lt jepoll-et netty-uring netty nginx".split()
URING_WORKLOADS = "ka16 ka256 pipe churn".split()
TSV_HEADER = ("suite round server workload conns idle rps p50_us p99_us connect_err read_err write_err timeout_err "
              "non2xx requests seconds cpu_us_per_req rss_kb heap_kb note server_cpu_pct cpu0_pct cpu1_pct wrk_cpu_pct "
              "other_cpu0_pct other_cpu1_pct cpu0_all_pct cpu1_all_pct bytes mb_s alloc_b_per_req alloc_total_b_per_req").split()
DISTURBED_PCT = 15  # another process took more than this share of a CPU during a window: measure once more


class Fatal(Exception):
    pass


def env_words(name, default=""):
    return os.environ.get(name, default).split()


def env_num(name, default):
    v = os.environ.get(name, "")
    return float(v) if v else default


def secs(v):
    """wrk's -d takes whole seconds best: 2.0 -> 2."""
    return int(v) if float(v).is_integer() else v


class Bench(StaticSuite, GzipSuite, TlsSuite):
    model_args = MODEL_ARGS

    def __init__(self, mode, refs):
        self.mode, self.refs = mode, refs
        self.t_start = time.monotonic()
        self.work = os.path.join(BENCH, "work")
        self.logs = os.path.join(self.work, "logs")
        self.results = os.path.join(BENCH, "results")
        for d in (self.work, self.logs, self.results):
            os.makedirs(d, exist_ok=True)
        self.prefix = os.path.join(self.results, f"{datetime.date.today():%Y-%m-%d}-{mode}")
        self.tsv = self.prefix + ".tsv"
        self.wrk_log = os.path.join(self.logs, "wrk.log")
        self.server = None       # the Server being measured
        self.holder = None       # the idle suite's holder.py process
        self.ref_servers = {}    # name -> (Jepoll of the ref's jar, model)
        self.ref_notes = {}      # name -> "REF = short "subject""
        self.ref_info = []

    # ------------------------------------------------------------------------------------------
    def say(self, msg):
        print(f"[{int(time.monotonic() - self.t_start):4d}s] {msg}", file=sys.stderr, flush=True)

    # ------------------------------------------------------------------------------------------
    # Tools, JDK, builds
    # ------------------------------------------------------------------------------------------
    def install_tools(self):
        need = []
        for tool, pkg in (("wrk", "wrk"), ("taskset", "util-linux"), ("curl", "curl"), ("mvn", "maven"), ("git", "git")):
            if not shutil.which(tool):
                need.append(pkg)
        if not (shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK)):
            need.append("nginx-light")
        if need:
            if os.environ.get("SKIP_INSTALL") == "1":
                raise Fatal(f"missing: {' '.join(need)} (and SKIP_INSTALL=1)")
            self.say(f"installing {' '.join(need)}")
            log = os.path.join(self.logs, "apt.log")
            env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            with open(log, "w") as f:
                subprocess.run(["apt-get", "update", "-qq"], stdout=f, stderr=subprocess.STDOUT, env=env)
                if subprocess.run(["apt-get", "install", "-y", "-qq", *need], stdout=f, stderr=subprocess.STDOUT,
                                  env=env).returncode != 0:
                    # nginx-light is Debian's small build; the plain package serves as well.
                    need = ["nginx" if p == "nginx-light" else p for p in need]
                    if subprocess.run(["apt-get", "install", "-y", "-qq", *need], stdout=f, stderr=subprocess.STDOUT,
                                      env=env).returncode != 0:
                        raise Fatal(f"apt-get install {' '.join(need)} failed (see {log})")
        self.nginx = shutil.which("nginx") or "/usr/sbin/nginx"

    def setup_jdk(self):
        try:
            self.java_home = jvm.find_jdk(ROOT)
        except RuntimeError as e:
            raise Fatal(str(e))
        self.java = os.path.join(self.java_home, "bin", "java")
        # The same flags for every JVM, jepoll included (./jepoll passes JEPOLL_JAVA_OPTS to java).
        self.jvm_opts = os.environ.get("BENCH_JVM_OPTS") or DEFAULT_JVM_OPTS
        os.environ["JEPOLL_JAVA_OPTS"] = self.jvm_opts
        os.environ["JAVA_HOME"] = self.java_home
        self.cp = f"{BENCH}/target/classes:{BENCH}/target/lib/*"
        self.jepoll = Jepoll.working_tree(ROOT, self.jvm_opts)

    def build(self):
        self.say("building jepoll and the bench module")
        log = os.path.join(self.logs, "build.log")
        with open(log, "w") as f:
            p = subprocess.run([os.path.join(ROOT, "mvnw"), "-q", "-Pbench", "-pl", "bench", "-am", "-DskipTests",
                                "package"], cwd=ROOT, stdout=f, stderr=subprocess.STDOUT)
        if p.returncode != 0:
            with open(log) as f:
                sys.stderr.write("".join(f.readlines()[-40:]))
            raise Fatal(f"bench build failed (see {log})")
        # ./jepoll builds its own jar on first use; do it now, outside any measurement.
        try:
            self.jepoll.build()
        except RuntimeError as e:
            raise Fatal(str(e))
        self.transports = ["epoll", "nio"] + [t for t in ("io_uring", "threads", "virtual") if self.jepoll.accepts("--transport", t)]
        self.say(f"jepoll transports: {' '.join(self.transports)}")
        # A long idle timeout: the idle suite holds connections longer than the 60 s default.
        self.cli_extra = ["--idle-timeout", "10m"] if self.jepoll.accepts("--idle-timeout", "10m") else []

    def build_refs(self):
        """Each --ref: its jar (built in a temporary worktree, cached by commit), and the models it serves."""
        # Default: the epoll models (lt, et) whose working-tree counterpart runs in this main suite (both when none).
        models = env_words("REF_MODELS") or [m for m in ("lt", "et") if f"jepoll-{m}" in self.servers_main] or ["lt", "et"]
        for m in models:
            if m not in MODEL_ARGS:
                raise Fatal(f"REF_MODELS: unknown model '{m}' (lt, et, nio, threads, virtual)")
        for ref in self.refs:
            lab = gitref.label(ref)
            try:
                jar, info = gitref.ref_jar(ref, os.path.join(self.work, "refs"), os.path.join(self.logs, f"ref-{lab}-build.log"),
                                           java_home=self.java_home, root=ROOT, say=self.say)
            except RuntimeError as e:
                raise Fatal(str(e))
            self.say(f"ref {ref} = {info['short']} \"{info['subject']}\": {'cached' if info['cached'] else 'built'} {jar}")
            j = Jepoll(jar=jar, java=self.java, java_opts=self.jvm_opts, label=ref)
            extra = ["--idle-timeout", "10m"] if j.accepts("--idle-timeout", "10m") else []
            names = []
            for m in models:
                name = f"jepoll-{lab}-{m}"
                if not j.accepts("--loops", "1", *MODEL_ARGS[m]):
                    self.say(f"  {ref} does not take {' '.join(MODEL_ARGS[m])}: no {name}")
                    continue
                self.ref_servers[name] = (j, m, extra)
                self.ref_notes[name] = info["short"] if info["commit"].startswith(ref) else f"{ref} = {info['short']}"
                names.append(name)
            self.ref_info.append((ref, info, names))

    # ------------------------------------------------------------------------------------------
    # Servers. Each has one or two phases: a process and the workloads it serves. jepoll's own
    # command serves GET / (keep-alive, pipelined, churn); the 16 KiB and echo routes need the
    # embedded peer (JepollPeer), since the command has one handler for every path. A --ref jar
    # runs the command only (its bench module is not built).
    # ------------------------------------------------------------------------------------------
    def jepoll_models(self):
        m = ["jepoll-lt", "jepoll-et", "jepoll-nio"] + (["jepoll-uring"] if "io_uring" in self.transports else [])
        return m + [f"jepoll-{t}" for t in ("threads", "virtual") if t in self.transports]

    def all_servers(self):
        names = self.jepoll_models() + "netty netty-raw netty-nio vertx undertow jdk jdk-virtual nginx python".split()
        return names + list(BY_REQUEST_ONLY) if os.environ.get("SERVERS") else names

    def skipped_note(self):
        n = [f"jepoll-{t}" for t in ("threads", "virtual") if t not in self.transports]
        return f"skipped: {' '.join(n)} (./jepoll --help lists no such --transport yet)" if n else ""

    def phases(self, name):
        if name in self.ref_servers:
            return ["cli"]
        return ["cli", "lib"] if name.startswith("jepoll-") else ["all"]

    @staticmethod
    def phase_serves(name, phase, wl):
        if phase == "cli":
            return wl not in ("big", "echo")
        if phase == "lib":
            return wl in ("big", "echo")
        # The tutorial's server closes every connection, so each of its workloads is churn in
        # disguise: keep the three that say something (and no pipelining, which it cannot do).
        return name != "python" or wl in ("ka16", "ka256", "churn")

    def nginx_conf(self, port):
        d = os.path.join(self.work, "nginx")
        os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
        big = os.path.join(d, "16k.txt")
        if not os.path.exists(big):
            with open(big, "wb") as f:
                f.write(bytes((10 if i % 64 == 63 else 48 + i % 10) for i in range(16384)))
        echo_mod = "/usr/lib/nginx/modules/ngx_http_echo_module.so"
        with open(os.path.join(BENCH, "conf", "nginx.conf.in")) as f:
            conf = f.read().replace("@PORT@", str(port)).replace("@DIR@", d)
        out = []
        if os.path.exists(echo_mod):
            out.append(f"load_module {echo_mod};")
        out.append(conf.rstrip("\n"))
        if os.path.exists(echo_mod):
            out.append("  location = /echo { default_type application/octet-stream; echo_read_request_body; "
                       "echo_request_body; }")
        out += ["  }", "}"]
        with open(os.path.join(d, "nginx.conf"), "w") as f:
            f.write("\n".join(out) + "\n")
        return d

    def server_cmd(self, name, phase, port):
        """The command of a server (without taskset)."""
        java = [self.java, *self.jvm_opts.split(), "-cp", self.cp]
        if phase == "static":
            return self.static_cmd(name, port)
        if phase.startswith("gzip"):
            return self.gzip_cmd(name, int(phase[4:]), port)
        if phase == "tls":
            return self.tls_cmd(name, port)
        if name in self.ref_servers:
            j, model, extra = self.ref_servers[name]
            return j.command("--host", "127.0.0.1", "--port", str(port), "--loops", "1", *extra, *MODEL_ARGS[model])
        if name.startswith("jepoll-"):
            model = name[len("jepoll-"):]
            if phase == "cli":
                return self.jepoll.command("--host", "127.0.0.1", "--port", str(port), "--loops", "1", *self.cli_extra,
                                           *MODEL_ARGS[model])
            return java + ["io.jepoll.bench.peers.JepollPeer", str(port), *PEER_ARGS[model]]
        if name in PEERS:
            cls, args = PEERS[name]
            return java + [f"io.jepoll.bench.peers.{cls}", str(port), *args]
        if name == "nginx":
            d = self.nginx_conf(port)
            return [self.nginx, "-p", d, "-c", os.path.join(d, "nginx.conf"), "-e", os.path.join(d, "error.log")]
        if name == "python":
            return [sys.executable, "-u", os.path.join(HERE, "tutorial_server.py"), str(port)]
        raise Fatal(f"unknown server {name}")

    @staticmethod
    def is_jvm(name):
        return name not in ("nginx", "python")

    def start_server(self, name, phase):
        """Starts and checks a server; None when it did not start or answered wrongly."""
        self.wait_quiet(env_num("QUIET_WAIT", 8))
        port = free_port()
        cmd = self.server_cmd(name, phase, port)
        s = Server(name, cmd, port, cpu=SERVER_CPU, log_path=os.path.join(self.logs, f"{name}-{phase}-{port}.log"),
                   tls=phase == "tls")
        try:
            s.start(timeout=20)
        except ServerError as e:
            self.say(f"{name} ({phase}): {e}")
            return None
        self.server = s
        comm = s.comm()
        expected = {"nginx": ("nginx",), "nginx-ofc": ("nginx",), "python": ("python3", "python"),
                    "jwebserver": ("jwebserver", "java")}.get(name, ("java",))
        if not comm.startswith(expected):
            self.say(f"warning: {name} runs as '{comm}' (pid {s.pid}), not the expected process")
        if not self.verify(name, phase, port):
            self.stop_server()
            return None
        return s

    def verify(self, name, phase, port):
        """Checks the answers this phase will be measured on (the static suite checks its own: check_static)."""
        if phase in ("static", "tls") or phase.startswith("gzip"):
            return True
        try:
            if phase != "lib":
                _, body = http_request(port, "/")
                if body != b"Hello, world!":
                    self.say(f"{name}: GET / answered {body[:60]!r}")
                    return False
            if phase != "cli":
                _, body = http_request(port, "/16k")
                if len(body) != 16384:
                    self.say(f"{name}: GET /16k gave {len(body)} bytes")
                    return False
                try:
                    _, body = http_request(port, "/echo", "POST", b"x" * 4096, {"Content-Type": "application/octet-stream"})
                    ok = body == b"x" * 4096
                except OSError:
                    ok = False
                if not ok:
                    self.say(f"{name}: POST /echo did not echo (echo workload will show errors)")
        except OSError as e:
            self.say(f"{name}: {e!r}")
            return False
        return True

    def stop_server(self):
        if self.server:
            self.server.stop(grace=5)
            self.server = None

    # ------------------------------------------------------------------------------------------
    # Measuring
    # ------------------------------------------------------------------------------------------
    def wait_quiet(self, limit, sample=1.0):
        waited = proc.wait_quiet((SERVER_CPU, CLIENT_CPU), limit, sample)
        if waited > 2:
            self.say(f"  waited {waited:.0f}s for the CPUs to be quiet (other processes running)")

    def run_wrk(self, conns, seconds, mode_args, port=None, path="/", headers=()):
        return wrk.run(port or self.server.port, conns, secs(seconds), log=self.wrk_log, cpu=CLIENT_CPU,
                       script=os.path.join(BENCH, "wrk", "workload.lua"), script_args=mode_args, path=path,
                       headers=headers, scheme="https" if self.server is not None and self.server.tls else "http")

    def row(self, **kw):
        with open(self.tsv, "a") as f:
            f.write("\t".join(str(kw.get(k, "")) for k in TSV_HEADER) + "\n")

    def measure(self, suite, rnd, name, wl, conns, seconds, idle, mode_args, path="/", headers=(), size=None):
        """One window; size: the body's bytes when MB/s is wanted (from every byte wrk read)."""
        pid = self.server.pid
        for attempt in (1, 2):
            self.wait_quiet(env_num("QUIET_WAIT", 8), 0.2)
            s0, t0 = proc.cpu_stat(), proc.cpu_ticks(pid, tree=True)
            r = self.run_wrk(conns, seconds, mode_args, path=path, headers=headers)
            t1, s1 = proc.cpu_ticks(pid, tree=True), proc.cpu_stat()
            ticks, wrk_ticks = t1 - t0, r.cpu_s * proc.CLK_TCK
            span0 = max(s1[SERVER_CPU].total - s0[SERVER_CPU].total, 1)
            span1 = max(s1[CLIENT_CPU].total - s0[CLIENT_CPU].total, 1)
            other0 = 100 * (s1[SERVER_CPU].busy - s0[SERVER_CPU].busy - ticks) / span0
            other1 = 100 * (s1[CLIENT_CPU].busy - s0[CLIENT_CPU].busy - wrk_ticks) / span1
            # Something else took more than 15% of a CPU during the window: measure once more.
            if attempt == 2 or not r.ok or (other0 <= DISTURBED_PCT and other1 <= DISTURBED_PCT):
                break
            self.say(f"  (another process used the CPUs during {name} {wl}: measuring again)")
        rss = proc.rss_kb(pid, tree=True)
        base = dict(suite=suite, round=rnd, server=name, workload=wl, conns=conns, idle=idle, rss_kb=rss)
        if not r.ok:
            self.row(**base, note="wrk failed")
            self.say(f"  {name} {wl} c{conns}: wrk failed")
            return None
        n = r.requests
        server_pct = 100 * ticks / span0
        cpu0_pct = 100 * (s1[SERVER_CPU].busy - s0[SERVER_CPU].busy) / span0
        cpu1_pct = 100 * (s1[CLIENT_CPU].busy - s0[CLIENT_CPU].busy) / span1
        wrk_pct = 100 * wrk_ticks / span1
        v = dict(base, rps=f"{r.rps:.0f}", p50_us=int(r.p50_us), p99_us=int(r.p99_us),
                 connect_err=r.errors["connect"], read_err=r.errors["read"], write_err=r.errors["write"],
                 timeout_err=r.errors["timeout"], non2xx=r.non2xx, requests=n, seconds=f"{r.duration_s:.2f}",
                 cpu_us_per_req=f"{ticks * 1e6 / proc.CLK_TCK / n if n else 0:.2f}",
                 server_cpu_pct=f"{server_pct:.0f}", cpu0_pct=f"{cpu0_pct:.0f}", cpu1_pct=f"{cpu1_pct:.0f}",
                 wrk_cpu_pct=f"{wrk_pct:.0f}", other_cpu0_pct=f"{max(0.0, cpu0_pct - server_pct):.0f}",
                 other_cpu1_pct=f"{max(0.0, cpu1_pct - wrk_pct):.0f}",
                 cpu0_all_pct=f"{proc.cpu_share(s0, s1, SERVER_CPU, 'all'):.0f}",
                 cpu1_all_pct=f"{proc.cpu_share(s0, s1, CLIENT_CPU, 'all'):.0f}",
                 bytes=r.bytes, mb_s=f"{r.bytes / r.duration_s / 1e6:.1f}" if r.duration_s else "")
        self.row(**v)
        e = r.errors
        mbs = f"{v['mb_s']:>8} MB/s  " if size else ""
        self.say(f"  {name:<16} {wl:<7} c{conns:<5} {v['rps']:>8} req/s  {mbs}p50 {r.p50_us / 1000:6.2f} ms  "
                 f"p99 {r.p99_us / 1000:7.2f} ms  cpu {v['cpu_us_per_req']:>6} us/req  "
                 f"err {e['connect']}/{e['read']}/{e['write']}/{e['timeout']} non2xx {r.non2xx}  server {v['server_cpu_pct']}% "
                 f"wrk {v['wrk_cpu_pct']}% cpu0 {v['cpu0_all_pct']}% cpu1 {v['cpu1_all_pct']}% "
                 f"(others {v['other_cpu0_pct']}%, {v['other_cpu1_pct']}%)")
        return r

    # ------------------------------------------------------------------------------------------
    # Suites
    # ------------------------------------------------------------------------------------------
    def suite_main(self, servers, workloads):
        """Round r measures the servers in rotated order: each server is early in one round, late in another."""
        for rnd in range(1, self.rounds + 1):
            self.say(f"main: round {rnd} of {self.rounds}")
            for i in range(len(servers)):
                name = servers[(i + rnd - 1) % len(servers)]
                for phase in self.phases(name):
                    todo = [w for w in workloads if self.phase_serves(name, phase, w)]
                    if not todo:
                        continue
                    if not self.start_server(name, phase):
                        self.row(suite="main", round=rnd, server=name, workload=phase, note="did not start")
                        continue
                    # JIT warm-up on what this process will serve, then each workload once more briefly.
                    if phase == "lib":
                        for w in todo:
                            self.run_wrk(64, self.warmup, WORKLOAD_DEFS[w][1])
                    else:
                        self.run_wrk(256, self.warmup, ["plain"])
                    for w in todo:
                        conns, mode_args = WORKLOAD_DEFS[w]
                        # A code path of its own (batching, closing, large or read bodies): one second of it first.
                        if (phase == "all" and w in ("churn", "pipe", "big", "echo")) or (phase == "cli" and w in ("churn", "pipe")):
                            self.run_wrk(conns, 1, mode_args)
                        seconds = self.measure_minor if w in ("ka1024", "big", "echo") else self.measure_s
                        self.measure("main", rnd, name, w, conns, seconds, 0, mode_args)
                    if rnd == 1 and self.count_syscalls:  # untimed: strace slows the server, only its counts are kept
                        for w in todo:
                            conns, mode_args = WORKLOAD_DEFS[w]
                            self.strace_window(rnd, name, w, conns, "/", (), mode_args=mode_args, suite="syscalls")
                    self.stop_server()

    def suite_scaling(self, servers):
        """jepoll's I/O models against the number of connections: req/s, CPU, then (untimed) RSS and live heap."""
        mem_secs, mem_at = 4, 2
        for name in servers:
            if not self.start_server(name, "cli"):
                continue
            self.run_wrk(256, self.warmup, ["plain"])
            for n in self.scaling_conns:
                self.measure("scaling", 1, name, f"ka{n}", n, self.measure_s, 0, ["plain"])
                # Memory with N connections busy, outside the timed window: a second wrk run holds them
                # while jcmd runs a full GC and reads the heap.
                bg = wrk.Run(self.server.port, n, mem_secs, cpu=CLIENT_CPU, latency=False)
                time.sleep(mem_at)
                rss = proc.rss_kb(self.server.pid, tree=True)
                heap = jvm.live_heap_kb(self.java_home, self.server.pid)
                bg.wait()
                self.row(suite="scaling-mem", round=1, server=name, workload=f"ka{n}", conns=n, idle=0, rss_kb=rss,
                         heap_kb=heap if heap is not None else "", note="under load, after GC.run")
                self.say(f"  {name} c{n}: rss {rss} KiB, live heap {heap if heap is not None else 'n/a'} KiB")
            self.stop_server()

    def start_holder(self, n, tls=False):
        """holder.py pinned to CPU 1 holding n idle connections (TLS ones with tls); (held, failed, seconds) once all
        are settled."""
        out = os.path.join(self.work, "holder.out")
        f = open(out, "w")
        self.holder = subprocess.Popen(["taskset", "-c", str(CLIENT_CPU), sys.executable, "-u",
                                        os.path.join(HERE, "holder.py"), str(self.server.port), str(n)]
                                       + (["--tls"] if tls else []),
                                       stdout=f, stderr=subprocess.STDOUT)
        f.close()
        for _ in range(900):
            if self.holder.poll() is not None:
                break
            with open(out) as g:
                ready = [l for l in g if l.startswith("ready")]
            if ready:
                _, held, failed, took = ready[0].split()
                return int(held), int(failed), took
            time.sleep(0.1)
        return 0, n, "0"

    def stop_holder(self):
        if not self.holder:
            return 0
        if self.holder.poll() is None:
            self.holder.terminate()  # our own child, by its PID
        self.holder.wait()
        self.holder = None
        with open(os.path.join(self.work, "holder.out")) as f:
            closed = [l.split()[1] for l in f if l.startswith("closed-by-server ")]
        return int(closed[0]) if closed else 0

    def suite_idle(self, servers):
        """64 busy connections while N idle ones are held open; memory with N idle (after a full GC).
        jepoll runs with --idle-timeout 10m here; the other servers' defaults are longer than a hold."""
        for name in servers:
            phase = "cli" if name.startswith("jepoll-") else "all"
            if not self.start_server(name, phase):
                continue
            self.run_wrk(64, self.warmup, ["plain"])
            for n in self.idle_counts:
                held, failed, took = self.start_holder(n) if n > 0 else (0, 0, "0")
                self.measure("idle", 1, name, "busy64", 64, self.measure_s, held, ["plain"])
                rss = proc.rss_kb(self.server.pid, tree=True)
                heap = jvm.live_heap_kb(self.java_home, self.server.pid) if self.is_jvm(name) else None
                closed = self.stop_holder()
                self.row(suite="idle-mem", round=1, server=name, workload=f"idle{n}", conns=0, idle=held, rss_kb=rss,
                         heap_kb=heap if heap is not None else "",
                         note=f"held {held}, failed {failed}, set up in {took}s, closed by server {closed}")
                self.say(f"  {name} idle {held} (failed {failed}, {took}s): rss {rss} KiB, live heap "
                         f"{heap if heap is not None else 'n/a'} KiB, closed by server {closed}")
            self.stop_server()

    def suite_jmh(self, out_json):
        self.say("JMH: RequestParser + ResponseEncoder vs Netty's codec (pinned to CPU 0)")
        log = os.path.join(self.logs, "jmh.log")
        cmd = ["taskset", "-c", str(SERVER_CPU), self.java, "-cp", self.cp, "org.openjdk.jmh.Main", "io.jepoll.bench.jmh.*",
               "-f", "1", "-wi", os.environ.get("JMH_WI", "6"), "-w", "1s", "-i", os.environ.get("JMH_I", "5"), "-r", "1s",
               "-t", "1", "-prof", "gc", "-jvmArgs", DEFAULT_JVM_OPTS, "-rf", "json", "-rff", out_json]
        with open(log, "w") as f:
            p = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT)
        with open(log) as f:
            text = f.readlines()
        if p.returncode != 0:
            sys.stderr.write("".join(text[-30:]))
            raise Fatal("JMH failed")
        for line in text:
            if line.startswith(("Benchmark", "CodecBench")) and "gc.count" not in line and "gc.time" not in line \
                    and "churn" not in line:
                sys.stderr.write(line)

    def environment(self):
        def cmd_out(*cmd):
            try:
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
                return (p.stdout + p.stderr).strip().splitlines()[0] if (p.stdout + p.stderr).strip() else ""
            except (OSError, subprocess.TimeoutExpired):
                return ""
        commit = gitref.git("rev-parse", "--short", "HEAD", check=False)
        dirty = subprocess.run(["git", "-C", ROOT, "diff", "--quiet", "HEAD", "--", "core", "cli"]).returncode != 0
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        model = next((l.split(":", 1)[1].strip() for l in lscpu.splitlines() if l.startswith("Model name")), "")
        env = [("date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
               ("mode", self.mode),
               ("commit", commit + (" (+ uncommitted core/cli changes)" if dirty else "")),
               ("cpu", f"{model}, {os.cpu_count()} CPUs"),
               ("kernel", os.uname().release),
               ("java", cmd_out(self.java, "-version")),
               ("jvm_opts", self.jvm_opts),
               ("wrk", " ".join(cmd_out("wrk", "-v").split()[:2])),
               ("nginx", cmd_out(self.nginx, "-v").rsplit("/", 1)[-1]),
               ("python", cmd_out(sys.executable, "--version")),
               ("rounds", self.rounds),
               ("measure_s", f"{self.measure_s:g} ("
                             + ("304" if self.mode == "static" else "identity" if self.mode == "gzip"
                                else "ka1024, big, echo" + (", 304" if self.mode == "full" else ""))
                             + f": {self.measure_minor:g})"),
               ("warmup_s", f"{self.warmup:g}"),
               ("jepoll_transports", " ".join(self.transports))]
        if self.mode in ("static", "full"):
            env += [("static_servers", " ".join(self.static_servers)), ("static_workloads", " ".join(self.static_workloads)),
                    ("static_conns", f"{self.static_conns} (64m: {self.static_big_conns})"),
                    ("static_files", f"{self.static_root}: 1k.bin 1024 B, 64k.bin 65536 B, 64m.bin 67108864 B (random bytes)"),
                    ("undertow_workers", self.undertow_workers)]
        if self.mode == "tls":
            env += self.tls_environment()
        if self.mode == "gzip":
            env += [("gzip_servers", " ".join(self.gzip_servers)), ("gzip_levels", " ".join(map(str, self.gzip_levels))),
                    ("gzip_conns", self.gzip_conns), ("gzip_file", f"{self.gzip_file}: {len(self.gzip_body)} B of JSON")]
        if self.skipped_note():
            env.append(("note", self.skipped_note()))
        for ref, info, names in self.ref_info:
            env.append((f"ref {ref}", f"{info['short']} \"{info['subject']}\" ({'cached jar' if info['cached'] else 'built'}): "
                                      f"{', '.join(names) or 'no model'}; command only (no 16 KiB or echo)"))
        pairs = []
        for name, note in self.ref_notes.items():
            env.append((f"ref_of:{name}", note))
            pairs.append(f"{name}:jepoll-{self.ref_servers[name][1]}")
        if pairs:
            env.append(("ref_pairs", " ".join(pairs)))
        with open(self.prefix + ".env", "w") as f:
            f.write("".join(f"{k}\t{v}\n" for k, v in env))

    # ------------------------------------------------------------------------------------------
    def knobs(self):
        m = self.mode
        # bench/run uring: strace -c windows after the timed ones (SYSCALLS=0: none; SYSCALLS=1 adds them to any main suite)
        self.count_syscalls = os.environ.get("SYSCALLS", "1" if m == "uring" else "0") != "0" and bool(shutil.which("strace"))
        if m == "uring":
            self.rounds, self.measure_s, self.warmup = int(env_num("ROUNDS", 3)), env_num("MEASURE", 5), env_num("WARMUP", 5)
            self.servers_main = self.subset(URING_SERVERS)
            self.workloads_main = self.subset(URING_WORKLOADS, "WORKLOADS")
        elif m == "quick":
            self.rounds, self.measure_s, self.warmup = int(env_num("ROUNDS", 3)), env_num("MEASURE", 5), env_num("WARMUP", 5)
            self.servers_main = self.subset("jepoll-lt jepoll-et jepoll-nio netty nginx".split())
            self.workloads_main = self.subset(QUICK_WORKLOADS, "WORKLOADS")
        elif m in ("full", "main", "scaling", "idle", "static", "gzip", "tls"):
            # The JIT shares CPU 0 with the server: Netty needs about 4 s of load to reach its steady state.
            self.rounds, self.measure_s, self.warmup = int(env_num("ROUNDS", 3)), env_num("MEASURE", 3), env_num("WARMUP", 4)
            self.servers_main = self.subset(self.all_servers())
            # In `full`, jepoll's blocking models (threads, virtual) are compared where the tutorial's
            # argument lives, in the scaling and idle suites; leaving them out of the main suite keeps
            # `full` near 30 minutes on 2 CPUs (35 min with them, measured 2026-11-26).
            if m == "full" and not os.environ.get("SERVERS"):
                self.servers_main = [s for s in self.servers_main if s not in ("jepoll-threads", "jepoll-virtual")]
            self.workloads_main = self.subset(MAIN_WORKLOADS, "WORKLOADS") if m not in ("static", "gzip", "tls") else []
            if m in ("static", "gzip", "tls"):
                self.servers_main = []
        else:
            self.rounds, self.measure_s, self.warmup = 0, 0, 0
            self.servers_main, self.workloads_main = [], []
        self.measure_minor = env_num("MEASURE_MINOR", self.measure_s - 1 if self.measure_s > 2 else self.measure_s)
        self.scaling_conns = [int(x) for x in env_words("SCALING_CONNS", "16 256 1000 10000")]
        self.idle_counts = [int(x) for x in env_words("IDLE_COUNTS", "0 1000 19000")]
        self.idle_servers = env_words("IDLE_SERVERS") or self.jepoll_models() + ["netty", "vertx", "jdk", "nginx"]
        for w in self.workloads_main:
            if w not in WORKLOAD_DEFS:
                raise Fatal(f"unknown workload {w} ({' '.join(WORKLOAD_DEFS)})")
        if m in ("static", "full"):
            try:
                self.static_knobs()
            except RuntimeError as e:
                raise Fatal(str(e))
        if m == "gzip":
            try:
                self.gzip_knobs()
            except RuntimeError as e:
                raise Fatal(str(e))
        if m == "tls":
            try:
                self.tls_knobs()
            except RuntimeError as e:
                raise Fatal(str(e))

    @staticmethod
    def subset(items, var="SERVERS"):
        """items that are in $var (all of them when it is empty), in the order of items."""
        wanted = env_words(var)
        return [x for x in items if not wanted or x in wanted]

    def run(self):
        self.install_tools()
        self.setup_jdk()
        self.build()
        self.knobs()
        if self.refs and self.mode in ("quick", "full", "main"):
            self.build_refs()
            # --ref servers join the main suite, whatever SERVERS says (REF_MODELS chooses them).
            self.servers_main += [s for s in self.ref_servers if s not in self.servers_main]
        elif self.refs:
            self.say(f"--ref applies to the main suite (quick, full, main), not to {self.mode}: ignored")
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = 20000 if hard == resource.RLIM_INFINITY else min(20000, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
        self.say(f"open files: {resource.getrlimit(resource.RLIMIT_NOFILE)[0]}")
        self.environment()
        if self.skipped_note():
            self.say(self.skipped_note())
        if self.mode != "jmh":
            with open(self.tsv, "w") as f:
                f.write("\t".join(TSV_HEADER) + "\n")
        open(self.wrk_log, "w").close()
        m = self.mode
        if m in ("quick", "main", "uring"):
            self.suite_main(self.servers_main, self.workloads_main)
        elif m == "scaling":
            self.suite_scaling(self.subset(self.jepoll_models()))
        elif m == "idle":
            self.suite_idle(self.subset(self.idle_servers))
        elif m == "full":
            self.suite_main(self.servers_main, self.workloads_main)
            self.say(f"scaling: jepoll's I/O models, connections {' '.join(map(str, self.scaling_conns))}")
            self.suite_scaling(self.jepoll_models())
            self.say(f"idle: 64 busy connections with {' '.join(map(str, self.idle_counts))} idle ones held open")
            self.suite_idle(self.idle_servers)
            self.suite_static()
        elif m == "static":
            self.suite_static()
        elif m == "gzip":
            self.suite_gzip()
        elif m == "tls":
            self.suite_tls()
        if m in ("full", "jmh"):
            self.suite_jmh(self.prefix + "-jmh.json")
        self.say("writing the report")
        try:
            md = report.write(self.prefix)
        except Exception as e:  # noqa: BLE001 - the rows are written; say so, and how to retry
            raise Fatal(f"report failed ({e!r}); the rows are in {self.tsv}: bench/tools/report.py {self.prefix}")
        took = int(time.monotonic() - self.t_start)
        self.say(f"done in {took // 60} min {took % 60} s: {md}")
        failed = getattr(self, "static_failed", []) + getattr(self, "gzip_failed", []) + getattr(self, "tls_failed", [])
        if failed:
            for f in failed:
                self.say(f"CHECK FAILED {f}")
            raise Fatal(f"{len(failed)} failed check(s): those windows are missing or wrong")

    def cleanup(self):
        if self.holder and self.holder.poll() is None:
            self.holder.terminate()
            self.holder.wait()
        self.stop_server()


def main():
    ap = argparse.ArgumentParser(prog="bench/run", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
                                 usage="bench/run [quick|full|jmh|main|scaling|idle|static|gzip|tls] [--ref GIT-REF]...")
    ap.add_argument("mode", nargs="?", default="quick", help=argparse.SUPPRESS)
    ap.add_argument("--ref", action="append", default=[], metavar="GIT-REF",
                    help="also measure the jepoll jar of this git ref, side by side (repeatable; or REF=...)")
    a = ap.parse_args()
    if a.mode == "help":
        ap.print_help()
        return 0
    if a.mode not in MODES:
        print(f"bench/run: unknown mode '{a.mode}' ({', '.join(MODES)})", file=sys.stderr)
        return 2
    refs = a.ref + env_words("REF")
    b = Bench(a.mode, list(dict.fromkeys(refs)))

    def on_signal(signum, _frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_signal)
    try:
        b.run()
        return 0
    except Fatal as e:
        b.say(f"error: {e}")
        return 1
    except KeyboardInterrupt:
        b.say("interrupted")
        return 130
    finally:
        b.cleanup()


if __name__ == "__main__":
    sys.exit(main())
