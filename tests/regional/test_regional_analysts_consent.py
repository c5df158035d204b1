"""Sharing with every regional analyst is a consent in the ledger (the retired /admin/sharing).

An administrator (or the organisation's HR) gives "Alla regionala analytiker" consent
on the consent page; a regional analyst who views no network then reaches the
organisation's own key figures, and no longer once it is revoked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from regionalenv import login, make_regional

from hallbar.regional.consent import ALL_ANALYSTS, RecipientKind
from hallbar.services.context import Hallbar
from hallbar.store import regional
from hallbar.web.app import create_app


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Hallbar, object]]:
    hb, _ = make_regional(tmp_path_factory.mktemp("regionalanalysts"))
    yield hb, create_app(hb.settings, hb=hb)
    hb.close()


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_admin_consents_for_all_analysts_and_revokes(env: tuple[Hallbar, object]) -> None:
    hb, app = env
    analyst = login(app, "regional2")
    assert analyst.get("/figures/1281").status_code == 404  # a network consent is not enough
    assert analyst.get("/api/figures/1281").status_code == 404

    admin = login(app, "admin")
    listing = admin.get("/regional")
    assert 'href="/regional/samtycke/1281"' in listing.text
    page = admin.get("/regional/samtycke/1281")
    assert "Alla regionala analytiker (organisationens egna sidor)" in page.text
    given = admin.post(
        "/regional/samtycke/1281",
        data={"natverk": "regionala_analytiker", "uppgifter": "nyckeltal", "csrf_token": _csrf(page.text)},
    )  # fmt: skip
    assert given.status_code == 303
    grant = next(
        g
        for g in regional.grants(hb.store, org_codes={"1281"})
        if g.recipient_kind is RecipientKind.REGIONAL_ANALYSTS
    )
    assert (grant.recipient, grant.granted_by) == (ALL_ANALYSTS, "admin")
    assert analyst.get("/figures/1281").status_code == 200
    assert analyst.get("/figures/1282").status_code == 404  # Landskrona gave no such consent

    # Only key figures can be given to every analyst.
    page = admin.get("/regional/samtycke/1281")
    refused = admin.post(
        "/regional/samtycke/1281",
        data={"natverk": "regionala_analytiker", "uppgifter": "prognos", "csrf_token": _csrf(page.text)},
    )  # fmt: skip
    assert refused.status_code == 400
    assert "Alla regionala analytiker kan bara få nyckeltal" in refused.text

    revoked = admin.post(
        f"/regional/samtycke/1281/{grant.id}/aterkalla", data={"csrf_token": _csrf(page.text)}
    )
    assert revoked.status_code == 303
    assert analyst.get("/figures/1281").status_code == 404
