import json

import polars as pl
from report_fixtures import sick_table

from hallbar.reports.csv_export import write_csv
from hallbar.reports.formatting import SUPPRESSION_NOTE_SV
from hallbar.reports.json_export import to_json, write_json


def test_csv_has_bom_semicolons_and_decimal_commas(tmp_path):
    path, defs = write_csv(sick_table(), tmp_path / "sjuk.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw[3:].decode("utf-8").split("\r\n")
    assert lines[0] == "Enhet;Antal anställda (personer);Sjukfrånvaro (%);Medianlön (kr);Från"
    assert lines[1] == "A <script>alert(1)</script>;1234;7,25;34500;2025-11-01"
    assert lines[2] == "B;7;..;31000;2025-11-01"
    assert lines[3] == "C;15;..;36250,5;2025-11-01"
    assert lines[4] == "D;12;–;30000;2025-11-01"
    assert "suppressed" not in lines[0]
    back = pl.read_csv(path, separator=";", decimal_comma=True, null_values=["..", "–"])
    assert back.columns[0] == "Enhet"  # the BOM is not part of the first header
    assert back["Sjukfrånvaro (%)"].to_list() == [7.25, None, None, None, 7.1]
    assert back["Medianlön (kr)"].to_list() == [34500.0, 31000.0, 36250.5, 30000.0, 34400.0]
    assert defs.name == "sjuk_definitioner.csv"
    definitions = pl.read_csv(defs, separator=";")
    assert definitions["Mått"].to_list()[:3] == ["Antal anställda", "Sjukfrånvaro", "Medianlön"]
    assert definitions["Minsta gruppstorlek"].to_list()[:3] == [5, 11, 5]
    assert SUPPRESSION_NOTE_SV in definitions["Definition"].to_list()


def test_json_carries_values_marks_definitions_and_notes(tmp_path):
    doc = to_json(
        [sick_table()], title="Personalbokslut", org_name="Exempelkommunen", period="2025"
    )
    json.dumps(doc)  # serialisable as is
    assert doc["marks"][".."] == SUPPRESSION_NOTE_SV
    (table,) = doc["tables"]
    assert table["id"] == "sjukfranvaro_enhet"
    assert [c["id"] for c in table["columns"]] == [
        "Enhet",
        "antal",
        "sjuk_pct",
        "median_lon",
        "Från",
    ]
    assert table["columns"][2] == {
        "id": "sjuk_pct",
        "label": "Sjukfrånvaro (%)",
        "kind": "percent",
        "decimals": 1,
        "unit": "%",
    }
    first, b, c, d, _total = table["rows"]
    assert first["values"] == {
        "Enhet": "A <script>alert(1)</script>",
        "antal": 1234,
        "sjuk_pct": 7.25,
        "median_lon": 34500.0,
        "Från": "2025-11-01",
    }
    assert first["marks"] == {} and not first["suppressed"]
    assert b["values"]["sjuk_pct"] is None and b["marks"] == {"sjuk_pct": ".."}
    assert b["suppressed"] and b["suppression_reason"] == "Färre än 11 personer i gruppen"
    assert c["suppressed"] and c["marks"] == {"sjuk_pct": ".."}
    assert not d["suppressed"] and d["marks"] == {"sjuk_pct": "–"}
    assert [x["id"] for x in table["definitions"]] == ["antal", "sjuk_pct", "median_lon"]
    assert table["definitions"][1]["min_group_size"] == 11
    assert SUPPRESSION_NOTE_SV in table["notes"]
    assert table["chart"]["value_cols"] == ("sjuk_pct",)
    path = write_json([sick_table()], tmp_path / "t.json", title="x")
    assert json.loads(path.read_text(encoding="utf-8"))["tables"][0]["rows"][1]["marks"] == {
        "sjuk_pct": ".."
    }
