"""Read inputs of the workforce projection from files.

* ``read_population_forecast``: a population forecast per municipality, age and year
  as Statistics Sweden (SCB) publishes it (PX-Web, e.g. table BE0401): wide
  (``region; ålder; [kön;] 2024; 2025; …``, possibly under a title line) or long
  (``region; ålder; år; antal``); CSV with ``;``, ``,`` or tab in UTF-8 or Latin-1,
  or XLSX. Ages like ``0 år``, ``57``, ``100+ år``. Result: ``POPULATION_SCHEMA``.
* ``read_staff_file``: the standalone staff list for ``hallbar projection run --personal``
  (one row per person: yrke; kon; alder; sysselsattningsgrad; manadslon; [enhet_id]).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import polars as pl

from hallbar.core.errors import ImportRejected, Problem
from hallbar.projection.population import POPULATION_SCHEMA, TOP_AGE
from hallbar.projection.stock import normalise_stock

_AGE = re.compile(r"^\s*(\d{1,3})\s*(\+|-|–)?\s*(år)?\s*(och äldre|el\. äldre)?\s*$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(19|20|21)\d{2}(?!\d)")
_REGION = re.compile(r"^\s*(\d{2,4})\s*(.*)$")
_TOTAL_GENDER = ("totalt", "total", "män och kvinnor", "kvinnor och män", "båda könen")


def _reject(path: Path, row: int | None, column: str | None, message: str) -> ImportRejected:
    return ImportRejected([Problem(path.name, row, column, message)])


def _decode(raw: bytes) -> str:
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1", errors="replace")


def _norm(name: str) -> str:
    return name.strip().strip('"').casefold()


def _read_table(path: Path) -> tuple[pl.DataFrame, int]:
    """All cells as strings, the header row found by looking for 'ålder'; returns the
    frame and the 1-based file row of the header."""
    if path.suffix.casefold() in (".xlsx", ".xlsm", ".xls"):
        try:
            grid = pl.read_excel(path, has_header=False, infer_schema_length=0)
        except Exception as err:  # the Excel engine raises its own error types
            raise _reject(path, None, None, f"Filen går inte att läsa som Excel: {err}") from err
        lines = [[("" if v is None else str(v)) for v in row] for row in grid.iter_rows()]
    else:
        text = _decode(path.read_bytes())
        # A title line may mention "ålder" too; the header is the one with most fields.
        candidates = [ln for ln in text.splitlines()[:50] if "lder" in ln.casefold()] or [""]
        sep = max((";", "\t", ","), key=lambda c: max(ln.count(c) for ln in candidates))
        # The csv module copes with PX-Web's title lines, which have fewer fields.
        lines = [list(r) for r in csv.reader(io.StringIO(text), delimiter=sep)]
    for i, row in enumerate(lines):
        names = [_norm(c) for c in row]
        if any(n in ("ålder", "alder", "age") for n in names):
            header = [c.strip() or f"kolumn{j + 1}" for j, c in enumerate(row)]
            body = [r + [""] * (len(header) - len(r)) for r in lines[i + 1 :]]
            frame = (
                pl.DataFrame([r[: len(header)] for r in body], schema=header, orient="row")
                if body
                else pl.DataFrame(schema=dict.fromkeys(header, pl.String))
            )
            return frame, i + 1
    raise _reject(
        path,
        None,
        "ålder",
        "Hittar ingen rubrikrad med kolumnen 'ålder'; exportera tabellen "
        "från SCB med region, ålder och år.",
    )


def _parse_age(value: str) -> int | None:
    m = _AGE.match(value)
    if not m:
        return None
    return min(int(m.group(1)), TOP_AGE)


def _parse_number(value: str) -> float | None:
    cleaned = value.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def read_population_forecast(path: str | Path) -> pl.DataFrame:
    """Read an SCB-style population forecast into ``POPULATION_SCHEMA`` rows (summed
    over gender). Bad cells are rejected with file, row and column; nothing is guessed."""
    path = Path(path)
    frame, header_row = _read_table(path)
    cols = {_norm(c): c for c in frame.columns}
    region_col = cols.get("region") or cols.get("kommun") or cols.get("län")
    age_col = cols.get("ålder") or cols.get("alder") or cols.get("age")
    if region_col is None:
        raise _reject(path, header_row, "region", "Kolumnen 'region' saknas; exportera med region.")
    assert age_col is not None
    gender_col = cols.get("kön") or cols.get("kon")
    year_col = cols.get("år") or cols.get("ar")
    value_col = next(
        (cols[k] for k in ("antal", "folkmängd", "befolkning", "värde") if k in cols), None
    )
    if year_col is not None and value_col is not None:
        long = frame.select(
            pl.col(region_col).alias("region"),
            pl.col(age_col).alias("age_raw"),
            (pl.col(gender_col) if gender_col else pl.lit("")).alias("gender"),
            pl.col(year_col).alias("year_raw"),
            pl.col(value_col).alias("value_raw"),
            pl.lit(value_col).alias("column"),
        ).with_row_index("row", offset=header_row + 1)
    else:
        year_cols = [
            c
            for c in frame.columns
            if c not in (region_col, age_col, gender_col) and _YEAR.search(c)
        ]
        if not year_cols:
            raise _reject(
                path,
                header_row,
                None,
                "Hittar inga årskolumner (t.ex. 2025) och inga kolumner 'år' och 'antal'.",
            )
        long = (
            frame.with_row_index("row", offset=header_row + 1)
            .unpivot(
                index=["row", region_col, age_col, *([gender_col] if gender_col else [])],
                on=year_cols,
                variable_name="column",
                value_name="value_raw",
            )
            .select(
                "row",
                pl.col(region_col).alias("region"),
                pl.col(age_col).alias("age_raw"),
                (pl.col(gender_col) if gender_col else pl.lit("")).alias("gender"),
                pl.col("column").str.extract(r"((?:19|20|21)\d{2})").alias("year_raw"),
                "value_raw",
                "column",
            )
        )
    long = long.filter(pl.col("region").str.strip_chars() != "")
    # Total-age rows ("totalt") are aggregates, not single years: drop them.
    long = long.filter(~pl.col("age_raw").str.to_lowercase().str.contains("tot"))
    rows = []
    for r in long.iter_rows(named=True):
        age = _parse_age(r["age_raw"])
        if age is None:
            raise _reject(
                path,
                r["row"],
                age_col,
                f"Åldern '{r['age_raw']}' går inte att tolka (t.ex. '0 år', '100+ år').",
            )
        value = _parse_number(r["value_raw"])
        if value is None or value < 0:
            raise _reject(
                path,
                r["row"],
                r["column"],
                f"Värdet '{r['value_raw']}' är inte ett antal; prognosen får inte ha tomma eller "
                "prickade celler ('..') för de år och åldrar som används.",
            )
        year = _parse_number(r["year_raw"] or "")
        if year is None:
            raise _reject(
                path,
                r["row"],
                year_col or r["column"],
                f"Året '{r['year_raw']}' går inte att tolka.",
            )
        m = _REGION.match(r["region"])
        code, name = (m.group(1), m.group(2).strip() or None) if m else (None, r["region"].strip())
        rows.append((code, name, age, int(year), r["gender"].strip().casefold(), value))
    if not rows:
        raise _reject(path, None, None, "Filen innehåller inga rader med befolkningstal.")
    data = pl.DataFrame(
        rows,
        schema={
            **{k: v for k, v in POPULATION_SCHEMA.items() if k != "population"},
            "gender": pl.String(),
            "population": pl.Float64(),
        },
        orient="row",
    )
    if data["gender"].is_in(list(_TOTAL_GENDER)).any():
        data = data.filter(pl.col("gender").is_in(list(_TOTAL_GENDER)))
    return (
        data.group_by("region_code", "region_name", "age", "year")
        .agg(pl.col("population").sum())
        .sort("region_code", "year", "age")
        .select(list(POPULATION_SCHEMA))
    )


STAFF_HEADERS: dict[str, str] = {
    "yrke": "occupation",
    "enhet_id": "unit_id",
    "kon": "gender",
    "kön": "gender",
    "alder": "age",
    "ålder": "age",
    "sysselsattningsgrad": "rate",
    "sysselsättningsgrad": "rate",
    "manadslon": "monthly_pay",
    "månadslön": "monthly_pay",
}


def read_staff_file(path: str | Path) -> pl.DataFrame:
    """A staff list for a standalone projection, as ``STOCK_SCHEMA`` rows."""
    path = Path(path)
    text = _decode(path.read_bytes())
    first = text.splitlines()[0] if text else ""
    sep = max((";", "\t", ","), key=first.count)
    raw = pl.read_csv(io.StringIO(text), separator=sep, infer_schema_length=0)
    renamed = raw.rename(
        {c: STAFF_HEADERS[_norm(c)] for c in raw.columns if _norm(c) in STAFF_HEADERS}
    )
    for col in ("rate", "monthly_pay", "age"):
        if col in renamed.columns:
            renamed = renamed.with_columns(
                pl.col(col)
                .str.replace_all(r"[\s\u00a0]", "")
                .str.replace(",", ".")
                .cast(pl.Float64, strict=False)
            )
    if "age" in renamed.columns:
        renamed = renamed.with_columns(pl.col("age").cast(pl.Int64))
    return normalise_stock(renamed, source=f"filen {path.name}")
