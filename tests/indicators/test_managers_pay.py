"""Span of control and pay figures."""

import numpy as np
import pytest
from indicator_factory import data, employment, person, unit

from hallbar.core.errors import InsufficientData
from hallbar.indicators import Params, compute

P = Params(year=2025)


def span_data(with_managers=True):
    units = [
        unit("TOP", None, "M0" if with_managers else None),
        unit("U1", "TOP", "M1" if with_managers else None),
        unit("U2", "U1", None),  # no own manager: U1's manager is first-line
        unit("U3", "TOP", "M2" if with_managers else None),
    ]
    persons = [person(m, 1970) for m in ("M0", "M1", "M2")]
    emps = [
        employment("m0", "M0", unit="TOP", manager=True),
        employment("m1", "M1", unit="TOP", manager=True),
        employment("m2", "M2", unit="U3", manager=True),
    ]
    for u, count in (("U1", 20), ("U2", 15), ("U3", 10)):
        for i in range(count):
            persons.append(person(f"{u}_{i}", 1985))
            emps.append(employment(f"e{u}_{i}", f"{u}_{i}", unit=u))
    return data(persons=persons, employments=emps, units=units)


def test_span_of_control_distribution():
    # M0: M1 (TOP) -> 1 (M0 himself excluded); M1: U1 20 + U2 15 = 35; M2: U3 10 (M2 excluded).
    r = compute("span_of_control", span_data(), P).frame.row(0, named=True)
    assert r["n"] == 3
    assert r["mean"] == pytest.approx((1 + 35 + 10) / 3)
    assert r["median"] == pytest.approx(10.0)
    assert r["share_over_30"] == pytest.approx(100 / 3)
    assert r["share_1–15"] == pytest.approx(200 / 3)
    assert r["share_31–45"] == pytest.approx(100 / 3)
    assert r["share_>60"] == pytest.approx(0.0)


def test_span_without_managers_raises():
    with pytest.raises(InsufficientData, match="chef"):
        compute("span_of_control", span_data(with_managers=False), P)


def pay_data():
    women = [25000.0, 27000.0, 30000.0, 32000.0, 40000.0]
    men = [28000.0, 31000.0, 35000.0, 36000.0]
    persons, emps = [], []
    for i, pay in enumerate(women):
        persons.append(person(f"w{i}", 1980, "K"))
        emps.append(employment(f"ew{i}", f"w{i}", pay=pay, ssyk="5321"))
    for i, pay in enumerate(men):
        persons.append(person(f"m{i}", 1980, "M"))
        emps.append(employment(f"em{i}", f"m{i}", pay=pay, ssyk="7111", form="visstid"))
    # Hourly-paid and pay-less employments are outside the pay population.
    persons.append(person("h", 1980, "M"))
    emps.append(employment("eh", "h", pay=99999.0, form="timavlönad", ssyk="7111"))
    return data(persons=persons, employments=emps), women, men


def test_median_pay_of_women_as_share_of_mens():
    d, _, _ = pay_data()
    r = compute("pay_ratio_women_men", d, P).frame.row(0, named=True)
    # women's median 30 000, men's (31 000 + 35 000) / 2 = 33 000 -> 90.909 %
    assert r["median_women"] == pytest.approx(30000.0)
    assert r["median_men"] == pytest.approx(33000.0)
    assert r["value"] == pytest.approx(100 * 30000 / 33000)
    assert (r["n_women"], r["n_men"], r["n"]) == (5, 4, 4)


def test_median_pay_gap_is_womens_median_minus_mens_in_kronor():
    # Kolada N00951 / N60953 (domain-rules §2): a difference in kronor, not a ratio.
    d, _, _ = pay_data()
    r = compute("median_pay_gap_women_men", d, P).frame.row(0, named=True)
    # women's median 30 000 − men's median 33 000 = −3 000 kr
    assert r["value"] == pytest.approx(-3000.0)
    assert r["n"] == 4


def test_pay_percentiles_match_numpy_linear():
    d, women, men = pay_data()
    frame = compute("pay_percentiles", d, P).frame
    for ssyk, pays in (("5321", women), ("7111", men)):
        r = frame.filter(frame["ssyk"] == ssyk).row(0, named=True)
        p10, p50, p90 = np.percentile(pays, [10, 50, 90])  # numpy's default method="linear"
        assert (r["p10"], r["p50"], r["p90"]) == pytest.approx((p10, p50, p90))
        assert r["p90_p10"] == pytest.approx(p90 / p10)
    # the men's group has 4 persons: below the smallest group of 5 -> suppressed
    men_row = frame.filter(frame["ssyk"] == "7111").row(0, named=True)
    assert men_row["suppressed"] is True
    table = compute("pay_percentiles", d, P).to_table().frame
    assert table.filter(table["ssyk"] == "7111")["p50"][0] is None
