"""The Kolada v3 client on recorded answers, and files saved from kolada.se."""

from __future__ import annotations

import io
import json
from datetime import date

import openpyxl
import polars as pl
import pytest
from kolada_recorded import RECORDED, RecordedTransport

from hallbar.ingest.kolada_api import KoladaClient, KoladaError, read_kolada_file
from hallbar.regional.kolada_compare import compare, similar_group
from hallbar.regional.networks import known_organisations

KNOWN = {o.kolada_id or "" for o in known_organisations().values()}


def test_data_follows_next_page_and_drops_deleted_values() -> None:
    transport = RecordedTransport()
    frame = KoladaClient(transport).data(["N00090"], ["1281", "G124026", "G_LIKN_LUND"], [2024])
    assert len(transport.asked) == 2  # page 1 pointed to page 2, page 2 to nothing
    # 3 cuts + 3 cuts + 2 (men in the similar group are marked deleted)
    assert frame.height == 8
    lund = frame.filter((pl.col("municipality") == "1281") & (pl.col("gender") == "T"))
    assert lund["value"].to_list() == [6.6]  # data_N00090_2024_page1.json


def test_groups_and_the_comparison_on_recorded_answers() -> None:
    client = KoladaClient(RecordedTransport())
    skane = client.municipality_groups("Skåne läns kommuner")
    assert skane[0].title == "Skåne läns kommuner (ovägt medel)"
    assert len(skane[0].members) == 33
    lund_groups = client.municipality_groups("Lund")
    similar_id = similar_group([(g.id, g.title, g.members) for g in lund_groups], "Lund")
    assert similar_id == "G_LIKN_LUND"
    kolada = client.data(["N00090"], ["1281", "G124026", "G_LIKN_LUND"], [2024])
    result = compare(
        7.0,
        kolada=kolada,
        kpi="N00090",
        municipality="1281",
        period=2024,
        skane=(skane[0].id, skane[0].members),
        similar=(similar_id, lund_groups[0].members),
    )
    values = {line.label_sv: (line.value, line.difference) for line in result.lines}
    # own 7.0 against the recorded 6.6, 7.3 and 6.2
    assert values["Koladas publicerade värde"] == (6.6, pytest.approx(0.4))
    assert values["Skånes kommuner (ovägt medel)"] == (7.3, pytest.approx(-0.3))
    assert values["Liknande kommuner"] == (6.2, pytest.approx(0.8))


def test_an_error_status_is_a_swedish_message() -> None:
    with pytest.raises(KoladaError, match="status 404"):
        KoladaClient(RecordedTransport()).data(["N00091"], ["1281"], [2024])


def _json_file() -> bytes:
    return (RECORDED / "data_N00090_2024_page1.json").read_bytes()


def test_saved_json_file_is_read_with_its_download_date() -> None:
    got = read_kolada_file(
        _json_file(), "kolada.json", kpi="N00090", period=2024, known_codes=KNOWN,
        downloaded_on=date(2026, 11, 30),
    )  # fmt: skip
    assert got.downloaded_on == date(2026, 11, 30)
    assert got.frame.height == 6


def test_file_for_another_kpi_or_year_is_refused() -> None:
    with pytest.raises(KoladaError, match=r"kolada.json, post 1, kolumnen nyckeltal: .*N00091"):
        read_kolada_file(_json_file(), "kolada.json", kpi="N00091", period=2024,
                         known_codes=KNOWN, downloaded_on=date(2026, 11, 30))  # fmt: skip
    with pytest.raises(
        KoladaError, match="kolumnen år: filen gäller 2024, men jämförelsen gäller 2023"
    ):
        read_kolada_file(_json_file(), "kolada.json", kpi="N00090", period=2023,
                         known_codes=KNOWN, downloaded_on=date(2026, 11, 30))  # fmt: skip


def _excel(rows: list[tuple[object, ...]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(("Sjukfrånvaro, kommun (nedladdad från kolada.se)",))
    sheet.append(("Nyckeltal", "Kommun-id", "Kommun", "År", "Kön", "Värde"))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_excel_file_with_a_region_written_as_a_number() -> None:
    content = _excel(
        [("N00090", 1280, "Malmö", 2024, "T", 7.9), ("N00090", 12, "Region Skåne", 2024, "T", 6.1)]
    )
    got = read_kolada_file(content, "kolada.xlsx", kpi="N00090", period=2024, known_codes=KNOWN,
                           downloaded_on=date(2026, 12, 1))  # fmt: skip
    assert got.frame["municipality"].to_list() == ["1280", "0012"]


def test_unknown_municipality_code_names_file_row_and_column() -> None:
    content = _excel(
        [("N00090", 1280, "Malmö", 2024, "T", 7.9), ("N00090", 9999, "?", 2024, "T", 1.0)]
    )
    # the header is on row 2, so the second value is on row 4
    with pytest.raises(KoladaError, match=r"kolada\.xlsx, rad 4, kolumnen kommun-id: koden 9999"):
        read_kolada_file(content, "kolada.xlsx", kpi="N00090", period=2024, known_codes=KNOWN,
                         downloaded_on=date(2026, 12, 1))  # fmt: skip


def test_other_formats_are_refused() -> None:
    with pytest.raises(KoladaError, match="varken JSON eller Excel"):
        read_kolada_file(b"a;b", "kolada.csv", kpi="N00090", period=2024, known_codes=KNOWN,
                         downloaded_on=date(2026, 12, 1))  # fmt: skip
    with pytest.raises(KoladaError, match="saknar listan 'values'"):
        read_kolada_file(json.dumps({"x": 1}).encode(), "k.json", kpi="N00090", period=2024,
                         known_codes=KNOWN, downloaded_on=date(2026, 12, 1))  # fmt: skip
