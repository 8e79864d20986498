"""The io_uring part of the report (bench/tools/report.py calls section() when the main suite ran jepoll-uring, or
when the TSV has syscalls rows): the issue's goals, then system calls per request as strace counted them."""
from report import fmt, num, ratio, round_ratio

URING, LT, ET, NETTY_URING, NETTY, NGINX = "jepoll-uring", "jepoll-lt", "jepoll-et", "netty-uring", "netty", "nginx"


def section(main_rows, syscall_rows):
    md = ["## io_uring: jepoll's completion transport against epoll and Netty's io_uring", ""]
    workloads = [w for w in ("ka16", "ka256", "pipe", "churn") if any(r["workload"] == w for r in main_rows)]
    have = {r["server"] for r in main_rows}
    if URING in have:
        md += ["Ratios within each round, then their median. **CPU** = server CPU µs per request (lower is better).", "",
               "| workload | uring/LT CPU | uring/ET CPU | uring/Netty-uring req/s | uring/Netty-uring CPU | "
               "uring/Netty-epoll req/s | uring/nginx req/s |", "|---|---|---|---|---|---|---|"]
        for w in workloads:
            md.append(f"| {w} | {ratio(round_ratio(main_rows, URING, w, LT, 'cpu_us_per_req'))} | "
                      f"{ratio(round_ratio(main_rows, URING, w, ET, 'cpu_us_per_req'))} | "
                      f"{ratio(round_ratio(main_rows, URING, w, NETTY_URING, 'rps'))} | "
                      f"{ratio(round_ratio(main_rows, URING, w, NETTY_URING, 'cpu_us_per_req'))} | "
                      f"{ratio(round_ratio(main_rows, URING, w, NETTY, 'rps'))} | "
                      f"{ratio(round_ratio(main_rows, URING, w, NGINX, 'rps'))} |")
        md += ["", "Goals (issue 12): keep-alive c16 CPU/req ≤ 0.77× jepoll epoll's, churn ≤ 0.8×, req/s ≥ 1.0× Netty "
               "io_uring on every workload, under 0.5 system calls per keep-alive request.", ""]
    if syscall_rows:
        servers = sorted({r["server"] for r in syscall_rows})
        sw = [w for w in ("ka16", "ka256", "pipe", "churn", "1k", "64k", "64m") if any(r["workload"] == w for r in syscall_rows)]
        md += ["### System calls per request", "",
               "`strace -c -f` on the server's process tree during an untimed 2 s wrk window after the timed ones "
               "(strace slows the server: only the counts are kept). Every thread counts, the JIT's and GC's too.", "",
               "| server | " + " | ".join(sw) + " |", "|---|" + "---|" * len(sw)]
        cell = {(r["server"], r["workload"]): r.get("note", "") for r in syscall_rows}
        for s in servers:
            md.append(f"| {s} | " + " | ".join(total(cell.get((s, w), "")) for w in sw) + " |")
        md += ["", "The calls behind each figure:", ""]
        for s in servers:
            for w in sw:
                note = cell.get((s, w))
                if note:
                    md.append(f"- {s} {w}: {note}")
        md.append("")
    return md


def total(note):
    for part in note.split():
        if part.startswith("total="):
            v = num(part[len("total="):])
            return fmt(v, 2) if v is not None else "–"
    return "–"
