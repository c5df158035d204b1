"""The clocks of the law: two months for an answer, six months to remedy, the report's due date.

* Art. 7(4): the employer answers a request for information "within a
  reasonable period of time, but in any event within two months from the date
  on which the request is made" — ``information_due``.
* Art. 10(1)(c): a joint pay assessment follows when a gap of 5 % or more has
  not been remedied "within six months of the date of submission of the pay
  reporting" — ``remedy_due``.
* Art. 9(2)–(4): 250 or more workers report by 7 June 2027 and every year
  thereafter; 150–249 by 7 June 2027 and every third year thereafter; 100–149
  by 7 June 2031 and every third year thereafter — ``next_report_due``. The
  size classes, first years and intervals have one home,
  ``hallbar.paysurvey.transparency.REPORTING_CYCLES``, which also gives
  ``reporting_cycle``'s words.

A month is added as a calendar month; a day that does not exist in the target
month (31 August + 2 months) becomes the month's last day (31 October; 31
December + 2 months = 28 or 29 February).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Literal

from hallbar.paysurvey.transparency import cycle_for

INFORMATION_MONTHS = 2  # Art. 7(4)
REMEDY_MONTHS = 6  # Art. 10(1)(c)
REPORT_DAY = (6, 7)  # 7 June, Art. 9(2)-(4)
SOON_DAYS = 14  # a request is "due soon" this many days before its deadline

Status = Literal["besvarad", "försenad", "förfallen", "snart", "i tid"]
STATUS_SV: dict[str, str] = {
    "besvarad": "Besvarad i tid",
    "försenad": "Besvarad efter tidsfristen",
    "förfallen": "Tidsfristen har passerat",
    "snart": "Ska besvaras inom två veckor",
    "i tid": "Inom tidsfristen",
}


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def information_due(received: date) -> date:
    return add_months(received, INFORMATION_MONTHS)


def remedy_due(report_date: date) -> date:
    return add_months(report_date, REMEDY_MONTHS)


@dataclass(frozen=True)
class Clock:
    due: date
    days_left: int  # negative when overdue; counted to ``done`` when done
    status: Status

    @property
    def status_sv(self) -> str:
        return STATUS_SV[self.status]


def clock(due: date, today: date, done: date | None = None, soon_days: int = SOON_DAYS) -> Clock:
    """Where a deadline stands on ``today``; ``done`` is the day the work was finished."""
    if done is not None:
        return Clock(due, (due - done).days, "besvarad" if done <= due else "försenad")
    left = (due - today).days
    if left < 0:
        return Clock(due, left, "förfallen")
    return Clock(due, left, "snart" if left <= soon_days else "i tid")


def next_report_due(headcount: int, today: date) -> date | None:
    """The first 7 June on or after ``today`` on which a report is due; None below 100 workers."""
    cycle = cycle_for(headcount)
    if cycle is None:
        return None
    first, step = cycle.first_year, cycle.every_years
    year = max(first, today.year)
    while (year - first) % step or date(year, *REPORT_DAY) < today:
        year += 1
    return date(year, *REPORT_DAY)
