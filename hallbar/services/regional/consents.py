"""Grant and revoke an organisation's consent to share a dataset with a network.

HR grants for its own organisation(s); an administrator for any organisation. A
grant is for a period (from a date, optionally to a date); a revocation ends it
from the day it is made. Both are audit-logged.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import date

from hallbar.core.access import Principal, Resource, Role
from hallbar.core.errors import HallbarError
from hallbar.regional.consent import (
    ALL_ANALYSTS,
    DATASET_LABELS_SV,
    DatasetKind,
    Grant,
    RecipientKind,
    check_period,
    revoke,
)
from hallbar.regional.errors import RegionalInputError
from hallbar.regional.networks import Network
from hallbar.services import access, audit
from hallbar.services.audit import Action
from hallbar.services.context import Hallbar
from hallbar.services.org import tree
from hallbar.services.regional.figures import prepare_member
from hallbar.services.regional.scope import organisation_names
from hallbar.store import regional


@dataclass(frozen=True)
class ConsentPage:
    org_code: str
    networks: tuple[Network, ...]  # networks the organisation is a member of
    grants: tuple[Grant, ...]  # the organisation's ledger, newest first
    today: date


def consent_page(hb: Hallbar, principal: Principal, org_code: str) -> ConsentPage:
    access.require_org(principal, org_code, Resource.REGIONAL_CONSENT)
    nets = tuple(n for n in regional.networks(hb.store) if org_code in n.members)
    ledger = tuple(reversed(regional.grants(hb.store, org_codes={org_code})))
    return ConsentPage(org_code, nets, ledger, date.today())


def consent_organisations(hb: Hallbar, principal: Principal) -> list[tuple[str, str]]:
    """(code, name) of the organisations whose consent page the user may open:
    HR its own organisations, an administrator every member of a network and every
    organisation with data (as the retired /admin/sharing page listed them)."""
    names = {code: org.name for code, org in organisation_names(hb).items()}
    if principal.role is Role.HR:
        codes = set(principal.org_ids)
    elif principal.role is Role.ADMIN:
        codes = {c for n in regional.networks(hb.store) for c in n.members}
        for org in tree.organisations(hb, principal):
            codes.add(org.org_id)
            names.setdefault(org.org_id, org.name)
    else:
        codes = set()
    return [(c, names.get(c, c)) for c in sorted(codes)]


def parse_dataset(value: str) -> DatasetKind:
    try:
        return DatasetKind(value)
    except ValueError:
        choices = ", ".join(f"{k.value} ({v})" for k, v in DATASET_LABELS_SV.items())
        raise RegionalInputError(f"Okänd uppgiftstyp '{value}'. Välj en av: {choices}.") from None


def grant_consent(
    hb: Hallbar,
    principal: Principal,
    *,
    org_code: str,
    network_id: str,
    dataset: DatasetKind,
    valid_from: date | None = None,
    valid_to: date | None = None,
    client: str = "",
) -> Grant:
    """Grant ``network_id`` (or, with ``RecipientKind.REGIONAL_ANALYSTS``'s value as the
    network, every regional analyst) the dataset for the period."""
    access.require_org(principal, org_code, Resource.REGIONAL_CONSENT)
    kind, recipient = RecipientKind.NETWORK, network_id
    if network_id == RecipientKind.REGIONAL_ANALYSTS.value:
        kind, recipient = RecipientKind.REGIONAL_ANALYSTS, ALL_ANALYSTS
        if dataset is not DatasetKind.KEY_FIGURES:
            raise RegionalInputError(
                "Alla regionala analytiker kan bara få nyckeltal. Välj Nyckeltal eller ett nätverk."
            )
    else:
        net = regional.network(hb.store, network_id)
        if net is None or org_code not in net.members:
            raise RegionalInputError(
                "Organisationen är inte medlem i nätverket. Välj ett av nätverken i listan."
            )
    start = valid_from or date.today()
    check_period(start, valid_to)
    grant = regional.add_grant(
        hb.store,
        org_code=org_code,
        recipient_kind=kind,
        recipient=recipient,
        dataset=dataset,
        valid_from=start,
        valid_to=valid_to,
        granted_by=principal.username,
    )
    if kind is RecipientKind.NETWORK and dataset is DatasetKind.KEY_FIGURES:
        # Only a head start: if it fails, the page computes and explains it when shown.
        with suppress(HallbarError):
            prepare_member(hb, org_code)
    period = f"{start.isoformat()}–{valid_to.isoformat() if valid_to else 'tills vidare'}"
    audit.record(
        hb,
        principal.username,
        Action.CONSENT_GIVEN,
        org_id=org_code,
        target=recipient,
        detail=f"{dataset.value} {period} (samtycke {grant.id})",
        client=client,
    )
    return grant


def revoke_consent(
    hb: Hallbar, principal: Principal, grant_id: int, *, on: date | None = None, client: str = ""
) -> Grant:
    existing = regional.grant(hb.store, grant_id)
    access.require_org(principal, existing.org_code, Resource.REGIONAL_CONSENT)
    revoked = revoke(existing, on or date.today(), principal.username)
    regional.record_revocation(hb.store, revoked)
    audit.record(
        hb,
        principal.username,
        Action.CONSENT_REVOKED,
        org_id=existing.org_code,
        target=existing.recipient,
        detail=f"{existing.dataset.value} (samtycke {grant_id}) från {revoked.revoked_on}",
        client=client,
    )
    return revoked


def grant_all_analysts(hb: Hallbar, org_code: str, *, granted_by: str) -> None:
    """The demo's consent: every regional analyst sees the organisation's key figures
    (from today, until revoked). A grant already valid today is kept as it is."""
    today = date.today()
    if any(
        g.recipient_kind is RecipientKind.REGIONAL_ANALYSTS
        and g.dataset is DatasetKind.KEY_FIGURES
        and g.valid_on(today)
        for g in regional.grants(hb.store, org_codes={org_code})
    ):
        return
    grant = regional.add_grant(
        hb.store,
        org_code=org_code,
        recipient_kind=RecipientKind.REGIONAL_ANALYSTS,
        recipient=ALL_ANALYSTS,
        dataset=DatasetKind.KEY_FIGURES,
        valid_from=today,
        valid_to=None,
        granted_by=granted_by,
    )
    audit.record(
        hb,
        granted_by,
        Action.CONSENT_GIVEN,
        org_id=org_code,
        target=ALL_ANALYSTS,
        detail=f"{DatasetKind.KEY_FIGURES.value} {today.isoformat()}–tills vidare "
        f"(samtycke {grant.id})",
    )
