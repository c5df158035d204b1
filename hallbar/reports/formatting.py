"""Swedish number and date formatting, in one place for exports and web pages.

Swedish style: a space between thousands, a decimal comma, a space before
"%" and "kr" (1 234,5; 7,3 %; 34 500 kr), the minus sign U+2212 for negatives
(−2,5; a hyphen reads as a dash and breaks from its number), ISO dates (2025-11-01).
Every number written as text for people goes through ``format_number``; CSV and
Excel value cells stay numbers and are not formatted here. Rounding
is half away from zero on the decimal value as written (2,675 -> 2,68), as
readers expect from printed statistics, not banker's rounding on binary floats.

Units: a Description's ``unit`` decides how a value is shown. ``"%"`` means the
value is already in percent (7.3 means 7,3 %, as SKR and Kolada publish);
``"andel"`` means a share between 0 and 1 shown as percent.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

SUPPRESSED_MARK = ".."
MISSING_MARK = "–"
THOUSANDS_SEP = " "
MINUS = "\u2212"  # −, not the hyphen-minus "-"
# Pages, charts and printed documents hold a number's groups together (1 234 never wraps).
NARROW_NBSP = "\u202f"

SUPPRESSION_NOTE_SV = (
    f"{SUPPRESSED_MARK} = Uppgiften visas inte för att skydda enskilda personer: gruppen är "
    "för liten, eller uppgiften skulle kunna räknas fram ur andra uppgifter i tabellen."
)
MISSING_NOTE_SV = f"{MISSING_MARK} = Uppgift saknas eller kan inte beräknas."


def _is_missing(x: float | int | Decimal | None) -> bool:
    return x is None or (isinstance(x, float) and not math.isfinite(x))


def _decimal(x: float | int | Decimal) -> Decimal:
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)


def _rounded(x: float | int | Decimal, decimals: int) -> Decimal:
    quantum = Decimal(1).scaleb(-decimals)
    return _decimal(x).quantize(quantum, ROUND_HALF_UP)


def format_number(x: float | int | Decimal | None, decimals: int = 0) -> str:
    """1234.5 -> '1 234,5' (decimals=1), -2.5 -> '−2,5'. None/NaN -> the missing mark."""
    if _is_missing(x):
        return MISSING_MARK
    assert x is not None
    value = _rounded(x, decimals)
    if value == 0:
        value = abs(value)  # no "−0,0"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", THOUSANDS_SEP).replace(".", ",").replace("-", MINUS)


def format_number_unbroken(x: float | int | Decimal | None, decimals: int = 0) -> str:
    """``format_number`` with its groups held together by a narrow no-break space, for
    pages, charts and printed documents: -1234.5 -> '−1\u202f234,5' (decimals=1)."""
    return format_number(x, decimals).replace(THOUSANDS_SEP, NARROW_NBSP)


def format_msek(amount_kr: int | None) -> str:
    """Kronor as millions with at most one decimal: 40 600 000 -> '40,6', 168 000 000 ->
    '168', -1 500 000 -> '−1,5' (the follow-up's budget columns say "MSEK" once)."""
    if amount_kr is None:
        return MISSING_MARK
    text = format_number_unbroken(Decimal(amount_kr) / 1_000_000, 1)
    return text.removesuffix(",0")


def plural_sv(n: float | int, singular: str, plural: str) -> str:
    """The Swedish noun for ``n`` of something: 1 person, 0 or 2 personer."""
    return singular if n == 1 else plural


def format_count(n: int, singular: str, plural: str) -> str:
    """A count with its noun: ``format_count(1, "person", "personer")`` → '1 person',
    ``format_count(1234, …)`` → '1 234 personer'. Counts are whole numbers."""
    return f"{format_number(n, 0)} {plural_sv(n, singular, plural)}"


def format_percent(x: float | int | Decimal | None, decimals: int = 1) -> str:
    """A value already in percent: 7.25 -> '7,3 %'."""
    if _is_missing(x):
        return MISSING_MARK
    return f"{format_number(x, decimals)} %"


def format_share(x: float | int | None, decimals: int = 1) -> str:
    """A share between 0 and 1 shown as percent: 0.073 -> '7,3 %'."""
    if _is_missing(x):
        return MISSING_MARK
    assert x is not None
    return format_percent(_decimal(x) * 100, decimals)


def format_kr(x: float | int | None, decimals: int = 0) -> str:
    """34500 -> '34 500 kr'."""
    if _is_missing(x):
        return MISSING_MARK
    return f"{format_number(x, decimals)} kr"


def format_date(d: date | datetime | None) -> str:
    """ISO date: 2025-11-01 (a datetime shows its date only)."""
    if d is None:
        return MISSING_MARK
    if isinstance(d, datetime):
        d = d.date()
    return d.isoformat()


# unit -> (kind, decimals). Kinds: "int", "number", "percent", "share", "kr".
UNIT_STYLES: dict[str, tuple[str, int]] = {
    "%": ("percent", 1),
    "procent": ("percent", 1),
    "andel": ("share", 1),
    "kr": ("kr", 0),
    "kronor": ("kr", 0),
    "personer": ("int", 0),
    "antal": ("int", 0),
    "st": ("int", 0),
    "årsarbetare": ("number", 1),
    "timmar": ("number", 1),
    "dagar": ("number", 1),
    "år": ("number", 1),
    "kvot": ("number", 2),
}


def unit_style(unit: str | None, *, is_integer: bool = False) -> tuple[str, int]:
    """How to show a value of this unit: (kind, decimals)."""
    if unit is not None and unit.strip().lower() in UNIT_STYLES:
        return UNIT_STYLES[unit.strip().lower()]
    return ("int", 0) if is_integer else ("number", 1)


def format_value(x: object, kind: str, decimals: int) -> str:
    """Format one value by kind (see ``unit_style``); text passes through."""
    if x is None:
        return MISSING_MARK
    if isinstance(x, date | datetime):
        return format_date(x)
    if isinstance(x, bool) or not isinstance(x, int | float):
        return str(x)
    if kind == "percent":
        return format_percent(x, decimals)
    if kind == "share":
        return format_share(x, decimals)
    if kind == "kr":
        return format_kr(x, decimals)
    return format_number(x, decimals)
