"""Match the headers of an export to the canonical columns of a table."""

from __future__ import annotations

import polars as pl

from hallbar.core import schema
from hallbar.core.errors import ProblemList
from hallbar.ingest.problems import ROW_COLUMN
from hallbar.ingest.profiles import Profile, fold
from hallbar.ingest.readers import RawTable

_ORG_HEADERS = frozenset({"orgid", "organisationsid", "organisation", "kommunkod"})


def map_columns(
    raw: RawTable, table: schema.Table, profile: Profile, problems: ProblemList
) -> tuple[pl.DataFrame, dict[str, str]] | None:
    """Rename the file's columns to canonical names; None if a required column is missing.

    Returns the frame (canonical text columns plus the row number) and, for each
    canonical column, the header as written in the file (for error locations).
    """
    tprof = profile.table(table.name)
    header_of: dict[str, str] = {}
    for header in raw.headers:
        key = fold(header)
        if key in tprof.ignore:
            continue
        if key in profile.name_headers:
            problems.warning(
                raw.file,
                1,
                header,
                "Kolumnen innehåller namn; namn sparas inte och kolumnen läses inte.",
            )
            continue
        column = tprof.headers.get(key)
        if column is None:
            if key in _ORG_HEADERS:
                message = "Organisationen anges när importen startas; kolumnen läses inte."
            else:
                message = (
                    "Okänd kolumn; den läses inte. Ta bort den, byt rubrik eller lägg till "
                    "den i importprofilen."
                )
            problems.warning(raw.file, 1, header, message)
            continue
        if column in header_of:
            problems.error(
                raw.file,
                1,
                header,
                f"Kolumnerna '{header_of[column]}' och '{header}' betyder båda "
                f"'{table.column(column).sv}'. Ta bort den ena.",
            )
            continue
        header_of[column] = header
    missing = [
        c for c in table.columns if c.required and c.name != "org_id" and c.name not in header_of
    ]
    for col in missing:
        problems.error(
            raw.file,
            1,
            col.sv,
            f"Kolumnen '{col.sv}' ({col.sv_text.lower()}) saknas. Lägg till den med rubriken "
            f"'{col.sv}' eller välj den importprofil som passar exporten.",
        )
    if missing:
        return None
    frame = raw.frame.select(ROW_COLUMN, *(pl.col(h).alias(c) for c, h in header_of.items()))
    return frame, header_of
