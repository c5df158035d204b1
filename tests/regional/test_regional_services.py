"""Regional services on three example municipalities: consent, the view, access, audit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import polars as pl
import pytest
from regionalenv import MEMBERS, make_regional, principal_of

import hallbar.store.regional
from hallbar.core.access import SYSTEM
from hallbar.core.errors import AccessDenied, HallbarError, NotFound
from hallbar.indicators import registry
from hallbar.indicators.params import Params
from hallbar.regional.consent import DatasetKind
from hallbar.regional.disclosure import REASON_NO_DATA, REASON_SMALL
from hallbar.services import audit
from hallbar.services.audit import Action
from hallbar.services.context import Hallbar
from hallbar.services.regional import consents
from hallbar.services.regional.figures import regional_figure, regional_figure_json


@pytest.fixture(scope="module")
def hb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hallbar]:
    hb, _ = make_regional(tmp_path_factory.mktemp("regional"))
    yield hb
    hb.close()


def _own(
    hb: Hallbar, code: str, year: int = 2024, figure: str = "sick_leave_total"
) -> dict[str, Any]:
    """The member's own figure as the key-figure pages compute it."""
    frame = registry.compute(figure, hb.dataset(code), Params.from_settings(hb.settings, year))
    return frame.frame.row(0, named=True)


def test_every_member_in_the_view_and_the_means(hb: Hallbar) -> None:
    regional = principal_of(hb, "regional")
    result = regional_figure(hb, regional, "skanes-kommuner", year=2024, on=date(2026, 6, 1))
    codes = tuple(sorted(code for code, _, _ in MEMBERS))
    assert result.view.included == codes
    own = {code: _own(hb, code) for code in codes}
    values = {r.code: r.value for r in result.view.rows if r.included}
    assert values == {code: pytest.approx(v["value"]) for code, v in own.items()}
    # unweighted: the plain mean of the three members' values
    assert result.view.unweighted_mean == pytest.approx(sum(v["value"] for v in own.values()) / 3)
    # weighted: all sick hours over all ordinary hours, in percent
    pooled = sum(v["numerator"] for v in own.values()) / sum(v["denominator"] for v in own.values())
    assert result.view.weighted_mean == pytest.approx(100 * pooled)
    # the 30 non-demo members of Skånes Kommuner are listed without values
    assert len(result.view.rows) == 33
    assert sum(1 for r in result.view.rows if r.value is None) == 30
    assert "<svg" in result.bars_svg and "Landskrona" in result.bars_svg
    assert regional_figure_json(result)["ingar_i_medel"] == list(codes)


def test_a_hidden_mens_group_keeps_the_member_out_of_total_women_and_men(hb: Hallbar) -> None:
    # Lomma's men in 2025 are a group of ten or fewer, hidden by Lomma's own rule (11).
    men = _own(hb, "1262", 2025, "sick_leave_men")
    assert men["n"] <= 10 and men["suppressed"]
    regional = principal_of(hb, "regional")
    assert regional_figure(hb, regional, "skanes-kommuner").year == 2025  # data end 2025-12-31
    for figure in ("sick_leave_total", "sick_leave_women", "sick_leave_men"):
        view = regional_figure(hb, regional, "skanes-kommuner", figure, year=2025).view
        lomma = next(r for r in view.rows if r.code == "1262")
        # Were Lomma in the total and the women's view, total − women = its men.
        assert (lomma.included, lomma.value, lomma.reason) == (False, None, REASON_SMALL)
        assert view.included == ("1281", "1282")


def test_hr_sees_its_own_organisation_highlighted(hb: Hallbar) -> None:
    hr = principal_of(hb, "hrlund")
    result = regional_figure(hb, hr, "skanes-kommuner", on=date(2026, 6, 1))
    assert [r.code for r in result.view.rows if r.own] == ["1281"]
    assert 'font-weight="bold">Lund (egen)' in result.bars_svg


def test_scope_and_rights(hb: Hallbar) -> None:
    with pytest.raises(NotFound):
        regional_figure(hb, principal_of(hb, "regional2"), "skanes-kommuner")
    with pytest.raises(NotFound):  # HR of an organisation outside the network
        regional_figure(hb, principal_of(hb, "hr9999"), "skanes-kommuner")
    with pytest.raises(NotFound):  # HR grants only for its own organisation
        consents.grant_consent(
            hb, principal_of(hb, "hr9999"), org_code="1281", network_id="skanes-kommuner",
            dataset=DatasetKind.KEY_FIGURES,
        )  # fmt: skip
    with pytest.raises(AccessDenied):
        consents.consent_page(hb, principal_of(hb, "analytiker"), "1281")
    with pytest.raises(HallbarError, match="kan inte jämföras"):
        regional_figure(hb, principal_of(hb, "regional"), "skanes-kommuner", "headcount")


def test_revocation_removes_the_member_and_says_so(hb: Hallbar) -> None:
    hr = principal_of(hb, "hrlund")
    today = date.today()
    page = consents.consent_page(hb, hr, "1281")
    live = [g for g in page.grants if g.dataset is DatasetKind.KEY_FIGURES and g.revoked_on is None]
    consents.revoke_consent(hb, hr, live[0].id, client="test")
    result = regional_figure(hb, principal_of(hb, "regional"), "skanes-kommuner", year=2024)
    lund = next(r for r in result.view.rows if r.code == "1281")
    assert (lund.included, lund.value) == (False, None)
    assert lund.reason.startswith("Har inte samtyckt")
    assert result.view.included == ("1262", "1282")
    assert f"Lund har återkallat sitt samtycke ({today})" in result.notices[0]
    # a new grant brings Lund back
    consents.grant_consent(
        hb, hr, org_code="1281", network_id="skanes-kommuner", dataset=DatasetKind.KEY_FIGURES,
        valid_from=today, valid_to=today + timedelta(days=365),
    )  # fmt: skip
    again = regional_figure(hb, principal_of(hb, "regional"), "skanes-kommuner", year=2024)
    assert "1281" in again.view.included
    with pytest.raises(HallbarError, match="slutar"):
        consents.grant_consent(
            hb, hr, org_code="1281", network_id="skanes-kommuner",
            dataset=DatasetKind.KEY_FIGURES, valid_from=today, valid_to=today - timedelta(days=1),
        )  # fmt: skip


def test_grants_revocations_and_views_are_audited(hb: Hallbar) -> None:
    log = audit.entries(hb, SYSTEM, limit=5000)
    actions = {e.action for e in log}
    assert {Action.CONSENT_GIVEN, Action.CONSENT_REVOKED, Action.REGIONAL_VIEW} <= actions
    revoked = [e for e in log if e.action == Action.CONSENT_REVOKED]
    assert revoked and revoked[0].username == "hrlund" and revoked[0].org_id == "1281"
    # 3 members × 2 datasets granted by the demo, then one more by HR
    assert sum(1 for e in log if e.action == Action.CONSENT_GIVEN) >= 7
    assert len(hallbar.store.regional.grants(hb.store, recipient="skanes-kommuner")) >= 7


def test_one_occupation_across_members(hb: Hallbar) -> None:
    regional = principal_of(hb, "regional")
    view = regional_figure(
        hb, regional, "skanes-kommuner", "permanent_share", year=2025, occupation="5321"
    )
    assert view.occupation == "5321" and any(code == "5321" for code, _ in view.occupations)
    assert view.view.included  # members with at least 5 undersköterskor
    params = replace(Params.from_settings(hb.settings, 2025), by=("ssyk",))
    for row in view.view.rows:
        if row.included:
            # the member's own figure for the occupation (the indicators' own cut)
            frame = registry.compute("permanent_share", hb.dataset(row.code), params).frame
            own = frame.filter(pl.col("ssyk") == "5321").row(0, named=True)
            assert row.value == pytest.approx(own["value"]) and row.n == own["n"] >= 5


def test_sick_leave_by_occupation_needs_enough_women_and_men(hb: Hallbar) -> None:
    view = regional_figure(
        hb, principal_of(hb, "regional"), "skanes-kommuner", year=2024, occupation="5321"
    ).view
    params = replace(Params.from_settings(hb.settings, 2024), by=("ssyk",))
    for code in ("1262", "1281", "1282"):
        men = registry.compute("sick_leave_men", hb.dataset(code), params).frame
        usk_men = men.filter(pl.col("ssyk") == "5321")["n"].sum()
        row = next(r for r in view.rows if r.code == code)
        # Ten or fewer male undersköterskor: left out of the total too (the note's rule, 11).
        assert row.included == (usk_men >= 11), (code, usk_men)
        if not row.included:
            assert row.reason in (REASON_SMALL, REASON_NO_DATA)


def test_occupation_cells_follow_the_members_own_suppression(hb: Hallbar) -> None:
    from hallbar.privacy.suppression import SuppressionRule
    from hallbar.services.regional.figures import _occupation_cells

    cells = _occupation_cells(hb, "1281", "sick_leave_total", 2024, SuppressionRule(11))
    small = [c for c in cells.values() if c.n is not None and 0 < c.n < 11]
    assert small and not any(c.released for c in small)  # every small occupation is hidden
    # with at least one hidden occupation, no single hidden one equals total − visible ones
    hidden = [c for c in cells.values() if not c.released]
    assert len(hidden) != 1
