"""What /proc says about a process (CPU ticks, RSS, descriptors) and about the CPUs (/proc/stat)."""
import os
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")


def tree_pids(pid):
    """pid and its descendants (nginx: master and worker), depth first."""
    out = [pid]
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for t in tasks:
        try:
            with open(f"/proc/{pid}/task/{t}/children") as f:
                kids = [int(x) for x in f.read().split()]
        except OSError:
            continue
        for k in kids:
            out += tree_pids(k)
    return out


def _ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of the line


def cpu_ticks(pid, tree=False):
    """utime + stime in clock ticks (CLK_TCK a second); with tree=True, of the whole process tree."""
    return sum(_ticks(p) for p in (tree_pids(pid) if tree else [pid]))


def thread_ticks(pid, tree=False):
    """{tid: (pid, thread name, utime + stime ticks)} of every thread of pid (or of its process tree)."""
    out = {}
    for p in (tree_pids(pid) if tree else [pid]):
        try:
            tids = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tids:
            try:
                with open(f"/proc/{p}/task/{t}/stat") as f:
                    line = f.read()
            except OSError:
                continue
            name = line[line.index("(") + 1:line.rindex(")")]
            fields = line.rsplit(")", 1)[1].split()
            out[int(t)] = (p, name, int(fields[11]) + int(fields[12]))
    return out


def _rss(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kb(pid, tree=False):
    """Resident set size in KiB; with tree=True, summed over the process tree."""
    return sum(_rss(p) for p in (tree_pids(pid) if tree else [pid]))


def fd_count(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return -1


def settled_fd_count(pid, step=0.2, tries=50):
    """The descriptor count once it stopped moving (a start-up GET's connection may still be closing)."""
    a = fd_count(pid)
    for _ in range(tries):
        time.sleep(step)
        b = fd_count(pid)
        if a == b:
            break
        a = b
    return a


def comm(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie (exited, not yet reaped) is not alive
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


class CpuSample:
    """One CPU's counters since boot, in clock ticks, from /proc/stat:
    busy = user + nice + system (time processes are charged for); all = busy + irq + softirq + steal
    (interrupt and softirq time, the loopback's packet work, is charged to no process); total = all + idle + iowait."""
    __slots__ = ("busy", "all", "total")

    def __init__(self, busy, all_, total):
        self.busy, self.all, self.total = busy, all_, total


def cpu_stat():
    """{cpu number: CpuSample} for every CPU."""
    out = {}
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith("cpu") and line[3].isdigit():
                name, *v = line.split()
                v = [int(x) for x in v[:8]] + [0] * max(0, 8 - len(v))
                busy = v[0] + v[1] + v[2]
                all_ = busy + v[5] + v[6] + v[7]
                out[int(name[3:])] = CpuSample(busy, all_, all_ + v[3] + v[4])
    return out


def cpu_share(a, b, cpu, field="busy"):
    """% of one CPU's time between two cpu_stat() samples spent in `field` (busy or all)."""
    span = max(b[cpu].total - a[cpu].total, 1)
    return 100.0 * (getattr(b[cpu], field) - getattr(a[cpu], field)) / span


def wait_quiet(cpus=(0, 1), limit=8.0, sample=1.0, threshold=10.0):
    """Waits (at most `limit` s) until every CPU in `cpus` is below `threshold`% busy (interrupts included):
    other people's builds on a shared machine would otherwise be measured as a server's slowness.
    Returns the seconds waited."""
    start = time.monotonic()
    while True:
        a = cpu_stat()
        time.sleep(sample)
        b = cpu_stat()
        if all(cpu_share(a, b, c, "all") < threshold for c in cpus):
            break
        if time.monotonic() - start >= limit:
            break
    return time.monotonic() - start
