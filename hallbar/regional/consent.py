"""The consent ledger: an organisation grants a recipient a dataset for a period.

A grant names the organisation that shares (``org_code``), the recipient (a
network or another organisation), the dataset kind and the period in which the
recipient may see it. A revocation ends a grant from its date on; grants are never
deleted, so the ledger is its own history. On any date the valid members of a
recipient are the organisations with a grant that covers the date and was not
revoked on or before it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from hallbar.regional.errors import RegionalInputError


class DatasetKind(StrEnum):
    KEY_FIGURES = "nyckeltal"
    PAY_SURVEY = "lonekartlaggning"  # aggregates of the pay survey, never individual pay
    PROJECTION = "prognos"  # results of the workforce projection


DATASET_LABELS_SV: dict[DatasetKind, str] = {
    DatasetKind.KEY_FIGURES: "Nyckeltal",
    DatasetKind.PAY_SURVEY: "Lönekartläggning (sammanställningar)",
    DatasetKind.PROJECTION: "Personalprognos (resultat)",
}


class RecipientKind(StrEnum):
    NETWORK = "natverk"
    ORGANISATION = "organisation"
    # Every regional analyst of the installation, for the organisation's own pages (its
    # key figures, never individual data). Replaces the old installation-wide "sharing
    # agreement" (migration ``regional_sharing_consents``).
    REGIONAL_ANALYSTS = "regionala_analytiker"


# The recipient of a REGIONAL_ANALYSTS grant (the ledger's recipient column is never empty).
ALL_ANALYSTS = "alla"
ALL_ANALYSTS_LABEL_SV = "Alla regionala analytiker (organisationens egna sidor)"


@dataclass(frozen=True)
class Grant:
    id: int
    org_code: str
    recipient_kind: RecipientKind
    recipient: str  # network id or organisation code
    dataset: DatasetKind
    valid_from: date
    valid_to: date | None  # None: until revoked
    granted_by: str = ""
    revoked_on: date | None = None
    revoked_by: str = ""

    def valid_on(self, day: date) -> bool:
        if day < self.valid_from:
            return False
        if self.valid_to is not None and day > self.valid_to:
            return False
        return self.revoked_on is None or day < self.revoked_on

    def status_sv(self, day: date) -> str:
        if self.revoked_on is not None and day >= self.revoked_on:
            return f"Återkallat {self.revoked_on.isoformat()}"
        if day < self.valid_from:
            return f"Gäller från {self.valid_from.isoformat()}"
        if self.valid_to is not None and day > self.valid_to:
            return f"Upphörde {self.valid_to.isoformat()}"
        return "Gäller"


def check_period(valid_from: date, valid_to: date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise RegionalInputError(
            f"Perioden slutar ({valid_to.isoformat()}) före den börjar "
            f"({valid_from.isoformat()}). Ange ett slutdatum efter startdatumet."
        )


def revoke(grant: Grant, on: date, by: str) -> Grant:
    """The grant ended from ``on``; a grant already revoked keeps its first revocation."""
    if grant.revoked_on is not None:
        raise RegionalInputError(
            f"Samtycket återkallades redan {grant.revoked_on.isoformat()} och kan inte "
            "återkallas igen. Ge ett nytt samtycke om organisationen vill dela igen."
        )
    return replace(grant, revoked_on=on, revoked_by=by)


def valid_members(
    grants: Iterable[Grant],
    *,
    recipient_kind: RecipientKind,
    recipient: str,
    dataset: DatasetKind,
    on: date,
) -> frozenset[str]:
    """Organisations whose consent to share ``dataset`` with the recipient holds on ``on``."""
    return frozenset(
        g.org_code
        for g in grants
        if g.recipient_kind is recipient_kind
        and g.recipient == recipient
        and g.dataset is dataset
        and g.valid_on(on)
    )


def analyst_orgs(grants: Iterable[Grant], *, on: date) -> frozenset[str]:
    """Organisations whose own pages (key figures and other aggregates) every regional
    analyst may open on ``on``. A consent to a network is not enough: it admits the
    organisation to that network's aggregates only, so a drill from the network into a
    member follows this consent."""
    return frozenset(
        g.org_code
        for g in grants
        if g.dataset is DatasetKind.KEY_FIGURES
        and g.recipient_kind is RecipientKind.REGIONAL_ANALYSTS
        and g.valid_on(on)
    )
