"""The regional repository on SQLite and PostgreSQL (the shared ``store`` fixture)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from hallbar.core.errors import NotFound
from hallbar.regional import networks
from hallbar.regional.consent import DatasetKind, RecipientKind, revoke, valid_members
from hallbar.regional.kolada_compare import KOLADA_FRAME
from hallbar.regional.organisations import Organisation, OrgKind
from hallbar.store import Store, regional


def test_organisations_and_networks_round_trip(store: Store) -> None:
    regional.save_organisation(store, Organisation("1280", "Malmö stad", OrgKind.MUNICIPALITY))
    regional.save_organisation(
        store, Organisation("222000-1234", "Exempelförbundet", OrgKind.ASSOCIATION, "222000-1234")
    )
    regional.save_organisation(store, Organisation("1280", "Malmö", OrgKind.MUNICIPALITY))
    orgs = regional.organisations(store)
    assert orgs["1280"].name == "Malmö"  # saved twice: the second name wins
    assert orgs["222000-1234"].kind is OrgKind.ASSOCIATION

    regional.save_network(store, networks.skanes_kommuner(), created_by="admin")
    own = networks.user_network(
        "familjen-helsingborg", "Familjen Helsingborg", ("1283", "1284", "1283")
    )
    regional.save_network(store, own, created_by="admin")
    stored = {n.id: n for n in regional.networks(store)}
    assert len(stored["skanes-kommuner"].members) == 33
    assert stored["familjen-helsingborg"].members == ("1283", "1284")

    regional.add_viewer(store, 7, "skanes-kommuner", "1280")
    regional.add_viewer(store, 7, "familjen-helsingborg")
    assert regional.viewer_networks(store, 7) == {
        "skanes-kommuner": "1280",
        "familjen-helsingborg": None,
    }
    assert regional.viewer_networks(store, 8) == {}


def test_consent_ledger_keeps_revocations(store: Store) -> None:
    first = regional.add_grant(
        store,
        org_code="1280",
        recipient_kind=RecipientKind.NETWORK,
        recipient="skanes-kommuner",
        dataset=DatasetKind.KEY_FIGURES,
        valid_from=date(2026, 1, 1),
        valid_to=None,
        granted_by="hr",
    )
    regional.add_grant(
        store,
        org_code="1281",
        recipient_kind=RecipientKind.NETWORK,
        recipient="skanes-kommuner",
        dataset=DatasetKind.KEY_FIGURES,
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31),
        granted_by="hr",
    )
    regional.record_revocation(store, revoke(first, date(2026, 6, 1), "hr2"))
    ledger = regional.grants(store, recipient="skanes-kommuner")
    assert len(ledger) == 2  # the revoked grant stays in the ledger
    assert regional.grant(store, first.id).revoked_on == date(2026, 6, 1)
    assert regional.grant(store, first.id).revoked_by == "hr2"
    on_june = valid_members(
        ledger,
        recipient_kind=RecipientKind.NETWORK,
        recipient="skanes-kommuner",
        dataset=DatasetKind.KEY_FIGURES,
        on=date(2026, 6, 1),
    )
    assert on_june == {"1281"}
    assert [g.org_code for g in regional.grants(store, org_codes={"1281"})] == ["1281"]
    with pytest.raises(NotFound):
        regional.grant(store, 999)


def test_kolada_downloads_keep_their_date(store: Store) -> None:
    frame = pl.DataFrame(
        [("N00090", "1280", 2024, "T", 7.5, ""), ("N00090", "1280", 2024, "K", None, "Missing")],
        schema=KOLADA_FRAME,
        orient="row",
    )
    regional.save_kolada(store, frame, kpi="N00090", period=2024, source="a.json",
                     downloaded_on=date(2026, 10, 1), stored_by="hr")  # fmt: skip
    regional.save_kolada(store, frame.head(1), kpi="N00090", period=2024, source="API",
                     downloaded_on=date(2026, 11, 1), stored_by="hr")  # fmt: skip
    latest = regional.latest_kolada(store, "N00090", 2024)
    assert latest is not None
    assert (latest.source, latest.downloaded_on, latest.frame.height) == (
        "API",
        date(2026, 11, 1),
        1,
    )
    assert regional.latest_kolada(store, "N00090", 2023) is None
