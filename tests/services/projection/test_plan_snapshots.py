"""Snapshots of the competence-supply plan document (projdata's organisation, the
default request): the printable HTML and the Excel workbook's cells as text."""

from __future__ import annotations

from snapshots import stable, xlsx_cells
from syrupy.assertion import SnapshotAssertion
from webtesting import HR, WebEnv

from hallbar.services.projection import plan


def test_plan_html(shared_env: WebEnv, snapshot: SnapshotAssertion) -> None:
    assert stable(plan.plan_html(shared_env.hb, HR, "9999", None)) == snapshot


def test_plan_excel_cells(shared_env: WebEnv, snapshot: SnapshotAssertion) -> None:
    assert xlsx_cells(plan.plan_excel(shared_env.hb, HR, "9999", None)) == snapshot
