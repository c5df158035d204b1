"""The demo generates Exempelkommun and stores it through the real import."""

from __future__ import annotations

from pathlib import Path

from hallbar.services.context import Hallbar
from hallbar.services.imports.demo import demo_steps, run_demo
from hallbar.settings import Settings


def test_demo_steps_start_with_generate_and_import() -> None:
    labels = [step.label for step in demo_steps()]
    assert labels[:2] == ["Skapar Exempelkommun", "Importerar filerna"]


def test_small_demo_imports_the_generated_files(tmp_path: Path) -> None:
    hb = Hallbar(Settings(data_dir=tmp_path / "data"))
    seen: list[str] = []
    run = run_demo(hb, size=300, seed=7, on_step=lambda step: seen.append(step.label))
    assert seen == [step.label for step in demo_steps()]
    assert run.outcome is not None
    # The files the generator wrote are the files that were imported.
    written = {p.name for p in run.export_dir.iterdir()}
    # The regional demo network imports its members too; Exempelkommun is the demo's own.
    [record] = [r for r in hb.store.list_imports() if r.org_id == run.org_id]
    assert set(record.files.values()) <= written
    assert record.id == run.outcome.import_id
    data = hb.dataset(run.org_id)
    assert data.employments.height == run.outcome.row_counts["employments"]
    assert data.working_time.height == run.outcome.row_counts["working_time"]
    assert data.persons.height > 0
    assert run.outcome.report_path in run.outputs
    hb.close()


def test_demo_job_levels_follow_the_ssyk_skill_level() -> None:
    from hallbar.paysurvey import EvaluationModel
    from hallbar.services.imports.demo import demo_job_levels

    # Undersköterska (5321): secondary-level skill 2, people work and physically heavy.
    usk = demo_job_levels("5321")
    assert (usk["kunskap"], usk["social_fardighet"], usk["ansvar_manniskor"]) == (2, 3, 4)
    assert (usk["fysisk_anstrangning"], usk["ansvar_ledning"]) == (4, 1)
    # Kommundirektör (1120): a manager, skill 5, leads and answers for results.
    kd = demo_job_levels("1120")
    assert (kd["kunskap"], kd["ansvar_ledning"], kd["ansvar_resultat"]) == (5, 5, 5)
    # Every sub-factor of the default model gets a level within its range.
    model = EvaluationModel.default()
    for code in ("5321", "1120", "9111", "2411", None):
        levels = demo_job_levels(code)
        assert set(levels) == {f.id for f in model.subfactors}
        assert all(1 <= levels[f.id] <= f.levels for f in model.subfactors)


def test_the_demo_pay_survey_is_the_same_every_time(tmp_path: Path) -> None:
    from hallbar.core.access import SYSTEM
    from hallbar.services.imports import demo
    from hallbar.services.paysurvey.survey import load_stored

    decided = []
    for name in ("a", "b"):
        hb = Hallbar(Settings(data_dir=tmp_path / name))
        run = demo.DemoRun(hb=hb, size=150, seed=3, as_of=demo.DEFAULT_AS_OF, principal=SYSTEM)
        demo._generate(run)
        demo._import(run)
        demo._pay_survey(run)
        stored = load_stored(hb, run.org_id, 2025)
        decided.append(
            (
                sorted((a.difference_id, a.kind, a.amount_per_month) for a in stored.actions),
                stored.scores,
            )
        )
        hb.close()
    assert decided[0] == decided[1]
    assert len(decided[0][0]) == 3
