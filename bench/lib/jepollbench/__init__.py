"""Helpers shared by bench/ and soak/ (Python 3 standard library only).

    proc       what /proc says about a process and the CPUs: CPU ticks, RSS, descriptors, /proc/stat
    server     start a server pinned to a CPU (by PID, readiness by connecting, log captured), stop it
    jepoll     the ./jepoll command: build, --help, flags; a jar of another git ref
    wrk        run wrk pinned to a CPU and parse its output (text, or bench/wrk/workload.lua's WRKJSON)
    jvm        the JDK (bin/find-jdk) and jcmd: live heap after a full GC, heap in use
    svgchart   SVG charts: horizontal bars, and stacked line panels
    serverlog  WARNING/ERROR lines of a server's log, with an allow-list
    gitref     build a git ref in a temporary worktree, cached by commit id

bench/tools/*.py put bench/lib on sys.path; soak's scripts do the same by path
(sys.path.insert(0, <repo>/bench/lib)). Only processes these helpers started are ever signalled,
always by PID.
"""
import os

LIB = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(os.path.dirname(LIB))
ROOT = os.path.dirname(BENCH)
SOAK = os.path.join(ROOT, "soak")
