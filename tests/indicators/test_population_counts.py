"""Key figures count persons through the population layer (hallbar.core.population)."""

from datetime import date

from indicator_factory import data, employment, person

from hallbar.core.population import EMPLOYED, MONTHLY_PAID
from hallbar.indicators import Params, compute

P = Params(year=2025)  # snapshot 2025-11-01


def _org():
    # a: two permanent employments (counted once); b: fixed-term; c: hourly-paid only;
    # d: ended 2025-10-31 (not employed on 1 November).
    persons = [person(p, 1980) for p in "abcd"]
    emps = [
        employment("a1", "a"),
        employment("a2", "a", rate=25.0),
        employment("b1", "b", form="visstid"),
        employment("c1", "c", form="timavlönad", rate=0.0, pay=None),
        employment("d1", "d", end=date(2025, 10, 31)),
    ]
    return data(persons=persons, employments=emps)


def test_headcount_is_the_monthly_paid_population_on_1_november():
    d = _org()
    # a and b: 2 monthly-paid persons; with c, 3 employed.
    assert MONTHLY_PAID.count(d, P.snapshot).n == 2
    assert compute("headcount", d, P).frame["n"].sum() == 2
    assert EMPLOYED.count(d, P.snapshot).n == 3
    assert compute("employment_forms", d, P).frame["n"].sum() == 3
