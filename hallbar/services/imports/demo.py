"""The demo: generate Exempelkommun, import it through the real import, compute what exists.

The demo is a list of steps (``demo_steps()``) run in order on one ``DemoRun``.
A feature that wants to show up in the demo appends a ``DemoStep`` there: its
function gets the run (with the import outcome and the output directory) and
adds the files it wrote to ``run.outputs`` and a line to ``run.notes``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
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
        # Generated demo data replaces an earlier demo's: no one to ask.
        confirm=True,
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


# --- the started pay survey ------------------------------------------------------------

PAY_SURVEY_PARTICIPANTS = (
    "HR-avdelningen (exempel) tillsammans med Kommunal, Vision, Vårdförbundet och Sveriges lärare"
)
# People work: health care (22), teaching (23), social work (26), care workers (53),
# social and case work at associate level (33, 34).
_PEOPLE_WORK = ("22", "23", "26", "33", "34", "53")
# Physically heavy work: care workers, cooks, caretakers, gardeners, cleaners, kitchen staff.
_PHYSICAL = ("51", "53", "61", "91", "94")
# A job's skill level from the first SSYK digit (SSYK 2012's skill levels: managers and
# professions requiring a degree highest, elementary occupations lowest).
_SKILL = {"1": 5, "2": 4, "3": 3, "4": 2, "5": 2, "6": 2, "7": 2, "8": 2, "9": 1}


def demo_job_levels(ssyk: str | None) -> dict[str, int]:
    """Illustrative levels (1–5) of the default model's sub-factors for a job, from its SSYK
    code: a plausible, deterministic starting point for the demo, not an evaluation."""
    code = ssyk or ""
    skill = _SKILL.get(code[:1], 2)
    manager = code.startswith("1")
    people = code[:2] in _PEOPLE_WORK
    physical = code[:2] in _PHYSICAL
    return {
        "kunskap": skill,
        "problemlosning": skill,
        "social_fardighet": min(5, skill + 1) if people or manager else skill,
        "ansvar_manniskor": 4 if people or manager else 2,
        "ansvar_ekonomi": 4 if manager else 3 if code.startswith("24") else 2,
        "ansvar_ledning": 5 if manager else 2 if skill >= 4 else 1,
        "ansvar_resultat": 5 if manager else max(1, skill - 1),
        "fysisk_anstrangning": 4 if physical else 1,
        "psykisk_anstrangning": 4 if people or manager else 2,
        "koncentration": 3 if skill >= 4 else 2,
        "fysisk_arbetsmiljo": 4 if physical else 2,
        "psykosocial_arbetsmiljo": 4 if people or manager else 2,
    }


_EXPLANATIONS = (
    "Exempel: skillnaden förklaras av längre erfarenhet i yrket och ansvar för handledning av "
    "studenter. Bedömd som saklig och könsneutral tillsammans med de fackliga organisationerna.",
    "Exempel: skillnaden beror på en marknadslön vid en svårrekryterad tjänst 2024. Bedömd som "
    "saklig; följs upp i nästa kartläggning.",
)


def _pay_survey(run: DemoRun) -> None:
    """A started pay survey: every job evaluated, a few differences explained, one adjusted."""
    import polars as pl

    from hallbar.core.access import Resource
    from hallbar.services.paysurvey import actions, evaluation, survey

    hb, who, org = run.hb, run.principal, run.org_id
    info = survey.create_survey(
        hb,
        who,
        org,
        year=run.as_of.year,
        survey_date=run.as_of.isoformat(),
        participants=PAY_SURVEY_PARTICIPANTS,
    )
    jobs = survey.jobs_in_data(hb, info)["job"].to_list()
    # A title's SSYK code: the most common among its employments (ties by code).
    codes = (
        hb.dataset(org)
        .employments.filter(pl.col("title").is_not_null())
        .group_by("title", "ssyk")
        .len()
        .sort(["title", "len", "ssyk"], descending=[False, True, False], nulls_last=True)
        .group_by("title", maintain_order=True)
        .first()
    )
    ssyk = dict(zip(codes["title"].to_list(), codes["ssyk"].to_list(), strict=True))
    scores = {job: {k: str(v) for k, v in demo_job_levels(ssyk.get(job)).items()} for job in jobs}
    rows = {job: i for i, job in enumerate(jobs, start=2)}
    evaluation.import_levels(hb, who, org, info.year, scores, rows, "demo")
    flagged = sorted(
        survey.compute(hb, who, org, info.year, Resource.PAY_EDIT).result.flagged,
        key=lambda f: (-f.diff_kr, f.id),
    )
    # The largest gap between women and men in the same job gets an adjustment; the two
    # largest of the rest an explanation.
    adjust = next((f for f in flagged if f.step == "lika_arbete"), None)
    explain = [f for f in flagged if f is not adjust][: len(_EXPLANATIONS)]
    if adjust is not None:
        # Half the gap from April next year, the rest a year later (within three years).
        amount = max(100, round(adjust.diff_kr / 100) * 100)
        first = amount // 2
        actions.record_action(
            hb,
            who,
            org,
            info.year,
            difference_id=adjust.id,
            kind="justering",
            amount=str(amount),
            timetable=f"{info.year + 1}-04-01 {first}\n{info.year + 2}-04-01 {amount - first}",
        )
    for flag, reason in zip(explain, _EXPLANATIONS, strict=False):
        actions.record_action(
            hb, who, org, info.year, difference_id=flag.id, kind="förklaring", reason=reason
        )
    adjusted, explained = int(adjust is not None), len(explain)
    run.notes.append(
        f"Lönekartläggning {info.year} påbörjad: {len(jobs)} befattningar värderade, "
        f"{len(flagged)} skillnader flaggade, {explained} förklarade och {adjusted} med "
        "lönejustering (exempel)."
    )


# --- pay transparency ------------------------------------------------------------------

PAY_CRITERIA = {
    "Vård och omsorg": (
        "Yrkeskunnande: kunskaper och färdigheter i omvårdnad och dokumentation\n"
        "Ansvar: ansvar för brukarnas säkerhet och för att handleda nya kolleger\n"
        "Samarbete: bidrar till arbetsgruppens utveckling och ett gott arbetsklimat"
    ),
    "Utbildning": (
        "Pedagogiskt arbete: planerar, genomför och följer upp undervisningen\n"
        "Utveckling: bidrar till skolans systematiska kvalitetsarbete\n"
        "Samverkan: samarbetar med vårdnadshavare, kolleger och elevhälsa"
    ),
}
DEMO_REQUEST_JOB = "Undersköterska"


def _pay_transparency(run: DemoRun) -> None:
    """Pay-setting criteria for two job families and one answered request for pay information."""
    import polars as pl

    from hallbar.core.population import MONTHLY_PAID_FORMS
    from hallbar.services.paytransparency import criteria, requests

    hb, who, org = run.hb, run.principal, run.org_id
    valid_from = date(run.as_of.year + 1, 1, 1).isoformat()
    for family, text in PAY_CRITERIA.items():
        criteria.save_criteria(hb, who, org, job_family=family, text=text, valid_from=valid_from)
    day = run.as_of
    staff = (
        hb.dataset(org)
        .employments.filter(
            (pl.col("title") == DEMO_REQUEST_JOB)
            & pl.col("employment_form").is_in(MONTHLY_PAID_FORMS)
            & (pl.col("start_date") <= day)
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= day))
            # Hållbar's staff-list ids are taken as ids when they hold a letter.
            & pl.col("person_id").str.contains("[a-z]")
        )["person_id"]
        .unique()
        .sort()
    )
    answered = 0
    if staff.len():
        req = requests.register(
            hb,
            who,
            org,
            person=str(staff[0]),
            received_on=day.isoformat(),
            requested_by="arbetstagaren själv",
            job=DEMO_REQUEST_JOB,
        )
        requests.draft(hb, who, org, req.id)
        requests.answer(hb, who, org, req.id, (day + timedelta(days=14)).isoformat())
        answered = 1
    run.notes.append(
        f"Lönetransparens: lönekriterier för {len(PAY_CRITERIA)} yrkesfamiljer och "
        f"{answered} besvarad begäran om löneinformation (exempel)."
    )


def demo_steps() -> list[DemoStep]:
    """The demo's steps in order; features append theirs to this list."""
    # Imported here, not at the top: these features build on this module (DemoRun).
    from hallbar.services.followup import examples
    from hallbar.services.projection.demo import projection_demo_step
    from hallbar.services.regional.demo import regional_demo_step

    return [
        DemoStep("Skapar Exempelkommun", _generate),
        DemoStep("Importerar filerna", _import),
        DemoStep("Skapar demoanvändare", _demo_users),
        DemoStep("Skapar ett regionalt nätverk", regional_demo_step),
        DemoStep("Beräknar nyckeltal", _key_figures),
        DemoStep("Lägger in exempelplaner för uppföljning", examples.demo_step),
        DemoStep("Påbörjar en lönekartläggning", _pay_survey),
        DemoStep("Lägger in lönekriterier och en begäran om löneinformation", _pay_transparency),
        DemoStep("Sparar ett scenario och en kompetensförsörjningsplan", projection_demo_step),
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
