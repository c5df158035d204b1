"""The bad-input corpus: each case breaks the valid base export in one way.

For every case the import must return no data (nothing can be stored) and
report the expected Swedish message at the expected file, row and column.
Warning-only cases at the end must still import.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from polars.testing import assert_frame_equal

from hallbar.ingest import IngestResult
from hallbar.ingest.plausibility import PayBand, PlausibilityLimits
from hallbar.ingest.xlsx_guard import XlsxLimits

# The valid base export (the same files the run_import fixture writes). Rows:
# enheter 2-4 = units 100, 110, 111; anstallningar 2-5 = A1..A4; franvaro 2-3 =
# two sick spells of 19800101-0027; arbetstid 2-3 = A3 in 2025-01 and 2025-02.
BASE_FILES = {
    p.name: p.read_text(encoding="utf-8")
    for p in sorted((Path(__file__).parent / "base").glob("*.csv"))
}

ANST = BASE_FILES["anstallningar.csv"]
ENH = BASE_FILES["enheter.csv"]
FRV = BASE_FILES["franvaro.csv"]
TID = BASE_FILES["arbetstid.csv"]


def swap(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    book.close()
    return buf.getvalue()


def csv_rows(text: str) -> list[list[Any]]:
    return [line.split(",") for line in text.strip().split("\n")]


@dataclass
class Case:
    id: str
    files: dict[str, str | bytes | None]
    file: str
    row: int | None
    column: str | None
    message: str  # a key part of the Swedish message
    severity: str = "fel"
    kwargs: dict[str, object] = field(default_factory=dict)


CASES: list[Case] = [
    # --- personnummer -----------------------------------------------------------
    Case(
        "pnr_check_digit",
        {"anstallningar.csv": swap(ANST, "A3,19800101-0027", "A3,19800101-0028")},
        "anstallningar.csv",
        4,
        "personnummer",
        "Ogiltigt personnummer (kontrollsiffran stämmer inte)",
    ),
    Case(
        "pnr_bad_date",
        {"anstallningar.csv": swap(ANST, "A3,19800101-0027", "A3,19801301-0027")},
        "anstallningar.csv",
        4,
        "personnummer",
        "Ogiltigt personnummer (datumdelen är inte ett giltigt datum)",
    ),
    Case(
        "pnr_too_short",
        {"anstallningar.csv": swap(ANST, "A3,19800101-0027", "A3,800101-002")},
        "anstallningar.csv",
        4,
        "personnummer",
        "Ogiltigt personnummer (ska ha 10 eller 12 siffror)",
    ),
    Case(
        # Samordningsnummer with day 92 = 32 + 60: no such day.
        "samordningsnummer_bad_day",
        {"anstallningar.csv": swap(ANST, "A3,19800101-0027", "A3,19800192-0027")},
        "anstallningar.csv",
        4,
        "personnummer",
        "datumdelen är inte ett giltigt datum",
    ),
    Case(
        "manager_pnr_invalid",
        {"enheter.csv": swap(ENH, "19651122-3452", "19651122-3453")},
        "enheter.csv",
        3,
        "chef_personnummer",
        "kontrollsiffran stämmer inte",
    ),
    # --- columns ------------------------------------------------------------------
    Case(
        # The same header twice (fields 5 and 10): which one holds the rate is unknowable.
        "duplicate_header",
        {
            "anstallningar.csv": "\n".join(
                line + ("," + ("sysselsattningsgrad" if i == 0 else "50"))
                for i, line in enumerate(ANST.strip().split("\n"))
            )
            + "\n"
        },
        "anstallningar.csv",
        1,
        "sysselsattningsgrad",
        "Rubriken finns två gånger (fält 5 och 10)",
    ),
    Case(
        "missing_required_column",
        {"anstallningar.csv": ANST.replace(",startdatum", ",start").replace(",2015-03-01", ",x")},
        "anstallningar.csv",
        1,
        "startdatum",
        "Kolumnen 'startdatum' (första dag) saknas",
    ),
    Case(
        "same_column_twice",
        {
            "enheter.csv": ENH.replace("enhetsnamn,", "enhetsnamn,")
            .replace(
                "enhet_id,overordnad_enhet_id,enhetsnamn,chef_personnummer",
                "enhet_id,overordnad_enhet_id,enhetsnamn,chef_personnummer,enhetskod",
            )
            .replace("8906\n", "8906,1\n")
            .replace("3452\n", "3452,2\n")
            .replace("Hemtjänst,\n", "Hemtjänst,,3\n")
        },
        "enheter.csv",
        1,
        "enhetskod",
        "Kolumnerna 'enhet_id' och 'enhetskod' betyder båda 'enhet_id'",
    ),
    # --- values ---------------------------------------------------------------------
    Case(
        "bad_date",
        {"anstallningar.csv": swap(ANST, "2018-08-15", "2018-02-30")},
        "anstallningar.csv",
        3,
        "startdatum",
        "'2018-02-30' är inte ett giltigt datum. Skriv datum som ÅÅÅÅ-MM-DD",
    ),
    Case(
        "ambiguous_date",
        {"anstallningar.csv": swap(ANST, "2018-08-15", "15/8/2018")},
        "anstallningar.csv",
        3,
        "startdatum",
        "Datumet '15/8/2018' är tvetydigt: dag och månad kan förväxlas",
    ),
    Case(
        "bad_month",
        {"arbetstid.csv": swap(TID, "A3,2025-02", "A3,feb 2025")},
        "arbetstid.csv",
        3,
        "manad",
        "'feb 2025' är inte ett giltigt datum. Skriv månaden som ÅÅÅÅ-MM",
    ),
    Case(
        "end_before_start",
        {"anstallningar.csv": swap(ANST, "2024-06-01,2025-05-31", "2024-06-01,2024-01-31")},
        "anstallningar.csv",
        4,
        "slutdatum",
        "Slutdatum är före startdatum (2024-01-31 är före 2024-06-01)",
    ),
    Case(
        "absence_to_before_from",
        {"franvaro.csv": swap(FRV, "2025-03-10,2025-04-20", "2025-03-10,2025-03-01")},
        "franvaro.csv",
        3,
        "tom_datum",
        "Tom-datum är före from-datum",
    ),
    Case(
        "rate_over_100",
        {"anstallningar.csv": swap(ANST, "visstid,75", "visstid,120")},
        "anstallningar.csv",
        4,
        "sysselsattningsgrad",
        "Sysselsättningsgraden ska vara 0–100 (procent), men är 120",
    ),
    Case(
        "rate_not_a_number",
        {"anstallningar.csv": swap(ANST, "visstid,75", "visstid,sjuttiofem")},
        "anstallningar.csv",
        4,
        "sysselsattningsgrad",
        "'sjuttiofem' är inte ett tal",
    ),
    Case(
        "extent_zero",
        {"franvaro.csv": swap(FRV, "2025-04-20,50", "2025-04-20,0")},
        "franvaro.csv",
        3,
        "omfattning",
        "Omfattningen ska vara 1–100 (procent av arbetstiden), men är 0",
    ),
    Case(
        "negative_hours",
        {"arbetstid.csv": swap(TID, "A3,2025-02,120", "A3,2025-02,-120")},
        "arbetstid.csv",
        3,
        "ordinarie_timmar",
        "Timmar får inte vara negativa",
    ),
    Case(
        "negative_monthly_pay",
        {"anstallningar.csv": swap(ANST, "100,45000", "100,-45000")},
        "anstallningar.csv",
        3,
        "manadslon",
        "Månadslönen får inte vara negativ",
    ),
    Case(
        "split_shifts_not_integer",
        {"arbetstid.csv": swap(TID, "2,1\n", '2,"1,5"\n')},
        "arbetstid.csv",
        2,
        "delade_turer",
        "'1,5' är inte ett heltal",
    ),
    Case(
        "unknown_employment_form",
        {
            "anstallningar.csv": swap(
                ANST, "A2,19651122-3452,110,tillsvidare", "A2,19651122-3452,110,fast"
            )
        },
        "anstallningar.csv",
        3,
        "anstallningsform",
        "Okänt värde 'fast'. Tillåtna värden: tillsvidare, visstid, timavlönad",
    ),
    Case(
        "unknown_absence_cause",
        {"franvaro.csv": swap(FRV, "sjuk,2025-03-10", "SJK,2025-03-10")},
        "franvaro.csv",
        3,
        "orsak",
        "Okänt värde 'SJK'",
    ),
    Case(
        "bad_boolean",
        {"anstallningar.csv": swap(ANST, "2025-05-31,nej", "2025-05-31,kanske")},
        "anstallningar.csv",
        4,
        "chefsansvar",
        "'kanske' är inte ja eller nej",
    ),
    Case(
        "empty_required_cell",
        {"anstallningar.csv": swap(ANST, "A3,19800101-0027,111,", "A3,19800101-0027,,")},
        "anstallningar.csv",
        4,
        "enhet_id",
        "Värde saknas (Enhet). Kolumnen är obligatorisk",
    ),
    # --- duplicates ---------------------------------------------------------------------
    Case(
        "duplicate_unit",
        {"enheter.csv": ENH + "110,100,Omsorg igen,\n"},
        "enheter.csv",
        5,
        "enhet_id",
        "Dubblett: samma 'enhet_id' som rad 3",
    ),
    Case(
        "duplicate_employment",
        {"anstallningar.csv": ANST + "A2,19651122-3452,110,tillsvidare,100,45000,2018-08-15,,ja\n"},
        "anstallningar.csv",
        6,
        "anstallnings_id",
        "Dubblett: samma 'anstallnings_id' och 'startdatum' som rad 3",
    ),
    Case(
        "duplicate_working_time",
        {"arbetstid.csv": TID + "A3,202501,100,0,0\n"},
        "arbetstid.csv",
        4,
        "anstallnings_id",
        "Dubblett: samma 'anstallnings_id' och 'manad' som rad 2",
    ),
    # --- references -------------------------------------------------------------------
    Case(
        "absence_unknown_person",
        {"franvaro.csv": FRV + "19850615-7893,sjuk,2025-05-01,2025-05-02,100\n"},
        "franvaro.csv",
        4,
        "personnummer",
        "Personen har ingen anställning i anställningsfilen",
    ),
    Case(
        "overlapping_absence",
        {"franvaro.csv": swap(FRV, "2025-03-10,2025-04-20", "2025-02-07,2025-04-20")},
        "franvaro.csv",
        3,
        "from_datum",
        "Perioden överlappar en annan period för samma person och orsak (sjuk, rad 2)",
    ),
    Case(
        "employment_unknown_unit",
        {"anstallningar.csv": swap(ANST, "A2,19651122-3452,110", "A2,19651122-3452,999")},
        "anstallningar.csv",
        3,
        "enhet_id",
        "Enheten '999' finns inte i enhetsfilen",
    ),
    Case(
        "unit_parent_unknown",
        {"enheter.csv": swap(ENH, "111,110,", "111,555,")},
        "enheter.csv",
        4,
        "overordnad_enhet_id",
        "Den överordnade enheten '555' finns inte i enhetsfilen",
    ),
    Case(
        "unit_cycle",
        {"enheter.csv": swap(ENH, "100,,Kommunen", "100,111,Kommunen")},
        "enheter.csv",
        2,
        "overordnad_enhet_id",
        "Enheten '100' ligger i en slinga i enhetsträdet",
    ),
    Case(
        "working_time_unknown_employment",
        {"arbetstid.csv": TID + "A9,2025-01,100,0,0\n"},
        "arbetstid.csv",
        4,
        "anstallnings_id",
        "Anställningen 'A9' finns inte i anställningsfilen",
    ),
    Case(
        "pay_unknown_employment",
        {"lonedelar.csv": BASE_FILES["lonedelar.csv"] + "A7,2025-01,fast,110,100\n"},
        "lonedelar.csv",
        4,
        "anstallnings_id",
        "Anställningen 'A7' finns inte i anställningsfilen",
    ),
    Case(
        "agency_unknown_unit",
        {"inhyrd_personal.csv": BASE_FILES["inhyrd_personal.csv"] + "777,Kock,2025-01,10,5000\n"},
        "inhyrd_personal.csv",
        3,
        "enhet_id",
        "Enheten '777' finns inte i enhetsfilen",
    ),
    # --- files ----------------------------------------------------------------------------
    Case(
        "missing_required_file",
        {"anstallningar.csv": None},
        "anstallningar.csv",
        None,
        None,
        "Filen för anstallningar saknas",
    ),
    Case("empty_file", {"anstallningar.csv": ""}, "anstallningar.csv", None, None, "Filen är tom"),
    Case(
        "bom_only_file",
        {"enheter.csv": b"\xef\xbb\xbf\r\n"},
        "enheter.csv",
        None,
        None,
        "Filen är tom",
    ),
    Case(
        "header_only_required_file",
        {"anstallningar.csv": ANST.split("\n")[0] + "\n"},
        "anstallningar.csv",
        None,
        None,
        "Filen har bara en rubrikrad och inga rader med data",
    ),
    Case(
        "truncated_last_row",
        {"anstallningar.csv": ANST.rstrip("\n")[:-22]},  # cut inside row 5
        "anstallningar.csv",
        5,
        None,
        "Raden har 4 fält men rubrikraden har 9 (avgränsare: komma). Filen verkar avkortad",
    ),
    Case(
        "unterminated_quote",
        {"anstallningar.csv": ANST + 'A5,19850615-7893,111,visstid,"50'},
        "anstallningar.csv",
        6,
        None,
        'Ett citattecken (") avslutas aldrig',
    ),
    Case(
        "extra_field_in_row",
        {"enheter.csv": swap(ENH, "110,100,Omsorg,", "110,100,Omsorg,extra,")},
        "enheter.csv",
        3,
        None,
        "Raden har 5 fält men rubrikraden har 4 (avgränsare: komma). Kontrollera avgränsare",
    ),
    Case(
        "file_over_size_limit",
        {},
        "anstallningar.csv",
        None,
        None,
        f"Filen anstallningar.csv är för stor ({len(ANST.encode())} byte); gränsen är 300 byte",
        kwargs={"max_file_bytes": 300},
    ),
    Case(
        "two_files_for_one_table",
        {"anstallningar.xlsx": xlsx({"anstallningar": csv_rows(ANST)})},
        "anstallningar.xlsx",
        None,
        None,
        "Två filer för tabellen anstallningar: anstallningar.csv och anstallningar.xlsx",
    ),
    Case(
        "xlsx_not_a_workbook",
        {"anstallningar.csv": None, "anstallningar.xlsx": b"PK\x03\x04 not really a zip"},
        "anstallningar.xlsx",
        None,
        None,
        "Filen kunde inte läsas som Excel-fil",
    ),
    Case(
        "xlsx_extra_sheets_with_error",
        {
            "anstallningar.csv": None,
            "anstallningar.xlsx": xlsx(
                {
                    "Info": [["Export från lönesystemet"]],
                    "anstallningar": csv_rows(swap(ANST, "2018-08-15", "2018-13-15")),
                }
            ),
        },
        "anstallningar.xlsx",
        3,
        "startdatum",
        "'2018-13-15' är inte ett giltigt datum",
    ),
    Case(
        "cp1252_semicolon_error",
        {
            "anstallningar.csv": swap(ANST, "visstid,75", "visstid,175")
            .replace(",", ";")
            .replace("sysselsattningsgrad", "Sysselsättningsgrad")
            .encode("cp1252")
        },
        "anstallningar.csv",
        4,
        "Sysselsättningsgrad",
        "Sysselsättningsgraden ska vara 0–100 (procent), men är 175",
    ),
    Case(
        "utf8_bom_decimal_comma_error",
        {
            "arbetstid.csv": "\ufeff"
            + swap(TID, '"124,5"', '"124,5,0"').replace(",", ";").replace('"124;5;0"', '"124,5,0"')
        },
        "arbetstid.csv",
        2,
        "ordinarie_timmar",
        "'124,5,0' är inte ett tal",
    ),
    Case(
        "unknown_profile_value_in_user_profile",
        {
            "anstallningar.csv": swap(
                ANST, "A3,19800101-0027,111,visstid", "A3,19800101-0027,111,VIK"
            )
        },
        "anstallningar.csv",
        4,
        "anstallningsform",
        "Okänt värde 'VIK'",
    ),
    # --- warnings: the import still succeeds ---------------------------------------------
    Case(
        "unknown_column_warns",
        {
            "enheter.csv": ENH.replace("chef_personnummer\n", "chef_personnummer,kostnadsställe\n")
            .replace("8906\n", "8906,1\n")
            .replace("3452\n", "3452,2\n")
            .replace("Hemtjänst,\n", "Hemtjänst,,3\n")
        },
        "enheter.csv",
        1,
        "kostnadsställe",
        "Okänd kolumn; den läses inte",
        severity="varning",
    ),
    Case(
        "name_column_warns",
        {
            "anstallningar.csv": ANST.replace("chefsansvar\n", "chefsansvar,Namn\n")
            .replace(",ja\n", ",ja,Anna\n")
            .replace(",nej\n", ",nej,Bo\n")
        },
        "anstallningar.csv",
        1,
        "Namn",
        "namn sparas inte",
        severity="varning",
    ),
    Case(
        "negative_amount_warns",
        {"lonedelar.csv": swap(BASE_FILES["lonedelar.csv"], "420,1200", "420,-1200")},
        "lonedelar.csv",
        3,
        "belopp",
        "Negativt belopp",
        severity="varning",
    ),
    Case(
        "unknown_end_reason_warns",
        {
            "anstallningar.csv": ANST.replace("chefsansvar\n", "chefsansvar,avgangsorsak\n")
            .replace(",ja\n", ",ja,\n")
            .replace("2025-05-31,nej\n", "2025-05-31,nej,flytt\n")
            .replace(",,nej\n", ",,nej,\n")
        },
        "anstallningar.csv",
        4,
        "avgangsorsak",
        "Okänd avgångsorsak 'flytt' sparas som 'övrigt'",
        severity="varning",
    ),
    Case(
        "xlsx_extra_sheet_warns",
        {
            "enheter.csv": None,
            "enheter.xlsx": xlsx(
                {"Blad1": csv_rows(ENH.replace(",\n", ",\n")), "Anteckningar": [["x"]]}
            ),
        },
        "enheter.xlsx",
        None,
        None,
        "Bladet 'Blad1' läses; övriga blad ignoreras (Anteckningar)",
        severity="varning",
    ),
    Case(
        "unused_file_warns",
        {"README.txt": "Export 2025-11-01"},
        "README.txt",
        None,
        None,
        "Filen hör inte till någon tabell och läses inte",
        severity="varning",
    ),
]


def add_column(text: str, header: str, values: list[str]) -> str:
    """Append a column (header and one value per data row) to a comma-separated file."""
    lines = text.strip().split("\n")
    assert len(values) == len(lines) - 1
    out = [lines[0] + "," + header] + [
        line + "," + v for line, v in zip(lines[1:], values, strict=True)
    ]
    return "\n".join(out) + "\n"


def formula_xlsx(rows: list[list[object]]) -> bytes:
    """A workbook written by a program, as openpyxl writes it: formulas with no cached value."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "anstallningar"
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _typed(rows: list[list[object]]) -> list[list[object]]:
    return [[float(v) if isinstance(v, str) and v.isdigit() else v for v in row] for row in rows]


# Test personnummer for the plausibility cases (Luhn digit by hand, as in
# test_ingest_pseudonym.py: weights 2,1,2,1,... over the nine digits of the 10-digit form):
#   20300101-0010: 3*2=6, 0, 0, 1, 0, 1, 0, 0, 1*2=2 -> 10 -> check 0 (a man born in 2030)
#   18800101-0027: same 10-digit form as 800101-0027 -> check 7 (born 1880, 145 at 2025-11-01)
PNR_2030 = "20300101-0010"
PNR_1880 = "18800101-0027"
NEW_ROW = "A5,{pnr},111,visstid,50,30000,2025-01-01,,nej\n"
FRV_WITH_EMPLOYMENT = (
    "personnummer,anstallnings_id,orsak,from_datum,tom_datum,omfattning\n"
    "19800101-0027,A3,sjuk,2025-02-03,2025-02-07,100\n"
    "19800101-0027,A3,sjuk,2025-03-10,2025-04-20,50\n"
)

CASES += [
    # --- plausibility (issue 10 item 5) -----------------------------------------------------
    Case(
        "birth_year_2030",
        {"anstallningar.csv": ANST + NEW_ROW.format(pnr=PNR_2030)},
        "anstallningar.csv",
        6,
        "personnummer",
        "Födelsedatumet i personnumret (2030-01-01) är efter uttagsdatumet 2025-11-01",
    ),
    Case(
        # 2025 - 1880 = 145 completed years on 2025-11-01 (birthday 1 January has passed).
        "birth_year_1880",
        {"anstallningar.csv": ANST + NEW_ROW.format(pnr=PNR_1880)},
        "anstallningar.csv",
        6,
        "personnummer",
        "Personen är 145 år vid uttagsdatumet 2025-11-01 (födelsedatum 1880-01-01); "
        "gränsen är 100 år (fel över 120 år)",
    ),
    Case(
        "manager_born_2030",
        {"enheter.csv": swap(ENH, "111,110,Hemtjänst,", f"111,110,Hemtjänst,{PNR_2030}")},
        "enheter.csv",
        4,
        "chef_personnummer",
        "Födelsedatumet i personnumret (2030-01-01) är efter uttagsdatumet",
    ),
    Case(
        # A2 runs from 2018-08-15 with no end (row 3); a second row of A2 from 2020 overlaps it.
        "employment_rows_overlap",
        {"anstallningar.csv": ANST + "A2,19651122-3452,110,tillsvidare,100,46000,2020-01-01,,ja\n"},
        "anstallningar.csv",
        6,
        "startdatum",
        "Perioden överlappar en annan rad för samma anställning (A2, rad 3)",
    ),
    Case(
        # A2 listed again as A5: 100 + 100 = 200 % from 2018-08-15, above the 150 % error limit.
        "employment_listed_twice_200_percent",
        {"anstallningar.csv": ANST + "A5,19651122-3452,110,tillsvidare,100,45000,2018-08-15,,ja\n"},
        "anstallningar.csv",
        6,
        "sysselsattningsgrad",
        "Personens anställningar har tillsammans sysselsättningsgraden 200 % den 2018-08-15 "
        "(tillsammans med rad 3). Gränsen är 100 % (fel över 150 %)",
    ),
    Case(
        "absence_on_another_persons_employment",
        {"franvaro.csv": swap(FRV_WITH_EMPLOYMENT, "A3,sjuk,2025-03-10", "A2,sjuk,2025-03-10")},
        "franvaro.csv",
        3,
        "anstallnings_id",
        "Anställningen 'A2' tillhör en annan person än frånvaron",
    ),
    Case(
        # A3 began 2024-06-01; a spell in February 2010 is 14 years before.
        "absence_14_years_before_employment",
        {"franvaro.csv": swap(FRV, "2025-02-03,2025-02-07", "2010-02-03,2010-02-07")},
        "franvaro.csv",
        2,
        "from_datum",
        "Frånvaron 2010-02-03–2010-02-07 ligger helt utanför personens anställningar "
        "(börjar 2024-06-01, slutar 2025-05-31)",
    ),
    Case(
        "absence_outside_its_employment",
        {
            "franvaro.csv": swap(
                FRV_WITH_EMPLOYMENT, "2025-03-10,2025-04-20", "2025-06-10,2025-06-20"
            )
        },
        "franvaro.csv",
        3,
        "from_datum",
        "Frånvaron 2025-06-10–2025-06-20 ligger helt utanför anställningen "
        "(börjar 2024-06-01, slutar 2025-05-31)",
    ),
    Case(
        "pay_1e999_not_finite",
        {"anstallningar.csv": swap(ANST, "100,45000", "100,1e999")},
        "anstallningar.csv",
        3,
        "manadslon",
        "'1e999' är inte ett ändligt tal (för stort eller oändligt)",
    ),
    Case(
        "rate_as_fraction",
        {"anstallningar.csv": swap(ANST, "visstid,75", 'visstid,"0,75"')},
        "anstallningar.csv",
        4,
        "sysselsattningsgrad",
        "Sysselsättningsgraden 0,75 ser ut att vara en andel, inte procent",
    ),
    Case(
        # Excel shows 0,75 formatted as percent as "75 %" but stores 0,75; so does 1 (100 %).
        "rate_percent_formatted_in_excel",
        {
            "anstallningar.csv": None,
            "anstallningar.xlsx": xlsx(
                {
                    "anstallningar": [
                        [float(v) / 100 if i == 4 and r > 0 else v for i, v in enumerate(row)]
                        for r, row in enumerate(csv_rows(ANST))
                    ]
                }
            ),
        },
        "anstallningar.xlsx",
        2,
        "sysselsattningsgrad",
        "Sysselsättningsgraden 1 ser ut att vara en andel, inte procent",
    ),
    Case(
        # Column F (manadslon) of row 3 (A2) holds =E3*450 with no computed value.
        "xlsx_formula_without_value",
        {
            "anstallningar.csv": None,
            "anstallningar.xlsx": formula_xlsx(
                [
                    ["=E3*450" if (r, c) == (2, 5) else v for c, v in enumerate(row)]
                    for r, row in enumerate(_typed(csv_rows(ANST)))
                ]
            ),
        },
        "anstallningar.xlsx",
        3,
        "manadslon",
        "Cellen F3 innehåller formeln =E3*450 men inget sparat värde",
    ),
    Case(
        "utf16_with_bom",
        {"enheter.csv": ENH.encode("utf-16")},
        "enheter.csv",
        None,
        None,
        "Filen är sparad som UTF-16 (i Excel kallat Unicode-text) och kan inte läsas",
    ),
    Case(
        "utf16_without_bom",
        {"enheter.csv": ENH.replace(",", "\t").encode("utf-16-le")},
        "enheter.csv",
        None,
        None,
        "Filen är sparad som UTF-16",
    ),
    Case(
        # UTF-8 file ("Hällby" in row 3) with row 4 pasted in from a Windows-1252 file.
        "mixed_utf8_and_windows_1252",
        {
            "enheter.csv": "\n".join(
                line.encode("cp1252" if n == 4 else "utf-8").decode("latin-1")
                for n, line in enumerate(swap(ENH, "Omsorg", "Hällby").split("\n"), start=1)
            ).encode("latin-1")
        },
        "enheter.csv",
        4,
        None,
        "Raden är inte kodad som UTF-8 som resten av filen",
    ),
    Case(
        "nul_in_unit_name",
        {"enheter.csv": swap(ENH, "Omsorg", "Om\x00sorg")},
        "enheter.csv",
        3,
        "enhetsnamn",
        "Cellen innehåller ett otillåtet styrtecken (kod 0, NUL)",
    ),
    Case(
        "escape_character_in_employment_id",
        {"anstallningar.csv": swap(ANST, "A2,", "A2\x1b,")},
        "anstallningar.csv",
        3,
        "anstallnings_id",
        "Cellen innehåller ett otillåtet styrtecken (kod 27)",
    ),
    Case(
        "xlsx_nul_in_unit_name",
        {
            "enheter.csv": None,
            "enheter.xlsx": xlsx({"enheter": csv_rows(swap(ENH, "Omsorg", "Om\x01sorg"))}),
        },
        "enheter.xlsx",
        3,
        "enhetsnamn",
        "Cellen innehåller ett otillåtet styrtecken (kod 1)",
    ),
    Case(
        "free_text_with_personnummer",
        {"enheter.csv": swap(ENH, "Hemtjänst", "Hemtjänst 19800101-0027")},
        "enheter.csv",
        4,
        "enhetsnamn",
        "Texten innehåller ett personnummer",
    ),
    Case(
        # enheter has 4 data rows of texts: more than 3 distinct strings in the workbook.
        "xlsx_too_many_shared_strings",
        {"enheter.csv": None, "enheter.xlsx": xlsx({"enheter": csv_rows(ENH)})},
        "enheter.xlsx",
        None,
        None,
        "Excel-filen har fler än 3 olika texter",
        kwargs={"xlsx_limits": XlsxLimits(max_shared_strings=3)},
    ),
    Case(
        "org_code_with_path",
        {},
        "organisation",
        None,
        None,
        "Organisationskoden '../../x' innehåller snedstreck eller '..'",
        kwargs={"org_id": "../../x"},
    ),
    # --- plausibility warnings: the import still succeeds -----------------------------------
    Case(
        # 19121212-1212 (the classic test number; Luhn checked in test_ingest_pseudonym.py):
        # 2025 - 1912 = 113 completed years on 2025-11-01 (birthday 12 December not yet):
        # 113 - 1 = 112. Over 100, not over 120: a warning.
        "age_112_warns",
        {"anstallningar.csv": ANST + NEW_ROW.format(pnr="19121212-1212")},
        "anstallningar.csv",
        6,
        "personnummer",
        "Personen är 112 år vid uttagsdatumet 2025-11-01 (födelsedatum 1912-12-12); "
        "gränsen är 100 år (fel över 120 år)",
        severity="varning",
    ),
    Case(
        # 100 % in A2 plus 20 % in A5 from 2025-01-01: 120 %, above 100 % but not 150 %.
        "total_rate_120_warns",
        {
            "anstallningar.csv": ANST
            + "A5,19651122-3452,110,visstid,20,45000,2025-01-01,2025-03-31,nej\n"
        },
        "anstallningar.csv",
        6,
        "sysselsattningsgrad",
        "sysselsättningsgraden 120 % den 2025-01-01 (tillsammans med rad 3)",
        severity="varning",
    ),
    Case(
        "total_rate_limit_is_a_parameter",
        {
            "anstallningar.csv": ANST
            + "A5,19651122-3452,110,visstid,20,45000,2025-01-01,2025-03-31,nej\n"
        },
        "anstallningar.csv",
        6,
        "sysselsattningsgrad",
        "Gränsen är 100 % (fel över 110 %)",
        kwargs={"plausibility": PlausibilityLimits(total_rate_error=110.0)},
    ),
    Case(
        # A3's spell from 2024-05-30 begins two days before the employment (2024-06-01).
        "absence_partly_before_employment_warns",
        {"franvaro.csv": swap(FRV, "2025-02-03,2025-02-07", "2024-05-30,2024-06-05")},
        "franvaro.csv",
        2,
        "from_datum",
        "Frånvaron 2024-05-30–2024-06-05 ligger delvis utanför personens anställningar",
        severity="varning",
    ),
    Case(
        "pay_outside_default_band_warns",
        {"anstallningar.csv": swap(ANST, "100,45000", "100,4500")},
        "anstallningar.csv",
        3,
        "manadslon",
        "Månadslönen 4\u00a0500 kr ligger utanför det rimliga intervallet 10\u00a0000–250\u00a0000 kr "
        "för alla yrken",
        severity="varning",
    ),
    Case(
        # SSYK 5321 (undersköterskor) with a local band of 25 000–40 000 kr: A1's 50 000 is outside.
        "pay_outside_occupation_band_warns",
        {"anstallningar.csv": add_column(ANST, "ssyk", ["5321", "1120", "5321", "5321"])},
        "anstallningar.csv",
        2,
        "manadslon",
        "Månadslönen 50\u00a0000 kr ligger utanför det rimliga intervallet 25\u00a0000–40\u00a0000 kr "
        "för yrket 5321",
        severity="varning",
        kwargs={"plausibility": PlausibilityLimits(pay_bands={"5321": PayBand(25_000, 40_000)})},
    ),
    Case(
        "employment_id_with_personnummer_warns",
        {
            "anstallningar.csv": swap(ANST, "A3,19800101-0027", "198001010027-01,19800101-0027"),
            "arbetstid.csv": TID.replace("A3,", "198001010027-01,"),
            "lonedelar.csv": BASE_FILES["lonedelar.csv"].replace("A3,", "198001010027-01,"),
        },
        "anstallningar.csv",
        4,
        "anstallnings_id",
        "Kolumnen innehåller personnummer på 1 rad (den första är rad 4). Personnumren har "
        "ersatts med samma pseudonym",
        severity="varning",
    ),
]


def test_corpus_has_at_least_30_error_cases() -> None:
    assert sum(c.severity == "fel" for c in CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_corpus_case(case: Case, run_import: Callable[..., IngestResult], tmp_path: Path) -> None:
    kwargs = dict(case.kwargs)
    if case.id == "unknown_profile_value_in_user_profile":
        # A user's own profile that extends generic but lacks the code VIK.
        profile = tmp_path / "egen.toml"
        profile.write_text(
            'name = "egen"\n[anstallningar.values.employment_form]\n"TV" = "tillsvidare"\n'
        )
        kwargs["profile"] = profile
    result = run_import(case.files, **kwargs)
    matches = [
        p
        for p in result.problems
        if p.file == case.file
        and p.row == case.row
        and p.column == case.column
        and case.message in p.message
        and p.severity == case.severity
    ]
    assert matches, "\n".join(f"{p} [{p.severity}]" for p in result.problems)
    if case.severity == "fel":
        assert result.data is None
        assert not result.ok
    else:
        assert result.errors == [], [str(p) for p in result.errors]
        assert result.ok and result.data is not None


# --- reading in batches ---------------------------------------------------------
# Reading in batches changes nothing a user sees: every case gives the same problems
# (file, row, column, message, severity, in the same order) and the same data whether
# each file is read whole or one or three rows at a time. The whole-file reading
# is the reference (its messages are the expectations above); tiny batches put batch
# boundaries, and the spooled tables' checks across batches (duplicates by key hash,
# references, embedded personnummer), between the rows the cases break.
WHOLE_FILE = 10_000_000  # no corpus file comes near: every file is one batch


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_batches_give_the_same_problems_and_data(
    case: Case, run_import: Callable[..., IngestResult], tmp_path: Path
) -> None:
    kwargs = dict(case.kwargs)
    if case.id == "unknown_profile_value_in_user_profile":
        profile = tmp_path / "egen.toml"
        profile.write_text(
            'name = "egen"\n[anstallningar.values.employment_form]\n"TV" = "tillsvidare"\n'
        )
        kwargs["profile"] = profile
    whole = run_import(case.files, batch_rows=WHOLE_FILE, **kwargs)
    for rows in (1, 3):
        batched = run_import(case.files, batch_rows=rows, **kwargs)
        assert [(p, p.severity) for p in batched.problems] == [
            (p, p.severity) for p in whole.problems
        ], rows
        assert batched.row_counts == whole.row_counts
        assert (batched.data is None) == (whole.data is None)
        if whole.data is not None and batched.data is not None:
            for name, frame in whole.data.frames().items():
                assert_frame_equal(batched.data.frames()[name], frame)
