"""The TLS suite's part of the report (bench/tools/report.py calls section() when the TSV has tls rows)."""
import report
from report import by, chosen, dagger, error_count, fmt, limit_of, med, num, ratio, round_ratio, svg_bars

NOTES = {
    "jepoll-lt": "jepoll library (`JepollTlsPeer`), epoll level-triggered, 1 loop, JDK `SSLEngine`; the file through `StaticFiles`",
    "jepoll-et": "jepoll library (`JepollTlsPeer`), epoll edge-triggered, 1 loop, JDK `SSLEngine`",
    "netty-tls": "Netty 4.2 epoll, 1 loop, `SslHandler` with `SslProvider.JDK`, `HttpServerCodec`; the file as "
                 "`HttpChunkedInput(ChunkedFile, 16 KiB)` through `ChunkedWriteHandler`",
    "nginx": "nginx, 1 worker, OpenSSL; the file from disk (`root`)",
}
WORKLOAD_NAMES = {
    "tls-ka64": "HTTPS keep-alive, GET / (13 B), 64 connections",
    "tls-64k": "HTTPS keep-alive, a 64 KiB file, 64 connections",
    "tls-hs": "full handshakes: 16 `openssl s_time -new` clients, a new connection and session per request",
    "tls-resume": "a new TLS connection per request through wrk (Connection: close), sessions resumed, 64 connections",
}
JEPOLL, NETTY, NGINX = "jepoll-lt", "netty-tls", "nginx"


def section(prefix, rows):
    timed = [r for r in rows if r["suite"] == "tls" and num(r.get("rps")) is not None]
    checks = [r for r in rows if r["suite"] == "tls-check"]
    idle = [r for r in rows if r["suite"] == "tls-idle"]
    order = list(NOTES)
    servers = sorted({r["server"] for r in timed + checks}, key=lambda s: order.index(s) if s in order else 99)
    workloads = [w for w in WORKLOAD_NAMES if any(r["workload"] == w for r in timed)]
    groups = by(timed, "server", "workload")

    def stat(server, wl, field):
        g = groups.get((server, wl))
        return med([num(r.get(field)) for r in chosen(g)]) if g else None

    md = ["## HTTPS: jepoll against Netty's SslHandler (JDK provider) and nginx (OpenSSL)", "",
          "Each server pinned to CPU 0 with one event loop / worker, `wrk -t1` (OpenSSL client) on CPU 1, the same EC "
          "P-256 certificate (made by `openssl req` at the start of the run). *tls-hs*: every request a new "
          "connection with a full handshake (16 `openssl s_time -new` clients on CPU 1, no session to resume, so the "
          "server signs with its key each time): req/s is full handshakes per second and CPU µs/req the server's "
          "CPU per handshake. *tls-resume*: wrk with `Connection: close`; wrk's OpenSSL client resumes its TLS 1.3 "
          "session on each new connection (no signature). **CPU µs/req** = server utime+stime over the window / requests. Ratios are taken within each "
          "round, then their median.", ""]
    md += report.overview_tables((("Requests per second (median)", "rps", 0),
                                  ("Server CPU µs per request (median)", "cpu_us_per_req", 1)), servers, workloads, stat)
    for wl in workloads:
        present = [s for s in servers if (s, wl) in groups]
        ranked = sorted(present, key=lambda s: -(stat(s, wl, "rps") or 0))
        md += [f"### {wl}: {WORKLOAD_NAMES[wl]}", "",
               "| server | req/s | MB/s | p50 ms | p99 ms | CPU µs/req | errors | req/s vs netty-tls | CPU vs netty-tls | "
               "req/s vs nginx | CPU vs nginx | rounds | limit |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
        for s in ranked:
            g = groups[(s, wl)]
            dag = dagger(g)
            errs = error_count(g, with_non2xx=True)
            p50, p99 = stat(s, wl, "p50_us"), stat(s, wl, "p99_us")
            per_round = ", ".join(fmt(num(r["rps"])) for r in sorted(g, key=lambda r: int(r["round"])))
            md.append(f"| {s}{dag} | {fmt(stat(s, wl, 'rps'))} | {fmt(stat(s, wl, 'mb_s'), 1)} | "
                      f"{fmt(p50 / 1000 if p50 else None, 2)} | {fmt(p99 / 1000 if p99 else None, 2)} | "
                      f"{fmt(stat(s, wl, 'cpu_us_per_req'), 1)} | {errs} | "
                      f"{ratio(round_ratio(timed, s, wl, NETTY, 'rps'))} | {ratio(round_ratio(timed, s, wl, NETTY, 'cpu_us_per_req'))} | "
                      f"{ratio(round_ratio(timed, s, wl, NGINX, 'rps'))} | {ratio(round_ratio(timed, s, wl, NGINX, 'cpu_us_per_req'))} | "
                      f"{per_round} | {limit_of(chosen(g))} |")
        md.append("")
        a = svg_bars(f"{prefix}-{wl}-rps.svg", f"{WORKLOAD_NAMES[wl]}: req/s (median)",
                     [(s, stat(s, wl, "rps"), report.color_for(s)) for s in ranked], "req/s", "server on CPU 0, wrk -t1 on CPU 1")
        md += [f"![{wl} req/s]({a})" if a else "", ""]
    per_conn = idle_per_connection(idle)
    if per_conn:
        md += ["### Idle TLS connections", "",
               "Live heap after a full GC (`jcmd GC.run`, `GC.heap_info`) and RSS with none and with N idle TLS "
               "connections held by `bench/tools/holder.py --tls` (each shook hands, asked GET /, and stays open). "
               "Netty's `SslHandler` buffers are pooled direct memory, outside the heap: RSS shows them.", "",
               "| server | held | heap per connection (B) | RSS per connection (B) | closed by the server |",
               "|---|---:|---:|---:|---:|"]
        for s in sorted(per_conn, key=lambda s: order.index(s) if s in order else 99):
            held, heap, rss, closed = per_conn[s]
            md.append(f"| {s} | {fmt(held)} | {fmt(heap)} | {fmt(rss)} | {closed} |")
        md.append("")
    md += goals(timed, per_conn)
    if checks:
        md += ["### Checks before measuring (and what OpenSSL's client negotiates)", "", "| server | round | result |",
               "|---|---:|---|"]
        for r in checks:
            md.append(f"| {r['server']} | {r['round']} | {r['note'].replace('|', '/')} |")
        md.append("")
    md += ["Servers: " + "; ".join(f"**{s}** {NOTES.get(s, '')}" for s in servers) + ".", ""]
    return md


def idle_per_connection(idle):
    """server -> (held, heap B per connection or None, RSS B per connection, closed by the server)."""
    out = {}
    for (s,), g in by(idle, "server").items():
        base = next((r for r in g if r["workload"] == "idle0"), None)
        full = next((r for r in g if r["workload"] != "idle0"), None)
        if not base or not full or not num(full.get("idle")):
            continue
        n = num(full["idle"])
        heap = (num(full.get("heap_kb")) - num(base.get("heap_kb"))) * 1024 / n \
            if num(full.get("heap_kb")) is not None and num(base.get("heap_kb")) is not None else None
        rss = (num(full["rss_kb"]) - num(base["rss_kb"])) * 1024 / n
        closed = full.get("note", "").rsplit("closed by server ", 1)[-1]
        out[s] = (n, heap, rss, closed)
    return out


def goals(timed, per_conn):
    """Issue 11's goals, each with the figure of this run (ratios within rounds)."""
    def rr(wl, ref, field):
        return round_ratio(timed, JEPOLL, wl, ref, field)

    def verdict(v, ok):
        return "–" if v is None else ("met" if ok(v) else "**not met**")

    heap = None
    if JEPOLL in per_conn and NETTY in per_conn and per_conn[JEPOLL][1] and per_conn[NETTY][1]:
        heap = per_conn[JEPOLL][1] / per_conn[NETTY][1]
    rows = [("keep-alive req/s ≥ 1.0× Netty-JDK", rr("tls-ka64", NETTY, "rps"), lambda v: v >= 1.0),
            ("keep-alive CPU per request ≤ 0.8× Netty-JDK's", rr("tls-ka64", NETTY, "cpu_us_per_req"), lambda v: v <= 0.8),
            ("keep-alive req/s ≥ 0.8× nginx", rr("tls-ka64", NGINX, "rps"), lambda v: v >= 0.8),
            ("full handshakes/s ≥ Netty-JDK (EC P-256)", rr("tls-hs", NETTY, "rps"), lambda v: v >= 1.0),
            ("server CPU per full handshake against Netty-JDK's (no goal set)", rr("tls-hs", NETTY, "cpu_us_per_req"), lambda v: True),
            ("resumed handshakes/s against Netty-JDK (no goal set)", rr("tls-resume", NETTY, "rps"), lambda v: True),
            ("64 KiB file req/s against Netty-JDK (no goal set)", rr("tls-64k", NETTY, "rps"), lambda v: True),
            ("64 KiB file req/s against nginx (no goal set)", rr("tls-64k", NGINX, "rps"), lambda v: True),
            ("idle TLS connection heap ≤ 0.5× Netty's", heap, lambda v: v <= 0.5)]
    md = ["### The goals of issue 11 (jepoll-lt)", "", "| goal | this run | |", "|---|---:|---|"]
    for text, v, ok in rows:
        md.append(f"| {text} | {ratio(v)} | {verdict(v, ok) if 'no goal' not in text else ''} |")
    return md + [""]
