#!/usr/bin/env python3
"""Turns what bench/run measured into a Markdown report with SVG charts (stdlib only).

Usage: report.py PREFIX      reads PREFIX.tsv, PREFIX.env and PREFIX-jmh.json where present;
                             writes PREFIX.md and PREFIX-<chart>.svg.

Medians: per server and workload, over the rounds whose window no other process disturbed (more
than 15% of CPU 0 or CPU 1 taken by something else), or over all rounds when every one was.
Ratios against Netty and nginx are taken within a round, then their median.
"""
import csv
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from jepollbench import svgchart  # noqa: E402

REFERENCE = "netty"      # the codec-based Netty peer
SECOND_REFERENCE = "nginx"
DISTURBED = 15.0         # % of a CPU used by others during a window

WORKLOADS = {
    "ka16": "plaintext keep-alive, 16 connections",
    "ka256": "plaintext keep-alive, 256 connections",
    "ka1024": "plaintext keep-alive, 1024 connections",
    "pipe": "plaintext pipelined x16, 256 connections",
    "churn": "connection churn (Connection: close), 256 connections",
    "big": "16 KiB response, 256 connections",
    "echo": "4 KiB POST echo, 256 connections",
}
SERVER_NOTES = {
    "jepoll-lt": "jepoll, epoll level-triggered",
    "jepoll-et": "jepoll, epoll edge-triggered",
    "jepoll-nio": "jepoll, java.nio",
    "jepoll-uring": "jepoll, io_uring (multishot accept and receive, provided buffers, batched sends)",
    "jepoll-threads": "jepoll, blocking, platform thread per connection",
    "jepoll-virtual": "jepoll, blocking, virtual threads",
    "netty": "Netty 4.2 epoll + HttpServerCodec",
    "netty-raw": "Netty 4.2 epoll, pre-encoded responses, no codec",
    "netty-nio": "Netty 4.2 NIO + HttpServerCodec",
    "netty-uring": "Netty 4.2 io_uring (JNI) + HttpServerCodec",
    "vertx": "Vert.x 5, 1 event loop",
    "undertow": "Undertow 2.4, 1 IO thread",
    "jdk": "JDK HttpServer, 1-thread executor",
    "jdk-virtual": "JDK HttpServer, virtual threads",
    "nginx": "nginx, 1 worker",
    "python": "tutorial's Python epoll server (closes each connection)",
}


def num(v):
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f  # NaN (JMH's error of a single iteration) is no number


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=0, unit=""):
    if v is None:
        return "–"
    if digits == 0:
        return f"{v:,.0f}{unit}"
    return f"{v:,.{digits}f}{unit}"


def ratio(v):
    return "–" if v is None else f"{v:.2f}×"


# ------------------------------------------------------------------------------------------------
# Colours (the charts themselves: bench/lib/jepollbench/svgchart.py, shared with soak/)
# ------------------------------------------------------------------------------------------------

PALETTE = ["#d62728", "#ff7f0e", "#bcbd22", "#9467bd", "#e377c2", "#1f77b4", "#17becf", "#2ca02c",
           "#8c564b", "#7f7f7f", "#393b79", "#637939", "#843c39", "#7b4173"]
REF_PAIRS = {}  # a --ref server -> the working tree's server it is compared with (from PREFIX.env)


def lighter(color):
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#%02x%02x%02x" % tuple((v + 255 * 2) // 3 for v in (r, g, b))


def color_for(name, i=0):
    if name in REF_PAIRS:
        return lighter(color_for(REF_PAIRS[name], i))
    order = list(SERVER_NOTES)
    return PALETTE[order.index(name) % len(PALETTE)] if name in order else PALETTE[i % len(PALETTE)]


def svg_bars(path, title, items, unit, note=""):
    return svgchart.write(path, svgchart.bars(title, items, unit, note))


def svg_lines(path, title, xs, series, xlabel, ylabel, logx=True):
    """One line chart: series = [(name, [y or None per x], color)]."""
    panel = svgchart.Panel("", [svgchart.Series(n, xs, ys, c) for n, ys, c in series], y_label=ylabel)
    return svgchart.write(path, svgchart.lines([panel], title=title, x_label=xlabel, width=820, panel_height=340,
                                               logx=logx, x_ticks=xs, markers=True))


# ------------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------------

def read_rows(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def disturbed(r):
    return (num(r.get("other_cpu0_pct")) or 0) > DISTURBED or (num(r.get("other_cpu1_pct")) or 0) > DISTURBED


SOCKET_ERRORS = ("connect_err", "read_err", "write_err", "timeout_err")


def error_count(rows, with_non2xx=False):
    """wrk's socket errors over rows (and non-2xx answers, for the tables that have no column of their own)."""
    keys = SOCKET_ERRORS + (("non2xx",) if with_non2xx else ())
    return sum(int(num(r.get(k)) or 0) for r in rows for k in keys)


def dagger(rows):
    """The table's mark for a figure whose every round was disturbed by another process."""
    return " †" if all(disturbed(r) for r in rows) else ""


def chosen(rows):
    """The rows a median is taken over: the undisturbed ones, or all when none is."""
    clean = [r for r in rows if not disturbed(r)]
    return clean or rows


def limit_of(rows):
    """What bounded a measurement, from the CPU shares of its windows."""
    server = med([num(r.get("server_cpu_pct")) for r in rows])
    cpu0 = med([num(r.get("cpu0_all_pct")) for r in rows])
    cpu1 = med([num(r.get("cpu1_all_pct")) for r in rows])
    if server is None:
        return "–"
    if server >= 90 or (cpu0 or 0) >= 95:
        return f"server ({server:.0f}% CPU)"
    if (cpu1 or 0) >= 90:
        return f"wrk (CPU 1 {cpu1:.0f}%)"
    return f"neither (server {server:.0f}%, wrk CPU {cpu1:.0f}%)"


def read_env(prefix):
    env = {}
    if os.path.exists(prefix + ".env"):
        for line in open(prefix + ".env"):
            k, _, v = line.rstrip("\n").partition("\t")
            env[k] = v
    return env


def main():
    print(write(sys.argv[1]))


def write(prefix):
    """Writes PREFIX.md and the charts; returns the report's path."""
    base = os.path.basename(prefix)
    rows = read_rows(prefix + ".tsv")
    env = read_env(prefix)
    # "ref_pairs": the servers of a --ref jar and their working-tree counterparts, "old:new old:new"
    REF_PAIRS.clear()
    for pair in env.get("ref_pairs", "").split():
        old, _, new = pair.partition(":")
        REF_PAIRS[old] = new
        SERVER_NOTES.setdefault(old, f"{SERVER_NOTES.get(new, new)}, at {env.get('ref_of:' + old, 'another ref')}")
    md = [f"# jepoll benchmark: {base}", ""]
    if env:
        md += ["| | |", "|---|---|"] + [f"| {k} | {v} |" for k, v in env.items()
                                         if k != "ref_pairs" and not k.startswith("ref_of:")] + [""]
    md += ["Servers pinned to CPU 0 (`taskset -c 0`, one IO thread / event loop / worker each), "
           "`wrk -t1` pinned to CPU 1. Medians over the rounds (server order rotated each round); "
           "ratios are computed within a round, then their median. **CPU µs/req** = server "
           "utime+stime (whole process tree) over the measured window / requests. **Limit**: "
           "*server* when the server used ≥ 90% of CPU 0, *wrk* when CPU 1 was ≥ 90% busy "
           "(wrk plus its loopback softirqs). Rows marked † were measured while another process "
           "took > 15% of a CPU in every round (the machine is shared). Method: `bench/README.md`.", ""]

    main_rows = [r for r in rows if r["suite"] == "main" and num(r.get("rps")) is not None]
    if main_rows and REF_PAIRS:
        md += ref_section(main_rows, env)
    if main_rows:
        md += main_section(prefix, main_rows, [r for r in rows if r["suite"] == "main" and r.get("note") == "did not start"])
    syscalls = [r for r in rows if r["suite"] == "syscalls"]
    if syscalls or any(r["server"] == "jepoll-uring" for r in main_rows):
        import uring_report  # bench/tools/uring_report.py (it imports this module's helpers)
        md += uring_report.section(main_rows, syscalls)
    scaling = [r for r in rows if r["suite"] in ("scaling", "scaling-mem")]
    if scaling:
        md += scaling_section(prefix, scaling)
    idle = [r for r in rows if r["suite"] in ("idle", "idle-mem")]
    if idle:
        md += idle_section(prefix, idle)
    static = [r for r in rows if r["suite"].startswith("static")]
    if static:
        md += static_section(prefix, static)
    gz = [r for r in rows if r["suite"].startswith("gzip")]
    if gz:
        import gzip_report  # bench/tools/gzip_report.py (it imports this module's helpers)
        md += gzip_report.section(prefix, gz)
    tls = [r for r in rows if r["suite"].startswith("tls")]
    if tls:
        import tls_report  # bench/tools/tls_report.py (it imports this module's helpers)
        md += tls_report.section(prefix, tls)
    jmh_path = prefix + "-jmh.json"
    if os.path.exists(jmh_path):
        md += jmh_section(jmh_path)
    with open(prefix + ".md", "w") as f:
        f.write("\n".join(md).rstrip() + "\n")
    return prefix + ".md"


def by(rows, *keys):
    out = {}
    for r in rows:
        out.setdefault(tuple(r[k] for k in keys), []).append(r)
    return out


def round_ratio(rows_all, server, wl, ref, field):
    """Median over rounds of field(server)/field(ref), same round; undisturbed rounds when there are any."""
    mine = {r["round"]: r for r in rows_all if r["server"] == server and r["workload"] == wl}
    theirs = {r["round"]: r for r in rows_all if r["server"] == ref and r["workload"] == wl}
    pairs = [(mine[k], theirs[k]) for k in mine if k in theirs]
    clean = [p for p in pairs if not disturbed(p[0]) and not disturbed(p[1])]
    pairs = clean or pairs
    vals = []
    for a, b in pairs:
        x, y = num(a.get(field)), num(b.get(field))
        if x is not None and y:
            vals.append(x / y)
    return med(vals)


def ref_section(rows, env):
    """The working tree against another git ref (bench/run --ref): new/old within a round, then the median."""
    md = ["## Working tree against " + ", ".join(sorted({env.get("ref_of:" + o, o) for o in REF_PAIRS})), "",
          "Both jars ran in the same run, one after the other in each round (order rotated), with the same JVM "
          "flags and pinning. **new/old** is the working tree's figure divided by the ref's, computed within "
          "each round, then the median: req/s above 1 and CPU µs/req below 1 are improvements.", "",
          "| workload | model | req/s new | req/s old | req/s new/old | CPU µs/req new | CPU µs/req old | CPU new/old |",
          "|---|---|---:|---:|---:|---:|---:|---:|"]
    groups = by(rows, "server", "workload")

    def stat(server, wl, field):
        g = groups.get((server, wl))
        return med([num(r.get(field)) for r in chosen(g)]) if g else None

    for wl in WORKLOADS:
        for old, new in REF_PAIRS.items():
            if (old, wl) not in groups or (new, wl) not in groups:
                continue
            md.append(f"| {wl} | {new} vs {old} | {fmt(stat(new, wl, 'rps'))} | {fmt(stat(old, wl, 'rps'))} | "
                      f"{ratio(round_ratio(rows, new, wl, old, 'rps'))} | {fmt(stat(new, wl, 'cpu_us_per_req'), 2)} | "
                      f"{fmt(stat(old, wl, 'cpu_us_per_req'), 2)} | {ratio(round_ratio(rows, new, wl, old, 'cpu_us_per_req'))} |")
    md.append("")
    return md


def main_section(prefix, rows, failed):
    md = ["## Servers × workloads", ""]
    servers = []
    for r in rows:
        if r["server"] not in servers:
            servers.append(r["server"])
    workloads = [w for w in WORKLOADS if any(r["workload"] == w for r in rows)]
    groups = by(rows, "server", "workload")

    def stat(server, wl, field):
        g = groups.get((server, wl))
        vals = [num(r.get(field)) for r in chosen(g)] if g else []
        if field in ("p50_us", "p99_us"):  # wrk 4.1 often reports 0 for the percentiles of pipelined runs
            vals = [v for v in vals if v]
        return med(vals)

    # Headline: req/s per server and workload.
    md += ["### Requests per second (median)", "",
           "| server | " + " | ".join(workloads) + " |", "|---|" + "---:|" * len(workloads)]
    for s in servers:
        md.append(f"| {s} | " + " | ".join(fmt(stat(s, w, "rps")) for w in workloads) + " |")
    md += ["", "### CPU µs per request (median; churn: per connection)", "",
           "| server | " + " | ".join(workloads) + " |", "|---|" + "---:|" * len(workloads)]
    for s in servers:
        md.append(f"| {s} | " + " | ".join(fmt(stat(s, w, "cpu_us_per_req"), 2) for w in workloads) + " |")
    md.append("")
    charts = []
    for wl in workloads:
        present = [s for s in servers if (s, wl) in groups]
        md += [f"### {wl}: {WORKLOADS[wl]}", "",
               "| server | req/s | p50 ms | p99 ms | CPU µs/req | socket errors | non-2xx | req/s vs netty | CPU vs netty | req/s vs nginx | CPU vs nginx | limit |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        ranked = sorted(present, key=lambda s: -(stat(s, wl, "rps") or 0))
        for s in ranked:
            g = groups[(s, wl)]
            use = chosen(g)
            dag = dagger(g)
            errs = error_count(g)
            non2xx = sum(int(num(r.get("non2xx")) or 0) for r in g)
            p99 = stat(s, wl, "p99_us")
            # Under pipelining wrk 4.1 times batches, and its upper percentiles come out 0 or absurd.
            p99s = "n/a (wrk)" if not p99 or wl == "pipe" else fmt(p99 / 1000, 2)
            p50 = stat(s, wl, "p50_us")
            md.append(f"| {s}{dag} | {fmt(stat(s, wl, 'rps'))} | {fmt(p50 / 1000 if p50 else None, 2)} | {p99s} | "
                      f"{fmt(stat(s, wl, 'cpu_us_per_req'), 2)} | {errs} | {non2xx} | "
                      f"{ratio(round_ratio(rows, s, wl, REFERENCE, 'rps'))} | {ratio(round_ratio(rows, s, wl, REFERENCE, 'cpu_us_per_req'))} | "
                      f"{ratio(round_ratio(rows, s, wl, SECOND_REFERENCE, 'rps'))} | {ratio(round_ratio(rows, s, wl, SECOND_REFERENCE, 'cpu_us_per_req'))} | "
                      f"{limit_of(use)} |")
        md.append("")
        name = svg_bars(f"{prefix}-{wl}-rps.svg", f"{WORKLOADS[wl]}: requests/s (median)",
                        [(s, stat(s, wl, "rps"), color_for(s)) for s in ranked], "req/s",
                        "server on CPU 0, wrk -t1 on CPU 1")
        cname = svg_bars(f"{prefix}-{wl}-cpu.svg", f"{WORKLOADS[wl]}: server CPU µs per request (median)",
                         [(s, stat(s, wl, "cpu_us_per_req"), color_for(s)) for s in sorted(present, key=lambda s: stat(s, wl, "cpu_us_per_req") or 0)],
                         "µs", "lower is better")
        charts += [c for c in (name, cname) if c]
        md += [f"![{wl} req/s]({name})" if name else "", f"![{wl} CPU]({cname})" if cname else "", ""]
    if failed:
        md += ["Did not start: " + ", ".join(sorted({f"{r['server']} ({r['workload']}, round {r['round']})" for r in failed})), ""]
    md += ["Servers: " + "; ".join(f"**{s}** {SERVER_NOTES.get(s, '')}" for s in servers) + ".", ""]
    return md


def scaling_section(prefix, rows):
    md = ["## jepoll's I/O models against the number of connections", "",
          "Plaintext keep-alive with wrk -cN; memory read after each timed window while a second, "
          "untimed wrk run holds the N connections busy: RSS of the process, live heap after "
          "`jcmd PID GC.run` (`GC.heap_info`, young + old used).", ""]
    timed = [r for r in rows if r["suite"] == "scaling" and num(r.get("rps")) is not None]
    mem = [r for r in rows if r["suite"] == "scaling-mem"]
    models = []
    for r in timed + mem:
        if r["server"] not in models:
            models.append(r["server"])
    conns = sorted({int(r["conns"]) for r in timed + mem})

    def get(rs, m, n, field):
        return med([num(r.get(field)) for r in rs if r["server"] == m and int(r["conns"]) == n])

    md += ["| model | connections | req/s | p99 ms | CPU µs/req | socket errors | RSS MiB | live heap MiB | limit |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for m in models:
        for n in conns:
            t = [r for r in timed if r["server"] == m and int(r["conns"]) == n]
            errs = error_count(t)
            rss, heap, p99 = get(mem, m, n, "rss_kb"), get(mem, m, n, "heap_kb"), get(timed, m, n, "p99_us")
            md.append(f"| {m} | {n:,} | {fmt(get(timed, m, n, 'rps'))} | {fmt(p99 / 1000 if p99 else None, 1)} | "
                      f"{fmt(get(timed, m, n, 'cpu_us_per_req'), 2)} | {errs} | {fmt(rss / 1024 if rss else None, 1)} | "
                      f"{fmt(heap / 1024 if heap else None, 1)} | {limit_of(t)} |")
    md.append("")
    a = svg_lines(f"{prefix}-scaling-rps.svg", "Requests/s against connections (plaintext keep-alive)", conns,
                  [(m, [get(timed, m, n, "rps") for n in conns], color_for(m)) for m in models], "connections (log)", "req/s")
    b = svg_lines(f"{prefix}-scaling-heap.svg", "Live heap after full GC, N connections busy", conns,
                  [(m, [(lambda v: v / 1024 if v else None)(get(mem, m, n, "heap_kb")) for n in conns], color_for(m)) for m in models],
                  "connections (log)", "MiB")
    c = svg_lines(f"{prefix}-scaling-rss.svg", "Resident set size, N connections busy", conns,
                  [(m, [(lambda v: v / 1024 if v else None)(get(mem, m, n, "rss_kb")) for n in conns], color_for(m)) for m in models],
                  "connections (log)", "MiB")
    md += [f"![{x}]({x})" for x in (a, b, c) if x] + [""]
    return md


def idle_section(prefix, rows):
    md = ["## 64 busy connections while N idle ones are held open", "",
          "`bench/tools/holder.py` (pinned to CPU 1) opens N connections, sends one request on each, reads "
          "the answer, then holds them idle; wrk -c64 measures meanwhile. Memory is read after the "
          "timed window with the N connections still held. Heap per idle connection = (live heap with "
          "N idle − live heap with 0) / N.", ""]
    timed = [r for r in rows if r["suite"] == "idle" and num(r.get("rps")) is not None]
    mem = [r for r in rows if r["suite"] == "idle-mem"]
    servers = []
    for r in timed + mem:
        if r["server"] not in servers:
            servers.append(r["server"])
    counts = sorted({int(r["workload"][4:]) for r in mem if r["workload"].startswith("idle")})

    def memv(s, n, field):
        return med([num(r.get(field)) for r in mem if r["server"] == s and r["workload"] == f"idle{n}"])

    def held(s, n):
        return memv(s, n, "idle")

    def timedv(s, n, field):
        h = held(s, n)
        return med([num(r.get(field)) for r in timed if r["server"] == s and h is not None and int(r["idle"] or 0) == int(h)])

    md += ["| server | idle held | busy64 req/s | p99 ms | CPU µs/req | RSS MiB | live heap MiB | note |",
           "|---|---:|---:|---:|---:|---:|---:|---|"]
    for s in servers:
        for n in counts:
            rss, heap, p99 = memv(s, n, "rss_kb"), memv(s, n, "heap_kb"), timedv(s, n, "p99_us")
            note = next((r.get("note", "") for r in mem if r["server"] == s and r["workload"] == f"idle{n}"), "")
            md.append(f"| {s} | {fmt(held(s, n))} (of {n:,}) | {fmt(timedv(s, n, 'rps'))} | {fmt(p99 / 1000 if p99 else None, 2)} | "
                      f"{fmt(timedv(s, n, 'cpu_us_per_req'), 2)} | {fmt(rss / 1024 if rss else None, 1)} | "
                      f"{fmt(heap / 1024 if heap else None, 1)} | {note} |")
    md += ["", "### Memory per idle connection", "",
           "| server | " + " | ".join(f"heap B/conn ({n:,})" for n in counts if n) + " | " + " | ".join(f"RSS B/conn ({n:,})" for n in counts if n) + " |",
           "|---|" + "---:|" * (2 * len([n for n in counts if n]))]
    for s in servers:
        h0, r0 = memv(s, 0, "heap_kb"), memv(s, 0, "rss_kb")
        cells = []
        for field, base in (("heap_kb", h0), ("rss_kb", r0)):
            for n in counts:
                if not n:
                    continue
                v, k = memv(s, n, field), held(s, n)
                cells.append(fmt((v - base) * 1024 / k) if v is not None and base is not None and k else "–")
        md.append(f"| {s} | " + " | ".join(cells) + " |")
    md.append("")
    a = svg_lines(f"{prefix}-idle-rps.svg", "Requests/s of 64 busy connections with N idle ones held", counts,
                  [(s, [timedv(s, n, "rps") for n in counts], color_for(s)) for s in servers], "idle connections held", "req/s", logx=False)
    b = svg_lines(f"{prefix}-idle-heap.svg", "Live heap with N idle connections (after full GC)", counts,
                  [(s, [(lambda v: v / 1024 if v else None)(memv(s, n, "heap_kb")) for n in counts], color_for(s)) for s in servers],
                  "idle connections held", "MiB", logx=False)
    md += [f"![{x}]({x})" for x in (a, b) if x] + [""]
    return md


STATIC_WORKLOADS = {
    "1k": "GET of a 1 KiB file, keep-alive",
    "64k": "GET of a 64 KiB file, keep-alive",
    "64m": "GET of a 64 MiB file, keep-alive",
    "304": "revalidation of the 1 KiB file (304), keep-alive",
}
STATIC_NOTES = {
    "jepoll-lt": "`./jepoll --dir DIR --loops 1`, epoll level-triggered (sendfile)",
    "jepoll-et": "the same, edge-triggered",
    "jepoll-nio": "the same on java.nio (FileChannel.transferTo)",
    "nginx": "nginx 1 worker, `sendfile on; tcp_nopush on;`, open_file_cache off",
    "nginx-ofc": "the same with `open_file_cache max=1000 inactive=20s;`",
    "jwebserver": "the JDK's `jwebserver -b 127.0.0.1 -p PORT -d DIR -o none` (com.sun.net.httpserver's "
                  "SimpleFileServer; its own threads: the HTTP-Dispatcher runs the handler, plus timer threads)",
    "vertx": "Vert.x 5.0.7 vertx-web StaticHandler (defaults), 1 event loop, native transport",
    "undertow": "Undertow 2.4.4 ResourceHandler over PathResourceManager (defaults), 1 IO thread, "
                "requests dispatched to 1 worker thread",
}
STATIC_COLORS = {"nginx-ofc": "#8c564b", "jwebserver": "#17becf", "jepoll-nio": "#bcbd22"}
STATIC_GOALS = [  # (workload, field, reference, goal or None (a ratio shown, no goal), higher is better)
    ("1k", "rps", "nginx", 1.0, True), ("1k", "cpu_us_per_req", "nginx", 1.0, False),
    ("64k", "rps", "nginx", 1.0, True), ("64k", "cpu_us_per_req", "nginx", 1.0, False),
    ("64m", "mb_s", "nginx", 0.95, True), ("64m", "cpu_us_per_req", "nginx", None, False),
    ("304", "rps", "nginx", None, True), ("304", "cpu_us_per_req", "nginx", None, False),
    ("1k", "rps", "jwebserver", 3.0, True), ("64k", "rps", "jwebserver", 3.0, True),
    ("64m", "mb_s", "jwebserver", 3.0, True), ("304", "rps", "jwebserver", 3.0, True),
]
FIELD_NAME = {"rps": "req/s", "cpu_us_per_req": "CPU µs/req", "mb_s": "MB/s"}


def overview_tables(specs, servers, workloads, stat):
    """One table of servers x workloads per (title, field, digits) in specs; stat(server, workload, field)."""
    md = []
    for title, field, digits in specs:
        md += [f"### {title}", "", "| server | " + " | ".join(workloads) + " |", "|---|" + "---:|" * len(workloads)]
        for s in servers:
            md.append(f"| {s} | " + " | ".join(fmt(stat(s, w, field), digits) for w in workloads) + " |")
        md.append("")
    return md


def static_color(name, i=0):
    return STATIC_COLORS.get(name) or color_for(name, i)


def static_section(prefix, rows):
    timed = [r for r in rows if r["suite"] == "static" and num(r.get("rps")) is not None]
    checks = [r for r in rows if r["suite"] == "static-check"]
    threads = [r for r in rows if r["suite"] == "static-threads"]
    strace = [r for r in rows if r["suite"] == "static-strace"]
    alloc = [r for r in rows if r["suite"] == "static-alloc"]
    failed = [r for r in rows if r["suite"] == "static" and r.get("note") == "did not start"]
    order = list(STATIC_NOTES)
    servers = sorted({r["server"] for r in timed + checks}, key=lambda s: order.index(s) if s in order else 99)
    workloads = [w for w in STATIC_WORKLOADS if any(r["workload"] == w for r in timed + checks)]
    groups = by(timed, "server", "workload")
    conns = {w: next((r["conns"] for r in timed if r["workload"] == w), "?") for w in workloads}

    def stat(server, wl, field):
        g = groups.get((server, wl))
        vals = [num(r.get(field)) for r in chosen(g)] if g else []
        if field in ("p50_us", "p99_us"):
            vals = [v for v in vals if v]
        return med(vals)

    md = ["## Static files: jepoll against nginx, jwebserver, Vert.x and Undertow", "",
          "The same three files (random bytes, written once into `bench/work/static/`) served by every server, "
          "each pinned to CPU 0 with one event loop / worker; `wrk -t1` on CPU 1, keep-alive, "
          + ", ".join(f"**{w}** c{conns[w]}" for w in workloads) + ". **MB/s** = every byte wrk read (heads, bodies, "
          "a last partly read body) / window, in 10⁶ bytes/s. **304**: `If-None-Match` with the server's own ETag, or, "
          "for a server that sends none, `If-Modified-Since` with its own Last-Modified (the header used is in the "
          "checks table). CPU µs/req counts the server's process tree only: the loopback's softirq work and "
          "wrk's copy of the bytes are not in it. Ratios are taken within a round, then their median.", ""]

    # --- Goals -------------------------------------------------------------------------------------------
    jepolls = [s for s in servers if s.startswith("jepoll-")]
    if jepolls and any(g[2] in servers for g in STATIC_GOALS):
        md += ["### jepoll against the goals", "",
               "| workload | figure | against | goal | " + " | ".join(jepolls) + " |",
               "|---|---|---|---|" + "---:|" * len(jepolls)]
        for wl, field, ref, goal, higher in STATIC_GOALS:
            if wl not in workloads or ref not in servers:
                continue
            cells = []
            for s in jepolls:
                v = round_ratio(timed, s, wl, ref, field)
                if v is None:
                    cells.append("–")
                elif goal is None:
                    cells.append(f"{v:.2f}×")
                else:
                    ok = v >= goal if higher else v <= goal
                    cells.append(f"{v:.2f}× {'met' if ok else '**missed**'}")
            g = "no goal" if goal is None else f"{'≥' if higher else '≤'} {goal:.2f}×"
            md.append(f"| {wl} | {FIELD_NAME[field]} | {ref} | {g} | " + " | ".join(cells) + " |")
        md += ["", "64 MiB: `wrk -t1` reads at most 8 KiB per read(2) (its RECVBUF) on one CPU, so the sendfile servers all "
               "meet the same ceiling on CPU 1 (see *limit* below) and a ratio near 1 says no more than that; the CPU "
               "µs per request of the server is the figure that tells them apart there."]
        if "nginx-ofc" in servers:
            md += ["", "Against nginx with `open_file_cache` on (not a goal; descriptors and file facts cached):", "",
                   "| workload | figure | " + " | ".join(jepolls) + " |", "|---|---|" + "---:|" * len(jepolls)]
            for wl in workloads:
                for field in (("mb_s",) if wl == "64m" else ("rps", "cpu_us_per_req")):
                    md.append(f"| {wl} | {FIELD_NAME[field]} | " + " | ".join(
                        ratio(round_ratio(timed, s, wl, "nginx-ofc", field)) for s in jepolls) + " |")
        md.append("")

    # --- Overview tables ---------------------------------------------------------------------------------
    md += overview_tables((("Requests per second (median)", "rps", 0), ("MB/s (median)", "mb_s", 1),
                           ("Server CPU µs per request (median)", "cpu_us_per_req", 2)), servers, workloads, stat)

    # --- Per workload ------------------------------------------------------------------------------------
    for wl in workloads:
        present = [s for s in servers if (s, wl) in groups]
        main_field = "mb_s" if wl == "64m" else "rps"
        md += [f"### {wl}: {STATIC_WORKLOADS[wl]}, c{conns[wl]}", "",
               "| server | req/s | MB/s | p50 ms | p99 ms | CPU µs/req | errors | non-2xx/3xx | "
               f"{FIELD_NAME[main_field]} vs nginx | CPU vs nginx | {FIELD_NAME[main_field]} vs nginx-ofc | CPU vs nginx-ofc | "
               f"{FIELD_NAME[main_field]} vs jwebserver | CPU vs jwebserver | limit |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        ranked = sorted(present, key=lambda s: -(stat(s, wl, main_field) or 0))
        for s in ranked:
            g = groups[(s, wl)]
            dag = dagger(g)
            errs = error_count(g)
            non2xx = sum(int(num(r.get("non2xx")) or 0) for r in g)
            p50, p99 = stat(s, wl, "p50_us"), stat(s, wl, "p99_us")
            md.append(f"| {s}{dag} | {fmt(stat(s, wl, 'rps'))} | {fmt(stat(s, wl, 'mb_s'), 1)} | "
                      f"{fmt(p50 / 1000 if p50 else None, 2)} | {fmt(p99 / 1000 if p99 else None, 2)} | "
                      f"{fmt(stat(s, wl, 'cpu_us_per_req'), 2)} | {errs} | {non2xx} | "
                      f"{ratio(round_ratio(timed, s, wl, 'nginx', main_field))} | {ratio(round_ratio(timed, s, wl, 'nginx', 'cpu_us_per_req'))} | "
                      f"{ratio(round_ratio(timed, s, wl, 'nginx-ofc', main_field))} | {ratio(round_ratio(timed, s, wl, 'nginx-ofc', 'cpu_us_per_req'))} | "
                      f"{ratio(round_ratio(timed, s, wl, 'jwebserver', main_field))} | "
                      f"{ratio(round_ratio(timed, s, wl, 'jwebserver', 'cpu_us_per_req'))} | {limit_of(chosen(g))} |")
        md.append("")
        unit = "MB/s" if main_field == "mb_s" else "req/s"
        a = svg_bars(f"{prefix}-files-{wl}-{'mbs' if main_field == 'mb_s' else 'rps'}.svg",
                     f"{STATIC_WORKLOADS[wl]}, c{conns[wl]}: {unit} (median)",
                     [(s, stat(s, wl, main_field), static_color(s)) for s in ranked], unit, "server on CPU 0, wrk -t1 on CPU 1")
        b = svg_bars(f"{prefix}-files-{wl}-cpu.svg", f"{STATIC_WORKLOADS[wl]}: server CPU µs per request (median)",
                     [(s, stat(s, wl, "cpu_us_per_req"), static_color(s))
                      for s in sorted(present, key=lambda s: stat(s, wl, "cpu_us_per_req") or 0)], "µs", "lower is better")
        md += [f"![{wl} {unit}]({a})" if a else "", f"![{wl} CPU]({b})" if b else "", ""]

    # --- Allocation --------------------------------------------------------------------------------------
    if alloc:
        md += ["### Heap allocated per request by jepoll", "",
               "`JepollStaticPeer`: `StaticFiles` embedded on one loop (epoll, level-triggered) behind a request counter. "
               "Around each wrk run it reads `com.sun.management.ThreadMXBean.getThreadAllocatedBytes` of the loop thread "
               "(`jepoll-loop-0`) and `getTotalThreadAllocatedBytes()` of all threads; bytes/request = difference / requests "
               "the handler counted. After twice the usual warm-up (escape analysis depends on what C2 compiled); median "
               "of the runs.", "",
               "| workload | runs | requests (median) | loop thread B/req | all threads B/req | req/s |",
               "|---|---:|---:|---:|---:|---:|"]
        for wl in STATIC_WORKLOADS:
            g = [r for r in alloc if r["workload"] == wl]
            if not g:
                continue
            md.append(f"| {wl} | {len(g)} | {fmt(med([num(r['requests']) for r in g]))} | "
                      f"{fmt(med([num(r['alloc_b_per_req']) for r in g]), 1)} | "
                      f"{fmt(med([num(r['alloc_total_b_per_req']) for r in g]), 1)} | {fmt(med([num(r['rps']) for r in g]))} |")
        md.append("")

    # --- Checks, threads, syscalls -----------------------------------------------------------------------
    if checks:
        md += ["### Checks before measuring (round 1)", "",
               "On one keep-alive connection: status 200, Content-Length, the body byte for byte, the connection kept; an "
               "ETag from jepoll and nginx; then the revalidation must be a body-less 304. *unsupported*: not measured.", "",
               "| server | workload | result |", "|---|---|---|"]
        for r in checks:
            md.append(f"| {r['server']} | {r['workload']} | {r['note'].replace('|', '/')} |")
        md.append("")
    if threads:
        md += ["### Threads that did the work (round 1)", "",
               "Each thread's share of the CPU time the server's processes used during the window (from "
               "`/proc/PID/task/*/stat`; threads under 1% left out). JIT compiler threads share CPU 0 with the server.", "",
               "| server | workload | threads |", "|---|---|---|"]
        for r in threads:
            md.append(f"| {r['server']} | {r['workload']} | {r['note']} |")
        md.append("")
    if strace:
        md += ["### System calls per request (round 1, untimed)", "",
               "`strace -c -f` attached to the server's processes during a 2 s wrk run after the timed windows "
               "(strace slows the server down: only the counts are kept), divided by the requests wrk completed. "
               "Idle threads' futex and timer calls are counted too.", "",
               "| server | workload | syscalls/req | the most frequent (per request) |", "|---|---|---:|---|"]
        for r in strace:
            total, _, rest = r["note"].partition(" ")
            md.append(f"| {r['server']} | {r['workload']} | {total.split('=')[1]} | {' '.join(rest.split()[:10])} |")
        md.append("")
    if failed:
        md += ["Did not start: " + ", ".join(sorted({f"{r['server']} (round {r['round']})" for r in failed})), ""]
    md += ["Servers: " + "; ".join(f"**{s}** {STATIC_NOTES.get(s, '')}" for s in servers) + ".", ""]
    return md


def jmh_section(path):
    data = json.load(open(path))
    md = ["## JMH: parse + encode of the plaintext request", "",
          "`io.jepoll.bench.jmh.CodecBench`, one thread pinned to CPU 0, `-prof gc`. *wrk*: the exact request wrk "
          "sends (`GET / HTTP/1.1` + `Host`, nothing else); *browser*: plus `User-Agent` and `Accept`.", "",
          "| benchmark | request | ns/op | ± (99.9%) | B/op |", "|---|---|---:|---:|---:|"]
    res = {}
    for b in data:
        name = b["benchmark"].rsplit(".", 1)[-1]
        req = b.get("params", {}).get("request", "")
        pm = b["primaryMetric"]
        alloc = b.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
        res[(name, req)] = pm["score"]
        md.append(f"| {name} | {req} | {pm['score']:.1f} | {fmt(num(pm.get('scoreError')), 1)} | {fmt(alloc, 1) if alloc is not None else '–'} |")
    md.append("")
    for req in ("wrk", "browser"):
        a, b = res.get(("jepollParseEncode", req)), res.get(("nettyParseEncode", req))
        if a and b:
            md.append(f"- {req}: Netty's decoder+encoder takes {b / a:.1f}× jepoll's time per request.")
    md.append("")
    return md


if __name__ == "__main__":
    main()
