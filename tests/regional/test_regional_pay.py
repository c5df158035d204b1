"""Pay-survey aggregates shared with a network (consent dataset "lonekartlaggning")."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import polars as pl
import pytest
from regionalenv import MEMBERS, login, make_regional, principal_of

from hallbar.paysurvey.payframe import check_pay_frame, pay_frame_from_hrdata
from hallbar.privacy.suppression import SuppressionRule
from hallbar.regional.consent import DatasetKind
from hallbar.regional.disclosure import REASON_NO_CONSENT, REASON_SMALL
from hallbar.regional.pay_aggregates import member_pay, pooled_ratio
from hallbar.services.context import Hallbar
from hallbar.services.regional.consents import revoke_consent
from hallbar.services.regional.pay import pay_aggregates
from hallbar.services.regional.scope import member_data
from hallbar.store import regional
from hallbar.web.app import create_app

RULE = SuppressionRule(5)


def _frame(rows: list[tuple[str, str, float]]) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema=["job", "gender", "pay"], orient="row")
    return frame.with_row_index("person_id").with_columns(pl.lit(40).alias("age"))


def test_member_pay_by_hand() -> None:
    # Job A: women 30 000, men 40 000 (5 each, tiny spread): a significant difference.
    # Job B: women and men with the same five pays: no difference (p = 1).
    # Job C: 2 women, 6 men: too small to test.
    spread = [-200.0, -100.0, 0.0, 100.0, 200.0]
    rows = [("A", "K", 30000 + d) for d in spread] + [("A", "M", 40000 + d) for d in spread]
    rows += [("B", "K", 35000 + d) for d in spread] + [("B", "M", 35000 + d) for d in spread]
    rows += [("C", "K", 32000.0)] * 2 + [("C", "M", 33000.0)] * 6
    m = member_pay("1281", _frame(rows), RULE)
    assert (m.women, m.men) == (12, 16)
    assert (m.jobs_tested, m.jobs_with_difference) == (2, 1)
    assert m.jobs_share == 50.0
    # women: 5·30 000 + 5·35 000 + 2·32 000 = 389 000 over 12; men: 5·40 000 + 5·35 000 +
    # 6·33 000 = 573 000 over 16.
    assert m.ratio == pytest.approx(100 * (389000 / 12) / (573000 / 16))
    other = member_pay("1282", _frame([("A", "K", 20000.0)] * 4 + [("A", "M", 25000.0)] * 4), RULE)
    # pooled: (389 000 + 80 000) / 16 women against (573 000 + 100 000) / 20 men
    assert pooled_ratio([m, other]) == pytest.approx(100 * (469000 / 16) / (673000 / 20))


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hallbar]:
    hb, _ = make_regional(tmp_path_factory.mktemp("regionalpay"))
    yield hb
    hb.close()


def _independent_ratio(hb: Hallbar, codes: list[str]) -> float:
    """Women's mean pay over men's, all members' staff as one group, straight in Polars."""
    frames = [check_pay_frame(pay_frame_from_hrdata(member_data(hb, c)))[0] for c in codes]
    both = pl.concat([f.select("gender", "pay") for f in frames])
    means = dict(both.group_by("gender").agg(pl.col("pay").mean()).iter_rows())
    return 100.0 * means["K"] / means["M"]


def test_network_pay_aggregates_and_revocation(installation: Hallbar) -> None:
    hb = installation
    viewer = principal_of(hb, "regional")
    view = pay_aggregates(hb, viewer, "skanes-kommuner")
    imported = sorted(code for code, _, _ in MEMBERS)
    reasons = {r.code: r.reason for r in view.ratio.rows if not r.included}
    # Every imported member consented in the demo; each is in, or out for a small group.
    assert set(view.ratio.included) | {
        c for c in imported if reasons.get(c) == REASON_SMALL
    } == set(imported)
    assert len(view.ratio.included) >= 2
    assert view.pooled_ratio == pytest.approx(_independent_ratio(hb, list(view.ratio.included)))
    assert view.ratio.unweighted_mean == pytest.approx(
        sum(r.value for r in view.ratio.rows if r.included) / len(view.ratio.included)
    )
    assert reasons["1280"] == REASON_NO_CONSENT  # Malmö: a member that shares nothing

    # Lund revokes its pay-survey consent: the view recomputes without it and says so.
    lund = next(
        g
        for g in regional.grants(hb.store, org_codes={"1281"})
        if g.dataset is DatasetKind.PAY_SURVEY and g.revoked_on is None
    )
    hr = principal_of(hb, "hrlund")
    revoke_consent(hb, hr, lund.id, on=date.today())
    after = pay_aggregates(hb, viewer, "skanes-kommuner")
    assert "1281" not in after.ratio.included
    assert any(n.startswith("Lund har återkallat sitt samtycke") for n in after.notices)
    # The key figures consent is a different dataset: Lund is still in those.
    assert any(
        g.dataset is DatasetKind.KEY_FIGURES and g.revoked_on is None
        for g in regional.grants(hb.store, org_codes={"1281"})
    )


def test_pay_page_and_twin(installation: Hallbar) -> None:
    app = create_app(installation.settings, hb=installation)
    client = login(app, "regional")
    page = client.get("/regional/skanes-kommuner/lonekartlaggning")
    assert page.status_code == 200
    assert "Kvinnors lön i % av mäns" in page.text and "Räknas:" in page.text
    twin = client.get("/api/regional/skanes-kommuner/lonekartlaggning").json()
    assert twin["sida"] == "regional.pay" and len(twin["medlemmar"]) == 33
    assert twin["ingar_i_medel"] == sorted(twin["ingar_i_medel"])
    assert client.get("/api/regional/skanes-kommuner/lonekartlaggning").status_code == 200
    assert (
        login(app, "regional2").get("/regional/skanes-kommuner/lonekartlaggning").status_code == 404
    )
