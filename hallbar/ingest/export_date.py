"""The export's date (uttagsdatum) when the user does not give one.

The default is the latest date on which something recorded in the files
happened, not today: an export made on 31 December and imported in February
must not be dated February. Counted are the last day of the latest month in
working time, pay components and agency staff, and the latest start of an
employment or an absence. End dates are not counted: a fixed-term contract's
end and a planned leave's last day lie in the future on the day of the export.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date

import polars as pl

MONTH_TABLES = ("working_time", "pay_components", "agency_staff")
EVENT_DATES = (("employments", "start_date"), ("absences", "from_date"))


def latest_export_date(frames: Mapping[str, pl.DataFrame]) -> date | None:
    """The export date implied by parsed frames (canonical names and dtypes); None if no
    table has a date."""
    found: list[date] = []
    for name in MONTH_TABLES:
        frame = frames.get(name)
        if frame is not None and "month" in frame.columns:
            month = frame["month"].max()
            if isinstance(month, date):
                last_day = calendar.monthrange(month.year, month.month)[1]
                found.append(date(month.year, month.month, last_day))
    for name, column in EVENT_DATES:
        frame = frames.get(name)
        if frame is not None and column in frame.columns:
            day = frame[column].max()
            if isinstance(day, date):
                found.append(day)
    return max(found) if found else None
