"""Column names, age bands and the Descriptions the projection pages add to
``hallbar.projection.descriptions`` (staff at start, surplus, supply, gap)."""

from __future__ import annotations

import itertools
from typing import Any

import polars as pl

from hallbar.core.describe import Description

OCC = "Yrke"
YEAR = "År"
WATERFALL_STEP = "Åtgärd"
ALL_LABEL = "Alla yrken"

# Age bands of the pyramids: five-year bands for large groups, ten-year bands (as the
# unit overview) for small ones, so fewer cells fall under the small-group limit.
NARROW_EDGES: tuple[int, ...] = (25, 30, 35, 40, 45, 50, 55, 60, 65)
WIDE_EDGES: tuple[int, ...] = (30, 40, 50, 60)
WIDE_BANDS_FROM = 100  # staff at start from which a pyramid uses five-year bands


def band_labels(edges: tuple[int, ...]) -> tuple[str, ...]:
    """(30, 40) -> ("–29", "30–39", "40–")."""
    inner = [f"{lo}–{hi - 1}" for lo, hi in itertools.pairwise(edges)]
    return (f"–{edges[0] - 1}", *inner, f"{edges[-1]}–")


_POP = "Månadsavlönade (tillsvidare och visstid) i urvalet vid startdatumet."
_SRC = "Hållbar docs/projection.md"


def other_label(min_n: int) -> str:
    return f"Övriga yrken (färre än {min_n} anställda per yrke)"


def band_expr(age_col: str, edges: tuple[int, ...] = NARROW_EDGES) -> pl.Expr:
    """The age band label of ``age_col`` for the bands starting at ``edges``."""
    labels = band_labels(edges)
    age = pl.col(age_col)
    expr: Any = pl.when(age < edges[0]).then(pl.lit(labels[0]))
    for edge, label in zip(edges[1:], labels[1:-1], strict=True):
        expr = expr.when(age < edge).then(pl.lit(label))
    result: pl.Expr = expr.otherwise(pl.lit(labels[-1]))
    return result


STAFF_START = Description(
    "projection_staff_start",
    "Personal vid start",
    "Antal personer med en pågående månadsavlönad anställning på startdatumet; en person räknas "
    "en gång, i yrket för anställningen med högst sysselsättningsgrad.",
    _POP,
    "personer",
    "Organisationens HR-export; " + _SRC,
)
SURPLUS = Description(
    "projection_surplus",
    "Justering för överskott",
    "Noll utom när efterfrågan sjunker under kvarvarande personal: då rekryteras ingen, och "
    "justeringen är rekryteringsbehovet minus (förändrat behov + pensionsavgångar + "
    "personalomsättning).",
    _POP,
    "personer",
    _SRC,
)
SUPPLY = Description(
    "projection_supply",
    "Tillgång från utbildning",
    "Förväntat antal examinerade per år som kan rekryteras (en inställning), summerat över perioden.",
    _POP,
    "personer",
    _SRC,
)
GAP = Description(
    "projection_gap",
    "Gap (behov − tillgång)",
    "Rekryteringsbehov minus tillgång från utbildning; positivt betyder att utbildningen inte räcker.",
    _POP,
    "personer",
    _SRC,
)
