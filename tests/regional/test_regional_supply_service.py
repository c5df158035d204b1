"""Regional competence supply on the example members: the sum equals the members' own runs."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl
import pytest
from regionalenv import make_regional, principal_of

from hallbar.core.access import SYSTEM
from hallbar.projection import descriptions, project
from hallbar.projection.scenario import Scenario
from hallbar.services.context import Hallbar
from hallbar.services.projection.figures import OCC
from hallbar.services.projection.inputs import org_inputs
from hallbar.services.projection.params import ProjectionRequest
from hallbar.services.projection.views import projection_view
from hallbar.services.regional.supply import regional_supply, supply_json


@pytest.fixture(scope="module")
def hb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hallbar]:
    hb, _ = make_regional(tmp_path_factory.mktemp("supply"))
    yield hb
    hb.close()


def _member_yearly(hb: Hallbar, code: str) -> pl.DataFrame:
    """The member's whole-organisation projection (default scenario) per occupation and year."""
    data = hb.dataset(code)
    inputs = org_inputs(hb, data, code, ProjectionRequest(scenario=Scenario()).occupation_key)
    result = project(inputs.stock, inputs.rates, Scenario(), base_year=inputs.as_of.year)
    return (
        result.yearly.group_by("occupation", "year")
        .agg(pl.col("staff_start").sum())
        .with_columns(pl.lit(code).alias("code"))
    )


def test_sum_per_occupation_is_the_members_own_projections(hb: Hallbar) -> None:
    view = regional_supply(hb, principal_of(hb, "regional"), "skanes-kommuner")
    assert view.scenarios == {c: "Grundscenario" for c in ("1262", "1281", "1282")}
    # The members' own pages (the projection service, each on its own data): the need
    # per occupation summed over the horizon, for occupations shown under their own label.
    need = descriptions.NEED.id
    own: dict[tuple[str, str], float] = {}
    for code in ("1262", "1281", "1282"):
        page = projection_view(hb, SYSTEM, code, ProjectionRequest(scenario=Scenario()))
        for label, value in page.occupations.frame.select(OCC, need).iter_rows():
            if value is not None and label.split(" ")[0].isdigit():
                own[(code, label.split(" ")[0])] = value
    # ... summed over the members the regional sum holds for each occupation: the sum of
    # the regional rows over the years equals the sum of those members' page values.
    horizon = view.frame.group_by("occupation").agg(pl.col("need").sum(), pl.col("members").first())
    checked = 0
    for occupation, total, members in horizon.iter_rows():
        parts = [own.get((code, occupation)) for code in members]
        if all(p is not None for p in parts):
            assert total == pytest.approx(sum(p for p in parts if p is not None))
            checked += 1
    assert checked >= 5
    # The members' own yearly rows, from the same projection the pages show.
    own_rows = pl.concat(_member_yearly(hb, code) for code in ("1262", "1281", "1282"))
    # a member's occupation with fewer than 5 staff at the start is left out (the
    # member's occupation model hides every small one, and some larger ones with them)
    first = own_rows.filter(pl.col("year") == own_rows["year"].min())
    small = first.group_by("code", "occupation").agg(pl.col("staff_start").sum())
    small = small.filter(pl.col("staff_start") < 5)
    assert small.height > 0
    # one line per member with hidden occupations, naming none of them: which (and how
    # many) would say they have staff, and the model hides them knowing only their sum
    names = {m.code: m.name for m in view.scope.members}
    with_small = {names[c] for c in small["code"].to_list()}
    assert {member for member, _, _ in view.left_out} >= with_small
    assert len(view.left_out) == len({member for member, _, _ in view.left_out})
    assert all(occupation == "yrken som döljs" for _, occupation, _ in view.left_out)
    summed = {(r["occupation"], tuple(r["members"])) for r in view.frame.iter_rows(named=True)}
    for code, occupation in small.select("code", "occupation").iter_rows():
        assert not any(occ == occupation and code in members for occ, members in summed)
    assert supply_json(view)["medlemmar_i_summan"] == list(view.members)
