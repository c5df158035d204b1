"""Validation rules on parsed tables: values, ranges, duplicates and references.

Every rule is a vectorised filter that yields the offending rows; ``report_rows``
turns them into located Swedish messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from hallbar.core import schema
from hallbar.core.errors import ProblemList
from hallbar.ingest.problems import ROW_COLUMN, report_counted, report_rows
from hallbar.ingest.spool import Spooled

HOUR_COLUMNS = ("hours", "scheduled_hours", "overtime_hours", "additional_hours", "unsocial_hours")


@dataclass
class Parsed:
    """One parsed table with where it came from."""

    table: schema.Table
    frame: pl.DataFrame  # canonical columns (typed) plus ROW
    file: str
    header_of: dict[str, str]  # canonical column -> header in the file

    def header(self, column: str) -> str:
        return self.header_of.get(column, self.table.column(column).sv)


def check_required(p: Parsed, problems: ProblemList) -> None:
    """Required cells must not be empty. ``p.frame`` is still text here."""
    for col in p.table.columns:
        if col.required and col.name in p.header_of and col.dtype != pl.Boolean:
            empty = p.frame.filter(pl.col(col.name).is_null()).select(ROW_COLUMN)
            report_rows(
                problems,
                p.file,
                empty,
                p.header(col.name),
                f"Värde saknas ({col.sv_text}). Kolumnen är obligatorisk; fyll i värdet.",
            )


def check_row_values(p: Parsed, problems: ProblemList) -> None:
    """Rules inside one table that look at one row at a time (run batch by batch): ranges,
    order of dates. Duplicates need the whole table (``check_duplicates``)."""
    _range(p, "rate", 0, 100, "Sysselsättningsgraden ska vara 0–100 (procent)", problems)
    _range(p, "extent", 1, 100, "Omfattningen ska vara 1–100 (procent av arbetstiden)", problems)
    for hours in HOUR_COLUMNS:
        _negative(p, hours, "Timmar får inte vara negativa. Rätta värdet.", "fel", problems)
    _negative(p, "split_shifts", "Antalet delade turer får inte vara negativt.", "fel", problems)
    _negative(p, "monthly_pay", "Månadslönen får inte vara negativ. Rätta värdet.", "fel", problems)
    _negative(
        p,
        "amount",
        "Negativt belopp (t.ex. en rättelse). Kontrollera att det stämmer.",
        "varning",
        problems,
    )
    _negative(p, "cost", "Negativ kostnad. Kontrollera att det stämmer.", "varning", problems)
    _date_order(p, "start_date", "end_date", "Slutdatum är före startdatum", problems)
    _date_order(p, "from_date", "to_date", "Tom-datum är före from-datum", problems)


DUPLICATE_KEYS = {
    "units": ("unit_id",),
    "employments": ("employment_id", "start_date"),
    "working_time": ("employment_id", "month"),
}


def check_duplicates(p: Parsed, problems: ProblemList) -> None:
    """Two rows with the same key; ``p`` may hold only the rows that can be duplicates."""
    duplicate_keys = DUPLICATE_KEYS.get(p.table.name)
    if duplicate_keys:
        _duplicates(p, duplicate_keys, problems)


def _range(
    p: Parsed, column: str, low: float, high: float, text: str, problems: ProblemList
) -> None:
    if column not in p.header_of:
        return
    bad = p.frame.filter((pl.col(column) < low) | (pl.col(column) > high))
    report_rows(
        problems,
        p.file,
        bad.select(ROW_COLUMN, column),
        p.header(column),
        lambda r: f"{text}, men är {sv_number(r[column])}.",
    )


def _negative(p: Parsed, column: str, text: str, severity: str, problems: ProblemList) -> None:
    if column not in p.header_of:
        return
    bad = p.frame.filter(pl.col(column) < 0).select(ROW_COLUMN, column)
    report_rows(
        problems,
        p.file,
        bad,
        p.header(column),
        lambda r: f"{text} (värde {sv_number(r[column])})",
        severity=severity,
    )


def _date_order(p: Parsed, start: str, end: str, text: str, problems: ProblemList) -> None:
    if start not in p.header_of or end not in p.header_of:
        return
    bad = p.frame.filter(pl.col(end) < pl.col(start)).select(ROW_COLUMN, start, end)
    report_rows(
        problems,
        p.file,
        bad,
        p.header(end),
        lambda r: f"{text} ({r[end]} är före {r[start]}). Rätta datumen.",
    )


def _duplicates(p: Parsed, keys: tuple[str, ...], problems: ProblemList) -> None:
    if not all(k in p.header_of for k in keys):
        return
    f = p.frame.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in keys))
    f = f.with_columns(pl.col(ROW_COLUMN).min().over(keys).alias("_first"))
    bad = f.filter(pl.col(ROW_COLUMN) != pl.col("_first")).select(ROW_COLUMN, "_first")
    names = " och ".join(f"'{p.header(k)}'" for k in keys)
    report_rows(
        problems,
        p.file,
        bad,
        p.header(keys[0]),
        lambda r: f"Dubblett: samma {names} som rad {r['_first']}. Ta bort eller rätta raden.",
    )


def sv_number(value: float | int) -> str:
    """A number in Swedish notation: no-break space between thousands, decimal comma."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u00a0").replace(".", ",")


def check_references(tables: Mapping[str, Parsed | Spooled], problems: ProblemList) -> None:
    """Rules across tables: units, employments and persons that must exist; overlaps.

    A spooled table's references were checked batch by batch while it was read
    (``Spooled.unknown_employments``); here they are reported in their place.
    """
    units = _held(tables.get("units"))
    employments = _held(tables.get("employments"))
    unit_ids = (
        units.frame["unit_id"].drop_nulls().unique() if units else pl.Series([], dtype=pl.String)
    )
    if units is not None:
        _unknown(
            units,
            "parent_id",
            unit_ids,
            "Den överordnade enheten '{v}' finns inte i enhetsfilen.",
            problems,
        )
        _cycles(units, problems)
    if employments is not None:
        _unknown(
            employments,
            "unit_id",
            unit_ids,
            "Enheten '{v}' finns inte i enhetsfilen. Lägg till enheten eller rätta enhets-id.",
            problems,
        )
    agency = _held(tables.get("agency_staff"))
    if agency is not None:
        _unknown(
            agency,
            "unit_id",
            unit_ids,
            "Enheten '{v}' finns inte i enhetsfilen.",
            problems,
        )
    if employments is None or employments.frame.height == 0:
        return  # an empty employment file is reported already; avoid a cascade
    emp_ids = employments.frame["employment_id"].drop_nulls().unique()
    for name in ("working_time", "pay_components", "absences"):
        table = tables.get(name)
        text = "Anställningen '{v}' finns inte i anställningsfilen."
        if isinstance(table, Spooled):
            _unknown_spooled(table, text, problems)
        elif table is not None:
            _unknown(table, "employment_id", emp_ids, text, problems)
    absences = _held(tables.get("absences"))
    if absences is not None:
        persons = employments.frame["person_id"].drop_nulls().unique()
        bad = absences.frame.filter(
            pl.col("person_id").is_not_null() & ~pl.col("person_id").is_in(persons.implode())
        )
        report_rows(
            problems,
            absences.file,
            bad.select(ROW_COLUMN),
            absences.header("person_id"),
            "Personen har ingen anställning i anställningsfilen. Frånvaro kan bara "
            "läsas in för anställda; kontrollera personnumret.",
        )
        _overlaps(absences, problems)


def _held(table: Parsed | Spooled | None) -> Parsed | None:
    """Only tables held in memory (those that can be spooled are checked as they are read)."""
    return table if isinstance(table, Parsed) else None


def _unknown_spooled(table: Spooled, text: str, problems: ProblemList) -> None:
    found = table.unknown_employments
    if found is None or found.frame is None or "employment_id" not in table.header_of:
        return
    head = found.frame
    mapping = table.replacements.get("employment_id")
    if mapping:  # the message names the id as stored, its personnummer replaced
        head = head.with_columns(pl.col("employment_id").replace(mapping))
    report_counted(
        problems,
        table.file,
        head,
        found.total,
        table.header("employment_id"),
        lambda r: text.format(v=r["employment_id"]),
    )


def _unknown(p: Parsed, column: str, known: pl.Series, text: str, problems: ProblemList) -> None:
    if column not in p.header_of:
        return
    bad = p.frame.filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(known.implode()))
    report_rows(
        problems,
        p.file,
        bad.select(ROW_COLUMN, column),
        p.header(column),
        lambda r: text.format(v=r[column]),
    )


def _cycles(units: Parsed, problems: ProblemList) -> None:
    """A unit that is its own ancestor makes the tree a loop; report each unit on a loop."""
    if "parent_id" not in units.header_of:
        return  # a flat list of units (the parent column is optional)
    rows = units.frame.select(ROW_COLUMN, "unit_id", "parent_id").drop_nulls("unit_id")
    parent = dict(zip(rows["unit_id"].to_list(), rows["parent_id"].to_list(), strict=True))
    row_of = dict(zip(rows["unit_id"].to_list(), rows[ROW_COLUMN].to_list(), strict=True))
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    on_cycle: list[str] = []
    for start in parent:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parent[node]
        if node is not None and state.get(node) == 1:
            on_cycle.extend(path[path.index(node) :])
        for n in path:
            state[n] = 2
    if not on_cycle:
        return
    bad = pl.DataFrame(
        {ROW_COLUMN: [row_of[u] for u in on_cycle], "unit_id": on_cycle},
        schema={ROW_COLUMN: pl.Int64, "unit_id": pl.String},
    ).sort(ROW_COLUMN)
    report_rows(
        problems,
        units.file,
        bad,
        units.header("parent_id"),
        lambda r: (
            f"Enheten '{r['unit_id']}' ligger i en slinga i enhetsträdet (den blir sin "
            "egen överordnade). Rätta överordnad enhet."
        ),
    )


def _overlaps(absences: Parsed, problems: ProblemList) -> None:
    """Spells of the same person and cause must not overlap (days are inclusive)."""
    keys = ["person_id", "cause"]
    f = absences.frame.select(ROW_COLUMN, *keys, "from_date", "to_date").drop_nulls()
    f = sort_within_keys(f, keys, ["from_date", "to_date", ROW_COLUMN])
    f = previous_running_max(f, keys, "to_date")
    bad = f.filter(pl.col("from_date") <= pl.col("_prev_end")).sort(ROW_COLUMN)
    report_rows(
        problems,
        absences.file,
        bad.select(ROW_COLUMN, "_prev_row", "cause"),
        absences.header("from_date"),
        lambda r: (
            f"Perioden överlappar en annan period för samma person och orsak "
            f"({r['cause']}, rad {r['_prev_row']}). Slå ihop eller rätta perioderna."
        ),
    )


# Dates as day numbers shifted to be positive: 1900-01-01 is day -25 567 and
# 9999-12-31 day 2 932 896, so every date fits in [0, 2**22) after the shift.
_DAY_SHIFT = 2**17
_DAY_SPAN = 2**22


def sort_within_keys(f: pl.DataFrame, keys: list[str], then: list[str]) -> pl.DataFrame:
    """``f`` with each key's rows together, sorted by ``then`` within the key.

    The keys' order among themselves does not matter, so the rows are sorted by a
    64-bit hash of the key instead of the key's text, which is several times faster
    with millions of text keys. Should two keys share a hash, their rows would
    interleave; that shows as more runs of the key than of the hash, and the rows
    are then sorted by the key itself.
    """
    hashed = f.with_columns(pl.struct(keys).hash().alias("_key_hash")).sort("_key_hash", *then)
    key_runs, hash_runs = hashed.select(
        pl.struct(keys).rle_id().max(), pl.col("_key_hash").rle_id().max()
    ).row(0)
    if key_runs != hash_runs:
        return f.sort([*keys, *then])
    return hashed.drop("_key_hash")


def previous_running_max(f: pl.DataFrame, keys: list[str], end: str) -> pl.DataFrame:
    """Add ``_prev_end`` and ``_prev_row``: the latest ``end`` among the earlier rows of the
    same key, and the row that has it (the last such row on a tie); null on a key's first row.

    ``f`` must have each key's rows together in start order (``sort_within_keys``) and
    ``end`` must have no nulls.
    Linear in the rows: one cumulative maximum over the whole frame, with the
    key's run number encoded above the day number so that a maximum never
    carries into the next key. (A window ``over(keys)`` did the same but grew
    faster than the data with millions of keys.)
    """
    run = (pl.struct(keys) if len(keys) > 1 else pl.col(keys[0])).rle_id().cast(pl.Int64)
    f = f.with_columns(run.alias("_key_run"))
    code = pl.col("_key_run") * _DAY_SPAN + pl.col(end).cast(pl.Int64) + _DAY_SHIFT
    f = f.with_columns(code.alias("_code")).with_columns(pl.col("_code").cum_max().alias("_max"))
    first = (pl.col("_key_run") != pl.col("_key_run").shift(1)).fill_null(True)
    row_at_max = pl.when(pl.col("_code") == pl.col("_max")).then(pl.col(ROW_COLUMN)).forward_fill()
    prev_day = pl.col("_max").shift(1) - pl.col("_key_run") * _DAY_SPAN - _DAY_SHIFT
    return f.with_columns(
        pl.when(first)
        .then(None)
        .otherwise(prev_day)
        .cast(pl.Int32)
        .cast(pl.Date)
        .alias("_prev_end"),
        pl.when(first).then(None).otherwise(row_at_max.shift(1)).alias("_prev_row"),
    ).drop("_key_run", "_code", "_max")
