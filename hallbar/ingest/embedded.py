"""Personnummer hidden inside other columns: no personnummer by the back door.

Some payroll systems build employment ids from the personnummer
("199205171136-01"); a manager column, a unit id or a free-text column can hold
one too. Personnummer columns proper are pseudonymised in ``people``; this
module finds valid personnummer and samordningsnummer inside every other text
column after that:

* identifier columns (ids and codes) keep working as keys: each embedded number
  is replaced by the person's pseudonym under the same key, so the same number
  becomes the same text in every file and joins between files still hold;
* free-text columns (titles, unit names, occupations) are refused with an error,
  because a name-like text with a number in it has no safe replacement.

Messages never repeat the number.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from hallbar.core.errors import ProblemList
from hallbar.ingest.problems import ROW_COLUMN, report_rows
from hallbar.ingest.profiles import CODE_LISTS
from hallbar.ingest.spool import CANDIDATE, Spooled
from hallbar.ingest.validate import Parsed
from hallbar.privacy.pseudonym import pseudonymise_many

# Columns that hold personnummer proper (pseudonymised in ``people``).
PERSONNUMMER_COLUMNS = frozenset({"person_id", "manager_person_id"})
# Text columns used as keys or codes; anything else of type text is free text.
IDENTIFIER_COLUMNS = frozenset(
    {"employment_id", "unit_id", "parent_id", "code", "aid_code", "ssyk"}
)
# 10 or 12 digits with an optional - or + before the last four, not inside a longer number.
_EMBEDDED = re.compile(r"(?<![0-9])([0-9]{8}[-+]?[0-9]{4}|[0-9]{6}[-+]?[0-9]{4})(?![0-9])")


def replace_embedded(texts: list[str], as_of: date, key: bytes) -> dict[str, str]:
    """Each text of ``texts`` that holds a valid personnummer, with every such number in it
    replaced by its pseudonym; texts without one are left out.

    The numbers found are checked and pseudonymised together (``pseudonymise_many``,
    once per distinct number): an id column built from the personnummer has millions.
    """
    numbers = {number for text in texts for number in _EMBEDDED.findall(text)}
    found = pseudonymise_many(pl.Series(sorted(numbers), dtype=pl.String), as_of, key)
    found = found.filter(pl.col("pseudonym").is_not_null())
    pseudonym = dict(zip(found["text"].to_list(), found["pseudonym"].to_list(), strict=True))
    if not pseudonym:
        return {}

    def swap(match: re.Match[str]) -> str:
        return pseudonym.get(match.group(1), match.group(0))

    mapping = {}
    for text in texts:
        # A pseudonym (20 characters) never has the length of a number (10 to 13), so a
        # text changes exactly when it held a valid one.
        replaced = _EMBEDDED.sub(swap, text)
        if replaced != text:
            mapping[text] = replaced
    return mapping


def candidate_columns(table: Parsed | Spooled, dtypes: dict[str, pl.DataType]) -> list[str]:
    """The columns of ``table`` that are searched for embedded personnummer."""
    return [
        column.name
        for column in table.table.columns
        if column.name not in PERSONNUMMER_COLUMNS
        and column.name not in CODE_LISTS
        and column.name in table.header_of
        and dtypes.get(column.name) == pl.String
    ]


def protect_embedded_personnummer(
    tables: dict[str, Parsed | Spooled], as_of: date, key: bytes, problems: ProblemList
) -> None:
    """Pseudonymise (identifiers) or refuse (free text) embedded personnummer, in place.

    A spooled table is not changed on disk: the replacement is added to its
    transforms, applied when the snapshot's file is written.
    """
    for parsed in tables.values():
        if isinstance(parsed, Spooled):
            names = candidate_columns(parsed, dict(parsed.scan().collect_schema()))
        else:
            names = candidate_columns(parsed, dict(parsed.frame.schema))
        for name in names:
            if isinstance(parsed, Spooled):
                candidates = parsed.distinct_candidates(name)
            else:
                candidates = (
                    parsed.frame.select(pl.col(name).drop_nulls().unique())
                    .filter(pl.col(name).str.contains(CANDIDATE))
                    .get_column(name)
                    .to_list()
                )
            mapping = replace_embedded(candidates, as_of, key)
            if not mapping:
                continue
            hit = pl.col(name).is_in(list(mapping))
            if isinstance(parsed, Spooled):
                rows = parsed.scan().filter(hit).select(ROW_COLUMN).collect().sort(ROW_COLUMN)
            else:
                rows = parsed.frame.filter(hit).select(ROW_COLUMN).sort(ROW_COLUMN)
            header = parsed.header(name)
            if name in IDENTIFIER_COLUMNS:
                first = int(rows[ROW_COLUMN][0])
                problems.warning(
                    parsed.file,
                    first,
                    header,
                    f"Kolumnen innehåller personnummer på {rows.height} "
                    f"{'rad' if rows.height == 1 else 'rader'} (den första är "
                    f"rad {first}). Personnumren har ersatts med samma pseudonym som personen "
                    "får, så kopplingarna mellan filerna behålls och inga personnummer sparas. "
                    "Välj gärna ett id utan personnummer i HR-systemets export.",
                )
                replace = pl.col(name).replace(mapping)
            else:
                report_rows(
                    problems,
                    parsed.file,
                    rows,
                    header,
                    "Texten innehåller ett personnummer. Personnummer får bara finnas i "
                    "kolumnen för personnummer; ta bort det ur texten och exportera igen.",
                )
                # The refused text must not reach anything the caller keeps.
                replace = pl.when(hit).then(None).otherwise(pl.col(name)).alias(name)
            if isinstance(parsed, Spooled):
                parsed.transforms.append(replace)
                if name in IDENTIFIER_COLUMNS:
                    parsed.replacements[name] = mapping
            else:
                parsed.frame = parsed.frame.with_columns(replace)
