"""Issue 11 items 1 and 6b: a region end to end into Kolada's file; organisation codes
become Kolada's four digits in one place."""

from datetime import date

import polars as pl
import pytest

from hallbar.core import schema
from hallbar.core.dataset import HRData
from hallbar.core.errors import HallbarError
from hallbar.indicators import Params, sick_leave_note
from hallbar.reports.kolada import (
    kolada_municipality_code,
    sick_leave_note_kolada,
    to_kolada_long,
    write_kolada_csv,
)


def _region(org_id: str) -> HRData:
    """33 persons of region ``org_id``, 11 per age band, 160 ordinary hours a month in 2025.

    One person per band is sick all of March (31 days): 160 h each.
    """
    persons, emps, wt, absences = [], [], [], []
    for band, birth_year in (("y", 2000), ("m", 1985), ("o", 1965)):
        for i in range(11):
            pid = f"{band}{i}"
            persons.append(
                {
                    "org_id": org_id,
                    "person_id": pid,
                    "birth_date": date(birth_year, 6, 15),
                    "gender": "K" if i % 2 else "M",
                }
            )
            emps.append(
                {
                    "org_id": org_id,
                    "employment_id": f"e{pid}",
                    "person_id": pid,
                    "unit_id": "U1",
                    "employment_form": "tillsvidare",
                    "rate": 100.0,
                    "monthly_pay": 35000.0,
                    "start_date": date(2015, 1, 1),
                    "is_manager": False,
                }
            )
            wt += [
                {
                    "org_id": org_id,
                    "employment_id": f"e{pid}",
                    "month": date(2025, m, 1),
                    "scheduled_hours": 160.0,
                }
                for m in range(1, 13)
            ]
        absences.append(
            {
                "org_id": org_id,
                "person_id": f"{band}0",
                "employment_id": f"e{band}0",
                "cause": "sjuk",
                "from_date": date(2025, 3, 1),
                "to_date": date(2025, 3, 31),
                "extent": 100.0,
            }
        )

    def frame(table: schema.Table, rows: list[dict]) -> pl.DataFrame:
        return pl.DataFrame(
            [{c.name: r.get(c.name) for c in table.columns} for r in rows],
            schema=table.polars_schema,
        )

    return HRData(
        as_of=date(2025, 12, 31),
        organisations=frame(
            schema.ORGANISATIONS, [{"org_id": org_id, "name": "Region Test", "kind": "region"}]
        ),
        units=frame(schema.UNITS, [{"org_id": org_id, "unit_id": "U1", "name": "Enhet"}]),
        persons=frame(schema.PERSONS, persons),
        employments=frame(schema.EMPLOYMENTS, emps),
        absences=frame(schema.ABSENCES, absences),
        working_time=frame(schema.WORKING_TIME, wt),
        pay_components=schema.PAY_COMPONENTS.empty(),
        agency_staff=schema.AGENCY_STAFF.empty(),
    )


def test_organisation_codes_become_four_digits():
    assert kolada_municipality_code("12") == "0012"  # Region Skåne
    assert kolada_municipality_code("0012") == "0012"
    assert kolada_municipality_code("99") == "0099"
    assert kolada_municipality_code("1280") == "1280"  # Malmö
    assert kolada_municipality_code(" 1") == "0001"
    for bad in ("128", "12345", "Skåne", "", None):
        with pytest.raises(HallbarError, match=r"fyra siffror.*regionkod två"):
            kolada_municipality_code(bad)


@pytest.mark.parametrize(("org_id", "kolada_code"), [("12", "0012"), ("99", "0099")])
def test_region_note_end_to_end_into_the_kolada_file(tmp_path, org_id, kolada_code):
    note = sick_leave_note(_region(org_id), Params(year=2025))
    long = sick_leave_note_kolada([note], org_id)
    path = write_kolada_csv(long, tmp_path / "kolada.csv")
    back = pl.read_csv(path, schema_overrides={"municipality": pl.String})
    assert set(back["municipality"]) == {kolada_code}
    values = {(r["kpi"], r["gender"]): r["value"] for r in back.iter_rows(named=True)}
    # Each band: 160 sick h / (11 × 1 920 h) = 0.7576 %; the whole region 480 / 63 360 = 0.7576 %.
    band = 100 * 160 / (11 * 1920)
    assert values[("N60027", "T")] == pytest.approx(band)  # ≤29
    assert values[("N60029", "T")] == pytest.approx(band)  # 30–49 (N60029, not N60028)
    assert values[("N60028", "T")] == pytest.approx(band)  # ≥50
    assert values[("N60030", "T")] == pytest.approx(100 * 480 / 63360)
    # Sick persons y0, m0, o0 are men (i = 0 is even): women 0 %, men 480 / (18 × 1 920).
    assert values[("N60030", "K")] == pytest.approx(0.0)
    assert values[("N60030", "M")] == pytest.approx(100 * 480 / (18 * 1920))
    # Three spells of 31 days, none 60 days or more: long-term share 0 %.
    assert values[("N60031", "T")] == pytest.approx(0.0)
    assert "N00090" not in set(back["kpi"])


def test_to_kolada_long_accepts_a_two_digit_region_code():
    frame = pl.DataFrame({"v": [5.0]})
    long = to_kolada_long(frame, kpi_ids={"v": "N60030"}, municipality="12", period=2025)
    assert long["municipality"].to_list() == ["0012"]
