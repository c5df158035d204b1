"""Inputs of a projection from the organisation's data: the stock in the user's scope,
history rates, occupation labels and the uploaded population forecast.

The organisation-wide parts (the whole stock, the history rates, the labels) are
cached per import, so changing a lever in the browser only re-runs the engine.
Rates are estimated from the whole organisation's history (they are aggregates
and need the exposure); the stock is cut to the units the user may see.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from hallbar.core.access import Principal, Resource
from hallbar.core.dataset import HRData
from hallbar.core.errors import HallbarError, ImportRejected, InsufficientData
from hallbar.core.population import MONTHLY_PAID_FORMS
from hallbar.indicators.views import person_view
from hallbar.ingest.population import read_population_forecast
from hallbar.projection import Rates, history_rates_from_hrdata, stock_from_main_employments
from hallbar.projection.stock import occupation_column
from hallbar.services.audit import Action, now, record
from hallbar.services.memo import HbCache
from hallbar.services.scope import Scope, load
from hallbar.services.units import UnitIndex, unit_index
from hallbar.store import projections

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

HISTORY_YEARS = 3  # years before the start date the rates are estimated from (page and CLI)
_CACHE_SIZE = 8


@dataclass(frozen=True)
class OrgInputs:
    """Organisation-wide inputs for one import and occupation classification."""

    org_id: str
    import_id: int | None  # the snapshot the inputs come from
    org_name: str
    as_of: date
    stock: pl.DataFrame  # STOCK_SCHEMA, every unit
    rates: Rates | None  # None: too little history, the default turnover is used
    labels: dict[str, str]  # occupation code -> "code title"
    index: UnitIndex


@dataclass(frozen=True)
class ProjectionStock:
    """The stock of a ``services.scope.Scope`` a principal may project, with its label."""

    stock: pl.DataFrame
    label: str
    unit_id: str | None
    units: tuple[tuple[str, str], ...]  # (unit id, name) the user may choose from


@dataclass(frozen=True)
class PopulationInfo:
    filename: str
    summary: str
    uploaded_by: str
    uploaded_at: object


_inputs: HbCache[OrgInputs] = HbCache(_CACHE_SIZE)
_populations: HbCache[pl.DataFrame] = HbCache(_CACHE_SIZE)


def org_inputs(
    hb: Hallbar, data: HRData, org_id: str, occupation_key: str, *, import_id: int | None = None
) -> OrgInputs:
    """``data`` is import ``import_id`` (None: the organisation's active import)."""
    if import_id is None:
        import_id = hb.store.active_import_id(org_id)
    key = (org_id, import_id, occupation_key)
    hit = _inputs.get(hb, key)
    if hit is not None:
        return hit
    stock = stock_at(data, data.as_of, occupation_key)
    years = list(range(data.as_of.year - HISTORY_YEARS, data.as_of.year))
    try:
        rates: Rates | None = history_rates_from_hrdata(data, years, occupation_key)
    except InsufficientData:
        rates = None
    org_name = str(data.organisations["name"][0]) if data.organisations.height else org_id
    inputs = OrgInputs(
        org_id,
        import_id,
        org_name,
        data.as_of,
        stock,
        rates,
        occupation_labels(data, occupation_key),
        unit_index(data),
    )
    _inputs.put(hb, key, inputs)
    return inputs


def stock_at(data: HRData, at: date, occupation_key: str) -> pl.DataFrame:
    """The stock on ``at``: the key figures' monthly-paid persons, each in the unit and
    occupation of the main employment as the key figures count it
    (``indicators.views.person_view``), so the projection's start-year counts are the
    key figures' cells (docs/privacy.md, "The projection")."""
    main = person_view(data, at, monthly_paid_only=True)
    if main.height == 0:
        raise InsufficientData(
            f"Det finns inga aktiva månadsavlönade anställningar den {at.isoformat()}; "
            "välj ett datum som uppgifterna täcker."
        )
    return stock_from_main_employments(main, occupation_key)


def occupation_labels(data: HRData, occupation_key: str) -> dict[str, str]:
    """Code -> "code title": the most common job title among the code's employments."""
    col = occupation_column(occupation_key)
    emp = data.employments.filter(
        pl.col(col).is_not_null() & pl.col("employment_form").is_in(MONTHLY_PAID_FORMS)
    )
    if emp.height == 0:
        return {}
    top = (
        emp.group_by(col, "title")
        .len()
        .sort([col, "len", "title"], descending=[False, True, False], nulls_last=True)
        .group_by(col, maintain_order=True)
        .first()
    )
    return {
        str(code): f"{code} {title}" if title else str(code)
        for code, title in zip(top[col].to_list(), top["title"].to_list(), strict=True)
    }


def stock_for(scope: Scope, inputs: OrgInputs) -> ProjectionStock:
    """The stock of the scope's units (a chosen subtree, or everything the user may see).

    The whole organisation keeps persons whose unit is unknown or not in the tree: the
    key figures count them as the organisation's own staff, so the stock is the same
    population as the organisation's head count."""
    stock = (
        inputs.stock
        if scope.whole
        else inputs.stock.filter(pl.col("unit_id").is_in(sorted(scope.units)))
    )
    label = inputs.org_name if scope.whole else scope.label
    return ProjectionStock(stock, label, scope.unit_id, scope.unit_picker)


# --- the population forecast -----------------------------------------------------


def _parse_upload(filename: str, content: bytes) -> pl.DataFrame:
    with tempfile.TemporaryDirectory(prefix="hallbar-pop-") as tmp:
        path = Path(tmp) / filename
        path.write_bytes(content)
        return read_population_forecast(path)


def population_summary(frame: pl.DataFrame) -> str:
    regions = frame.select("region_code", "region_name").unique().sort("region_code")
    names = ", ".join(
        " ".join(p for p in (r["region_code"], r["region_name"]) if p)
        for r in regions.iter_rows(named=True)
    )
    years = frame["year"].cast(pl.Int64)
    return f"{names}; år {years.min()!s}–{years.max()!s}"


def save_population(
    hb: Hallbar, principal: Principal, org_id: str, filename: str, content: bytes, client: str = ""
) -> PopulationInfo:
    """Validate and store an uploaded forecast (replacing any earlier one).

    Raises ``ImportRejected`` with the reader's Swedish problems; nothing is stored then.
    """
    load(hb, principal, org_id, Resource.PROJ_EDIT)
    frame = _parse_upload(filename, content)
    codes = set(frame["region_code"].drop_nulls().to_list())
    if codes and org_id not in codes and org_id.isdigit():
        raise HallbarError(
            f"Befolkningsprognosen gäller {population_summary(frame)}, inte organisationen "
            f"{org_id}. Ladda upp prognosen för den egna kommunen eller regionen."
        )
    summary = population_summary(frame)
    projections.save_population(
        hb.store,
        org_id,
        filename=filename,
        content=content,
        summary=summary,
        by=principal.username,
        at=now(),
    )
    record(
        hb,
        principal.username,
        Action.IMPORT,
        org_id=org_id,
        target="befolkningsprognos",
        detail=f"{filename}: {summary}",
        client=client,
    )
    return PopulationInfo(filename, summary, principal.username, now())


def delete_population(hb: Hallbar, principal: Principal, org_id: str) -> None:
    load(hb, principal, org_id, Resource.PROJ_EDIT)
    projections.delete_population(hb.store, org_id)


def population_info(hb: Hallbar, org_id: str) -> PopulationInfo | None:
    row = projections.population(hb.store, org_id)
    if row is None:
        return None
    return PopulationInfo(row.filename, row.summary, row.uploaded_by, row.uploaded_at)


def population_frame(hb: Hallbar, org_id: str) -> pl.DataFrame:
    """The stored forecast, parsed (cached per upload); an error if there is none."""
    row = projections.population(hb.store, org_id)
    if row is None:
        raise HallbarError(
            "Det finns ingen befolkningsprognos för organisationen. Ladda upp SCB:s prognos "
            "(kommun, ålder, år) eller välj en annan efterfrågemodell."
        )
    key = (org_id, row.uploaded_at)
    filename, content = row.filename, row.content
    hit = _populations.get(hb, key)
    if hit is not None:
        return hit
    try:
        frame = _parse_upload(filename, content)
    except ImportRejected as err:  # a file stored by an older reader that now rejects it
        raise HallbarError(
            f"Den sparade befolkningsprognosen går inte att läsa: {err.message}"
        ) from err
    _populations.put(hb, key, frame)
    return frame
