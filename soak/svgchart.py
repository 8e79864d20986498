"""A small SVG line-chart writer (standard library only) for the soak results.

    panels = [Panel("requests/s", [Series("wrk", xs, ys)]), Panel("open fds", ...)]
    svg = render(panels, title="soak", x_label="seconds")

Each panel is one chart stacked under the previous one, sharing the x axis; a panel may hold several series and
optional horizontal reference lines (a baseline, a limit).
"""
import math
from dataclasses import dataclass, field
from html import escape

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf"]


@dataclass
class Series:
    name: str
    xs: list
    ys: list


@dataclass
class Panel:
    title: str
    series: list
    refs: list = field(default_factory=list)  # (label, y) horizontal dashed lines


def nice_ticks(lo, hi, count=5):
    """About `count` round tick values (1, 2, 2.5 or 5 times a power of ten apart) covering [lo, hi]."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    t = math.ceil(lo / step) * step
    ticks = []
    while t <= hi + step * 1e-9:
        ticks.append(round(t, 10))
        t += step
    return ticks


def fmt(v):
    if abs(v) >= 1e6:
        return f"{v / 1e6:g}M"
    if abs(v) >= 1e4:
        return f"{v / 1e3:g}k"
    return f"{v:g}"


def render(panels, title="", x_label="", width=900, panel_height=170, x_min=None):
    left, right, top, gap = 70, 150, 40, 45
    plot_w = width - left - right
    height = top + len(panels) * (panel_height + gap) + 20
    all_x = [x for p in panels for s in p.series for x in s.xs]
    x_lo, x_hi = (min(all_x), max(all_x)) if all_x else (0, 1)
    if x_min is not None:
        x_lo = min(x_lo, x_min)
    if x_hi == x_lo:
        x_hi = x_lo + 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15">{escape(title)}</text>']
    for i, p in enumerate(panels):
        y0 = top + i * (panel_height + gap)
        ys = [y for s in p.series for y in s.ys if y is not None] + [r[1] for r in p.refs]
        y_lo, y_hi = (min(ys + [0]), max(ys)) if ys else (0, 1)
        if y_hi <= y_lo:
            y_hi = y_lo + 1
        y_hi *= 1.08

        def sx(x):
            return left + (x - x_lo) / (x_hi - x_lo) * plot_w

        def sy(y):
            return y0 + panel_height - (y - y_lo) / (y_hi - y_lo) * panel_height

        out.append(f'<text x="{left}" y="{y0 - 8}" font-size="12" font-weight="bold">{escape(p.title)}</text>')
        out.append(f'<rect x="{left}" y="{y0}" width="{plot_w}" height="{panel_height}" fill="none" stroke="#999"/>')
        for t in nice_ticks(y_lo, y_hi):
            yy = sy(t)
            out.append(f'<line x1="{left}" y1="{yy:.1f}" x2="{left + plot_w}" y2="{yy:.1f}" stroke="#eee"/>')
            out.append(f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">{fmt(t)}</text>')
        for t in nice_ticks(x_lo, x_hi, 8):
            xx = sx(t)
            out.append(f'<line x1="{xx:.1f}" y1="{y0}" x2="{xx:.1f}" y2="{y0 + panel_height}" stroke="#f3f3f3"/>')
            out.append(f'<text x="{xx:.1f}" y="{y0 + panel_height + 14}" text-anchor="middle">{fmt(t)}</text>')
        for label, yv in p.refs:
            yy = sy(yv)
            out.append(f'<line x1="{left}" y1="{yy:.1f}" x2="{left + plot_w}" y2="{yy:.1f}" stroke="#555" '
                       f'stroke-dasharray="5,4"/>')
            out.append(f'<text x="{left + plot_w + 6}" y="{yy + 4:.1f}" fill="#555">{escape(label)}</text>')
        for k, s in enumerate(p.series):
            color = COLORS[k % len(COLORS)]
            pts = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in zip(s.xs, s.ys) if y is not None)
            if pts:
                out.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.6" points="{pts}"/>')
            ly = y0 + 14 + k * 15
            out.append(f'<line x1="{left + plot_w + 8}" y1="{ly - 4}" x2="{left + plot_w + 24}" y2="{ly - 4}" '
                       f'stroke="{color}" stroke-width="2"/>')
            out.append(f'<text x="{left + plot_w + 28}" y="{ly}">{escape(s.name)}</text>')
    if x_label:
        out.append(f'<text x="{left + plot_w / 2}" y="{height - 6}" text-anchor="middle">{escape(x_label)}</text>')
    out.append("</svg>")
    return "\n".join(out)
