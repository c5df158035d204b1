"""Vectorised parsing of exported text into canonical dtypes, with located errors.

Each parser turns one text column into a typed column; a cell that had text but
parses to null is an error reported with its row. Accepted forms:

* numbers: ``37,5``, ``37.5``, ``1 234,5`` (space, no-break or thin space as
  thousands separator), ``1.234,5``, ``1,234.5``, a trailing ``%`` or ``kr``;
* dates: ``2025-01-31``, ``20250131``, ``2025-01-31 00:00:00`` (and the date
  cells of an XLSX file); forms such as ``31/1/2025`` are ambiguous and refused
  unless the profile names a date format;
* months: ``2025-01``, ``202501`` or a date in the month;
* booleans: ja/nej, j/n, 1/0, x/blank, sant/falskt, true/false.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from hallbar.core import schema
from hallbar.core.errors import ProblemList
from hallbar.ingest.problems import ROW_COLUMN, report_rows
from hallbar.ingest.profiles import CODE_LISTS, TableProfile

MONTH_COLUMNS = frozenset({"month"})
TRUE_WORDS = ("ja", "j", "1", "10", "x", "sant", "true", "yes", "y", "s", "t")
FALSE_WORDS = ("nej", "n", "0", "00", "falskt", "false", "no", "f", "-")
_NUMBER = r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"
_EXCEL_EPOCH = date(1899, 12, 30)
DATE_HINT = "Skriv datum som ÅÅÅÅ-MM-DD (t.ex. 2025-01-31) eller ÅÅÅÅMMDD."
MONTH_HINT = "Skriv månaden som ÅÅÅÅ-MM (t.ex. 2025-01) eller ÅÅÅÅMM."


def fold_expr(expr: pl.Expr) -> pl.Expr:
    """Polars twin of ``profiles.fold``: lower case, å/ä/ö folded, only a–z and 0–9."""
    text = expr.str.to_lowercase()
    for chars, plain in (("[åäæ]", "a"), ("[öø]", "o"), ("é", "e"), ("ü", "u")):
        text = text.str.replace_all(chars, plain)
    return text.str.replace_all(r"[^a-z0-9]", "")


def number_expr(expr: pl.Expr) -> pl.Expr:
    """Text with Swedish or English number formatting to Float64 (null if not a number)."""
    s = (
        expr.str.replace_all(r"[\s\u00a0\u202f\u2009%]", "")
        .str.replace_all("\u2212", "-", literal=True)
        .str.replace(r"(?i)(kr|sek|:-)$", "")
    )
    s = (
        pl.when(s.str.contains(r"^[-+]?\d{1,3}(\.\d{3})+(,\d*)?$"))
        .then(s.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(s.str.contains(r"^[-+]?\d{1,3}(,\d{3})+\.\d*$"))
        .then(s.str.replace_all(",", "", literal=True))
        .otherwise(s.str.replace(",", ".", literal=True))
    )
    return pl.when(s.str.contains(_NUMBER)).then(s.cast(pl.Float64, strict=False))


def date_expr(expr: pl.Expr, formats: tuple[str, ...], from_excel: bool) -> pl.Expr:
    """Text to Date: ISO date (optionally with a time), compact ÅÅÅÅMMDD, profile formats."""
    iso = expr.str.contains(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
    compact = expr.str.contains(r"^\d{8}$")
    text = (
        pl.when(iso)
        .then(expr.str.slice(0, 10))
        .when(compact)
        .then(
            pl.concat_str(
                expr.str.slice(0, 4),
                pl.lit("-"),
                expr.str.slice(4, 2),
                pl.lit("-"),
                expr.str.slice(6, 2),
            )
        )
    )
    parsed = text.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    candidates = [parsed]
    if from_excel:
        serial = pl.when(expr.str.contains(r"^\d{5}(\.0+)?$")).then(
            pl.lit(_EXCEL_EPOCH)
            + pl.duration(days=expr.str.extract(r"^(\d{5})", 1).cast(pl.Int64, strict=False))
        )
        candidates.append(serial.cast(pl.Date))
    candidates += [expr.str.strptime(pl.Date, fmt, strict=False) for fmt in formats]
    result = pl.coalesce(candidates) if len(candidates) > 1 else parsed
    year = result.dt.year()
    return pl.when((year >= 1900) & (year <= 2100)).then(result)


def month_expr(expr: pl.Expr, formats: tuple[str, ...], from_excel: bool) -> pl.Expr:
    """Text to the first day of the month: ÅÅÅÅ-MM, ÅÅÅÅMM or any accepted date."""
    month_text = (
        pl.when(expr.str.contains(r"^\d{4}-\d{2}$"))
        .then(pl.concat_str(expr, pl.lit("-01")))
        .when(expr.str.contains(r"^\d{6}$"))
        .then(pl.concat_str(expr.str.slice(0, 4), pl.lit("-"), expr.str.slice(4, 2), pl.lit("-01")))
    )
    as_month = month_text.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    as_date = date_expr(expr, formats, from_excel).dt.truncate("1mo")
    result = pl.coalesce(as_month, as_date)
    year = result.dt.year()
    return pl.when((year >= 1900) & (year <= 2100)).then(result)


def bool_expr(expr: pl.Expr) -> pl.Expr:
    """ja/nej-style text to Boolean; blank is False (a cross marks yes)."""
    folded = fold_expr(expr)
    return (
        pl.when(expr.is_null())
        .then(pl.lit(False))
        .when(folded.is_in(TRUE_WORDS))
        .then(pl.lit(True))
        .when(folded.is_in(FALSE_WORDS))
        .then(pl.lit(False))
    )


def _bad_date_message(value: str, hint: str) -> str:
    import re

    if re.match(r"^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}", value):
        return f"Datumet '{value}' är tvetydigt: dag och månad kan förväxlas. {hint}"
    return f"'{value}' är inte ett giltigt datum. {hint}"


def _parser(
    name: str, dtype: pl.DataType, profile: TableProfile, from_excel: bool
) -> pl.Expr | None:
    """The parsing expression for one column, applied to a column named "text"."""
    src = pl.col("text")
    if name in CODE_LISTS:
        mapping = profile.values.get(name, {})
        return fold_expr(src).replace_strict(
            list(mapping), list(mapping.values()), default=None, return_dtype=pl.String
        )
    if dtype == pl.Float64:
        # 1e999 parses to infinity, which no export can mean (and which nulls regressions).
        number = number_expr(src)
        return pl.when(number.is_finite()).then(number)
    if dtype == pl.Int64:
        number = number_expr(src)
        return pl.when(number == number.round(0)).then(number.cast(pl.Int64, strict=False))
    if dtype == pl.Date and name in MONTH_COLUMNS:
        return month_expr(src, profile.date_formats, from_excel)
    if dtype == pl.Date:
        return date_expr(src, profile.date_formats, from_excel)
    if dtype == pl.Boolean:
        return bool_expr(src)
    return None


def parse_table(
    raw: pl.DataFrame,
    table: schema.Table,
    profile: TableProfile,
    header_of: dict[str, str],
    file: str,
    from_excel: bool,
    problems: ProblemList,
) -> pl.DataFrame:
    """Parse every canonical column of ``raw`` (text, canonical names) into its dtype.

    Exports repeat values a lot (36 months, a few hundred distinct hour values
    in 1.5 million rows), so each parser runs over the distinct texts of a
    column and the result is mapped back; that is many times faster than
    running the regular expressions on every row.
    """
    parsed_cols: list[pl.Expr] = []
    for col in table.columns:
        if col.name not in raw.columns:
            continue
        dtype = table.polars_schema[col.name]
        expr = _parser(col.name, dtype, profile, from_excel)
        if expr is None:
            continue
        distinct = raw.select(pl.col(col.name).drop_nulls().unique().alias("text"))
        lookup = distinct.select("text", expr.alias("value"))
        mapped = pl.col(col.name).replace_strict(
            lookup["text"], lookup["value"], default=None, return_dtype=dtype
        )
        if dtype == pl.Boolean:  # a blank cell means no (x/blank convention)
            mapped = pl.when(pl.col(col.name).is_null()).then(pl.lit(False)).otherwise(mapped)
        parsed_cols.append(mapped.alias(f"__{col.name}"))
    frame = raw.with_columns(parsed_cols)
    for col in table.columns:
        if f"__{col.name}" not in frame.columns:
            continue
        _report_unparsed(frame, table, col, profile, header_of[col.name], file, problems)
    replace = {c: pl.col(f"__{c}").alias(c) for c in raw.columns if f"__{c}" in frame.columns}
    frame = frame.with_columns(replace.values()).drop([f"__{c}" for c in replace])
    if "end_reason" in replace:
        frame = frame.with_columns(
            pl.when(pl.col("end_reason").is_null() & raw["end_reason"].is_not_null())
            .then(pl.lit("övrigt"))
            .otherwise(pl.col("end_reason"))
            .alias("end_reason")
        )
    return frame


def _report_unparsed(
    frame: pl.DataFrame,
    table: schema.Table,
    col: schema.Column,
    profile: TableProfile,
    header: str,
    file: str,
    problems: ProblemList,
) -> None:
    bad = frame.filter(pl.col(col.name).is_not_null() & pl.col(f"__{col.name}").is_null())
    bad = bad.select(ROW_COLUMN, pl.col(col.name).alias("value"))
    dtype = table.polars_schema[col.name]
    if col.name in CODE_LISTS:
        allowed = ", ".join(CODE_LISTS[col.name])
        if col.name == "end_reason":
            report_rows(
                problems,
                file,
                bad,
                header,
                lambda r: (
                    f"Okänd avgångsorsak '{r['value']}' sparas som 'övrigt'. "
                    f"Kända orsaker: {allowed}."
                ),
                severity="varning",
            )
            return
        report_rows(
            problems,
            file,
            bad,
            header,
            lambda r: (
                f"Okänt värde '{r['value']}'. Tillåtna värden: {allowed}; "
                "eller lägg till en översättning under [values] i importprofilen."
            ),
        )
    elif dtype in (pl.Float64, pl.Int64):
        hint = (
            "är inte ett heltal. Skriv t.ex. 2."
            if dtype == pl.Int64
            else "är inte ett tal. Skriv t.ex. 37,5 eller 1 234,5."
        )
        bad = bad.with_columns(
            number_expr(pl.col("value")).is_finite().not_().fill_null(False).alias("_infinite")
        )
        report_rows(
            problems,
            file,
            bad,
            header,
            lambda r: (
                f"'{r['value']}' är inte ett ändligt tal (för stort eller oändligt). "
                "Rätta värdet i filen."
                if r["_infinite"]
                else f"'{r['value']}' {hint}"
            ),
        )
    elif dtype == pl.Date:
        hint = MONTH_HINT if col.name in MONTH_COLUMNS else DATE_HINT
        report_rows(problems, file, bad, header, lambda r: _bad_date_message(str(r["value"]), hint))
    elif dtype == pl.Boolean:
        report_rows(
            problems,
            file,
            bad,
            header,
            lambda r: f"'{r['value']}' är inte ja eller nej. Skriv ja/nej, j/n, 1/0 eller x/tomt.",
        )
