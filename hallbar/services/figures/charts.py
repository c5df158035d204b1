"""Server-rendered SVG charts for the key-figure pages: line charts and paired bars.

Built on the projection pages' chart helpers (``projection_charts``: the palette,
the accessible ``<svg>`` opening with title and description, the legend, nice
axis steps and Swedish numbers), so every chart in the app looks and reads the
same. A hidden or missing value (None) is a gap in a line, never a zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from hallbar.reports.svgcharts import (
    INK,
    LEGEND_ROW,
    MUTED,
    PALETTE,
    close_svg,
    fmt_number,
    grouped_bars,
    legend_rows,
    nice_step,
    open_svg,
    series_legend,
    value_axis,
)

__all__ = ["grouped_bars", "line_chart", "sparkline"]


def line_chart(
    cid: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    desc: str,
    unit: str = "",
    decimals: int = 1,
    height: int = 300,
) -> str:
    """One line per series over ``categories`` (periods). Gaps where a value is None.

    Series ``i`` is drawn, dotted and named in the legend in ``PALETTE[i]``; each line and
    point carries its series' name (``data-serie``), so colour and name can be checked."""
    width, left, right, top, bottom = 720, 58, 16, 14, 62
    extra = (legend_rows([name for name, _ in series], left, width - right) - 1) * LEGEND_ROW
    plot_w, plot_h = width - left - right, height - top - bottom
    height += extra
    values = [float(v) for _, s in series for v in s if v is not None]
    lo = min([0.0, *values])
    hi = max([*values, 0.0]) or 1.0
    step = nice_step(hi - lo)
    hi = math.ceil(hi / step) * step
    lo = math.floor(lo / step) * step if lo < 0 else 0.0
    n = max(len(categories) - 1, 1)

    def x(i: int) -> float:
        return left + (i / n * plot_w if len(categories) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + (hi - v) / ((hi - lo) or 1.0) * plot_h

    parts = open_svg(cid, width, height, title, desc)
    value_axis(
        parts, y, lo, hi, step, left=left, right=width - right, decimals=0 if step >= 1 else 1
    )
    every = max(1, math.ceil(len(categories) / 12))
    for i, cat in enumerate(categories):
        if i % every == 0 or i == len(categories) - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" font-size="11" '
                f'text-anchor="middle" fill="{INK}">{escape(cat)}</text>'
            )
    for s, (label, vals) in enumerate(series):
        colour = PALETTE[s % len(PALETTE)]
        run: list[str] = []
        runs: list[list[str]] = []
        for i, v in enumerate(vals):
            if v is None:
                if run:
                    runs.append(run)
                run = []
                continue
            run.append(f"{x(i):.1f},{y(float(v)):.1f}")
        if run:
            runs.append(run)
        for r in runs:
            if len(r) > 1:
                parts.append(
                    f'<polyline data-serie="{escape(label)}" points="{" ".join(r)}" fill="none" '
                    f'stroke="{colour}" stroke-width="2.5" stroke-linejoin="round"/>'
                )
        for i, v in enumerate(vals):
            if v is None:
                continue
            parts.append(
                f'<circle data-serie="{escape(label)}" cx="{x(i):.1f}" cy="{y(float(v)):.1f}" '
                f'r="3.2" fill="{colour}">'
                f"<title>{escape(label)}, {escape(categories[i])}: {fmt_number(float(v), decimals)}"
                f"{' ' + escape(unit) if unit else ''}</title></circle>"
            )
    series_legend(parts, series, left, top + plot_h + 50, width - right)
    return close_svg(parts)


def sparkline(
    cid: str,
    categories: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    unit: str = "",
    decimals: int = 1,
) -> str:
    """A small line over a few years with the first and last value written out."""
    width, height, pad = 280, 84, 26
    shown = [float(v) for v in values if v is not None]
    desc = ", ".join(
        f"{c}: {'dolt eller saknas' if v is None else fmt_number(float(v), decimals)}"
        for c, v in zip(categories, values, strict=True)
    )
    parts = open_svg(cid, width, height, title, desc)
    if not shown:
        parts.append(
            f'<text x="{width / 2}" y="{height / 2}" font-size="12" text-anchor="middle" '
            f'fill="{MUTED}">Ingen tidsserie att visa</text></svg>'
        )
        return "\n".join(parts)
    lo, hi = min(shown), max(shown)
    span = (hi - lo) or max(abs(hi), 1.0)
    n = max(len(values) - 1, 1)

    def x(i: int) -> float:
        return pad + i / n * (width - 2 * pad)

    def y(v: float) -> float:
        return 20 + (hi - v) / span * (height - 44)

    points = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if len(points) > 1:
        line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in points)
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{PALETTE[0]}" stroke-width="2"/>'
        )
    for i, v in points:
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{PALETTE[0]}">'
            f"<title>{escape(categories[i])}: {fmt_number(v, decimals)} {escape(unit)}</title></circle>"
        )
        parts.append(
            f'<text x="{x(i):.1f}" y="{y(v) - 7:.1f}" font-size="11" font-weight="600" '
            f'text-anchor="middle" fill="{INK}">{fmt_number(v, decimals)}</text>'
        )
    for i, cat in enumerate(categories):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - 4}" font-size="10" text-anchor="middle" '
            f'fill="{MUTED}">{escape(cat)}</text>'
        )
    return close_svg(parts)
