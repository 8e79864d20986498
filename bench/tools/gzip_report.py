"""The gzip suite's part of the report (bench/tools/report.py calls section() when the TSV has gzip rows)."""
import report
from report import by, chosen, dagger, error_count, fmt, limit_of, med, num, ratio, round_ratio, svg_bars

GZIP_SIZE = 64 * 1024
NOTES = {
    "jepoll-lt": "jepoll library, epoll level-triggered, `Compression.gzip().level(N)`",
    "jepoll-et": "jepoll library, epoll edge-triggered, `Compression.gzip().level(N)`",
    "netty": "Netty 4.2 epoll, `HttpServerCodec` + `HttpContentCompressor` (gzip only, level N)",
    "nginx": "nginx, 1 worker, `gzip on; gzip_comp_level N`, the JSON as a file (open_file_cache)",
}


def workload_name(wl):
    return "no Accept-Encoding (sent as is)" if wl == "identity" else f"gzip level {wl[4:]}"


def section(prefix, rows):
    timed = [r for r in rows if r["suite"] == "gzip" and num(r.get("rps")) is not None]
    checks = [r for r in rows if r["suite"] == "gzip-check"]
    failed = [r for r in rows if r["suite"] == "gzip" and r.get("note") == "did not start"]
    order = list(NOTES)
    servers = sorted({r["server"] for r in timed + checks}, key=lambda s: order.index(s) if s in order else 99)
    workloads = sorted({r["workload"] for r in timed}, key=lambda w: (w == "identity", w))
    groups = by(timed, "server", "workload")
    conns = next((r["conns"] for r in timed), "?")

    def stat(server, wl, field):
        g = groups.get((server, wl))
        return med([num(r.get(field)) for r in chosen(g)]) if g else None

    def per_response(server, wl):
        g = groups.get((server, wl))
        return med([num(r["bytes"]) / num(r["requests"]) for r in chosen(g) if num(r.get("requests"))]) if g else None

    md = ["## gzip: a 64 KiB JSON body compressed for every request", "",
          f"`GET /64k.json` with `Accept-Encoding: gzip` over {conns} keep-alive connections; every server compresses "
          "the same 65,536 bytes of JSON (`bench/work/gzip/64k.json`, written by `bench/tools/gzip_suite.py`) again for "
          "each request, at the same level. Each server pinned to CPU 0 with one event loop / worker, `wrk -t1` on "
          "CPU 1. **JSON MB/s** = req/s × 65,536 B: uncompressed input compressed per second. **B/resp** = every "
          "byte wrk read / requests (head and compressed body). All three use zlib (the JDK's Deflater for jepoll and "
          "Netty, the system's libz for nginx), so the figures compare what each server does around it. "
          "*identity*: the same path without Accept-Encoding, the body sent as it is.", ""]
    md += report.overview_tables((("Requests per second (median)", "rps", 0),
                                  ("Server CPU µs per request (median)", "cpu_us_per_req", 1)), servers, workloads, stat)
    for wl in workloads:
        present = [s for s in servers if (s, wl) in groups]
        ranked = sorted(present, key=lambda s: -(stat(s, wl, "rps") or 0))
        md += [f"### {wl}: {workload_name(wl)}, c{conns}", "",
               "| server | req/s | JSON MB/s | B/resp | p50 ms | p99 ms | CPU µs/req | errors | req/s vs nginx | "
               "CPU vs nginx | req/s vs netty | CPU vs netty | limit |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
        for s in ranked:
            g = groups[(s, wl)]
            dag = dagger(g)
            errs = error_count(g, with_non2xx=True)
            rps, p50, p99 = stat(s, wl, "rps"), stat(s, wl, "p50_us"), stat(s, wl, "p99_us")
            md.append(f"| {s}{dag} | {fmt(rps)} | {fmt(rps * GZIP_SIZE / 1e6 if rps else None, 1)} | "
                      f"{fmt(per_response(s, wl))} | {fmt(p50 / 1000 if p50 else None, 2)} | "
                      f"{fmt(p99 / 1000 if p99 else None, 2)} | {fmt(stat(s, wl, 'cpu_us_per_req'), 1)} | {errs} | "
                      f"{ratio(round_ratio(timed, s, wl, 'nginx', 'rps'))} | "
                      f"{ratio(round_ratio(timed, s, wl, 'nginx', 'cpu_us_per_req'))} | "
                      f"{ratio(round_ratio(timed, s, wl, 'netty', 'rps'))} | "
                      f"{ratio(round_ratio(timed, s, wl, 'netty', 'cpu_us_per_req'))} | {limit_of(chosen(g))} |")
        md.append("")
        a = svg_bars(f"{prefix}-{wl}-rps.svg", f"64 KiB JSON, {workload_name(wl)}, c{conns}: req/s (median)",
                     [(s, stat(s, wl, "rps"), report.color_for(s)) for s in ranked], "req/s",
                     "server on CPU 0, wrk -t1 on CPU 1")
        b = svg_bars(f"{prefix}-{wl}-cpu.svg", f"64 KiB JSON, {workload_name(wl)}: server CPU µs per request",
                     [(s, stat(s, wl, "cpu_us_per_req"), report.color_for(s))
                      for s in sorted(present, key=lambda s: stat(s, wl, "cpu_us_per_req") or 0)], "µs", "lower is better")
        md += [f"![{wl} req/s]({a})" if a else "", f"![{wl} CPU]({b})" if b else "", ""]
    levels = [w for w in workloads if w != "identity"]
    for s in servers:
        if len(levels) < 2 or not all((s, w) in groups for w in levels):
            continue
        if s == servers[0]:
            md += ["### Level against level, per server", "",
                   "| server | level | req/s | CPU µs/req | gzip body B (check) | smaller by |", "|---|---:|---:|---:|---:|---:|"]
        for w in levels:
            size = next((num(r["bytes"]) for r in checks if r["server"] == s and r["workload"] == w and num(r.get("bytes"))), None)
            md.append(f"| {s} | {w[4:]} | {fmt(stat(s, w, 'rps'))} | {fmt(stat(s, w, 'cpu_us_per_req'), 1)} | "
                      f"{fmt(size)} | {fmt(GZIP_SIZE / size if size else None, 2)}× |")
    md.append("")
    if checks:
        md += ["### Checks before measuring", "", "| server | level | round | result |", "|---|---|---:|---|"]
        for r in checks:
            md.append(f"| {r['server']} | {r['workload'][4:]} | {r['round']} | {r['note'].replace('|', '/')} |")
        md.append("")
    if failed:
        md += ["Did not start: " + ", ".join(sorted({f"{r['server']} {r['workload']} (round {r['round']})" for r in failed})), ""]
    md += ["Servers: " + "; ".join(f"**{s}** {NOTES.get(s, '')}" for s in servers) + ".", ""]
    return md
