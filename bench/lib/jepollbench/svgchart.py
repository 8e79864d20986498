"""SVG charts, standard library only: the bench report's bars and lines, and the soak run's stacked panels.

    svg = bars("pipelined x16: requests/s", [("jepoll-lt", 1.2e6, "#d62728"), ...], "req/s", note="...")
    svg = lines([Panel("requests/s", [Series("wrk", xs, ys)], refs=[("baseline", 11)])], title="soak",
                x_label="seconds", x_min=0)
    svg = lines([Panel("", [Series("jepoll-lt", conns, rps, color)], y_label="req/s")], logx=True, x_ticks=conns,
                markers=True)
    write(path, svg)  -> the file's name

A lines() chart is one or more panels stacked under each other, sharing the x axis; a panel holds
series (None values are gaps) and optional horizontal dashed reference lines; the legend is at the right.
"""
import math
import os
from dataclasses import dataclass, field
from html import escape

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#bcbd22", "#e377c2",
           "#8c564b", "#7f7f7f", "#393b79", "#637939", "#843c39", "#7b4173"]


@dataclass
class Series:
    name: str
    xs: list
    ys: list
    color: str = None


@dataclass
class Panel:
    title: str
    series: list
    refs: list = field(default_factory=list)  # (label, y): horizontal dashed lines
    y_label: str = ""


def nice_ticks(lo, hi, count=5):
    """About `count` round values (1, 2, 2.5 or 5 times a power of ten apart) from <= lo to >= hi."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    t = math.floor(lo / step + 1e-9) * step
    ticks = [round(t, 10)]
    while ticks[-1] < hi - step * 1e-9:
        t += step
        ticks.append(round(t, 10))
    return ticks


def fmt(v):
    """A short axis label: 1.5M, 120k, 15k, 250, 0.25."""
    a = abs(v)
    if a >= 1e6:
        return f"{v / 1e6:.3g}M"
    if a >= 1e4:
        return f"{v / 1e3:.3g}k"
    if a >= 10 or v == 0:
        return f"{v:.0f}"
    return f"{v:.3g}"


def value(v):
    """A value written beside its bar: 1,234,567 or 12.34."""
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}"


def _head(width, height, font_size=12):
    return [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
            f'font-size="{font_size}">', f'<rect width="{width}" height="{height}" fill="white"/>']


def bars(title, items, unit, note="", width=820):
    """Horizontal bars, items = [(label, value, color)] in the order given; None values are left out.
    Returns None when nothing is left."""
    items = [(l, v, c) for l, v, c in items if v is not None]
    if not items:
        return None
    left, right, top, bar, gap = 170, 110, 46, 18, 6
    h = top + len(items) * (bar + gap) + 40
    ticks = nice_ticks(0, max(v for _, v, _ in items))
    vmax = ticks[-1]
    scale = (width - left - right) / vmax
    out = _head(width, h) + [f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15" '
                             f'font-weight="bold">{escape(title)}</text>']
    if note:
        out.append(f'<text x="{width / 2}" y="36" text-anchor="middle" fill="#555">{escape(note)}</text>')
    for t in ticks:
        x = left + t * scale
        out.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{h - 30}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{h - 14}" text-anchor="middle" fill="#555">{fmt(t)}</text>')
    for i, (label, v, c) in enumerate(items):
        y = top + i * (bar + gap)
        out.append(f'<text x="{left - 8}" y="{y + bar - 5}" text-anchor="end">{escape(label)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{max(v * scale, 1):.1f}" height="{bar}" fill="{c}"/>')
        out.append(f'<text x="{left + v * scale + 5:.1f}" y="{y + bar - 5}">{value(v)} {escape(unit)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def lines(panels, title="", x_label="", width=900, panel_height=170, x_min=None, logx=False, x_ticks=None,
          markers=False):
    """Stacked line panels sharing one x axis. logx: a log-scale x axis; x_ticks: where to put x labels (default:
    round values, or powers of ten for logx); markers: a dot on each point. Returns None when no series has a
    value."""
    panels = [p for p in panels if any(y is not None for s in p.series for y in s.ys)]
    if not panels:
        return None
    left, right, gap = 80, 170, 50
    top = 56 if title and panels[0].title else 44  # room for the chart's title above the first panel's
    plot_w = width - left - right
    height = top + len(panels) * (panel_height + gap) + 10
    all_x = [x for p in panels for s in p.series for x, y in zip(s.xs, s.ys) if y is not None]
    if x_ticks:
        all_x += list(x_ticks)
    x_lo, x_hi = min(all_x), max(all_x)
    if x_min is not None:
        x_lo = min(x_lo, x_min)
    tx = (lambda x: math.log10(max(x, 1e-9))) if logx else (lambda x: x)
    if x_ticks is None:
        if logx:
            x_ticks = [10 ** e for e in range(math.floor(tx(x_lo)), math.ceil(tx(x_hi)) + 1) if x_lo <= 10 ** e <= x_hi]
        else:
            x_ticks = [t for t in nice_ticks(x_lo, x_hi, 8) if x_lo <= t <= x_hi]
    lo, hi = tx(x_lo), tx(x_hi)
    if hi <= lo:
        hi = lo + 1

    def sx(x):
        return left + (tx(x) - lo) / (hi - lo) * plot_w

    out = _head(width, height, 11)
    if title:
        out.append(f'<text x="{left + plot_w / 2}" y="22" text-anchor="middle" font-size="15" '
                   f'font-weight="bold">{escape(title)}</text>')
    for i, p in enumerate(panels):
        y0 = top + i * (panel_height + gap)
        ys = [y for s in p.series for y in s.ys if y is not None] + [r[1] for r in p.refs]
        yt = nice_ticks(min(ys + [0]), max(ys))
        y_lo, y_hi = yt[0], yt[-1]

        def sy(y):
            return y0 + panel_height - (y - y_lo) / (y_hi - y_lo) * panel_height

        if p.title:
            out.append(f'<text x="{left}" y="{y0 - 8}" font-size="12" font-weight="bold">{escape(p.title)}</text>')
        out.append(f'<rect x="{left}" y="{y0}" width="{plot_w}" height="{panel_height}" fill="none" stroke="#999"/>')
        for t in yt:
            yy = sy(t)
            out.append(f'<line x1="{left}" y1="{yy:.1f}" x2="{left + plot_w}" y2="{yy:.1f}" stroke="#eee"/>')
            out.append(f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end" fill="#555">{fmt(t)}</text>')
        for t in x_ticks:
            xx = sx(t)
            out.append(f'<line x1="{xx:.1f}" y1="{y0}" x2="{xx:.1f}" y2="{y0 + panel_height}" stroke="#f3f3f3"/>')
            out.append(f'<text x="{xx:.1f}" y="{y0 + panel_height + 14}" text-anchor="middle" fill="#555">{fmt(t)}</text>')
        if p.y_label:
            cy = y0 + panel_height / 2
            out.append(f'<text x="16" y="{cy:.1f}" text-anchor="middle" transform="rotate(-90 16 {cy:.1f})">'
                       f'{escape(p.y_label)}</text>')
        for label, yv in p.refs:
            yy = sy(yv)
            out.append(f'<line x1="{left}" y1="{yy:.1f}" x2="{left + plot_w}" y2="{yy:.1f}" stroke="#555" '
                       f'stroke-dasharray="5,4"/>')
            out.append(f'<text x="{left + plot_w + 6}" y="{yy + 4:.1f}" fill="#555">{escape(label)}</text>')
        for k, s in enumerate(p.series):
            color = s.color or PALETTE[k % len(PALETTE)]
            pts = [(sx(x), sy(y)) for x, y in zip(s.xs, s.ys) if y is not None]
            if pts:
                out.append(f'<polyline fill="none" stroke="{color}" stroke-width="{2 if markers else 1.6}" '
                           f'points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in pts)}"/>')
            if markers:
                out += [f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{color}"/>' for a, b in pts]
            ly = y0 + 14 + k * 16
            out.append(f'<line x1="{left + plot_w + 8}" y1="{ly - 4}" x2="{left + plot_w + 26}" y2="{ly - 4}" '
                       f'stroke="{color}" stroke-width="3"/>')
            out.append(f'<text x="{left + plot_w + 31}" y="{ly}">{escape(s.name)}</text>')
    if x_label:
        out.append(f'<text x="{left + plot_w / 2}" y="{height - 8}" text-anchor="middle">{escape(x_label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write(path, svg):
    """Writes svg (when there is one) and returns the file's name, else None."""
    if svg is None:
        return None
    with open(path, "w") as f:
        f.write(svg)
    return os.path.basename(path)
