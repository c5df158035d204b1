"""Snapshots of the key-figure artefacts (figdata's Testkommun 9999): the statutory
note as HTML and Excel (cells as text) and the Kolada file. A change to any of them
shows up as a snapshot diff to review (``pytest --snapshot-update`` accepts it)."""

from __future__ import annotations

from figweb import HR
from snapshots import stable, xlsx_cells
from syrupy.assertion import SnapshotAssertion
from webtesting import WebEnv

from hallbar.services.figures.exports import export
from hallbar.services.figures.request import FigureRequest

REQUEST = FigureRequest(year=2025)


def test_note_html(shared_env: WebEnv, snapshot: SnapshotAssertion) -> None:
    out = export(shared_env.hb, HR, "9999", REQUEST, "sjukfranvaro", "html")
    assert stable(out.content.decode("utf-8")) == snapshot


def test_note_excel_cells(shared_env: WebEnv, snapshot: SnapshotAssertion) -> None:
    out = export(shared_env.hb, HR, "9999", REQUEST, "sjukfranvaro", "xlsx")
    assert xlsx_cells(out.content) == snapshot


def test_kolada_file(shared_env: WebEnv, snapshot: SnapshotAssertion) -> None:
    out = export(shared_env.hb, HR, "9999", REQUEST, "sjukfranvaro", "kolada")
    assert stable(out.content.decode("utf-8-sig")) == snapshot
