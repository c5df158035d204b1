"""Kolada side by side for Lund (1281): recorded API answers and a file from kolada.se."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

import openpyxl
import pytest
from kolada_recorded import RecordedTransport
from regionalenv import make_regional, principal_of

from hallbar.core.errors import NotFound
from hallbar.indicators import registry
from hallbar.indicators.params import Params
from hallbar.ingest.kolada_api import KoladaClient, KoladaError
from hallbar.regional.organisations import OrgKind
from hallbar.services.context import Hallbar
from hallbar.services.regional.kolada import (
    fetch_kolada,
    import_kolada_file,
    kolada_id,
    kolada_view,
)


@pytest.fixture(scope="module")
def hb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hallbar]:
    hb, _ = make_regional(tmp_path_factory.mktemp("kolada"))
    yield hb
    hb.close()


def test_kolada_ids_come_from_the_registry() -> None:
    total = kolada_id("sick_leave_total", OrgKind.MUNICIPALITY)
    region_total = kolada_id("sick_leave_total", OrgKind.REGION)
    women = kolada_id("sick_leave_women", OrgKind.MUNICIPALITY)
    age_50_region = kolada_id("sick_leave_age_50", OrgKind.REGION)
    assert total is not None and region_total is not None and women is not None
    assert (total.kpi, total.gender, region_total.kpi) == ("N00090", "T", "N60030")  # §1
    assert (women.kpi, women.gender) == ("N00090", "K")  # gender is a cut of the total's id
    assert age_50_region is not None and age_50_region.kpi == "N60028"  # not in age order
    assert kolada_id("headcount", OrgKind.MUNICIPALITY) is None


def _own(hb: Hallbar, year: int) -> float:
    frame = registry.compute(
        "sick_leave_total", hb.dataset("1281"), Params.from_settings(hb.settings, year)
    ).frame
    return float(frame["value"][0])


def test_api_comparison_for_lund(hb: Hallbar) -> None:
    hr = principal_of(hb, "hrlund")
    transport = RecordedTransport()
    fetch_kolada(hb, hr, "1281", figure_id="sick_leave_total", year=2024,
                 client=KoladaClient(transport))  # fmt: skip
    view = kolada_view(hb, hr, "1281", figure_id="sick_leave_total", year=2024)
    assert view.comparison is not None
    assert view.source.startswith("Koladas API v3, hämtat ")
    own = _own(hb, 2024)
    lines = {line.label_sv: line for line in view.comparison.lines}
    # recorded: Lund 6.6, Skåne's group 7.3, the similar group 6.2
    assert lines["Egen beräkning"].value == pytest.approx(own)
    assert lines["Koladas publicerade värde"].difference == pytest.approx(own - 6.6)
    assert lines["Skånes kommuner (ovägt medel)"].difference == pytest.approx(own - 7.3)
    assert lines["Liknande kommuner"].difference == pytest.approx(own - 6.2)
    assert "årsredovisning" in view.comparison.note_sv


def _excel(rows: list[tuple[object, ...]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(("Nyckeltal", "Kommun-id", "År", "Kön", "Värde"))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_file_comparison_computes_skanes_mean(hb: Hallbar) -> None:
    hr = principal_of(hb, "hrlund")
    content = _excel([("N00090", 1281, 2023, "T", 6.0), ("N00090", 1280, 2023, "T", 8.0),
                      ("N00090", 1282, 2023, "T", 7.0)])  # fmt: skip
    import_kolada_file(hb, hr, "1281", figure_id="sick_leave_total", year=2023,
                       filename="kolada.xlsx", content=content,
                       downloaded_on=date(2026, 11, 2))  # fmt: skip
    view = kolada_view(hb, hr, "1281", figure_id="sick_leave_total", year=2023)
    assert view.source == "kolada.xlsx, hämtat 2026-11-02"
    assert view.comparison is not None
    skane = next(ln for ln in view.comparison.lines if ln.label_sv.startswith("Skånes"))
    assert skane.value == pytest.approx(7.0)  # (6 + 8 + 7) / 3
    assert skane.source_sv == "Egen bearbetning av data från Kolada: medel av 3 kommuner"
    assert (
        "Gruppen liknande kommuner finns inte i Kolada-underlaget." in view.comparison.messages_sv
    )


def test_bad_files_and_scope(hb: Hallbar) -> None:
    hr = principal_of(hb, "hrlund")
    with pytest.raises(KoladaError, match="gäller N00091, men jämförelsen gäller N00090"):
        import_kolada_file(hb, hr, "1281", figure_id="sick_leave_total", year=2023,
                           filename="k.xlsx", content=_excel([("N00091", 1281, 2023, "T", 1.0)]),
                           downloaded_on=date(2026, 11, 2))  # fmt: skip
    with pytest.raises(NotFound):
        kolada_view(hb, principal_of(hb, "hr9999"), "1281", figure_id="sick_leave_total", year=2024)
    missing = kolada_view(hb, hr, "1281", figure_id="sick_leave_total", year=2022)
    assert (
        missing.comparison is None
        and "Det finns inga Kolada-värden för N00090 år 2022" in missing.message
    )
