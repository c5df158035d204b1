"""The projection's occupation labels count the monthly-paid, as its stock does
(``hallbar.core.population.MONTHLY_PAID_FORMS``, the one home of that rule), and the
stock counts each person in the key figures' unit (their main employment)."""

from __future__ import annotations

from datetime import date

import polars as pl
from handmade import employment, hrdata, person

from hallbar.services.disclosure import key_figure_persons
from hallbar.services.projection.inputs import occupation_labels, stock_at


def test_hourly_paid_titles_do_not_name_an_occupation() -> None:
    # SSYK 5321: one monthly-paid Undersköterska and two hourly-paid "Timvikarie". Counting
    # every form, Timvikarie (2) would win over Undersköterska (1); the stock projects the
    # monthly-paid, so the label is Undersköterska.
    persons = [person(f"p{i}", date(1980, 1, 1), "K") for i in range(3)]
    monthly = employment("E0", "p0", "A", title="Undersköterska", monthly_pay=30_000.0, ssyk="5321")
    hourly = [
        {
            **employment(f"E{i}", f"p{i}", "A", title="Timvikarie", monthly_pay=0.0, ssyk="5321"),
            "employment_form": "timavlönad",
            "rate": 0.0,
            "monthly_pay": None,
        }
        for i in (1, 2)
    ]
    data = hrdata(
        date(2025, 12, 31),
        "9999",
        "Testkommun",
        units=[("A", None, "Omsorg")],
        persons=persons,
        employments=[monthly, *hourly],
    )
    assert occupation_labels(data, "ssyk") == {"5321": "5321 Undersköterska"}


def test_the_stock_counts_a_person_where_the_key_figures_do() -> None:
    # p0 has a permanent 40 % employment in A and a fixed-term 60 % one in B. The key
    # figures' main employment is the permanent one (form first, then rate); counted by
    # the highest rate (as the stock once did) p0 would be in B, and A's head count minus
    # the projection's A would reveal p0.
    persons = [person(f"p{i}", date(1980, 1, 1), "K") for i in range(2)]
    a = employment("E0", "p0", "A", title="Kock", monthly_pay=30_000.0, rate=40.0, ssyk="5120")
    b = {
        **employment("E1", "p0", "B", title="Lärare", monthly_pay=40_000.0, ssyk="2341"),
        "employment_form": "visstid",
        "rate": 60.0,
    }
    other = employment("E2", "p1", "B", title="Lärare", monthly_pay=40_000.0, ssyk="2341")
    data = hrdata(
        date(2025, 12, 31),
        "9999",
        "Testkommun",
        units=[("TOP", None, "Kommun"), ("A", "TOP", "Kök"), ("B", "TOP", "Skola")],
        persons=persons,
        employments=[a, b, other],
    )
    stock = stock_at(data, data.as_of, "ssyk")
    keyed = key_figure_persons(data, data.as_of, 2025)
    assert sorted(stock.select("unit_id", "occupation").iter_rows()) == [
        ("A", "5120"),
        ("B", "2341"),
    ]
    assert sorted(keyed["unit_id"].to_list()) == ["A", "B"]
    assert stock.filter(pl.col("unit_id") == "A")["rate"].to_list() == [100.0]  # 40 + 60
