"""Bad input gives a clear Swedish message, never a silent fix."""

from __future__ import annotations

import polars as pl
import pytest

from hallbar.core.errors import InsufficientData
from hallbar.projection import (
    Levers,
    ProjectionInputError,
    Rates,
    Scenario,
    TaskShift,
    normalise_stock,
    project,
)


def _stock() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "occupation": ["A", "A", "B"],
            "gender": ["K", "M", "K"],
            "age": [30, 40, 50],
            "rate": [100.0] * 3,
        }
    )


def test_occupation_without_staff() -> None:
    with pytest.raises(ProjectionInputError, match="Yrket C har ingen personal"):
        project(_stock(), None, Scenario(occupations=("A", "C")), base_year=2025)


def test_empty_stock() -> None:
    with pytest.raises(InsufficientData, match="tomt"):
        project(_stock().clear(), None, Scenario(), base_year=2025)


@pytest.mark.parametrize("rate", [1.2, -0.1])
def test_absurd_turnover(rate: float) -> None:
    with pytest.raises(ProjectionInputError, match="mellan 0 och 1"):
        Rates.constant(rate)


def test_absurd_default_turnover_and_growth() -> None:
    with pytest.raises(ProjectionInputError, match="personalomsättningen"):
        Scenario(default_turnover=1.5).validate()
    with pytest.raises(ProjectionInputError, match="tillväxten"):
        project(_stock(), None, Scenario(demand_mode="growth", growth_rate=-0.6), base_year=2025)


def test_unknown_occupation_in_levers() -> None:
    sc = Scenario(levers=Levers(task_shifts=(TaskShift("A", "Z", 1.0),)))
    with pytest.raises(ProjectionInputError, match="yrket Z, som saknas"):
        project(_stock(), None, sc, base_year=2025)
    sc = Scenario(levers=Levers(graduates_per_year=(("Q", 4.0),)))
    with pytest.raises(ProjectionInputError, match="yrket Q, som saknas"):
        project(_stock(), None, sc, base_year=2025)


def test_population_mode_needs_a_forecast() -> None:
    with pytest.raises(ProjectionInputError, match="ingen befolkningsprognos"):
        project(_stock(), None, Scenario(demand_mode="population"), base_year=2025)


def test_unknown_scenario_key_and_bad_json() -> None:
    with pytest.raises(ProjectionInputError, match=r"Okänd inställning.*horisont"):
        Scenario.from_dict({"horisont": 5})
    with pytest.raises(ProjectionInputError, match="inte giltig JSON"):
        Scenario.from_json("{")


def test_bad_stock_rows_name_the_row() -> None:
    bad = _stock().with_columns(pl.Series("rate", [100.0, 150.0, 100.0]))
    with pytest.raises(ProjectionInputError, match="rad 3: sysselsättningsgraden"):
        normalise_stock(bad)


def test_no_staff_history_notice_is_given() -> None:
    res = project(_stock(), None, Scenario(horizon=1), base_year=2025)
    assert any("Ingen historik" in n for n in res.notices)
