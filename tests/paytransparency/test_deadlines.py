"""Clocks: calendar months (Art. 7(4), Art. 10(1)(c)) and the report cycle (Art. 9(2)-(4))."""

from __future__ import annotations

from datetime import date

from hallbar.paytransparency import add_months, clock, information_due, next_report_due, remedy_due


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(date(2026, 8, 31), 2) == date(2026, 10, 31)
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)
    assert add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)  # leap year
    assert information_due(date(2026, 9, 15)) == date(2026, 11, 15)
    assert remedy_due(date(2027, 6, 7)) == date(2027, 12, 7)


def test_clock_status() -> None:
    due = date(2026, 10, 31)
    c = clock(due, date(2026, 10, 20))
    assert (c.days_left, c.status) == (11, "snart")  # 31 - 20 = 11 ≤ 14
    assert clock(due, date(2026, 10, 1)).status == "i tid"  # 30 days left
    late = clock(due, date(2026, 11, 1))
    assert (late.days_left, late.status) == (-1, "förfallen")
    assert clock(due, date(2026, 12, 1), done=date(2026, 10, 30)).status == "besvarad"
    assert clock(due, date(2026, 12, 1), done=date(2026, 11, 2)).status == "försenad"


def test_next_report_due_by_headcount() -> None:
    assert next_report_due(300, date(2026, 12, 6)) == date(2027, 6, 7)
    assert next_report_due(250, date(2027, 6, 7)) == date(2027, 6, 7)
    assert next_report_due(300, date(2027, 6, 8)) == date(2028, 6, 7)
    # 150-249: 2027, 2030, 2033 …
    assert next_report_due(200, date(2027, 6, 8)) == date(2030, 6, 7)
    # 100-149: 2031, 2034 …
    assert next_report_due(120, date(2026, 1, 1)) == date(2031, 6, 7)
    assert next_report_due(149, date(2031, 6, 8)) == date(2034, 6, 7)
    assert next_report_due(99, date(2026, 1, 1)) is None
    # the size-class boundaries (Art. 9(2)-(4)): 100, 150 and 250 workers
    assert next_report_due(100, date(2026, 1, 1)) == date(2031, 6, 7)
    assert next_report_due(150, date(2027, 6, 8)) == date(2030, 6, 7)
    assert next_report_due(249, date(2027, 6, 8)) == date(2030, 6, 7)
    assert next_report_due(250, date(2027, 6, 8)) == date(2028, 6, 7)
