"""The organisation registry: official codes, kinds and the Kolada id of each code.

A municipality has a four-digit code from SCB (1280 = Malmö, the first two digits
are the county), a region a two-digit county code (12 = Region Skåne). Associations
(kommunalförbund) and municipal companies have no such code and are identified by
their organisation number (NNNNNN-NNNN).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from hallbar.core.kolada import kolada_municipality_code
from hallbar.regional.errors import RegionalInputError


class OrgKind(StrEnum):
    MUNICIPALITY = "kommun"
    REGION = "region"
    ASSOCIATION = "förbund"
    COMPANY = "bolag"


KIND_LABELS_SV: dict[OrgKind, str] = {
    OrgKind.MUNICIPALITY: "Kommun",
    OrgKind.REGION: "Region",
    OrgKind.ASSOCIATION: "Kommunalförbund",
    OrgKind.COMPANY: "Kommunalt bolag",
}

_ORG_NUMBER = re.compile(r"\d{6}-?\d{4}")


class UnknownCode(RegionalInputError):
    """A code that names no known municipality or region."""


@dataclass(frozen=True)
class Organisation:
    """One organisation of the registry. ``code`` is its official code (or org number)."""

    code: str
    name: str
    kind: OrgKind
    org_number: str = ""

    @property
    def kolada_id(self) -> str | None:
        """Kolada's id of the organisation (None for associations and companies)."""
        if self.kind in (OrgKind.MUNICIPALITY, OrgKind.REGION):
            return kolada_municipality_code(self.code)
        return None


def check_code(code: str, kind: OrgKind) -> str:
    """The code, stripped, if it has the shape ``kind`` requires; else a Swedish error."""
    code = str(code).strip()
    if kind is OrgKind.MUNICIPALITY and not re.fullmatch(r"\d{4}", code):
        raise RegionalInputError(
            f"Kommunkoden '{code}' ska ha fyra siffror enligt SCB (t.ex. 1280 för Malmö)."
        )
    if kind is OrgKind.REGION and not re.fullmatch(r"\d{2}", code):
        raise RegionalInputError(
            f"Regionkoden '{code}' ska ha två siffror, länets kod (t.ex. 12 för Region Skåne)."
        )
    if kind in (OrgKind.ASSOCIATION, OrgKind.COMPANY) and not _ORG_NUMBER.fullmatch(code):
        raise RegionalInputError(
            f"'{code}' är inget organisationsnummer. Ange det som NNNNNN-NNNN "
            "(förbund och bolag har ingen kommunkod)."
        )
    return code


def check_org_number(value: str) -> str:
    """An organisation number written NNNNNN-NNNN, or an empty string when none is given."""
    value = value.strip()
    if not value:
        return ""
    if not _ORG_NUMBER.fullmatch(value):
        raise RegionalInputError(f"Organisationsnumret '{value}' ska skrivas NNNNNN-NNNN.")
    digits = value.replace("-", "")
    return f"{digits[:6]}-{digits[6:]}"
