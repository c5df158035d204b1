"""No personnummer by the back door: numbers inside ids are pseudonymised, never kept raw."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl

from hallbar.ingest import IngestResult, write_validation_report
from hallbar.ingest.embedded import replace_embedded
from hallbar.privacy.pseudonym import pseudonymise

KEY = bytes(range(32))  # the run_import fixture's key and export date
AS_OF = date(2025, 11, 1)
BASE_FILES = {
    p.name: p.read_text(encoding="utf-8")
    for p in sorted((Path(__file__).parent / "corpus" / "base").glob("*.csv"))
}

# 19920517-1136, the example: Luhn over 920517113 with weights 2,1,2,...:
# 9*2=18->9, 2, 0, 5, 1*2=2, 7, 1*2=2, 1, 3*2=6 -> 34 -> check (10 - 4) % 10 = 6.
PNR = "19920517-1136"
DIGITS = ("199205171136", "9205171136", "920517-1136")
EMPLOYMENT_ID = "199205171136-01"
UNIT_ID = "19920517-1136"  # a unit numbered by its manager's personnummer


def test_replace_keeps_the_rest_and_uses_the_person_key() -> None:
    pseudonym = pseudonymise("199205171136", KEY)
    texts = [EMPLOYMENT_ID, "P-9205171136", "199205171137-01", "11992051711361", "1000001"]
    # Not a valid number (check digit 7 instead of 6), inside a longer number or none at
    # all: left out (unchanged).
    assert replace_embedded(texts, AS_OF, KEY) == {
        EMPLOYMENT_ID: f"{pseudonym}-01",
        "P-9205171136": f"P-{pseudonym}",
    }
    # Two numbers in one text: both replaced. 121212-1212 is the Tax Agency's test number
    # (Luhn over 121212121 gives 2), born 2012 at AS_OF without "+".
    other = pseudonymise("201212121212", KEY)
    assert replace_embedded(["9205171136/121212-1212"], AS_OF, KEY) == {
        "9205171136/121212-1212": f"{pseudonym}/{other}"
    }


def _export() -> dict[str, str | bytes | None]:
    anst = BASE_FILES["anstallningar.csv"] + (
        f"{EMPLOYMENT_ID},{PNR},{UNIT_ID},tillsvidare,100,41000,2024-01-01,,nej\n"
    )
    units = BASE_FILES["enheter.csv"] + f"{UNIT_ID},110,Kök,{PNR}\n"
    time = BASE_FILES["arbetstid.csv"] + f"{EMPLOYMENT_ID},2025-01,160,0,0\n"
    absence = (
        "personnummer,anstallnings_id,orsak,from_datum,tom_datum,omfattning\n"
        f"{PNR},{EMPLOYMENT_ID},sjuk,2025-02-03,2025-02-04,100\n"
    )
    return {
        "anstallningar.csv": anst,
        "enheter.csv": units,
        "arbetstid.csv": time,
        "franvaro.csv": absence,
    }


def test_personnummer_in_ids_appear_nowhere(
    run_import: Callable[..., IngestResult], tmp_path: Path
) -> None:
    result = run_import(_export())
    assert result.ok and result.data is not None, [str(p) for p in result.errors]
    for name, frame in result.data.frames().items():
        text = frame.select(pl.all().cast(pl.String)).write_csv()
        for digits in DIGITS:
            assert digits not in text, (name, digits)
    for problem in result.problems:
        for digits in DIGITS:
            assert digits not in str(problem)
    for suffix in ("html", "xlsx"):
        report = write_validation_report(result, tmp_path / f"rapport.{suffix}")
        if suffix == "xlsx":
            with zipfile.ZipFile(report) as archive:
                content = "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
        else:
            content = report.read_text(encoding="utf-8")
        for digits in DIGITS:
            assert digits not in content
    # Joins still hold: the pseudonymised employment id is the same in every table, and
    # its first part is the person's pseudonym (one key for both).
    person = pseudonymise("199205171136", KEY)
    employments = result.data.employments.filter(pl.col("person_id") == person)
    assert employments["employment_id"].to_list() == [f"{person}-01"]
    assert employments["unit_id"].to_list() == [person]
    assert result.data.units.filter(pl.col("unit_id") == person)["manager_person_id"].to_list() == [
        person
    ]
    assert f"{person}-01" in result.data.working_time["employment_id"].to_list()
    assert result.data.absences["employment_id"].to_list() == [f"{person}-01"]
