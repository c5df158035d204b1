"""Typed repository functions for the regional tables (all regional SQL lives here).

Each function takes the ``Store`` and returns the pure package's own types
(``Organisation``, ``Network``, ``Grant``), so services never see ORM rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

import polars as pl
from sqlalchemy import delete, select

from hallbar.core.errors import NotFound
from hallbar.regional.consent import DatasetKind, Grant, RecipientKind, analyst_orgs
from hallbar.regional.kolada_compare import KOLADA_FRAME
from hallbar.regional.networks import Network, NetworkKind
from hallbar.regional.organisations import Organisation, OrgKind
from hallbar.store.store import Store
from hallbar.store.tables_regional import (
    KoladaDownloadRow,
    RegionalConsent,
    RegionalMemberCache,
    RegionalNetwork,
    RegionalNetworkMember,
    RegionalOrganisation,
    RegionalViewer,
)

GRANT_NOT_FOUND = "Samtycket finns inte. Välj ett samtycke i listan."


def _now() -> datetime:
    return datetime.now(UTC)


# --- organisations ----------------------------------------------------------------


def save_organisation(store: Store, org: Organisation) -> None:
    with store.session() as s:
        row = s.get(RegionalOrganisation, org.code)
        if row is None:
            s.add(
                RegionalOrganisation(
                    code=org.code, name=org.name, kind=org.kind.value, org_number=org.org_number
                )
            )
        else:
            row.name, row.kind, row.org_number = org.name, org.kind.value, org.org_number


def organisations(store: Store) -> dict[str, Organisation]:
    with store.session() as s:
        return {
            r.code: Organisation(r.code, r.name, OrgKind(r.kind), r.org_number)
            for r in s.scalars(select(RegionalOrganisation).order_by(RegionalOrganisation.code))
        }


# --- networks ---------------------------------------------------------------------


def save_network(store: Store, network: Network, *, created_by: str) -> None:
    """Create or replace a network and its member list."""
    with store.session() as s:
        row = s.get(RegionalNetwork, network.id)
        if row is None:
            s.add(
                RegionalNetwork(
                    id=network.id,
                    name=network.name,
                    kind=network.kind.value,
                    description=network.description,
                    created_by=created_by,
                    created_at=_now(),
                )
            )
            s.flush()
        else:
            row.name, row.kind, row.description = (
                network.name,
                network.kind.value,
                network.description,
            )
        s.execute(
            delete(RegionalNetworkMember).where(RegionalNetworkMember.network_id == network.id)
        )
        for code in dict.fromkeys(network.members):
            s.add(RegionalNetworkMember(network_id=network.id, code=code))


def networks(store: Store) -> list[Network]:
    with store.session() as s:
        members: dict[str, list[str]] = {}
        for net_id, code in s.execute(
            select(RegionalNetworkMember.network_id, RegionalNetworkMember.code).order_by(
                RegionalNetworkMember.code
            )
        ):
            members.setdefault(net_id, []).append(code)
        return [
            Network(r.id, r.name, NetworkKind(r.kind), tuple(members.get(r.id, ())), r.description)
            for r in s.scalars(select(RegionalNetwork).order_by(RegionalNetwork.name))
        ]


def network(store: Store, network_id: str) -> Network | None:
    return next((n for n in networks(store) if n.id == network_id), None)


def add_viewer(store: Store, user_id: int, network_id: str, own_code: str | None = None) -> None:
    with store.session() as s:
        row = s.get(RegionalViewer, (user_id, network_id))
        if row is None:
            s.add(RegionalViewer(user_id=user_id, network_id=network_id, own_code=own_code))
        else:
            row.own_code = own_code


def viewer_networks(store: Store, user_id: int) -> dict[str, str | None]:
    """Network id -> the viewer's own organisation code (None when the viewer has none)."""
    with store.session() as s:
        return {
            r.network_id: r.own_code
            for r in s.scalars(select(RegionalViewer).where(RegionalViewer.user_id == user_id))
        }


# --- the consent ledger -------------------------------------------------------------


def _grant(r: RegionalConsent) -> Grant:
    return Grant(
        r.id,
        r.org_code,
        RecipientKind(r.recipient_kind),
        r.recipient,
        DatasetKind(r.dataset),
        r.valid_from,
        r.valid_to,
        r.granted_by,
        r.revoked_on,
        r.revoked_by,
    )


def add_grant(
    store: Store,
    *,
    org_code: str,
    recipient_kind: RecipientKind,
    recipient: str,
    dataset: DatasetKind,
    valid_from: date,
    valid_to: date | None,
    granted_by: str,
) -> Grant:
    with store.session() as s:
        row = RegionalConsent(
            org_code=org_code,
            recipient_kind=recipient_kind.value,
            recipient=recipient,
            dataset=dataset.value,
            valid_from=valid_from,
            valid_to=valid_to,
            granted_by=granted_by,
            granted_at=_now(),
            revoked_on=None,
            revoked_by="",
        )
        s.add(row)
        s.flush()
        return _grant(row)


def grant(store: Store, grant_id: int) -> Grant:
    with store.session() as s:
        row = s.get(RegionalConsent, grant_id)
        if row is None:
            raise NotFound(GRANT_NOT_FOUND)
        return _grant(row)


def record_revocation(store: Store, revoked: Grant) -> None:
    """Write a grant's revocation (date and who); the grant itself stays in the ledger."""
    with store.session() as s:
        row = s.get(RegionalConsent, revoked.id)
        if row is None:
            raise NotFound(GRANT_NOT_FOUND)
        row.revoked_on, row.revoked_by = revoked.revoked_on, revoked.revoked_by


def grants(
    store: Store, *, org_codes: set[str] | None = None, recipient: str | None = None
) -> list[Grant]:
    query = select(RegionalConsent).order_by(RegionalConsent.id)
    if org_codes is not None:
        query = query.where(RegionalConsent.org_code.in_(sorted(org_codes)))
    if recipient is not None:
        query = query.where(RegionalConsent.recipient == recipient)
    with store.session() as s:
        return [_grant(r) for r in s.scalars(query)]


def analyst_org_ids(store: Store, on: date) -> frozenset[str]:
    """The organisations every regional analyst reaches on ``on``, by the consent ledger
    (``hallbar.regional.consent.analyst_orgs``)."""
    query = select(RegionalConsent).where(
        RegionalConsent.dataset == DatasetKind.KEY_FIGURES.value,
        RegionalConsent.recipient_kind == RecipientKind.REGIONAL_ANALYSTS.value,
    )
    with store.session() as s:
        found = [_grant(r) for r in s.scalars(query)]
    return analyst_orgs(found, on=on)


# --- a member's regional results per snapshot ------------------------------------------


def member_cache(store: Store, org_code: str, import_id: int) -> dict[str, str]:
    """Every stored result (key -> JSON) of one member's snapshot."""
    query = select(RegionalMemberCache.key, RegionalMemberCache.value).where(
        RegionalMemberCache.org_code == org_code, RegionalMemberCache.import_id == import_id
    )
    with store.session() as s:
        return {k: v for k, v in s.execute(query).all()}


def save_member_cache(store: Store, org_code: str, import_id: int, values: dict[str, str]) -> None:
    """Add results of one member's snapshot; a key already stored keeps its value (two
    processes computing the same snapshot compute the same value). Results of the
    member's older imports are dropped: only the newest import is ever shown."""
    if not values:
        return
    with store.session() as s:
        s.execute(
            delete(RegionalMemberCache).where(
                RegionalMemberCache.org_code == org_code, RegionalMemberCache.import_id < import_id
            )
        )
        known = set(
            s.scalars(
                select(RegionalMemberCache.key).where(
                    RegionalMemberCache.org_code == org_code,
                    RegionalMemberCache.import_id == import_id,
                    RegionalMemberCache.key.in_(sorted(values)),
                )
            )
        )
        s.add_all(
            RegionalMemberCache(org_code=org_code, import_id=import_id, key=k, value=v)
            for k, v in sorted(values.items())
            if k not in known
        )


# --- Kolada downloads ---------------------------------------------------------------


@dataclass(frozen=True)
class StoredKolada:
    id: int
    kpi: str
    period: int
    source: str
    downloaded_on: date
    stored_by: str
    frame: pl.DataFrame
    groups: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (id, title, members)


def save_kolada(
    store: Store,
    frame: pl.DataFrame,
    *,
    kpi: str,
    period: int,
    source: str,
    downloaded_on: date,
    stored_by: str,
    groups: tuple[tuple[str, str, tuple[str, ...]], ...] = (),
) -> int:
    rows = frame.select(list(KOLADA_FRAME)).to_dicts()
    with store.session() as s:
        row = KoladaDownloadRow(
            kpi=kpi,
            period=period,
            source=source[:300],
            downloaded_on=downloaded_on,
            stored_by=stored_by,
            stored_at=_now(),
            values_json=json.dumps(rows, ensure_ascii=False),
            groups_json=json.dumps([[g, t, list(m)] for g, t, m in groups], ensure_ascii=False),
        )
        s.add(row)
        s.flush()
        return int(row.id)


def latest_kolada(store: Store, kpi: str, period: int) -> StoredKolada | None:
    """The newest download of ``kpi`` for ``period`` (by download date, then by storing)."""
    query = (
        select(KoladaDownloadRow)
        .where(KoladaDownloadRow.kpi == kpi, KoladaDownloadRow.period == period)
        .order_by(KoladaDownloadRow.downloaded_on.desc(), KoladaDownloadRow.id.desc())
        .limit(1)
    )
    with store.session() as s:
        row = s.scalars(query).first()
        if row is None:
            return None
        frame = pl.DataFrame(json.loads(row.values_json), schema=KOLADA_FRAME)
        groups = tuple((g, t, tuple(m)) for g, t, m in json.loads(row.groups_json or "[]"))
        return StoredKolada(
            row.id, row.kpi, row.period, row.source, row.downloaded_on, row.stored_by, frame, groups
        )
