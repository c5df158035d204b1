"""An employment's terms on a date (``views.employment_terms``): the period active on the
date, else the latest period started before it, else its first period."""

from datetime import date

from indicator_factory import data, employment, person

from hallbar.indicators.views import employment_terms

ON = date(2025, 11, 1)


def _units(*periods: dict[str, object]) -> dict[str, str]:
    frame = data(persons=[person("A", 1980, "K")], employments=list(periods)).employments
    terms = employment_terms(frame, ON)
    return dict(zip(terms["employment_id"], terms["unit_id"], strict=True))


def test_the_period_active_on_the_date() -> None:
    assert _units(
        employment("e", "A", unit="U1", start=date(2024, 1, 1), end=date(2025, 6, 30)),
        employment("e", "A", unit="U2", start=date(2025, 7, 1)),
        employment("e", "A", unit="U3", start=date(2025, 12, 1)),
    ) == {"e": "U2"}


def test_the_latest_period_started_before_the_date() -> None:
    assert _units(
        employment("e", "A", unit="U1", start=date(2024, 1, 1), end=date(2024, 6, 30)),
        employment("e", "A", unit="U2", start=date(2025, 1, 1), end=date(2025, 3, 31)),
    ) == {"e": "U2"}


def test_the_first_period_when_none_has_started() -> None:
    # In U4 from 15 November, in U5 from 1 December: on 1 November the employment has
    # not started, and its terms are those it starts with (U4), not its latest.
    assert _units(
        employment("e", "A", unit="U5", start=date(2025, 12, 1)),
        employment("e", "A", unit="U4", start=date(2025, 11, 15), end=date(2025, 11, 30)),
    ) == {"e": "U4"}
