"""Column names and the Descriptions the projection pages add to
``hallbar.projection.descriptions`` (staff at start, surplus, supply, gap)."""

from __future__ import annotations

from hallbar.core.describe import Description

OCC = "Yrke"
YEAR = "År"
WATERFALL_STEP = "Åtgärd"
ALL_LABEL = "Alla yrken"

_POP = "Månadsavlönade (tillsvidare och visstid) i urvalet vid startdatumet."
_SRC = "Hållbar docs/projection.md"


def other_label() -> str:
    """The pooled row of the occupations that are not shown one by one."""
    return "Övriga yrken (visas inte var för sig)"


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
