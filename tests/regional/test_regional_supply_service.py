"""Regional competence supply on the example members: the sum equals the members' own runs."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl
import pytest
from hallbar.services.projection_params import ProjectionRequest
from regionalenv import make_regional, principal_of

from hallbar.core.access import SYSTEM
from hallbar.projection.scenario import Scenario
from hallbar.services.context import Hallbar
from hallbar.services.projection import run_result
from hallbar.services.regional.supply import regional_supply, supply_json


@pytest.fixture(scope="module")
def hb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hallbar]:
    hb, _ = make_regional(tmp_path_factory.mktemp("supply"))
    yield hb
    hb.close()


def test_sum_per_occupation_is_the_members_own_projections(hb: Hallbar) -> None:
    view = regional_supply(hb, principal_of(hb, "regional"), "skanes-kommuner")
    assert view.scenarios == {c: "Grundscenario" for c in ("1262", "1281", "1282")}
    # The members' own results (the projection service, each on its own data) ...
    own = pl.concat(
        run_result(hb, SYSTEM, code, ProjectionRequest(scenario=Scenario()))[2]
        .yearly.group_by("occupation", "year")
        .agg(pl.col("staff_start").sum(), pl.col("need").sum())
        .with_columns(pl.lit(code).alias("code"))
        for code in ("1262", "1281", "1282")
    )
    # ... summed over the members the regional sum holds for each occupation.
    for row in view.frame.head(20).iter_rows(named=True):
        parts = own.filter(
            (pl.col("occupation") == row["occupation"])
            & (pl.col("year") == row["year"])
            & pl.col("code").is_in(row["members"])
        )
        assert row["stock"] == pytest.approx(parts["staff_start"].sum())
        assert row["need"] == pytest.approx(parts["need"].sum())
    # a member's occupation with fewer than 5 staff at the start is left out, and said so
    first = own.filter(pl.col("year") == own["year"].min())
    small = first.group_by("code", "occupation").agg(pl.col("staff_start").sum())
    small = small.filter(pl.col("staff_start") < 5)
    assert len(view.left_out) == small.height > 0
    assert all(reason == "Utelämnad: färre än 5 anställda i yrket vid start"
               for _, _, reason in view.left_out)  # fmt: skip
    summed = {(r["occupation"], tuple(r["members"])) for r in view.frame.iter_rows(named=True)}
    for code, occupation in small.select("code", "occupation").iter_rows():
        assert not any(occ == occupation and code in members for occ, members in summed)
    assert supply_json(view)["medlemmar_i_summan"] == list(view.members)
