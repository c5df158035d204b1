import json

import polars as pl
import pytest

from hallbar.core.errors import HallbarError
from hallbar.reports.kolada import kolada_json, to_kolada_long, write_kolada_csv, write_kolada_json

KPIS = {"sjuk_pct": "N00090", "lang_pct": "N00091"}


def wide() -> pl.DataFrame:
    # Sick leave per gender; the men's figures were suppressed (null) upstream.
    return pl.DataFrame(
        {
            "kön": ["Totalt", "Kvinnor", "Män"],
            "sjuk_pct": [6.5, 7.2, None],
            "lang_pct": [40.1, 42.0, None],
        }
    )


def test_long_format_has_one_row_per_kpi_and_gender():
    long = to_kolada_long(wide(), kpi_ids=KPIS, municipality="1280", period=2024, gender_col="kön")
    assert long.columns == ["kpi", "municipality", "period", "gender", "value", "status"]
    assert long.rows() == [
        ("N00090", "1280", 2024, "K", 7.2, ""),
        ("N00090", "1280", 2024, "M", None, "Missing"),
        ("N00090", "1280", 2024, "T", 6.5, ""),
        ("N00091", "1280", 2024, "K", 42.0, ""),
        ("N00091", "1280", 2024, "M", None, "Missing"),
        ("N00091", "1280", 2024, "T", 40.1, ""),
    ]
    dropped = to_kolada_long(
        wide(), kpi_ids=KPIS, municipality="1280", period=2024, gender_col="kön", omit_missing=True
    )
    assert dropped.height == 4 and dropped["value"].null_count() == 0


def test_columns_for_municipality_and_period_and_no_gender_means_total():
    frame = pl.DataFrame({"kommun": ["0012", "1280"], "år": [2023, 2024], "sjuk_pct": [6.1, 5.9]})
    long = to_kolada_long(
        frame, kpi_ids={"sjuk_pct": "N60030"}, municipality_col="kommun", period_col="år"
    )
    assert long.rows() == [
        ("N60030", "0012", 2023, "T", 6.1, ""),
        ("N60030", "1280", 2024, "T", 5.9, ""),
    ]


def test_bad_codes_give_swedish_messages():
    with pytest.raises(HallbarError, match="fyra siffror"):
        to_kolada_long(wide(), kpi_ids=KPIS, municipality="128", period=2024, gender_col="kön")
    with pytest.raises(HallbarError, match="årtal"):
        to_kolada_long(wide(), kpi_ids=KPIS, municipality="1280", period=24, gender_col="kön")
    bad = wide().with_columns(pl.Series("kön", ["Totalt", "Kvinnor", "Okänt"]))
    with pytest.raises(HallbarError, match="T \\(totalt\\), K \\(kvinnor\\) eller M \\(män\\)"):
        to_kolada_long(bad, kpi_ids=KPIS, municipality="1280", period=2024, gender_col="kön")


def test_csv_and_json_in_kolada_shape(tmp_path):
    long = to_kolada_long(wide(), kpi_ids=KPIS, municipality="1280", period=2024, gender_col="kön")
    csv_path = write_kolada_csv(long, tmp_path / "kolada.csv")
    assert csv_path.read_text(encoding="utf-8").splitlines()[:3] == [
        "kpi,municipality,period,gender,value,status",
        'N00090,1280,2024,K,7.2,""',  # an empty status, quoted to tell it from null
        "N00090,1280,2024,M,,Missing",
    ]
    back = pl.read_csv(csv_path, schema_overrides={"municipality": pl.String})
    assert back["value"].to_list() == [7.2, None, 6.5, 42.0, None, 40.1]
    assert back["municipality"].to_list() == ["1280"] * 6
    doc = kolada_json(long)
    assert doc["count"] == 2
    assert doc["values"][0] == {
        "kpi": "N00090",
        "municipality": "1280",
        "period": 2024,
        "values": [
            {"gender": "K", "status": "", "value": 7.2},
            {"gender": "M", "status": "Missing", "value": None},
            {"gender": "T", "status": "", "value": 6.5},
        ],
    }
    path = write_kolada_json(long, tmp_path / "kolada.json")
    assert json.loads(path.read_text(encoding="utf-8")) == doc
