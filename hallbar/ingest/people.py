"""Replace personnummer columns by keyed pseudonyms and derive the persons table.

Work is done once per distinct personnummer (millions at national scale), not per
row, as Polars expressions (``pseudonymise_many``), and joined back with a
vectorised replace. The raw numbers exist
only inside this function's local variables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from hallbar.core.errors import ProblemList
from hallbar.ingest.problems import ROW_COLUMN, report_rows
from hallbar.privacy.pseudonym import pseudonymise_many


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
    """Return frames with pseudonyms in the personnummer columns, and the persons frame.

    ``frames`` is changed in place (and returned): each frame is replaced as soon as its
    column has pseudonyms, so a caller that hands its frames over holds no raw column.
    """
    raw = pl.concat(
        [frames[spec.table][spec.column].drop_nulls().unique() for spec in columns]
        or [pl.Series([], dtype=pl.String)]
    ).unique()
    # Excel turns 0012121212 (born 2000-2009, 10 digits) into the number 12121212xx
    # with nine digits; a nine-digit number can only be that.
    nine = pl.col("raw").str.contains(r"^[0-9]{9}$")
    texts = (
        raw.alias("raw")
        .to_frame()
        .with_columns(
            pl.when(nine).then(pl.concat_str(pl.lit("0"), "raw")).otherwise("raw").alias("text")
        )
    )
    found = texts.join(pseudonymise_many(texts["text"], as_of, key), on="text", how="left")
    del texts
    valid = found.filter(pl.col("pseudonym").is_not_null()).select(
        "raw", "pseudonym", "birth_date", "gender"
    )
    invalid = found.filter(pl.col("reason").is_not_null()).select("raw", "reason")
    del found
    out = frames
    defining: list[pl.Series] = []
    for spec in columns:
        frame = out[spec.table]
        col = pl.col(spec.column)
        if invalid.height:
            bad = frame.filter(col.is_in(invalid["raw"].implode())).select(
                ROW_COLUMN,
                col.replace_strict(invalid["raw"], invalid["reason"], default="").alias("reason"),
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
        mapped = col.replace_strict(
            valid["raw"], valid["pseudonym"], default=None, return_dtype=pl.String
        )
        out[spec.table] = frame.with_columns(mapped.alias(spec.column))
        del frame
        if spec.defines_persons:
            defining.append(out[spec.table][spec.column].drop_nulls().unique())
    ids = pl.concat(defining or [pl.Series([], dtype=pl.String)]).unique().alias("person_id")
    persons = (
        ids.to_frame()
        .join(
            valid.select(pl.col("pseudonym").alias("person_id"), "birth_date", "gender").unique(
                "person_id"
            ),
            on="person_id",
            how="left",
        )
        .sort("person_id")
        .select(
            pl.col("person_id").cast(pl.String),
            pl.col("birth_date").cast(pl.Date),
            pl.col("gender").cast(pl.String),
        )
    )
    return out, persons
