"""The WARNING and ERROR lines of a server's console log, less those a scenario provokes on purpose.

java.util.logging (System.Logger's default) writes each record as a date line followed by
"WARNING: message" or "SEVERE: message" (then a stack trace, when there is one); jepoll's loop
falls back to "jepoll WARNING: message" when logging itself fails. A JVM warning
("... VM warning: ...") and an uncaught exception ("Exception in thread ...") count as well.
"""
import re

PROBLEM = re.compile(r"^(WARNING|SEVERE|ERROR)\b|^jepoll (WARNING|ERROR)\b|VM warning:|^Exception in thread ")


def problems(text, allow=()):
    """(unexpected, allowed): lists of problem lines; a line matching a regex of `allow` is allowed."""
    allow = [re.compile(a) for a in allow if a]
    unexpected, allowed = [], []
    for line in text.splitlines():
        if PROBLEM.search(line):
            (allowed if any(a.search(line) for a in allow) else unexpected).append(line.strip())
    return unexpected, allowed


def summary(lines, limit=3):
    """The first few distinct lines with counts, for a one-line verdict."""
    counts = {}
    for l in lines:
        counts[l] = counts.get(l, 0) + 1
    out = [f"{l!r}" + (f" ×{n}" if n > 1 else "") for l, n in list(counts.items())[:limit]]
    more = len(counts) - limit
    return "; ".join(out) + (f"; and {more} more" if more > 0 else "")
