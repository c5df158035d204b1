"""The regional demo hook: four example municipalities of different sizes, with consents."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hallbar.services.demo import DemoRun

from hallbar.core.access import SYSTEM, Role
from hallbar.services import auth
from hallbar.services.context import Hallbar
from hallbar.services.regional.demo import DEMO_MEMBERS, regional_demo_step
from hallbar.services.regional.figures import regional_figure
from hallbar.settings import Settings


def _demo(tmp: Path) -> tuple[Hallbar, DemoRun]:
    hb = Hallbar(Settings(data_dir=tmp))
    auth.create_user(hb, SYSTEM, username="regional", password="x" * 14, role=Role.REGIONAL)
    run = DemoRun(hb=hb, size=300, seed=1, as_of=date(2025, 12, 31))
    regional_demo_step(run)
    return hb, run


def test_demo_step_builds_a_visible_network_of_distinct_members(tmp_path: Path) -> None:
    hb, run = _demo(tmp_path / "a")
    assert run.notes[0] == (
        "Skånes Kommuner: 4 exempelkommuner delar nyckeltal (Lomma, Ystad, Landskrona, Lund)."
    )
    regional = auth.principal_for(hb, 1)
    assert regional is not None
    view = regional_figure(hb, regional, "skanes-kommuner", "permanent_share", year=2025).view
    assert view.included == ("1262", "1281", "1282", "1286")
    # different sizes: each member's persons follow its generated size (150 < 300 < 450 < 700)
    persons = {r.code: r.n for r in view.rows if r.included}
    order = [code for code, _, _ in sorted(DEMO_MEMBERS, key=lambda m: m[1])]
    assert [persons[c] for c in order] == sorted(persons.values())
    # deterministic: a second installation gets the same figures
    hb2, _ = _demo(tmp_path / "b")
    again = regional_figure(hb2, auth.principal_for(hb2, 1), "skanes-kommuner",  # type: ignore[arg-type]
                            "permanent_share", year=2025).view  # fmt: skip
    assert [r.value for r in again.rows] == [r.value for r in view.rows]
    hb.close()
    hb2.close()
