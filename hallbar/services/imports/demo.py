"""The demo: generate Exempelkommun, import it through the real import, compute what exists.

The demo is a list of steps (``demo_steps()``) run in order on one ``DemoRun``.
A feature that wants to show up in the demo appends a ``DemoStep`` there: its
function gets the run (with the import outcome and the output directory) and
adds the files it wrote to ``run.outputs`` and a line to ``run.notes``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from hallbar import exampleorg
from hallbar.core.access import SYSTEM, Principal
from hallbar.services.context import Hallbar
from hallbar.services.imports.importing import ImportOutcome, Progress, import_export

DEFAULT_SIZE = 6000
DEFAULT_SEED = 1
DEFAULT_AS_OF = date(2025, 12, 31)


@dataclass
class DemoRun:
    """State shared by the demo's steps."""

    hb: Hallbar
    size: int
    seed: int
    as_of: date
    principal: Principal = SYSTEM
    progress: Progress | None = None
    org_id: str = ""
    org_name: str = ""
    outcome: ImportOutcome | None = None
    outputs: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def export_dir(self) -> Path:
        """Where the generated export files are written (the files a user would import)."""
        return self.hb.settings.data_dir / "exempelkommun" / "export"

    @property
    def output_dir(self) -> Path:
        """Where steps write reports and other outputs."""
        return self.hb.settings.data_dir / "utdata"


@dataclass(frozen=True)
class DemoStep:
    label: str  # Swedish, shown while the step runs
    run: Callable[[DemoRun], None]


def _generate(run: DemoRun) -> None:
    export = exampleorg.generate(size=run.size, seed=run.seed, as_of=run.as_of)
    run.org_id = export.org_id
    run.org_name = export.org_name
    exampleorg.write_csv_folder(export, run.export_dir)
    run.notes.append(f"Exempelkommun med cirka {run.size} anställda skapades i {run.export_dir}.")


def _import(run: DemoRun) -> None:
    run.outcome = import_export(
        run.hb,
        folder=run.export_dir,
        org_id=run.org_id,
        org_name=run.org_name,
        as_of=run.as_of,
        principal=run.principal,
        progress=run.progress,
    )
    run.outputs.append(run.outcome.report_path)
    run.notes.append(f"Filerna importerades som import {run.outcome.import_id}.")


def _demo_users(run: DemoRun) -> None:
    """One web user per role with a random password, printed once (issue 3)."""
    from hallbar.services.admin.auth import create_demo_users

    users = create_demo_users(run.hb, run.org_id)
    run.notes.append("Demoanvändare för webben (lösenorden visas bara nu):")
    # One user per line, so a password can be copied without its neighbours.
    run.notes.extend(
        f"Användare {name} ({role}), lösenord: {password}" for name, role, password in users
    )


def _key_figures(run: DemoRun) -> None:
    """The key-figure pack: the annual report's sick-leave table (HTML, Excel) and all figures."""
    from hallbar.services.figures.exports import export
    from hallbar.services.figures.request import FigureRequest

    run.output_dir.mkdir(parents=True, exist_ok=True)
    for view, fmt in (("sjukfranvaro", "html"), ("sjukfranvaro", "xlsx"), ("nyckeltal", "xlsx")):
        out = export(run.hb, run.principal, run.org_id, FigureRequest(), view, fmt, client="demo")
        path = run.output_dir / out.filename
        path.write_bytes(out.content)
        run.outputs.append(path)
    run.notes.append(
        f"Nyckeltal och sjukfrånvaron för årsredovisningen skrevs till {run.output_dir}."
    )


def demo_steps() -> list[DemoStep]:
    """The demo's steps in order; features append theirs to this list."""
    # Imported here, not at the top: these features build on this module (DemoRun).
    from hallbar.services.followup import examples
    from hallbar.services.regional.demo import regional_demo_step

    return [
        DemoStep("Skapar Exempelkommun", _generate),
        DemoStep("Importerar filerna", _import),
        DemoStep("Skapar demoanvändare", _demo_users),
        DemoStep("Skapar ett regionalt nätverk", regional_demo_step),
        DemoStep("Beräknar nyckeltal", _key_figures),
        DemoStep("Lägger in exempelplaner för uppföljning", examples.demo_step),
    ]


def run_demo(
    hb: Hallbar,
    *,
    size: int = DEFAULT_SIZE,
    seed: int = DEFAULT_SEED,
    as_of: date = DEFAULT_AS_OF,
    progress: Progress | None = None,
    on_step: Callable[[DemoStep], None] | None = None,
) -> DemoRun:
    """Run every demo step and return the finished run (outcome, outputs, notes)."""
    run = DemoRun(hb=hb, size=size, seed=seed, as_of=as_of, progress=progress)
    for step in demo_steps():
        if on_step is not None:
            on_step(step)
        step.run(run)
    return run
