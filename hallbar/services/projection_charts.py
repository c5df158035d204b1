"""The projection pages' charts: the shared SVG charts of ``hallbar.reports.svgcharts``.

The underscored aliases keep ``figures_charts`` working until it imports the
shared building blocks from ``hallbar.reports.svgcharts`` itself.
"""

from __future__ import annotations

from hallbar.reports.svgcharts import (
    FONT,
    GRID,
    INK,
    MEN,
    MUTED,
    PALETTE,
    WOMEN,
    band_chart,
    fmt_number,
    grouped_bars,
    horizontal_bars,
    legend,
    nice_step,
    open_svg,
    pyramid,
    short_label,
    stacked_bars,
)

_num = fmt_number
_nice_step = nice_step
_short = short_label
_open = open_svg
_legend = legend

__all__ = [
    "FONT",
    "GRID",
    "INK",
    "MEN",
    "MUTED",
    "PALETTE",
    "WOMEN",
    "band_chart",
    "grouped_bars",
    "horizontal_bars",
    "pyramid",
    "stacked_bars",
]
