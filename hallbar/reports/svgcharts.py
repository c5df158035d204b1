"""Server-rendered SVG charts shared by every page and document that draws one.

Plain SVG strings (no scripts, no external resources, colours as presentation
attributes so the strict content-security policy allows them). Every chart has
``role="img"`` with a ``<title>`` and a ``<desc>``; the pages show the same
figures in a table next to it, which is the accessible fallback. The building
blocks (``open_svg``, ``value_axis``, ``legend``, ``series_legend``,
``close_svg``, ``nice_step``, ``fmt_number``) are public so that a new kind of
chart looks and reads like the others.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from hallbar.reports.formatting import format_number_unbroken

# Colours with at least 3:1 contrast against white (WCAG 2.1 non-text contrast).
# Eight colours, so a chart of up to eight series never gives two series one colour.
PALETTE = (
    "#0b4f6c",
    "#c05a00",
    "#3f7a1f",
    "#7a3e9d",
    "#1f5fa8",
    "#8a1c12",
    "#6b6b00",
    "#c2185b",
)
LEGEND_ROW = 18  # height of one row of a wrapped legend
WOMEN, MEN = "#1f5fa8", "#b34700"
INK, MUTED, GRID = "#1b1f24", "#4f5863", "#c9d0d7"
FONT = 'font-family="system-ui, sans-serif"'


def fmt_number(value: float, decimals: int = 0) -> str:
    """A chart's number, written as its table writes it (``hallbar.reports.formatting``)."""
    return format_number_unbroken(value, decimals)


def nice_step(span: float, ticks: int = 5) -> float:
    if span <= 0:
        return 1.0
    raw = span / ticks
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= raw:
            return m * mag
    return 10 * mag


def short_label(label: str, limit: int = 30) -> str:
    """A label that fits beside a bar; the full text stays in the bar's tooltip."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def open_svg(cid: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" aria-labelledby="{cid}-t {cid}-d" '
        f'class="hb-chart" {FONT}>',
        f'<title id="{cid}-t">{escape(title)}</title>',
        f'<desc id="{cid}-d">{escape(desc)}</desc>',
    ]


def _legend_width(label: str) -> float:
    return 28 + 7 * len(label)


def legend_rows(labels: Sequence[str], x0: float, max_x: float | None) -> int:
    """How many rows ``legend`` needs for ``labels`` between ``x0`` and ``max_x``."""
    return max((row for _, row in _legend_places(labels, x0, max_x)), default=0) + 1


def _legend_places(
    labels: Sequence[str], x0: float, max_x: float | None
) -> list[tuple[float, int]]:
    x, row, out = x0, 0, []
    for label in labels:
        if max_x is not None and x > x0 and x + _legend_width(label) > max_x:
            x, row = x0, row + 1
        out.append((x, row))
        x += _legend_width(label)
    return out


def legend(
    parts: list[str],
    items: Sequence[tuple[str, str]],
    x0: float,
    y: float,
    max_x: float | None = None,
) -> None:
    """Coloured swatches with their names from (``x0``, ``y``); with ``max_x`` an item that
    would pass it starts a new row below, so no name is cut off at the chart's edge."""
    places = _legend_places([label for label, _ in items], x0, max_x)
    for (label, colour), (x, row) in zip(items, places, strict=True):
        yy = y + row * LEGEND_ROW
        parts.append(
            f'<g class="hb-legend-item" data-serie="{escape(label)}">'
            f'<rect x="{x:.1f}" y="{yy - 10:.1f}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16:.1f}" y="{yy:.1f}" font-size="12" fill="{INK}">{escape(label)}</text>'
            "</g>"
        )


def series_legend(
    parts: list[str],
    series: Sequence[tuple[str, Any]],
    x0: float,
    y: float,
    max_x: float | None = None,
) -> None:
    """The legend of named series, coloured in palette order."""
    legend(parts, [(s[0], PALETTE[i % len(PALETTE)]) for i, s in enumerate(series)], x0, y, max_x)


def value_axis(
    parts: list[str],
    y: Callable[[float], float],
    lo: float,
    hi: float,
    step: float,
    *,
    left: float,
    right: float,
    decimals: int = 0,
    zero_line: bool = True,
) -> None:
    """Horizontal grid lines every ``step`` from ``lo`` to ``hi`` with their values on the
    left; with ``zero_line`` the line at zero is drawn dark."""
    tick = lo
    while tick <= hi + step / 2:
        stroke = INK if zero_line and tick == 0 else GRID
        parts.append(
            f'<line x1="{left}" x2="{right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{stroke}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{MUTED}">{fmt_number(tick, decimals)}</text>'
        )
        tick += step


def close_svg(parts: list[str]) -> str:
    """End the chart and join its parts."""
    parts.append("</svg>")
    return "\n".join(parts)


def stacked_bars(
    cid: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    desc: str,
    unit: str = "personer",
) -> str:
    """Vertical stacked bars; negative parts stack downwards from zero."""
    width, height, left, right, top, bottom = 720, 320, 56, 12, 16, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    pos = [sum(max(0.0, s[1][i]) for s in series) for i in range(len(categories))]
    neg = [sum(min(0.0, s[1][i]) for s in series) for i in range(len(categories))]
    hi, lo = max([0.0, *pos]), min([0.0, *neg])
    step = nice_step(hi - lo or 1.0)
    hi = math.ceil(hi / step) * step if hi > 0 else 0.0
    lo = math.floor(lo / step) * step if lo < 0 else 0.0
    if hi == lo:
        hi = step

    def y(v: float) -> float:
        return top + (hi - v) / (hi - lo) * plot_h

    parts = open_svg(cid, width, height, title, desc)
    value_axis(parts, y, lo, hi, step, left=left, right=width - right)
    n = max(len(categories), 1)
    slot = plot_w / n
    bar = min(48.0, slot * 0.7)
    for i, cat in enumerate(categories):
        x = left + i * slot + (slot - bar) / 2
        up, down = 0.0, 0.0
        for s, (label, values) in enumerate(series):
            v = float(values[i])
            if v == 0:
                continue
            colour = PALETTE[s % len(PALETTE)]
            if v > 0:
                y0, y1 = y(up + v), y(up)
                up += v
            else:
                y0, y1 = y(down), y(down + v)
                down += v
            parts.append(
                f'<rect x="{x:.1f}" y="{y0:.1f}" width="{bar:.1f}" height="{max(y1 - y0, 0.5):.1f}" '
                f'fill="{colour}"><title>{escape(label)}, {escape(cat)}: {fmt_number(v, 1)} {escape(unit)}</title></rect>'
            )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" font-size="11" '
            f'text-anchor="middle" fill="{INK}">{escape(cat)}</text>'
        )
    series_legend(parts, series, left, height - 14)
    return close_svg(parts)


def horizontal_bars(
    cid: str,
    rows: Sequence[tuple[str, float]],
    *,
    title: str,
    desc: str,
    unit: str = "personer",
    floating: bool = False,
) -> str:
    """One bar per row. ``floating`` draws a waterfall: the first row is the base and
    each later row starts where the previous cumulative total ended."""
    label_w, width, row_h, top = 230, 720, 26, 8
    height = top + row_h * len(rows) + 26
    cum, spans = 0.0, []
    for i, (_, v) in enumerate(rows):
        start = cum if floating and i > 0 else 0.0
        cum = start + v if floating else v
        spans.append((start, start + v))
    lo = min([0.0, *(min(a, b) for a, b in spans)])
    hi = max([0.0, *(max(a, b) for a, b in spans)]) or 1.0
    plot_w = width - label_w - 80

    def x(v: float) -> float:
        return label_w + (v - lo) / (hi - lo) * plot_w

    parts = open_svg(cid, width, height, title, desc)
    parts.append(
        f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="{top}" y2="{height - 20}" stroke="{INK}"/>'
    )
    for i, ((label, v), (a, b)) in enumerate(zip(rows, spans, strict=True)):
        yy = top + i * row_h
        colour = PALETTE[0] if i == 0 or not floating else (PALETTE[2] if v <= 0 else PALETTE[1])
        x0, x1 = sorted((x(a), x(b)))
        parts.append(
            f'<text x="{label_w - 8}" y="{yy + 17}" font-size="12" text-anchor="end" fill="{INK}">{escape(short_label(label, 34))}</text>'
        )
        parts.append(
            f'<rect x="{x0:.1f}" y="{yy + 4}" width="{max(x1 - x0, 1):.1f}" height="{row_h - 8}" fill="{colour}">'
            f"<title>{escape(label)}: {fmt_number(v, 1)} {escape(unit)}</title></rect>"
        )
        parts.append(
            f'<text x="{max(x0, x1) + 4:.1f}" y="{yy + 17}" font-size="11" fill="{MUTED}">{fmt_number(v, 1)}</text>'
        )
    return close_svg(parts)


def pyramid(
    cid: str,
    bands: Sequence[str],
    women: Sequence[float | None],
    men: Sequence[float | None],
    *,
    title: str,
    desc: str,
    women_end: Sequence[float | None] | None = None,
    men_end: Sequence[float | None] | None = None,
    end_label: str = "",
) -> str:
    """An age pyramid: women left, men right, oldest band on top. The optional
    ``*_end`` values (the projected last year) are drawn as outlines. A hidden
    (None) value draws nothing."""
    width, centre_gap, row_h, top = 360, 44, 18, 6
    height = top + row_h * len(bands) + 40
    values = [v for v in (*women, *men, *(women_end or ()), *(men_end or ())) if v is not None]
    peak = max([1.0, *values])
    half = (width - centre_gap) / 2 - 8
    mid_l, mid_r = half + 4, half + 4 + centre_gap

    def w(v: float) -> float:
        return v / peak * (half - 24)

    parts = open_svg(cid, width, height, title, desc)
    order = list(range(len(bands)))[::-1]
    for row, i in enumerate(order):
        yy = top + row * row_h
        parts.append(
            f'<text x="{width / 2:.1f}" y="{yy + 13}" font-size="11" text-anchor="middle" fill="{INK}">{escape(bands[i])}</text>'
        )
        for vals, colour, side in ((women, WOMEN, -1), (men, MEN, 1)):
            v = vals[i]
            if v is None:
                continue
            x0 = mid_l - w(v) if side < 0 else mid_r
            parts.append(
                f'<rect x="{x0:.1f}" y="{yy + 2}" width="{w(v):.1f}" height="{row_h - 4}" fill="{colour}">'
                f"<title>{'Kvinnor' if side < 0 else 'Män'} {escape(bands[i])}: {fmt_number(v)}</title></rect>"
            )
        for vals_end, side in ((women_end, -1), (men_end, 1)):
            if vals_end is None or vals_end[i] is None:
                continue
            v = float(vals_end[i] or 0.0)
            x0 = mid_l - w(v) if side < 0 else mid_r
            parts.append(
                f'<rect x="{x0:.1f}" y="{yy + 1}" width="{w(v):.1f}" height="{row_h - 2}" fill="none" '
                f'stroke="{INK}" stroke-width="1.5" stroke-dasharray="3 2"/>'
            )
    legend(parts, [("Kvinnor", WOMEN), ("Män", MEN)], 4, height - 14)
    if end_label and women_end is not None:
        ly = height - 14
        parts.append(
            f'<rect x="190" y="{ly - 10}" width="12" height="12" fill="none" stroke="{INK}" stroke-dasharray="3 2"/>'
        )
        parts.append(
            f'<text x="206" y="{ly}" font-size="12" fill="{INK}">{escape(end_label)}</text>'
        )
    return close_svg(parts)


def grouped_bars(
    cid: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    desc: str,
    unit: str = "personer",
    decimals: int = 0,
) -> str:
    """Horizontal grouped bars: one group per category, one bar per series; each bar's
    value is written beside it with ``decimals`` decimals."""
    label_w, width, bar_h, gap = 220, 720, 14, 12
    group_h = bar_h * max(len(series), 1) + gap
    height = 8 + group_h * len(categories) + 30
    vals = [float(v) for _, s in series for v in s if v is not None]
    lo, hi = min([0.0, *vals]), max([0.0, *vals]) or 1.0
    plot_w = width - label_w - 70

    def x(v: float) -> float:
        return label_w + (v - lo) / (hi - lo) * plot_w

    parts = open_svg(cid, width, height, title, desc)
    for c, cat in enumerate(categories):
        y0 = 8 + c * group_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y0 + group_h / 2 + 2:.1f}" font-size="12" text-anchor="end" fill="{INK}">{escape(short_label(cat))}</text>'
        )
        for s, (label, values) in enumerate(series):
            v = values[c]
            if v is None:
                continue
            a, b = sorted((x(0), x(float(v))))
            yy = y0 + s * bar_h
            parts.append(
                f'<rect x="{a:.1f}" y="{yy:.1f}" width="{max(b - a, 1):.1f}" height="{bar_h - 2}" '
                f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(label)}, {escape(cat)}: '
                f"{fmt_number(float(v), max(decimals, 1))} {escape(unit)}</title></rect>"
            )
            parts.append(
                f'<text x="{b + 4:.1f}" y="{yy + bar_h - 3:.1f}" font-size="10" fill="{MUTED}">{fmt_number(float(v), decimals)}</text>'
            )
    parts.append(
        f'<line x1="{x(0):.1f}" x2="{x(0):.1f}" y1="4" y2="{height - 26}" stroke="{INK}"/>'
    )
    series_legend(parts, series, 8, height - 8)
    return close_svg(parts)


def band_chart(
    cid: str,
    years: Sequence[str],
    p10: Sequence[float],
    p50: Sequence[float],
    p90: Sequence[float],
    *,
    title: str,
    desc: str,
) -> str:
    """The P10–P90 band as a shaded area with the median as a line."""
    width, height, left, right, top, bottom = 720, 260, 56, 16, 12, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    hi = max([1.0, *p90])
    step = nice_step(hi)
    hi = math.ceil(hi / step) * step
    n = max(len(years) - 1, 1)

    def x(i: int) -> float:
        return left + i / n * plot_w

    def y(v: float) -> float:
        return top + (hi - v) / hi * plot_h

    parts = open_svg(cid, width, height, title, desc)
    value_axis(parts, y, 0.0, hi, step, left=left, right=width - right, zero_line=False)
    upper = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(p90))
    lower = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in reversed(list(enumerate(p10))))
    parts.append(f'<polygon points="{upper} {lower}" fill="#9ec3d6"/>')
    median = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(p50))
    parts.append(
        f'<polyline points="{median}" fill="none" stroke="{PALETTE[0]}" stroke-width="2.5"/>'
    )
    for i, year in enumerate(years):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 16}" font-size="11" text-anchor="middle" fill="{INK}">{escape(year)}</text>'
        )
    legend(parts, [("P10–P90", "#9ec3d6"), ("Median (P50)", PALETTE[0])], left, height - 8)
    return close_svg(parts)
