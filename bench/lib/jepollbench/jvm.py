"""The JDK the project uses (bin/find-jdk, as ./jepoll and ./mvnw find it) and what jcmd says about a JVM."""
import os
import re
import subprocess
import tempfile

from . import ROOT

_USED = re.compile(r"total (\d+)K, used (\d+)K")


def find_jdk(root=ROOT):
    """JAVA_HOME of a JDK >= 25; raises RuntimeError with find-jdk's message when there is none."""
    p = subprocess.run([os.path.join(root, "bin", "find-jdk")], capture_output=True, text=True)
    if p.returncode != 0 or not p.stdout.strip():
        raise RuntimeError(p.stderr.strip() or "no JDK 25 found")
    return p.stdout.strip()


def _jcmd(java_home, pid, commands, cpu=None, timeout=60):
    jcmd = os.path.join(java_home, "bin", "jcmd")
    with tempfile.NamedTemporaryFile("w", suffix=".jcmd", delete=False) as f:
        f.write("\n".join(commands) + "\n")
        path = f.name
    try:
        cmd = (["taskset", "-c", str(cpu)] if cpu is not None else []) + [jcmd, str(pid), "-f", path]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return p.stdout if p.returncode == 0 else None
    except subprocess.TimeoutExpired:
        return None
    finally:
        os.remove(path)


def heap_used_kb(java_home, pid, cpu=None):
    """Java heap in use now (young + old, or G1's whole heap): the "total NK, used NK" lines of GC.heap_info
    other than Metaspace and class space. None when jcmd fails."""
    out = _jcmd(java_home, pid, ["GC.heap_info"], cpu)
    return _parse_used(out)


def live_heap_kb(java_home, pid, cpu=None):
    """A full GC (GC.run), then heap_used_kb: the live heap."""
    out = _jcmd(java_home, pid, ["GC.run", "GC.heap_info"], cpu)
    return _parse_used(out)


def _parse_used(out):
    if out is None:
        return None
    used = [int(m.group(2)) for line in out.splitlines() if "Metaspace" not in line and "class space" not in line
            for m in [_USED.search(line)] if m]
    return sum(used) if used else None
