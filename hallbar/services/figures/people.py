"""Individual-level lists: rehab triggers (SFB 30:6) and repeated short-term absence.

Only HR (its whole organisation) and managers may see them: a manager the staff
of the units they are responsible for and of every unit below them (the list of a
unit "med underenheter" holds the whole subtree). Every view and export is written
to the audit log. A person is shown by what a manager can act on in the payroll
system: the employment id as stored (an id that held a personnummer was
pseudonymised at import), the title, the unit and the spell dates; never by
personnummer or birth date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from hallbar.core.access import Principal, Resource, Role
from hallbar.core.dataset import HRData
from hallbar.core.describe import Description, FigureTable
from hallbar.indicators import registry
from hallbar.indicators.views import employment_terms
from hallbar.reports.formatting import format_count
from hallbar.services import audit
from hallbar.services.figures.overview import ScopeInfo, info_of
from hallbar.services.figures.request import (
    FigureInputError,
    FigureRequest,
    dimension_labels,
    open_selection,
)

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

LISTS: dict[str, tuple[str, str]] = {
    # page key -> (figure id, Swedish title)
    "rehab": ("rehab_day30", "Sjukperioder som passerat dag 30"),
    "upprepad": ("repeated_short_absence", "Upprepad korttidsfrånvaro"),
}


@dataclass(frozen=True)
class PersonLine:
    person_id: str  # the keyed pseudonym: the audit trail's key, not shown
    employment_id: str  # the main employment's id in the payroll system
    title: str
    unit_id: str | None
    unit_name: str
    occupation: str
    detail: dict[str, object]  # list-specific values (spell dates, spells …)


@dataclass(frozen=True)
class PeopleView:
    info: ScopeInfo
    kind: str
    title_sv: str
    description: Description
    as_of: date
    lines: tuple[PersonLine, ...]
    table: FigureTable

    def tables(self) -> list[FigureTable]:
        return [self.table]


def _main_employment(data: HRData, on: date) -> pl.DataFrame:
    """Each person's main employment on ``on``: the active one with the highest rate,
    else the latest one (a person whose employments ended before the extract date)."""
    terms = employment_terms(data.employments, on).with_columns(
        active=(pl.col("start_date") <= on)
        & (pl.col("end_date").is_null() | (pl.col("end_date") >= on))
    )
    return (
        terms.sort(
            ["org_id", "person_id", "active", "rate", "start_date"],
            descending=[False, False, True, True, True],
        )
        .group_by(["org_id", "person_id"], maintain_order=True)
        .first()
        .select("org_id", "person_id", "employment_id", "title", "ssyk", "aid_code")
    )


def people_list(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    request: FigureRequest,
    kind: str,
    *,
    client: str = "",
    audit_action: str = audit.Action.VIEW_INDIVIDUALS,
) -> PeopleView:
    """The list ``kind`` ("rehab" or "upprepad") for the persons the user may see; audited."""
    if kind not in LISTS:
        raise FigureInputError("Välj lista: rehab (dag 30) eller upprepad (korttidsfrånvaro).")
    scope = open_selection(
        hb, principal, org_id, request, Resource.FIG_INDIVIDUALS, individual=True
    )
    figure_id, title = LISTS[kind]
    figure = registry.get(figure_id)
    params = scope.params.with_(by=())
    frame = figure.compute_fn(scope.data, params)
    if frame.height and not (principal.local_operator or principal.role is Role.HR):
        # A manager: the units they are responsible for and everything below them.
        frame = frame.filter(pl.col("unit_id").is_in(list(scope.scope.visible)))
    as_of = params.as_of or scope.as_of
    frame = frame.join(_main_employment(scope.full, as_of), on=["org_id", "person_id"], how="left")
    occ_key = scope.params.occupation_key
    occ_names = dimension_labels(scope, occ_key)
    names = scope.index.names
    lines = []
    for r in frame.iter_rows(named=True):
        code = r.get(occ_key)
        if kind == "rehab":
            detail: dict[str, object] = {
                "Sjukperiodens början": r["spell_from"],
                "Dag 30": r["day30"],
                "Sjukperiodens slut": None if r["ongoing"] else r["spell_to"],
                "Dagar": int(r["spell_days"]),
                "Pågår": "ja" if r["ongoing"] else "nej",
            }
        else:
            detail = {
                "Sjukperioder": int(r["spells"]),
                "Sjukdagar": int(r["sick_days"]),
                "Senaste sjukperiod": r["latest_spell_from"],
            }
        lines.append(
            PersonLine(
                r["person_id"],
                r.get("employment_id") or "okänt",
                r.get("title") or "okänd",
                r["unit_id"],
                names.get(r["unit_id"], r["unit_id"] or "ingen pågående anställning"),
                occ_names.get(code, code) if code else "okänt",
                detail,
            )
        )
    table = _table(lines, title, figure.description)
    audit.record(
        hb,
        principal.username,
        audit_action,
        org_id=org_id,
        target=f"nyckeltal {figure_id}" + (f" enhet {scope.unit_id}" if scope.unit_id else ""),
        detail=format_count(len(lines), "person", "personer"),
        client=client,
    )
    return PeopleView(
        info_of(hb, scope), kind, title, figure.description, as_of, tuple(lines), table
    )


def _table(lines: list[PersonLine], title: str, description: Description) -> FigureTable:
    keys = list(lines[0].detail) if lines else []
    data: dict[str, list[object]] = {
        "Anställnings-id": [ln.employment_id for ln in lines],
        "Befattning": [ln.title for ln in lines],
        "Enhet": [ln.unit_name for ln in lines],
        "Yrke": [ln.occupation for ln in lines],
    }
    for k in keys:
        data[k] = [ln.detail[k] for ln in lines]
    frame = (
        pl.DataFrame(data, strict=False)
        if lines
        else pl.DataFrame(schema={k: pl.String for k in data})
    )
    return FigureTable(
        id=description.id,
        title_sv=title,
        frame=frame,
        descriptions=(description,),
        notes_sv=(
            "Individuppgifter: endast för chefen för enheten (med underenheter) och HR. "
            "Visningen loggas. Personerna visas med anställnings-id från lönesystemet, "
            "aldrig med personnummer.",
        ),
    )
