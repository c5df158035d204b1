"""SVG charts of the regional pages, drawn with the shared building blocks (no scripts).

The member bar chart highlights the viewer's own organisation (another colour and
a bold label, so it does not depend on colour alone) and draws the unweighted
mean as a dashed line.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from hallbar.regional.across import Across, TrendPoint
from hallbar.reports.svgcharts import (
    GRID,
    INK,
    MUTED,
    PALETTE,
    close_svg,
    fmt_number,
    nice_step,
    open_svg,
    short_label,
)

OWN_COLOUR = PALETTE[1]
OTHER_COLOUR = PALETTE[0]


def member_bars(view: Across, *, title: str, unit: str, decimals: int = 1) -> str:
    rows = [r for r in view.rows if r.included and r.value is not None]
    label_w, width, row_h, top = 130, 440, 24, 8
    height = top + row_h * max(len(rows), 1) + 30
    hi = max([0.0, *(r.value or 0.0 for r in rows)]) or 1.0
    step = nice_step(hi)
    hi = step * (int(hi / step) + 1)
    plot_w = width - label_w - 60

    def x(v: float) -> float:
        return label_w + v / hi * plot_w

    mean_text = (
        f" Ovägt medel {fmt_number(view.unweighted_mean, decimals)} {unit}."
        if view.unweighted_mean is not None
        else ""
    )
    parts = open_svg(
        "regional-bars",
        width,
        height,
        title,
        f"Ett stapeldiagram med {len(rows)} organisationer.{mean_text}",
    )
    for i, r in enumerate(rows):
        yy = top + i * row_h
        own = r.own
        weight = ' font-weight="bold"' if own else ""
        label = short_label(r.name + (" (egen)" if own else ""), 18)
        parts.append(
            f'<text x="{label_w - 8}" y="{yy + 16}" font-size="12" text-anchor="end" '
            f'fill="{INK}"{weight}>{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{yy + 3}" width="{max(x(r.value or 0) - label_w, 1):.1f}" '
            f'height="{row_h - 6}" fill="{OWN_COLOUR if own else OTHER_COLOUR}" '
            f'data-code="{escape(r.code)}"><title>{escape(r.name)}: '
            f"{fmt_number(r.value or 0, decimals)} {escape(unit)}</title></rect>"
        )
        parts.append(
            f'<text x="{x(r.value or 0) + 4:.1f}" y="{yy + 16}" font-size="11" '
            f'fill="{MUTED}">{fmt_number(r.value or 0, decimals)}</text>'
        )
    if view.unweighted_mean is not None and rows:
        mx = x(view.unweighted_mean)
        parts.append(
            f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{top}" y2="{height - 24}" stroke="{INK}" '
            'stroke-dasharray="4 3"/>'
        )
        parts.append(
            f'<text x="{mx:.1f}" y="{height - 10}" font-size="11" text-anchor="middle" '
            f'fill="{INK}">ovägt medel</text>'
        )
    parts.append(
        f'<line x1="{label_w}" x2="{label_w}" y1="{top}" y2="{height - 24}" stroke="{GRID}"/>'
    )
    return close_svg(parts)


def trend_lines(points: Sequence[TrendPoint], *, title: str, unit: str, decimals: int = 1) -> str:
    width, height, left, right, top, bottom = 440, 200, 40, 16, 14, 40
    series = [
        ("Ovägt medel", [p.unweighted_mean for p in points], OTHER_COLOUR),
        ("Egen organisation", [p.own_value for p in points], OWN_COLOUR),
    ]
    values = [v for _, vs, _ in series for v in vs if v is not None]
    hi = max([0.0, *values]) or 1.0
    step = nice_step(hi)
    hi = step * (int(hi / step) + 1)
    n = max(len(points) - 1, 1)

    def x(i: int) -> float:
        return left + i * (width - left - right) / n

    def y(v: float) -> float:
        return top + (1 - v / hi) * (height - top - bottom)

    parts = open_svg(
        "regional-trend",
        width,
        height,
        title,
        "Ett linjediagram per år: nätverkets ovägda medel och den egna organisationen.",
    )
    tick = 0.0
    while tick <= hi + step / 2:
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="{GRID}"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{MUTED}">{fmt_number(tick, 0)}</text>'
        )
        tick += step
    for i, p in enumerate(points):
        parts.append(
            f'<text x="{x(i):.1f}" y="{height - bottom + 16}" font-size="11" '
            f'text-anchor="middle" fill="{INK}">{p.year}</text>'
        )
    for j, (label, vs, colour) in enumerate(series):
        coords = [(x(i), y(v)) for i, v in enumerate(vs) if v is not None]
        if len(coords) > 1:
            path = " ".join(f"{a:.1f},{b:.1f}" for a, b in coords)
            dash = ' stroke-dasharray="5 3"' if j == 1 else ""
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
            )
        for (a, b), v in zip(coords, [v for v in vs if v is not None], strict=True):
            parts.append(
                f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{colour}"><title>{escape(label)}: '
                f"{fmt_number(v, decimals)} {escape(unit)}</title></circle>"
            )
        lx = left + j * 150
        parts.append(
            f'<rect x="{lx}" y="{height - 14}" width="12" height="4" fill="{colour}"/>'
            f'<text x="{lx + 16}" y="{height - 9}" font-size="11" fill="{INK}">{escape(label)}</text>'
        )
    return close_svg(parts)
