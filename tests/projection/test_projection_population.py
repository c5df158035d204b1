"""Reading SCB-style population forecasts and driving demand from them."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from hallbar.core.errors import ImportRejected
from hallbar.ingest.population import read_population_forecast
from hallbar.projection import ProjectionInputError, Rates, Scenario, project

WIDE = (
    '"Framskriven folkmängd efter region, ålder, kön och år"\n\n'
    '"region";"ålder";"kön";"2025";"2026";"2027"\n'
    '"1280 Malmö";"0 år";"män";100;110;120\n'
    '"1280 Malmö";"0 år";"kvinnor";100;100;100\n'
    '"1280 Malmö";"100+ år";"män";1;2;3\n'
    '"1280 Malmö";"100+ år";"kvinnor";4;5;6\n'
)


def test_wide_latin1_with_title_and_gender(tmp_path: Path) -> None:
    f = tmp_path / "prognos.csv"
    f.write_bytes(WIDE.encode("latin-1"))
    pop = read_population_forecast(f)
    # Age 0: 100+100, 110+100, 120+100. Age 100 (100+): 1+4, 2+5, 3+6.
    assert pop.filter(pl.col("age") == 0).sort("year")["population"].to_list() == [200, 210, 220]
    assert pop.filter(pl.col("age") == 100).sort("year")["population"].to_list() == [5, 7, 9]
    assert set(pop["region_code"]) == {"1280"} and set(pop["region_name"]) == {"Malmö"}


def test_long_utf8_with_total_gender_rows(tmp_path: Path) -> None:
    f = tmp_path / "lang.csv"
    f.write_text(
        "region,ålder,kön,år,antal\n"
        "1280 Malmö,5,totalt,2025,300\n1280 Malmö,5,män,2025,140\n1280 Malmö,5,kvinnor,2025,160\n"
        "1280 Malmö,5,totalt,2026,330\n",
        encoding="utf-8",
    )
    pop = read_population_forecast(f)
    # Only the "totalt" rows are used, so men and women are not counted twice.
    assert pop.sort("year")["population"].to_list() == [300, 330]


def test_xlsx(tmp_path: Path) -> None:
    import xlsxwriter

    f = tmp_path / "prognos.xlsx"
    wb = xlsxwriter.Workbook(str(f))
    ws = wb.add_worksheet()
    for r, row in enumerate([["region", "ålder", "2025", "2026"], ["1280 Malmö", "80 år", 50, 55]]):
        ws.write_row(r, 0, row)
    wb.close()
    pop = read_population_forecast(f)
    assert pop.sort("year")["population"].to_list() == [50, 55]


def test_dotted_cell_is_rejected_with_row_and_column(tmp_path: Path) -> None:
    f = tmp_path / "p.csv"
    f.write_text("region;ålder;2025;2026\n1280 Malmö;3 år;10;..\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as err:
        read_population_forecast(f)
    assert "rad 2" in str(err.value) and "2026" in str(err.value)


def _pop(region: str = "1280 Malmö", years: range = range(2025, 2028)) -> pl.DataFrame:
    code, name = region.split(" ", 1)
    rows = [(code, name, age, y, 100.0 + 10 * (y - 2025)) for age in range(101) for y in years]
    return pl.DataFrame(
        rows, schema=["region_code", "region_name", "age", "year", "population"], orient="row"
    )


def _stock(n: int = 10) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "occupation": ["förskollärare"] * n,
            "gender": ["K"] * n,
            "age": [40] * n,
            "rate": [100.0] * n,
        }
    )


def test_population_drives_demand() -> None:
    sc = Scenario(horizon=2, demand_mode="population", served_ages=(("förskollärare", 1, 5),))
    res = project(_stock(), Rates.constant(0.0), sc, _pop(), base_year=2025, region="1280")
    # Every age: 100, 110, 120 -> index 1.1, 1.2 -> demand 11, 12 -> changes 1, 1.
    assert res.yearly.sort("year")["demand_change"].to_list() == pytest.approx([1.0, 1.0])
    # The default mapping (förskollärare -> 1–5 years) gives the same.
    res2 = project(
        _stock(),
        Rates.constant(0.0),
        Scenario(horizon=2, demand_mode="population"),
        _pop(),
        base_year=2025,
        region="Malmö",
    )
    assert res2.yearly["demand_change"].sum() == pytest.approx(2.0)


def test_other_municipality_is_refused() -> None:
    sc = Scenario(horizon=2, demand_mode="population")
    with pytest.raises(ProjectionInputError, match="gäller 1280 Malmö, inte organisationen 0180"):
        project(_stock(), None, sc, _pop(), base_year=2025, region="0180")


def test_horizon_beyond_forecast_is_refused() -> None:
    sc = Scenario(horizon=5, demand_mode="population")
    with pytest.raises(ProjectionInputError, match=r"sträcker sig till 2027.*högst 2 år"):
        project(_stock(), None, sc, _pop(), base_year=2025, region="1280")


def test_missing_years_are_refused() -> None:
    pop = _pop().filter(pl.col("year") != 2026)
    with pytest.raises(ProjectionInputError, match="saknar år 2026"):
        project(
            _stock(),
            None,
            Scenario(horizon=2, demand_mode="population"),
            pop,
            base_year=2025,
            region="1280",
        )


def test_missing_ages_are_refused() -> None:
    pop = _pop().filter(pl.col("age") != 3)
    with pytest.raises(ProjectionInputError, match="saknar åldrar"):
        project(
            _stock(),
            None,
            Scenario(horizon=2, demand_mode="population"),
            pop,
            base_year=2025,
            region="1280",
        )
