"""The projection's occupation labels count the monthly-paid, as its stock does
(``hallbar.core.population.MONTHLY_PAID_FORMS``, the one home of that rule)."""

from __future__ import annotations

from datetime import date

from handmade import employment, hrdata, person

from hallbar.services.projection.inputs import occupation_labels


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
