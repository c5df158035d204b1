"""Replace personnummer columns by keyed pseudonyms and derive the persons table.

Work is done once per distinct personnummer (tens of thousands), not per row
(millions), and joined back with a vectorised replace. The raw numbers exist
only inside this function's local variables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from hallbar.core.errors import ProblemList
from hallbar.ingest.problems import ROW_COLUMN, report_rows
from hallbar.privacy.pseudonym import (
    InvalidPersonnummer,
    birth_date_and_gender,
    normalise_personnummer,
    pseudonymise,
)


@dataclass
class PnrColumn:
    """One personnummer column of one parsed table."""

    table: str
    column: str  # canonical column name
    file: str
    header: str  # header as in the file
    defines_persons: bool  # persons are taken from employments and unit managers


def pseudonymise_frames(
    frames: dict[str, pl.DataFrame],
    columns: list[PnrColumn],
    as_of: date,
    key: bytes,
    problems: ProblemList,
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """Return frames with pseudonyms in the personnummer columns, and the persons frame."""
    raw_values: set[str] = set()
    for spec in columns:
        series = frames[spec.table][spec.column]
        raw_values.update(v for v in series.unique().to_list() if v is not None)
    pseudonym: dict[str, str] = {}
    reason: dict[str, str] = {}
    person_rows: dict[str, tuple[date, str]] = {}
    for raw in raw_values:
        # Excel turns 0012121212 (born 2000-2009, 10 digits) into the number 12121212xx
        # with nine digits; a nine-digit number can only be that.
        text = "0" + raw if len(raw) == 9 and raw.isdigit() else raw
        try:
            pnr12 = normalise_personnummer(text, as_of)
        except InvalidPersonnummer as err:
            reason[raw] = str(err)
            continue
        pid = pseudonymise(pnr12, key)
        pseudonym[raw] = pid
        person_rows[pid] = birth_date_and_gender(pnr12)
    out = dict(frames)
    defining: set[str] = set()
    for spec in columns:
        frame = out[spec.table]
        col = pl.col(spec.column)
        if reason:
            bad = frame.filter(col.is_in(list(reason))).select(
                ROW_COLUMN, col.replace_strict(reason, default="").alias("reason")
            )
            report_rows(
                problems,
                spec.file,
                bad,
                spec.header,
                lambda r: (
                    f"Ogiltigt personnummer ({r['reason']}). Kontrollera numret i HR-systemet "
                    "och skriv det med 10 eller 12 siffror, t.ex. ÅÅÅÅMMDD-NNNN."
                ),
            )
        mapped = col.replace_strict(pseudonym, default=None, return_dtype=pl.String)
        out[spec.table] = frame.with_columns(mapped.alias(spec.column))
        if spec.defines_persons:
            defining.update(v for v in out[spec.table][spec.column].unique().to_list() if v)
    ids = sorted(defining)
    persons = pl.DataFrame(
        {
            "person_id": ids,
            "birth_date": [person_rows[i][0] for i in ids],
            "gender": [person_rows[i][1] for i in ids],
        },
        schema={"person_id": pl.String, "birth_date": pl.Date, "gender": pl.String},
    )
    return out, persons
