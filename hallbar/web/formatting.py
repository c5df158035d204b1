"""Swedish number and date formats for pages (Jinja filters).

Thousands are grouped with a narrow no-break space (U+202F), the decimal sign is
a comma and a percent sign follows a no-break space: ``1 234,5`` and ``7,3 %``
(Språkrådet's recommendation). Dates are ISO 8601. A suppressed or missing
value is shown as an en dash.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hallbar.reports.formatting import format_number_unbroken, plural_sv

NBSP = "\u00a0"
MISSING = "–"
_LOCAL_TZ = "Europe/Stockholm"


def number(value: float | int | None, decimals: int = 0) -> str:
    """``1234.5`` → ``1 234,5`` (with ``decimals=1``); None → ``–``.

    Rounding, grouping and the minus sign (−) are the exports'
    (``hallbar.reports.formatting``); on screen the groups are held together by a
    narrow no-break space, so a number never wraps.
    """
    if value is None:
        return MISSING
    return format_number_unbroken(value, decimals)


def count(value: int | None, singular: str, plural: str) -> str:
    """``1`` → ``1 person``, ``31`` → ``31 personer`` (``{{ n|count("person", "personer") }}``):
    a whole number and the noun that agrees with it, held together by a no-break space."""
    if value is None:
        return MISSING
    return f"{number(value)}{NBSP}{plural_sv(value, singular, plural)}"


def percent(value: float | None, decimals: int = 1) -> str:
    """``7.25`` (already in percent) → ``7,3 %``."""
    if value is None:
        return MISSING
    return f"{number(value, decimals)}{NBSP}%"


def iso_date(value: date | datetime | None) -> str:
    if value is None:
        return MISSING
    if isinstance(value, datetime):
        value = local_time(value).date()
    return value.isoformat()


def local_time(value: datetime) -> datetime:
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(_LOCAL_TZ))


def date_time(value: datetime | None) -> str:
    """``2025-11-01 14:05`` in Swedish local time."""
    if value is None:
        return MISSING
    return local_time(value).strftime("%Y-%m-%d %H:%M")


FILTERS = {
    "num": number,
    "pct": percent,
    "count": count,
    "date": iso_date,
    "datetime": date_time,
}
