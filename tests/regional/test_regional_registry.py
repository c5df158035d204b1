"""Organisation registry, networks and the consent ledger (hand-made cases)."""

from __future__ import annotations

from datetime import date

import pytest

from hallbar.core.errors import HallbarError
from hallbar.core.kolada import KoladaCodeError, kolada_municipality_code
from hallbar.regional import networks
from hallbar.regional.consent import (
    DatasetKind,
    Grant,
    RecipientKind,
    check_period,
    revoke,
    valid_members,
)
from hallbar.regional.organisations import (
    Organisation,
    OrgKind,
    UnknownCode,
    check_code,
    check_org_number,
)


def test_skanes_kommuner_has_the_33_municipalities_of_skane_lan() -> None:
    net = networks.skanes_kommuner()
    # SCB: Skåne län (12) has 33 municipalities, codes 1214–1293.
    assert len(net.members) == 33
    assert all(code.startswith("12") and len(code) == 4 for code in net.members)
    assert networks.lookup("1280").name == "Malmö"
    assert networks.lookup("1283").name == "Helsingborg"
    assert networks.lookup("12").name == "Region Skåne"
    assert networks.lookup("12").kind is OrgKind.REGION


def test_unknown_code_is_a_swedish_message() -> None:
    with pytest.raises(UnknownCode, match="Kommunkoden '1299' finns inte"):
        networks.lookup("1299")


def test_kolada_ids_keep_municipalities_and_pad_regions() -> None:
    # Kolada writes Malmö 1280 as it is and Region Skåne 12 as 0012 (kolada.se).
    assert Organisation("1280", "Malmö", OrgKind.MUNICIPALITY).kolada_id == "1280"
    assert Organisation("12", "Region Skåne", OrgKind.REGION).kolada_id == "0012"
    assert Organisation("222000-0000", "Förbundet", OrgKind.ASSOCIATION).kolada_id is None
    with pytest.raises(KoladaCodeError):
        kolada_municipality_code("12A")


def test_codes_have_the_shape_of_their_kind() -> None:
    assert check_code(" 1281 ", OrgKind.MUNICIPALITY) == "1281"
    assert check_code("12", OrgKind.REGION) == "12"
    with pytest.raises(HallbarError, match="fyra siffror"):
        check_code("128", OrgKind.MUNICIPALITY)
    with pytest.raises(HallbarError, match="organisationsnummer"):
        check_code("1280", OrgKind.ASSOCIATION)
    assert check_org_number("2220001234") == "222000-1234"


def test_programme_has_room_for_six() -> None:
    six = ("1280", "1281", "1282", "1283", "1284", "12")
    assert networks.county_board_programme(six).members == six
    with pytest.raises(HallbarError, match="högst sex"):
        networks.county_board_programme((*six, "1285"))
    assert len(networks.PRIORITY_AREAS_SV) == 4


def _grant(gid: int, code: str, start: date, end: date | None = None) -> Grant:
    return Grant(
        gid, code, RecipientKind.NETWORK, "skanes-kommuner", DatasetKind.KEY_FIGURES, start, end
    )


def test_valid_members_follow_period_and_revocation() -> None:
    grants = [
        _grant(1, "1280", date(2026, 1, 1)),
        _grant(2, "1281", date(2026, 1, 1), date(2026, 6, 30)),
        revoke(_grant(3, "1282", date(2026, 1, 1)), date(2026, 3, 1), "hr"),
        _grant(4, "1283", date(2026, 5, 1)),
        # another dataset and another recipient do not count
        Grant(5, "1284", RecipientKind.NETWORK, "skanes-kommuner", DatasetKind.PROJECTION,
              date(2026, 1, 1), None),
        Grant(6, "1285", RecipientKind.ORGANISATION, "12", DatasetKind.KEY_FIGURES,
              date(2026, 1, 1), None),
    ]  # fmt: skip

    def members(day: date) -> frozenset[str]:
        return valid_members(
            grants,
            recipient_kind=RecipientKind.NETWORK,
            recipient="skanes-kommuner",
            dataset=DatasetKind.KEY_FIGURES,
            on=day,
        )

    assert members(date(2026, 2, 28)) == {"1280", "1281", "1282"}
    # the revocation counts from its own day on
    assert members(date(2026, 3, 1)) == {"1280", "1281"}
    assert members(date(2026, 6, 30)) == {"1280", "1281", "1283"}
    assert members(date(2026, 7, 1)) == {"1280", "1283"}


def test_a_revoked_grant_cannot_be_revoked_again_and_periods_run_forward() -> None:
    once = revoke(_grant(1, "1280", date(2026, 1, 1)), date(2026, 2, 1), "hr")
    with pytest.raises(HallbarError, match="återkallades redan 2026-02-01"):
        revoke(once, date(2026, 3, 1), "hr")
    with pytest.raises(HallbarError, match="slutar"):
        check_period(date(2026, 5, 1), date(2026, 4, 30))
