"""Kolada-compatible long format: one row per KPI, municipality, year and gender.

Shape of Kolada's API v2 data (https://api.kolada.se/v2/data): ``kpi`` (e.g.
N00090), ``municipality`` (four digits: a municipality's code, e.g. "1280",
or a region's, e.g. "0012"), ``period`` (year), ``gender`` (T total, K women,
M men; a cut of each KPI id, not a separate id, domain-rules.md §1), ``value``
and ``status``. A value hidden by small-group protection (or missing) keeps its
row with ``value`` null and ``status`` "Missing", as Kolada marks values it
does not publish; ``omit_missing=True`` drops such rows instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import polars as pl

from hallbar.core.errors import HallbarError
from hallbar.core.kolada import kolada_municipality_code
from hallbar.indicators.sick_leave_note import SickLeaveNote

KOLADA_COLUMNS = ["kpi", "municipality", "period", "gender", "value", "status"]
MISSING_STATUS = "Missing"
GENDER_CODES: dict[str, str] = {
    "t": "T", "totalt": "T", "total": "T", "alla": "T",
    "k": "K", "kvinna": "K", "kvinnor": "K", "f": "K", "female": "K",
    "m": "M", "man": "M", "män": "M", "male": "M",
}  # fmt: skip


def _gender_code(value: object, column: str) -> str:
    code = GENDER_CODES.get(str(value).strip().lower()) if value is not None else None
    if code is None:
        raise HallbarError(
            f"Kön '{value}' i kolumnen '{column}' kan inte översättas till Koladas koder: "
            "använd T (totalt), K (kvinnor) eller M (män)."
        )
    return code


def to_kolada_long(
    frame: pl.DataFrame,
    *,
    kpi_ids: Mapping[str, str],
    municipality: str | None = None,
    municipality_col: str | None = None,
    period: int | None = None,
    period_col: str | None = None,
    gender_col: str | None = None,
    omit_missing: bool = False,
) -> pl.DataFrame:
    """Turn a wide frame (one column per figure) into Kolada's long format.

    ``kpi_ids`` maps a value column (a figure id) to its Kolada KPI id. The
    municipality code and the year come from a constant or a column each;
    without ``gender_col`` every row is the total (T).
    """
    if (municipality is None) == (municipality_col is None):
        raise ValueError("to_kolada_long: give exactly one of municipality, municipality_col")
    if (period is None) == (period_col is None):
        raise ValueError("to_kolada_long: give exactly one of period, period_col")
    missing_cols = [c for c in kpi_ids if c not in frame.columns]
    if missing_cols:
        raise ValueError(f"to_kolada_long: no such value columns {missing_cols}")
    n = frame.height
    munis = (
        frame[municipality_col].cast(pl.String).to_list()
        if municipality_col
        else [municipality] * n
    )
    periods = frame[period_col].to_list() if period_col else [period] * n
    genders = (
        [_gender_code(v, gender_col) for v in frame[gender_col].to_list()]
        if gender_col
        else ["T"] * n
    )
    munis = [kolada_municipality_code(m) for m in munis]
    for p in set(periods):
        if p is None or not re.fullmatch(r"\d{4}", str(p)):
            raise HallbarError(
                f"Perioden '{p}' är inte ett årtal. Kolada redovisar per år, t.ex. 2024."
            )
    parts = []
    for col, kpi in kpi_ids.items():
        values = frame[col].cast(pl.Float64)
        parts.append(
            pl.DataFrame(
                {
                    "kpi": [kpi] * n,
                    "municipality": [str(m) for m in munis],
                    "period": [int(str(p)) for p in periods],
                    "gender": genders,
                    "value": values,
                },
                schema={
                    "kpi": pl.String,
                    "municipality": pl.String,
                    "period": pl.Int64,
                    "gender": pl.String,
                    "value": pl.Float64,
                },
            )
        )
    if not parts:
        return pl.DataFrame(schema=dict.fromkeys(KOLADA_COLUMNS, pl.String))
    long = pl.concat(parts).with_columns(pl.col("value").fill_nan(None))
    long = long.with_columns(
        pl.when(pl.col("value").is_null())
        .then(pl.lit(MISSING_STATUS))
        .otherwise(pl.lit(""))
        .alias("status")
    )
    if omit_missing:
        long = long.filter(pl.col("value").is_not_null())
    return long.sort(["kpi", "municipality", "period", "gender"], maintain_order=True)


def sick_leave_note_kolada(
    notes: Iterable[SickLeaveNote], org_code: str, *, omit_missing: bool = False
) -> pl.DataFrame:
    """The statutory note's rows in Kolada's long format, one row per id, year and cut.

    A row's ``kolada_id`` is "N60030" or "N60030 (K)" (a gender cut of the id); a
    suppressed row (ten or fewer persons, or an exempt employer) has a null value.
    """
    frames = []
    for note in notes:
        for row in note.rows:
            kpi, _, cut = row.kolada_id.partition(" ")
            frame = pl.DataFrame(
                {"gender": [cut.strip("()") or "T"], "v": [row.value]},
                schema={"gender": pl.String, "v": pl.Float64},
            )
            frames.append(
                to_kolada_long(
                    frame,
                    kpi_ids={"v": kpi},
                    municipality=org_code,
                    period=note.year,
                    gender_col="gender",
                    omit_missing=omit_missing,
                )
            )
    if not frames:
        return pl.DataFrame(schema=dict.fromkeys(KOLADA_COLUMNS, pl.String))
    return pl.concat(frames).sort(["kpi", "municipality", "period", "gender"], maintain_order=True)


def write_kolada_csv(long: pl.DataFrame, path: str | Path) -> Path:
    """Machine-readable CSV as in Kolada's downloads: UTF-8, ",", decimal point."""
    path = Path(path)
    long.select(KOLADA_COLUMNS).write_csv(path)
    return path


def kolada_json(long: pl.DataFrame) -> dict[str, Any]:
    """Kolada API v2's nesting: one entry per (kpi, municipality, period), values per gender."""
    entries: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
    for row in long.iter_rows(named=True):
        key = (row["kpi"], row["municipality"], row["period"])
        entries.setdefault(key, []).append(
            {"gender": row["gender"], "status": row["status"], "value": row["value"]}
        )
    values = [
        {"kpi": k, "municipality": m, "period": p, "values": v} for (k, m, p), v in entries.items()
    ]
    return {"count": len(values), "values": values}


def write_kolada_json(long: pl.DataFrame, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(json.dumps(kolada_json(long), ensure_ascii=False, indent=2), encoding="utf-8")
    return path
