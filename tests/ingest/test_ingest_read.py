"""Good-path imports: the formats HR staff actually export, and every shipped profile."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from hallbar.core import schema
from hallbar.ingest import ImportRequest, IngestResult, builtin_profiles, read_export
from hallbar.privacy.pseudonym import pseudonymise

KEY = bytes(range(32))
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "import"
Run = Callable[..., IngestResult]
# Tests that replace anstallningar.csv drop the base files that refer to its employments.
WITHOUT_DEPENDANTS: dict[str, str | bytes | None] = {
    "franvaro.csv": None,
    "arbetstid.csv": None,
    "lonedelar.csv": None,
}


def _ok(result: IngestResult) -> None:
    assert result.errors == [], "\n".join(str(p) for p in result.errors)
    assert result.ok and result.data is not None


def _employments(result: IngestResult) -> pl.DataFrame:
    _ok(result)
    assert result.data is not None
    return result.data.employments.sort("employment_id")


def test_examples_import_cleanly_with_canonical_dtypes() -> None:
    result = read_export(ImportRequest(EXAMPLES, "1280", "Exempelkommun", date(2025, 11, 1), KEY))
    _ok(result)
    assert result.problems == []
    assert result.data is not None
    # One example file per import table, all read.
    assert set(result.files) == {t.name for t in schema.IMPORT_TABLES}
    assert result.row_counts == {
        "units": 5,
        "employments": 9,
        "absences": 4,
        "working_time": 4,
        "pay_components": 4,
        "agency_staff": 2,
    }
    for name, frame in result.data.frames().items():
        assert frame.schema == pl.Schema(schema.TABLES_BY_NAME[name].polars_schema), name
        assert frame["org_id"].to_list() == ["1280"] * frame.height
    org = result.data.organisations.row(0, named=True)
    assert org == {"org_id": "1280", "name": "Exempelkommun", "kind": "kommun"}


def test_no_raw_personnummer_survives_and_persons_are_derived() -> None:
    result = read_export(ImportRequest(EXAMPLES, "1280", "Exempelkommun", date(2025, 11, 1), KEY))
    assert result.data is not None
    raw_numbers = set()
    for path in EXAMPLES.glob("*.csv"):
        for pnr in re.findall(r"\b(\d{8})-(\d{4})\b", path.read_text(encoding="utf-8")):
            raw_numbers |= {f"{pnr[0]}-{pnr[1]}", pnr[0] + pnr[1], f"{pnr[0][2:]}-{pnr[1]}"}
    assert len(raw_numbers) == 27  # nine people, three spellings each
    for name, frame in result.data.frames().items():
        for col, dtype in frame.schema.items():
            if dtype == pl.String:
                assert not set(frame[col].drop_nulls()) & raw_numbers, (name, col)
    assert result.data.persons["person_id"].str.contains(r"^[0-9a-f]{20}$").all()
    persons = result.data.persons
    # Nine employments of nine different people; unit managers are among them.
    assert persons.height == 9
    pid = pseudonymise("198001010027", KEY)
    row = persons.filter(pl.col("person_id") == pid).row(0, named=True)
    # 19800101-0027: born 1980-01-01, second-last digit 2 (even) -> K.
    assert (row["birth_date"], row["gender"]) == (date(1980, 1, 1), "K")
    pid_man = pseudonymise("197503151230", KEY)
    row = persons.filter(pl.col("person_id") == pid_man).row(0, named=True)
    # 19750315-1230: second-last digit 3 (odd) -> M.
    assert (row["birth_date"], row["gender"]) == (date(1975, 3, 15), "M")
    # The same person gets the same pseudonym in absences and employments,
    # and a manager's pseudonym in units matches the employment's.
    absences = result.data.absences
    assert pid in absences["person_id"].to_list()
    units = result.data.units
    assert units.filter(pl.col("unit_id") == "111")["manager_person_id"][0] == pid_man


def test_other_key_gives_other_pseudonyms() -> None:
    first = read_export(ImportRequest(EXAMPLES, "1280", "E", date(2025, 11, 1), KEY))
    again = read_export(ImportRequest(EXAMPLES, "1280", "E", date(2025, 11, 1), KEY))
    other = read_export(ImportRequest(EXAMPLES, "1280", "E", date(2025, 11, 1), b"z" * 32))
    assert first.data is not None and again.data is not None and other.data is not None
    ids = set(first.data.persons["person_id"])
    assert ids == set(again.data.persons["person_id"])
    assert ids.isdisjoint(set(other.data.persons["person_id"]))


def test_cp1252_semicolon_decimal_comma(run_import: Run) -> None:
    text = (
        "Anställnings_id;Personnummer;Enhet_id;Anställningsform;Sysselsättningsgrad;"
        "Månadslön;Startdatum;Slutdatum;Chefsansvar;Befattning\n"
        "A1;19630820-8906;100;Tillsvidare;100;50\xa0000;2015-03-01;;ja;Kommundirektör\n"
        "A2;19651122-3452;110;TILLSVIDARE;87,5;31 200,50;20180815;;nej;Undersköterska\n"
    )
    result = run_import({"anstallningar.csv": text.encode("cp1252"), **WITHOUT_DEPENDANTS})
    emp = _employments(result)
    assert emp["rate"].to_list() == [100.0, 87.5]
    assert emp["monthly_pay"].to_list() == [50000.0, 31200.5]
    assert emp["start_date"].to_list() == [date(2015, 3, 1), date(2018, 8, 15)]
    assert emp["title"].to_list() == ["Kommundirektör", "Undersköterska"]
    assert emp["employment_form"].to_list() == ["tillsvidare", "tillsvidare"]


def test_utf8_bom_tab_separated_with_thin_spaces_and_folded_headers(run_import: Run) -> None:
    text = (
        "\ufeffANSTALLNINGS_ID\tpersonnummer\tEnhet_ID\tAnstallningsform\tSYSSELSÄTTNINGSGRAD\t"
        "manadslon\tstartdatum\tslutdatum\tchefsansvar\n"
        "A1\t19630820-8906\t100\tvisstid\t50 %\t1\u2009234,5\t2015-03-01 00:00:00\t2025-01-31\tJ\n"
        "A2\t19651122-3452\t110\ttimavlönad\t0\t1.234,5\t2018-08-15\t\tx\n"
        "A3\t19800101-0027\t111\tTimavlonad\t100\t1,234.5\t2024-06-01\t\t\n"
    )
    emp = _employments(
        run_import({"anstallningar.csv": text.encode("utf-8"), **WITHOUT_DEPENDANTS})
    )
    assert emp["rate"].to_list() == [50.0, 0.0, 100.0]
    assert emp["monthly_pay"].to_list() == [1234.5, 1234.5, 1234.5]
    assert emp["end_date"].to_list() == [date(2025, 1, 31), None, None]
    assert emp["is_manager"].to_list() == [True, True, False]
    assert emp["employment_form"].to_list() == ["visstid", "timavlönad", "timavlönad"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("ja", True),
        ("J", True),
        ("1", True),
        ("x", True),
        ("sant", True),
        ("TRUE", True),
        ("nej", False),
        ("n", False),
        ("0", False),
        ("", False),
        ("falskt", False),
        ("false", False),
    ],
)
def test_boolean_forms(run_import: Run, cell: str, expected: bool) -> None:
    text = (
        "anstallnings_id,personnummer,enhet_id,anstallningsform,sysselsattningsgrad,"
        f"startdatum,chefsansvar\nA1,19630820-8906,100,tillsvidare,100,2015-03-01,{cell}\n"
    )
    emp = _employments(run_import({"anstallningar.csv": text, **WITHOUT_DEPENDANTS}))
    assert emp["is_manager"].to_list() == [expected]


def test_month_forms(run_import: Run) -> None:
    text = (
        "anstallnings_id,manad,ordinarie_timmar\n"
        "A3,2025-01,100\nA3,202502,100\nA3,2025-03-01,100\nA3,20250415,100\n"
    )
    result = run_import({"arbetstid.csv": text})
    _ok(result)
    assert result.data is not None
    assert result.data.working_time["month"].to_list() == [
        date(2025, 1, 1),
        date(2025, 2, 1),
        date(2025, 3, 1),
        date(2025, 4, 1),
    ]


def _xlsx_employments(extra_sheet: bool) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    if extra_sheet:
        book.add_worksheet("Parametrar").write(0, 0, "Uttag 2025-11-01")
    sheet = book.add_worksheet("Anställningar")
    datefmt = book.add_format({"num_format": "yyyy-mm-dd"})
    header = [
        "Anställnings-id",
        "Personnummer",
        "Enhet-id",
        "Anställningsform",
        "Sysselsättningsgrad",
        "Månadslön",
        "Startdatum",
        "Slutdatum",
        "Chefsansvar",
    ]
    rows = [
        ["A1", 196308208906, 100, "tillsvidare", 100, 50000, date(2015, 3, 1), None, "ja"],
        [
            "A2",
            "19651122-3452",
            "110",
            "visstid",
            37.5,
            31200.5,
            date(2018, 8, 15),
            date(2025, 12, 31),
            "nej",
        ],
    ]
    sheet.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(r, c, datetime.combine(value, time()), datefmt)
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    return buf.getvalue()


def test_xlsx_with_typed_cells_and_extra_sheet(run_import: Run) -> None:
    result = run_import(
        {
            "anstallningar.csv": None,
            "anstallningar.xlsx": _xlsx_employments(extra_sheet=True),
            **WITHOUT_DEPENDANTS,
        }
    )
    emp = _employments(result)
    assert emp["unit_id"].to_list() == ["100", "110"]
    assert emp["rate"].to_list() == [100.0, 37.5]
    assert emp["monthly_pay"].to_list() == [50000.0, 31200.5]
    assert emp["start_date"].to_list() == [date(2015, 3, 1), date(2018, 8, 15)]
    assert emp["end_date"].to_list() == [None, date(2025, 12, 31)]
    assert emp["person_id"][0] == pseudonymise("196308208906", KEY)
    assert [p.message for p in result.warnings] == [
        "Bladet 'Anställningar' läses; övriga blad ignoreras (Parametrar)."
    ]
    assert result.files["employments"] == "anstallningar.xlsx"


FORKORTAD = {
    "Org_export.csv": (
        "Org.enhet;Överordn.enhet;Org.enhet namn;Chef pnr;Namn\n"
        "100;;Kommunen;19630820-8906;Anna Andersson\n"
        "111;100;Hemtjänst;;\n"
    ),
    "Anst_export.csv": (
        "Anst.nr;Pnr;Org.enhet;Anst.form;Syss.grad;Månadslön;Fr.o.m;T.o.m;Chef\n"
        "1;19630820-8906;100;TV;100;50 000;2015-03-01;;J\n"
        "2;19800101-0027;111;Visstid;75;30 000;2024-06-01;2025-05-31;N\n"
        "3;121212-1212;111;Tim;0;;2025-01-07;;N\n"
    ),
    "Frv_export.csv": (
        "Pnr;Frånvaroorsak;Fr.o.m;T.o.m;Omf\n"
        "19800101-0027;SJK;2025-02-03;2025-02-07;100\n"
        "19800101-0027;FLED;2025-03-01;2025-03-31;50\n"
    ),
    "Arbtid_export.csv": "Anst.nr;Period;Ord.tim;Öt.tim\n2;202501;124,5;2\n",
}

ENGELSKA = {
    "org_units.csv": (
        "Org Unit ID,Parent Unit ID,Org Unit Name,Manager SSN\n100,,Kommunen,19630820-8906\n"
        "111,100,Hemtjänst,\n"
    ),
    "employees.csv": (
        "Assignment ID,National ID,Org Unit ID,Employment Type,FTE %,Monthly Salary,"
        "Start Date,End Date,Is Manager\n"
        "1,19630820-8906,100,Permanent,100,50000,01.03.2015,,yes\n"
        "2,19800101-0027,111,Temporary,75,30000,01.06.2024,31.05.2025,no\n"
        "3,121212-1212,111,Hourly,0,,2025-01-07,,no\n"
    ),
    "absence.csv": (
        "National ID,Absence Type,From Date,To Date,Percent\n"
        "19800101-0027,SICK,03.02.2025,07.02.2025,100\n"
        "19800101-0027,PARENTAL,2025-03-01,2025-03-31,50\n"
    ),
    "working_time.csv": "Assignment ID,Period,Scheduled Hours,Overtime Hours\n2,2025-01,124.5,2\n",
}


@pytest.mark.parametrize(("profile", "files"), [("forkortad", FORKORTAD), ("engelska", ENGELSKA)])
def test_shipped_layout_profiles(run_import: Run, profile: str, files: dict[str, str]) -> None:
    result = run_import(files, base=False, profile=profile)
    emp = _employments(result)
    assert emp["employment_form"].to_list() == ["tillsvidare", "visstid", "timavlönad"]
    assert emp["start_date"].to_list() == [
        date(2015, 3, 1),
        date(2024, 6, 1),
        date(2025, 1, 7),
    ]
    assert emp["end_date"].to_list() == [None, date(2025, 5, 31), None]
    assert emp["is_manager"].to_list() == [True, False, False]
    assert result.data is not None
    absences = result.data.absences.sort("from_date")
    assert absences["cause"].to_list() == ["sjuk", "föräldraledig"]
    assert absences["from_date"].to_list() == [date(2025, 2, 3), date(2025, 3, 1)]
    assert result.data.working_time["scheduled_hours"].to_list() == [124.5]
    assert result.data.working_time["month"].to_list() == [date(2025, 1, 1)]
    assert result.data.persons.height == 3


def test_generic_profile_lists_and_all_builtins_load() -> None:
    assert {"generic", "forkortad", "engelska"} <= set(builtin_profiles())


def test_explicit_file_list_and_region_kind(tmp_path: Path) -> None:
    files = tuple(sorted(EXAMPLES.glob("*.csv")))
    req = ImportRequest(
        tmp_path / "unused", "14", "Region Exempel", date(2025, 11, 1), KEY, files=files
    )
    result = read_export(req)
    _ok(result)
    assert result.data is not None
    assert result.data.organisations["kind"].to_list() == ["region"]
    req2 = ImportRequest(EXAMPLES, "9001", "Förbundet", date(2025, 11, 1), KEY, org_kind="förbund")
    data2 = read_export(req2).data
    assert data2 is not None
    assert data2.organisations["kind"].to_list() == ["förbund"]


def test_progress_is_reported_and_ends_complete() -> None:
    seen: list[tuple[str, int, int]] = []
    read_export(
        ImportRequest(EXAMPLES, "1280", "E", date(2025, 11, 1), KEY),
        progress=lambda text, done, total: seen.append((text, done, total)),
    )
    assert seen[0][0] == "Läser enheter.csv"
    assert seen[-1][1] == seen[-1][2]
    assert [d for _, d, _ in seen] == sorted(d for _, d, _ in seen)


def test_missing_optional_files_give_empty_frames(run_import: Run) -> None:
    result = run_import(
        {
            "franvaro.csv": None,
            "arbetstid.csv": None,
            "lonedelar.csv": None,
            "inhyrd_personal.csv": None,
        }
    )
    _ok(result)
    assert result.data is not None
    assert result.data.absences.height == 0
    assert result.data.absences.schema == pl.Schema(schema.ABSENCES.polars_schema)
    assert set(result.files) == {"units", "employments"}


def test_ten_digit_number_that_lost_its_leading_zero_in_excel(run_import: Run) -> None:
    # 050505-123?: Luhn of 050505123: 0, 5, 0, 5, 0, 5, 1*2=2, 2, 3*2=6 -> 25 -> 5.
    # Excel stores 0505051235 as the number 505051235 (nine digits).
    text = (
        "anstallnings_id,personnummer,enhet_id,anstallningsform,sysselsattningsgrad,"
        "startdatum,chefsansvar\nA1,505051235,100,visstid,50,2024-06-01,nej\n"
    )
    result = run_import({"anstallningar.csv": text, **WITHOUT_DEPENDANTS})
    emp = _employments(result)
    assert emp["person_id"][0] == pseudonymise("200505051235", KEY)
    assert result.data is not None
    persons = result.data.persons.filter(pl.col("person_id") == emp["person_id"][0])
    assert persons["birth_date"].to_list() == [date(2005, 5, 5)]
