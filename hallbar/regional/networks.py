"""Networks: Skånes Kommuner's 33 members, the county board's programme, own groups.

Skånes Kommuner (kommunförbundet) has all 33 municipalities of Skåne län as members
(seed 002). Their codes come from SCB's municipality codes for the county (12xx),
kept in ``skane_municipalities.csv`` beside this module. The county board's
programme "Hållbara organisationer" (Länsstyrelsen Skåne, dnr 27387-2024, seed 000)
gathers six organisations that are chosen later, so it starts empty.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path

from hallbar.regional.errors import RegionalInputError
from hallbar.regional.organisations import Organisation, OrgKind, UnknownCode

SKANE_COUNTY_CODE = "12"
SKANES_KOMMUNER_ID = "skanes-kommuner"
PROGRAMME_ID = "lansstyrelsen-hallbara-organisationer"
PROGRAMME_SIZE = 6  # "Vi söker nu 6 organisationer" (seed 000)

# The four priority areas of the county board's programme (seed 000).
PRIORITY_AREAS_SV: tuple[str, ...] = (
    "Främja ett hållbart heltidsarbete",
    "Öka frisknärvaro och förebygga stressrelaterad ohälsa",
    "Förbättra ledarskap och chefers förutsättningar",
    "Genomföra lönekartläggningar och löneanalyser",
)

_DATA_FILE = Path(__file__).with_name("skane_municipalities.csv")


class NetworkKind(StrEnum):
    ASSOCIATION = "förbund"  # a federation whose members are fixed by its statutes
    PROGRAMME = "program"  # a programme with chosen participants
    USER = "egen"  # a group any user defines (e.g. Familjen Helsingborg)


@dataclass(frozen=True)
class Network:
    id: str
    name: str
    kind: NetworkKind
    members: tuple[str, ...] = field(default_factory=tuple)  # organisation codes
    description: str = ""


@cache
def skane_municipalities() -> tuple[Organisation, ...]:
    """Skåne län's 33 municipalities, in code order (SCB's municipality codes 12xx)."""
    with _DATA_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(Organisation(r["code"], r["name"], OrgKind.MUNICIPALITY) for r in rows)


def region_skane() -> Organisation:
    return Organisation(SKANE_COUNTY_CODE, "Region Skåne", OrgKind.REGION)


def known_organisations() -> dict[str, Organisation]:
    """The organisations the product knows by code: Skåne's municipalities and the region."""
    out = {o.code: o for o in skane_municipalities()}
    out[SKANE_COUNTY_CODE] = region_skane()
    return out


def lookup(code: str) -> Organisation:
    """A known organisation by code, or a Swedish error naming the code."""
    found = known_organisations().get(str(code).strip())
    if found is None:
        raise UnknownCode(
            f"Kommunkoden '{code}' finns inte bland Skånes kommuner (1214–1293) eller "
            "Region Skåne (12). Kontrollera koden mot SCB:s kommunkoder."
        )
    return found


def skanes_kommuner() -> Network:
    return Network(
        SKANES_KOMMUNER_ID,
        "Skånes Kommuner",
        NetworkKind.ASSOCIATION,
        tuple(o.code for o in skane_municipalities()),
        "Kommunförbundet för Skånes 33 kommuner.",
    )


def county_board_programme(members: tuple[str, ...] = ()) -> Network:
    if len(members) > PROGRAMME_SIZE:
        raise RegionalInputError(
            f"Programmet har plats för {PROGRAMME_SIZE} organisationer, men {len(members)} "
            "angavs. Välj högst sex."
        )
    return Network(
        PROGRAMME_ID,
        "Hållbara organisationer (Länsstyrelsen Skåne)",
        NetworkKind.PROGRAMME,
        members,
        "Processtöd inom fyra prioriterade områden, dnr 27387-2024.",
    )


def user_network(network_id: str, name: str, members: tuple[str, ...]) -> Network:
    """A group a user defines; members are organisation codes, each listed once."""
    name = name.strip()
    if not name:
        raise RegionalInputError("Ge nätverket ett namn.")
    if not members:
        raise RegionalInputError(
            "Ett nätverk behöver minst en medlem. Välj organisationer i listan."
        )
    return Network(network_id, name, NetworkKind.USER, tuple(dict.fromkeys(members)))
