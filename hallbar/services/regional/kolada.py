"""Kolada side by side: store Kolada values (from the API or a file) and compare the own
value with Kolada's published value, Skåne's mean and the similar municipalities.

The Kolada id of a figure is read from its description's source ("Kolada N00090 /
N60030, kön K"), the one place figures name their ids. Downloads are stored with
their download date and never sent anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hallbar.core.access import Principal, Resource
from hallbar.core.kolada import kolada_municipality_code
from hallbar.indicators import registry
from hallbar.indicators.params import Params
from hallbar.ingest.kolada_api import KoladaClient, read_kolada_file
from hallbar.regional.errors import RegionalInputError
from hallbar.regional.kolada_compare import (
    SKANE_GROUP_TITLE,
    Comparison,
    compare,
    published_value,
    similar_group,
)
from hallbar.regional.networks import known_organisations, skane_municipalities
from hallbar.regional.organisations import OrgKind
from hallbar.services import access, audit
from hallbar.services.audit import Action
from hallbar.services.context import Hallbar
from hallbar.services.regional.figures import REGIONAL_FIGURES
from hallbar.services.regional.scope import organisation_names
from hallbar.services.scope import load
from hallbar.store import regional

SKANE_CODES = tuple(o.code for o in skane_municipalities())


@dataclass(frozen=True)
class KoladaId:
    kpi: str
    gender: str  # T, K or M


def kolada_id(figure_id: str, kind: OrgKind) -> KoladaId | None:
    """The figure's Kolada id and gender cut for an organisation of ``kind`` (the registry's)."""
    found = registry.kolada_reference(figure_id)
    if found is None:
        return None
    (municipality, region), cut = found
    return KoladaId(region if kind is OrgKind.REGION else municipality, cut)


def organisation_value(hb: Hallbar, org_code: str, figure_id: str, year: int) -> float | None:
    """Kolada's published value of the figure for the organisation and year, from the
    newest stored download (fetched or uploaded in the regional view); None when the
    organisation has no official code in the registry, the figure no Kolada id, or no
    download holds the value. Never fetches: the stored copy is what the user saw."""
    org = organisation_names(hb).get(org_code)
    if org is None:
        return None
    kid = kolada_id(figure_id, org.kind)
    if kid is None:
        return None
    stored = regional.latest_kolada(hb.store, kid.kpi, year)
    if stored is None:
        return None
    muni = kolada_municipality_code(org.code)
    return published_value(stored.frame, kid.kpi, muni, year, kid.gender)


def _organisation(hb: Hallbar, org_code: str) -> tuple[str, OrgKind, str]:
    org = organisation_names(hb).get(org_code)
    if org is None:
        raise RegionalInputError(
            f"Organisationen {org_code} har ingen kommun- eller regionkod i registret. "
            "Kolada jämför kommuner och regioner."
        )
    return org.name, org.kind, kolada_municipality_code(org.code)


def _kpi_for(figure_id: str, kind: OrgKind) -> KoladaId:
    if figure_id not in REGIONAL_FIGURES:
        raise RegionalInputError(f"Nyckeltalet '{figure_id}' kan inte jämföras med Kolada.")
    found = kolada_id(figure_id, kind)
    if found is None:
        raise RegionalInputError(
            f"Nyckeltalet {registry.get(figure_id).description.name_sv} har inget Kolada-id."
        )
    return found


def import_kolada_file(
    hb: Hallbar,
    principal: Principal,
    org_code: str,
    *,
    figure_id: str,
    year: int,
    filename: str,
    content: bytes,
    downloaded_on: date,
    client: str = "",
) -> int:
    """Store a JSON or Excel file saved from kolada.se for the figure and year."""
    access.require_org(principal, org_code, Resource.REGIONAL_CONSENT)
    _, kind, _ = _organisation(hb, org_code)
    kid = _kpi_for(figure_id, kind)
    known = {o.kolada_id or "" for o in known_organisations().values()}
    download = read_kolada_file(
        content, filename, kpi=kid.kpi, period=year, known_codes=known, downloaded_on=downloaded_on
    )
    stored = regional.save_kolada(
        hb.store,
        download.frame,
        kpi=kid.kpi,
        period=year,
        source=filename,
        downloaded_on=downloaded_on,
        stored_by=principal.username,
    )
    audit.record(
        hb, principal.username, Action.KOLADA_FETCHED, org_id=org_code, target=kid.kpi,
        detail=f"{year} från filen {filename}", client=client,
    )  # fmt: skip
    return stored


def fetch_kolada(
    hb: Hallbar,
    principal: Principal,
    org_code: str,
    *,
    figure_id: str,
    year: int,
    client: KoladaClient,
    who: str = "",
) -> int:
    """Download the organisation's value, Skåne's group and its similar group from Kolada."""
    access.require_org(principal, org_code, Resource.REGIONAL_CONSENT)
    name, kind, muni = _organisation(hb, org_code)
    kid = _kpi_for(figure_id, kind)
    groups = [
        (g.id, g.title, g.members)
        for g in (*client.municipality_groups(SKANE_GROUP_TITLE), *client.municipality_groups(name))
    ]
    ids = [muni]
    skane = next((g for g in groups if g[1] == SKANE_GROUP_TITLE), None)
    similar = similar_group(groups, name)
    ids += [g for g in (skane[0] if skane else None, similar) if g]
    frame = client.data([kid.kpi], ids, [year])
    kept = tuple(g for g in groups if g[0] in ids)
    stored = regional.save_kolada(
        hb.store, frame, kpi=kid.kpi, period=year, source="Koladas API v3",
        downloaded_on=date.today(), stored_by=principal.username, groups=kept,
    )  # fmt: skip
    audit.record(
        hb, principal.username, Action.KOLADA_FETCHED, org_id=org_code, target=kid.kpi,
        detail=f"{year} från Koladas API", client=who,
    )  # fmt: skip
    return stored


@dataclass(frozen=True)
class KoladaView:
    org_code: str
    org_name: str
    figure_name: str
    year: int
    comparison: Comparison | None
    source: str  # where and when Kolada's values were downloaded
    message: str  # why there is no comparison


def kolada_view(
    hb: Hallbar, principal: Principal, org_code: str, *, figure_id: str, year: int
) -> KoladaView:
    # The one opener's organisation check first, so an outside organisation looks absent.
    access.require_org(principal, org_code, Resource.REGIONAL_VIEW)
    name, kind, muni = _organisation(hb, org_code)
    kid = _kpi_for(figure_id, kind)
    figure_name = registry.get(figure_id).description.name_sv
    stored = regional.latest_kolada(hb.store, kid.kpi, year)
    if stored is None:
        return KoladaView(
            org_code, name, figure_name, year, None, "",
            f"Det finns inga Kolada-värden för {kid.kpi} år {year}. Hämta dem från Koladas API "
            "eller ladda upp en fil från kolada.se.",
        )  # fmt: skip
    data = load(hb, principal, org_code, Resource.REGIONAL_VIEW)
    frame = registry.compute(figure_id, data, Params.from_settings(hb.settings, year)).frame
    row = frame.row(0, named=True) if frame.height == 1 else {}
    own = None if row.get("suppressed", True) or row.get("value") is None else float(row["value"])
    skane = next((g for g in stored.groups if g[1] == SKANE_GROUP_TITLE), None)
    similar_id = similar_group(stored.groups, name)
    similar = next((g for g in stored.groups if g[0] == similar_id), None)
    result = compare(
        own,
        kolada=stored.frame,
        kpi=kid.kpi,
        municipality=muni,
        period=year,
        gender=kid.gender,
        # Without Kolada's group (a file from kolada.se), the mean of Skåne's municipalities
        # in the file, computed and labelled as such.
        skane=(skane[0], skane[2]) if skane else ("", SKANE_CODES),
        similar=(similar[0], similar[2]) if similar else None,
    )
    source = f"{stored.source}, hämtat {stored.downloaded_on.isoformat()}"
    return KoladaView(org_code, name, figure_name, year, result, source, "")
