"""The gzip suite of bench/run (`bench/run gzip`): one 64 KiB JSON body compressed again for every request,
keep-alive, jepoll (the library with Compression.gzip()) against Netty's HttpContentCompressor and nginx's
`gzip on`, at each level of GZIP_LEVELS (default 1 and 6: nginx's default and zlib's, which Netty uses).

A mixin of driver.Bench: it uses the driver's start/stop, measure() and rows. Workloads (bench/README.md):

    gzipN      GET /64k.json with Accept-Encoding: gzip, the server at level N, GZIP_CONNS (16) connections
    identity   GET /64k.json without Accept-Encoding (the level-1 process): the same body sent as it is,
               to see what compressing costs on top of serving it

Each server process is checked before it is measured: with Accept-Encoding: gzip the answer is 200,
Content-Encoding gzip, and decompresses to the file byte for byte; without, the file itself. A failed check
is printed as CHECK FAILED, that process is not measured, and bench/run exits 1 at the end.
"""
import gzip
import http.client
import json
import os
import random

GZIP_SERVERS = ["jepoll-lt", "netty", "nginx"]
GZIP_OPTIONAL = ["jepoll-et"]  # GZIP_SERVERS="... jepoll-et" adds it
GZIP_PATH = "/64k.json"
GZIP_SIZE = 64 * 1024
ACCEPT_GZIP = "Accept-Encoding: gzip"


def json_body(size=GZIP_SIZE, seed=20261202):
    """A JSON document of exactly size bytes, the same on every run: an API's list of users, with ids, names,
    e-mails, dates, numbers and tags, the mix of repetition and variety that real JSON has (it compresses
    about 5 to 7 times, like typical API answers)."""
    rnd = random.Random(seed)
    first = ["ada", "grace", "linus", "ken", "barbara", "edsger", "donald", "margaret", "alan", "frances",
             "john", "radia", "dennis", "leslie", "tim", "sophie"]
    last = ["lovelace", "hopper", "torvalds", "thompson", "liskov", "dijkstra", "knuth", "hamilton", "turing",
            "allen", "mccarthy", "perlman", "ritchie", "lamport", "berners-lee", "wilson"]
    tags = ["admin", "beta", "billing", "ops", "eu", "us", "apac", "mobile", "desktop", "api", "sso", "trial"]
    head, tail = '{"page":1,"per_page":250,"users":[', ']}'
    items, n, i = [], len(head) + len(tail), 0
    while True:
        f, l = rnd.choice(first), rnd.choice(last)
        item = json.dumps({
            "id": 100000 + i * 7 + rnd.randrange(7), "login": f"{f}.{l}{rnd.randrange(100)}",
            "name": f"{f.title()} {l.title()}", "email": f"{f}.{l}@example.{rnd.choice(['com', 'org', 'net'])}",
            "active": rnd.random() < 0.8, "score": round(rnd.random() * 1000, 2),
            "created_at": f"20{rnd.randrange(15, 27)}-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d}T"
                          f"{rnd.randrange(24):02d}:{rnd.randrange(60):02d}:{rnd.randrange(60):02d}Z",
            "tags": rnd.sample(tags, rnd.randrange(4)),
        }, separators=(",", ":"))
        if n + len(item) + 1 > size:
            break
        items.append(item)
        n += len(item) + 1
        i += 1
    doc = head + ",".join(items) + tail
    doc = doc[:-2] + " " * (size - len(doc)) + tail  # JSON whitespace pads it to the exact size
    assert len(doc) == size
    return doc.encode("ascii")


class GzipSuite:
    def gzip_knobs(self):
        self.gzip_levels = [int(x) for x in os.environ.get("GZIP_LEVELS", "1 6").split()]
        for lv in self.gzip_levels:
            if not 1 <= lv <= 9:
                raise RuntimeError(f"GZIP_LEVELS: {lv} is not a level (1 to 9)")
        self.gzip_conns = int(os.environ.get("GZIP_CONNS", "16"))
        self.gzip_identity = os.environ.get("GZIP_IDENTITY", "1") != "0"
        wanted = (os.environ.get("GZIP_SERVERS") or (os.environ.get("SERVERS", "") if self.mode == "gzip" else "")).split()
        self.gzip_servers = [s for s in GZIP_SERVERS + GZIP_OPTIONAL if (s in wanted if wanted else s in GZIP_SERVERS)]
        d = os.path.join(self.work, "gzip")
        os.makedirs(d, exist_ok=True)
        self.gzip_file = os.path.join(d, "64k.json")
        body = json_body()
        if not os.path.exists(self.gzip_file) or open(self.gzip_file, "rb").read() != body:
            with open(self.gzip_file, "wb") as f:
                f.write(body)
        self.gzip_body = body
        self.gzip_failed = []

    def gzip_cmd(self, name, level, port):
        java = [self.java, *self.jvm_opts.split(), "-cp", self.cp]
        if name in ("jepoll-lt", "jepoll-et"):
            trigger = "edge" if name.endswith("-et") else "level"
            return java + ["io.jepoll.bench.peers.JepollGzipPeer", str(port), self.gzip_file, str(level), "epoll", trigger]
        if name == "netty":
            return java + ["io.jepoll.bench.peers.NettyGzipPeer", str(port), self.gzip_file, str(level)]
        if name == "nginx":
            d = os.path.join(self.work, "nginx-gzip")
            os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
            with open(os.path.join(os.path.dirname(self.work), "conf", "nginx-gzip.conf.in")) as f:
                conf = (f.read().replace("@PORT@", str(port)).replace("@DIR@", d).replace("@FILE@", self.gzip_file)
                        .replace("@LEVEL@", str(level)))
            with open(os.path.join(d, "nginx.conf"), "w") as f:
                f.write(conf)
            return [self.nginx, "-p", d, "-c", os.path.join(d, "nginx.conf"), "-e", os.path.join(d, "error.log")]
        raise RuntimeError(f"unknown gzip server {name}")

    def check_gzip(self, port):
        """(problem or None, compressed length, Vary) of the server on port: gzip when asked, identity when not."""
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            c.request("GET", GZIP_PATH, headers={"Accept-Encoding": "gzip"})
            r = c.getresponse()
            body, enc, vary = r.read(), r.getheader("Content-Encoding"), r.getheader("Vary") or "none"
            if r.status != 200 or enc != "gzip":
                return f"asked for gzip: status {r.status}, Content-Encoding {enc!r}", 0, vary
            try:
                plain = gzip.decompress(body)
            except (OSError, EOFError) as e:
                return f"the gzip body does not decode: {e}", len(body), vary
            if plain != self.gzip_body:
                return f"the gzip body decodes to {len(plain)} bytes that differ from the file", len(body), vary
            if r.will_close:
                return "the server closes the connection (no keep-alive)", len(body), vary
            c.request("GET", GZIP_PATH)
            r = c.getresponse()
            ident = r.read()
            if r.getheader("Content-Encoding") or ident != self.gzip_body:
                return f"without Accept-Encoding: Content-Encoding {r.getheader('Content-Encoding')!r}, " \
                       f"{len(ident)} bytes", len(body), vary
            return None, len(body), vary
        except (OSError, http.client.HTTPException) as e:
            return f"{type(e).__name__}: {e}", 0, "none"
        finally:
            c.close()

    def suite_gzip(self):
        servers, levels = self.gzip_servers, self.gzip_levels
        self.say(f"gzip: {' '.join(servers)} x levels {' '.join(map(str, levels))}, {GZIP_SIZE} B of JSON, "
                 f"c{self.gzip_conns}")
        conns = self.gzip_conns
        for rnd in range(1, self.rounds + 1):
            self.say(f"gzip: round {rnd} of {self.rounds}")
            for i in range(len(servers)):
                name = servers[(i + rnd - 1) % len(servers)]
                for li, level in enumerate(levels):
                    wl = f"gzip{level}"
                    if not self.start_server(name, wl):
                        self.row(suite="gzip", round=rnd, server=name, workload=wl, note="did not start")
                        self.gzip_failed.append(f"{name} level {level} did not start (round {rnd})")
                        continue
                    why, size, vary = self.check_gzip(self.server.port)
                    if rnd == 1 or why:
                        note = why or f"ok: {size} B gzip ({GZIP_SIZE / size:.2f}x smaller), Vary: {vary}"
                        self.row(suite="gzip-check", round=rnd, server=name, workload=wl, bytes=size, note=note)
                        self.say(f"  {name} level {level}: {'CHECK FAILED ' if why else ''}{note}")
                    if why:
                        self.gzip_failed.append(f"{name} level {level}: {why}")
                        self.stop_server()
                        continue
                    self.run_wrk(conns, self.warmup, ["plain"], path=GZIP_PATH, headers=[ACCEPT_GZIP])
                    self.measure("gzip", rnd, name, wl, conns, self.measure_s, 0, ["plain"], path=GZIP_PATH,
                                 headers=[ACCEPT_GZIP], size=size)
                    if li == 0 and self.gzip_identity:
                        self.run_wrk(conns, 1, ["plain"], path=GZIP_PATH)
                        self.measure("gzip", rnd, name, "identity", conns, self.measure_minor, 0, ["plain"],
                                     path=GZIP_PATH, size=GZIP_SIZE)
                    self.stop_server()
