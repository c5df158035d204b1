"""``generate``: Exempelkommun as the files a user would import (generic Swedish layout)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from hallbar.core import schema
from hallbar.core.codes import EmploymentForm
from hallbar.core.errors import HallbarError
from hallbar.exampleorg.absence import CAUSES, HOURS_PER_DAY, Spells, build_spells
from hallbar.exampleorg.careers import END_REASONS, NO_END, Careers, build_careers, day
from hallbar.exampleorg.catalogue import OCCUPATIONS, SENIOR_SSYK
from hallbar.exampleorg.monthly import PAY_ROWS, Monthly, build_monthly, month_index
from hallbar.exampleorg.organisation import MIN_SIZE, Plan, build_plan
from hallbar.exampleorg.people import personnummer

FIRST_EMPLOYMENT_ID = 1_000_001
FORMS = (
    EmploymentForm.PERMANENT.value,
    EmploymentForm.FIXED_TERM.value,
    EmploymentForm.HOURLY.value,
)
TABLE_ORDER = ("units", "employments", "absences", "working_time", "pay_components", "agency_staff")


@dataclass(frozen=True)
class ExampleExport:
    """The files a user would import: frames with the Swedish headers of the generic layout."""

    org_id: str
    org_name: str
    as_of: date
    tables: dict[str, pl.DataFrame]


def window_start(as_of: date, years: int) -> date:
    """First day of the history window: ``years`` × 12 whole months ending with as_of's month."""
    m = as_of.year * 12 + as_of.month - 1 - 12 * years + 1
    return date(m // 12, m % 12 + 1, 1)


def generate(
    size: int = 6000,
    *,
    seed: int = 1,
    years: int = 3,
    as_of: date = date(2025, 12, 31),
    org_id: str = "9999",
    org_name: str = "Exempelkommun",
) -> ExampleExport:
    """Generate Exempelkommun with ``size`` monthly-paid employees active on ``as_of``.

    Deterministic: the same (size, seed, years, as_of) gives identical frames.
    """
    model = _model(size, seed, years, as_of)
    _add_monthly(model)
    tables = {name: _build(model, name) for name in TABLE_ORDER}
    return ExampleExport(org_id=org_id, org_name=org_name, as_of=as_of, tables=tables)


@dataclass
class _Model:
    """Everything the tables are built from (numpy arrays; no table is built yet).

    The monthly history is drawn last (``_add_monthly``), after the spells, so that
    ``write_csv`` can write the people's tables and let the spells go first.
    """

    plan: Plan
    careers: Careers
    spells: Spells | None
    pnr: pl.Series
    emp_id: pl.Series
    rng: np.random.Generator
    asof_day: int
    start_day: int
    monthly: Monthly | None = None
    pay_order: np.ndarray | None = None  # pay-component rows in file order: holder, month, kind

    def history(self) -> tuple[Monthly, np.ndarray]:
        if self.monthly is None or self.pay_order is None:
            raise RuntimeError("the monthly history is drawn by _add_monthly")
        return self.monthly, self.pay_order


def _model(size: int, seed: int, years: int, as_of: date) -> _Model:
    if years < 1:
        raise HallbarError(
            "Exempelkommunen behöver minst ett års historik: ange år som 1 eller fler."
        )
    if size < MIN_SIZE:
        raise HallbarError(
            f"Exempelkommunen behöver minst {MIN_SIZE} anställda för att få enheter och chefer; "
            f"ange en storlek på {MIN_SIZE} eller mer (du angav {size})."
        )
    rng = np.random.Generator(np.random.PCG64(seed))
    w0 = window_start(as_of, years)
    plan = build_plan(size, rng)
    careers = build_careers(plan, as_of, w0, rng)
    spells = build_spells(careers, day(as_of), day(w0), rng)
    pnr = personnummer(careers.birth, careers.woman)
    emp_id = pl.Series(
        "employment_id", np.arange(careers.slot.size) + FIRST_EMPLOYMENT_ID, dtype=pl.Int64
    ).cast(pl.String)
    return _Model(plan, careers, spells, pnr, emp_id, rng, day(as_of), day(w0))


def _add_monthly(model: _Model) -> None:
    """Draw the monthly history (the next draws after the spells, whatever was written)."""
    monthly = build_monthly(model.careers, model.plan, model.asof_day, model.start_day, model.rng)
    model.monthly = monthly
    model.pay_order = np.lexsort((monthly.pay_kind, monthly.pay_month, monthly.pay_holder))


def _rows(model: _Model, name: str) -> int:
    """Rows of a table that is built in slices."""
    monthly, pay_order = model.history()
    if name == "working_time":
        return int(monthly.holder.size)
    return int(pay_order.size)


def _build(model: _Model, name: str, rows: slice | None = None) -> pl.DataFrame:
    """Table ``name`` (Swedish headers); ``rows``: only those rows of a table built in slices."""
    unit_ids = model.plan.units["unit_id"]
    if name == "units":
        return _units(model.plan, model.careers, model.pnr)
    if name == "employments":
        return _employments(model.plan, model.careers, model.pnr, model.emp_id, unit_ids)
    if name == "absences":
        if model.spells is None:
            raise RuntimeError("the spells were let go after the absences were written")
        return _absences(model.careers, model.spells, model.pnr, model.emp_id)
    m, pay_order = model.history()
    if name == "working_time":
        return _working_time(m, model.emp_id, rows or slice(None))
    if name == "pay_components":
        return _pay_components(m, model.emp_id, pay_order[rows or slice(None)])
    return _agency(m, unit_ids)


def _iso(days: np.ndarray) -> pl.Series:
    """Day numbers as ISO date strings; NO_END becomes null."""
    s = pl.Series(np.where(days >= NO_END, 0, days).astype(np.int32)).cast(pl.Date).cast(pl.String)
    return pl.select(pl.when(pl.lit(pl.Series(days < NO_END))).then(s)).to_series()


def _months(m: np.ndarray) -> pl.Series:
    """Month indices (months since 1970-01) as 'YYYY-MM'."""
    if m.size == 0:
        return pl.Series([], dtype=pl.String)
    lo = int(m.min())
    labels = pl.Series(
        np.datetime_as_string(np.arange(lo, int(m.max()) + 1).astype("datetime64[M]"))
    )
    return labels.gather(pl.Series(m - lo))


def _sv(table: schema.Table, frame: pl.DataFrame) -> pl.DataFrame:
    """Order columns as in the schema and rename them to the Swedish headers (no org id)."""
    cols = [c for c in table.columns if c.name != "org_id"]
    return frame.select([pl.col(c.name).alias(c.sv) for c in cols])


def _units(plan: Plan, c: Careers, pnr: pl.Series) -> pl.DataFrame:
    current = np.flatnonzero((c.end >= NO_END) & plan.slot_manager[c.slot])
    manager_unit = plan.slot_unit[c.slot[current]]
    managers = pl.DataFrame(
        {"unit_idx": manager_unit, "manager_person_id": pnr.gather(pl.Series(current))}
    )
    frame = plan.units.join(managers, on="unit_idx", how="left").sort("unit_idx")
    return _sv(schema.UNITS, frame)


def _employments(
    plan: Plan, c: Careers, pnr: pl.Series, emp_id: pl.Series, unit_ids: pl.Series
) -> pl.DataFrame:
    h = c.seg_holder
    occ = c.occ[h]
    is_last = np.r_[h[1:] != h[:-1], True]
    reason = np.where(is_last, c.reason[h], -1)
    dept = plan.units["dept"].to_numpy()[plan.slot_unit[c.slot[h]]]
    senior = np.isin(occ, [i for i, o in enumerate(OCCUPATIONS) if o.key in ("ch_vh", "ch_fv")])
    ssyk = np.array([o.ssyk for o in OCCUPATIONS])[occ]
    ssyk = np.where(senior, np.vectorize(SENIOR_SSYK.get)(dept) if dept.size else ssyk, ssyk)
    hourly = c.form[h] == 2
    frame = pl.DataFrame(
        {
            "employment_id": emp_id.gather(pl.Series(h)),
            "person_id": pnr.gather(pl.Series(h)),
            "unit_id": unit_ids.gather(pl.Series(c.seg_unit)),
            "aid_code": np.array([o.aid for o in OCCUPATIONS])[occ],
            "ssyk": ssyk,
            "title": np.array([o.title for o in OCCUPATIONS])[occ],
            "employment_form": np.array(FORMS)[c.form[h]],
            "rate": c.seg_rate.astype(np.int64),
            "monthly_pay": pl.Series(np.where(hourly, 0, c.seg_pay).astype(np.int64)),
            "start_date": _iso(c.seg_start),
            "end_date": _iso(c.seg_end),
            "is_manager": np.where(plan.slot_manager[c.slot[h]], "ja", "nej"),
            "end_reason": pl.Series(np.array(("", *END_REASONS))[reason + 1]),
        }
    ).with_columns(
        pl.when(pl.Series(hourly)).then(None).otherwise(pl.col("monthly_pay")).alias("monthly_pay"),
        pl.when(pl.col("end_reason") == "")
        .then(None)
        .otherwise(pl.col("end_reason"))
        .alias("end_reason"),
    )
    return _sv(schema.EMPLOYMENTS, frame)


def _absences(c: Careers, sp: Spells, pnr: pl.Series, emp_id: pl.Series) -> pl.DataFrame:
    # The rate of the employment row on the first day of each spell (segments are
    # sorted by holder, then start).
    offset = np.int64(2**40)
    seg_key = c.seg_holder.astype(np.int64) * offset * 2 + c.seg_start + offset
    spell_key = sp.holder.astype(np.int64) * offset * 2 + sp.start + offset
    seg = np.searchsorted(seg_key, spell_key, side="right") - 1
    rate = c.seg_rate[seg]
    days = sp.end - sp.start + 1
    hours = np.round(days * HOURS_PER_DAY * rate / 100.0 * sp.extent / 100.0, 2)
    frame = pl.DataFrame(
        {
            "person_id": pnr.gather(pl.Series(sp.holder)),
            "employment_id": emp_id.gather(pl.Series(sp.holder)),
            "cause": np.array(CAUSES)[sp.cause],
            "from_date": _iso(sp.start),
            "to_date": _iso(sp.end),
            "extent": sp.extent.astype(np.int64),
            "hours": hours,
        }
    )
    return _sv(schema.ABSENCES, frame)


def _working_time(m: Monthly, emp_id: pl.Series, rows: slice) -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            "employment_id": emp_id.gather(pl.Series(m.holder[rows])),
            "month": _months(m.month[rows]),
            "scheduled_hours": m.scheduled[rows],
            "overtime_hours": m.overtime[rows],
            "additional_hours": m.additional[rows],
            "unsocial_hours": m.unsocial[rows],
            "split_shifts": m.split_shifts[rows],
        }
    )
    return _sv(schema.WORKING_TIME, frame)


def _pay_components(m: Monthly, emp_id: pl.Series, order: np.ndarray) -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            "employment_id": emp_id.gather(pl.Series(m.pay_holder[order])),
            "month": _months(m.pay_month[order]),
            "kind": np.array([k for k, _ in PAY_ROWS])[m.pay_kind[order]],
            "code": np.array([c for _, c in PAY_ROWS])[m.pay_kind[order]],
            "amount": m.pay_amount[order],
        }
    )
    return _sv(schema.PAY_COMPONENTS, frame)


def _agency(m: Monthly, unit_ids: pl.Series) -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            "unit_id": unit_ids.gather(pl.Series(m.agency_unit)),
            "occupation": np.array([o.ssyk for o in OCCUPATIONS])[m.agency_occ],
            "month": _months(m.agency_month),
            "hours": m.agency_hours,
            "cost": m.agency_cost.astype(np.int64),
        }
    )
    return _sv(schema.AGENCY_STAFF, frame)


def write_csv_folder(
    export: ExampleExport, folder: Path, *, separator: str = ";", decimal_comma: bool = True
) -> dict[str, Path]:
    """Write one CSV file per table (file stem = the table's Swedish name), UTF-8 with BOM."""
    if decimal_comma and separator == ",":
        raise ValueError("decimal comma needs another separator than ','")
    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name in TABLE_ORDER:
        path = folder / f"{schema.TABLES_BY_NAME[name].sv}.csv"
        export.tables[name].write_csv(
            path, separator=separator, include_bom=True, decimal_comma=decimal_comma
        )
        paths[name] = path
    return paths


# Tables written in slices by ``write_csv``: the two that grow with employees × months.
SLICED = ("working_time", "pay_components")


def write_csv(
    folder: Path,
    size: int = 6000,
    *,
    seed: int = 1,
    years: int = 3,
    as_of: date = date(2025, 12, 31),
    slice_rows: int = 2_000_000,
    separator: str = ";",
    decimal_comma: bool = True,
) -> dict[str, int]:
    """``write_csv_folder(generate(...), folder)`` without holding the tables: the same
    bytes, each table built and written in turn, the large ones ``slice_rows`` rows at a
    time, so a national organisation (1,3 million employees) fits in a few GB.
    Returns the rows written per table."""
    if decimal_comma and separator == ",":
        raise ValueError("decimal comma needs another separator than ','")
    model = _model(size, seed, years, as_of)
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for name in TABLE_ORDER:
        if model.monthly is None and name not in ("units", "employments", "absences"):
            model.spells = None  # written: let them go before the largest arrays are drawn
            _add_monthly(model)
        path = folder / f"{schema.TABLES_BY_NAME[name].sv}.csv"
        if name not in SLICED:
            frame = _build(model, name)
            frame.write_csv(
                path, separator=separator, include_bom=True, decimal_comma=decimal_comma
            )
            written[name] = frame.height
            continue
        total = _rows(model, name)
        with path.open("wb") as handle:
            for start in range(0, max(total, 1), slice_rows):
                part = _build(model, name, slice(start, start + slice_rows))
                part.write_csv(
                    handle,
                    separator=separator,
                    include_bom=start == 0,
                    include_header=start == 0,
                    decimal_comma=decimal_comma,
                )
        written[name] = total
    return written


__all__ = [
    "ExampleExport",
    "generate",
    "month_index",
    "window_start",
    "write_csv",
    "write_csv_folder",
]
