"""Flagged differences, HR's explanations and adjustments, scenarios and follow-up.

Cost of an adjustment per year = amount per month × 12 × (1 + payroll overhead
from the settings). An adjustment's timetable must end within three years of
the survey date (``Adjustment.validate``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from hallbar.core.access import Principal, Resource
from hallbar.core.describe import FigureTable
from hallbar.core.errors import NotFound
from hallbar.paysurvey import Adjustment, FlaggedDifference, TimetableStep
from hallbar.paysurvey.actions import COST_DESCRIPTION
from hallbar.services.paysurvey.survey import (
    Computed,
    PaySurveyActionRow,
    SurveyInfo,
    SurveyInputError,
    compute,
    now,
)
from hallbar.services.paysurvey.tables import page_of
from hallbar.store import paysurveys
from hallbar.store.paysurveys import ActionRecord

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

PER_PAGE = 25
STEP_LABELS = {
    "lika_arbete": "Lika arbete",
    "likvardigt_arbete": "Likvärdigt arbete",
    "kvinnodominerat": "Kvinnodominerat arbete",
}
KIND_LABELS = {"förklaring": "Saklig förklaring", "justering": "Lönejustering"}
DIFF_NOT_FOUND = "Skillnaden finns inte bland de flaggade skillnaderna i kartläggningen."


@dataclass(frozen=True)
class FlagRow:
    flag: FlaggedDifference
    step_sv: str
    action: PaySurveyActionRow | None
    cost_per_year: float | None


@dataclass(frozen=True)
class ActionsView:
    survey: SurveyInfo
    org_name: str
    rows: tuple[FlagRow, ...]
    page: int
    pages: int
    total: int
    step: str | None
    n_flagged: int
    n_explained: int
    n_adjusted: int
    total_cost: float
    overhead: float
    scenarios: FigureTable | None
    scenario_job: str | None
    scenario_jobs: tuple[str, ...]
    follow_up: FigureTable
    selected: FlagRow | None


def cost_per_year(amount_per_month: float, overhead: float) -> float:
    return amount_per_month * 12.0 * (1.0 + overhead)


def _flag_rows(c: Computed) -> list[FlagRow]:
    actions = {a.difference_id: a for a in c.stored.actions}
    out = []
    for f in c.result.flagged:
        a = actions.get(f.id)
        cost = (
            cost_per_year(a.amount_per_month, c.params.payroll_overhead)
            if a is not None and a.amount_per_month is not None
            else None
        )
        out.append(FlagRow(f, STEP_LABELS.get(f.step, f.step), a, cost))
    return out


def follow_up_table(c: Computed) -> FigureTable:
    fu = c.result.follow_up
    return FigureTable(
        "uppfoljning",
        "Uppföljning av förra årets lönejusteringar",
        fu.select(
            pl.col("difference_id").alias("Skillnad"),
            pl.col("job").alias("Befattning"),
            pl.col("amount_per_month").alias("Justering (kr/mån)"),
            pl.col("gap_before_kr").alias("Skillnad före (kr)"),
            pl.col("gap_now_kr").alias("Skillnad nu (kr)"),
            pl.col("status").alias("Bedömning"),
        ),
        (COST_DESCRIPTION,),
        (
            "Skillnad = mäns − kvinnors medellön i befattningen i år. Stängd: ingen skillnad "
            "till kvinnors nackdel; minskad: mindre än före justeringen; kvarstår: inte mindre.",
        ),
    )


def scenario_table(c: Computed, job: str) -> FigureTable | None:
    sc = c.result.scenarios.get(job)
    if not sc:
        return None
    return FigureTable(
        "scenarier",
        f"Åtgärdsscenarier för {job}",
        pl.DataFrame(
            {
                "Scenario": [s.name_sv for s in sc],
                "Antal som höjs": [s.n_raised for s in sc],
                "Höjning per månad (kr)": [s.total_per_month for s in sc],
                "Kostnad per år inkl. PO (kr)": [s.cost_per_year for s in sc],
                "Könskoefficient före (kr)": [s.gender_coefficient_before for s in sc],
                "Könskoefficient efter (kr)": [s.gender_coefficient_after for s in sc],
            },
            schema={
                "Scenario": pl.String,
                "Antal som höjs": pl.Int64,
                "Höjning per månad (kr)": pl.Float64,
                "Kostnad per år inkl. PO (kr)": pl.Float64,
                "Könskoefficient före (kr)": pl.Float64,
                "Könskoefficient efter (kr)": pl.Float64,
            },
        ),
        (COST_DESCRIPTION,),
        (
            "Scenarierna bygger på en lönemodell i kronor (lön = faktorer + kön) för gruppen; "
            "kostnad per år = höjning per månad × 12 × (1 + PO-pålägg).",
        ),
    )


def actions_view(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    year: int,
    *,
    step: str | None = None,
    page: int = 1,
    job: str | None = None,
    difference: str | None = None,
) -> ActionsView:
    c = compute(hb, principal, org_id, year, Resource.PAY_ACTIONS)
    rows = _flag_rows(c)
    shown = [r for r in rows if step is None or r.flag.step == step]
    shown.sort(key=lambda r: -r.flag.diff_kr)
    frame = pl.DataFrame({"i": list(range(len(shown)))}, schema={"i": pl.Int64})
    part, p, pages = page_of(frame, page, PER_PAGE)
    page_rows = tuple(shown[i] for i in part["i"].to_list())
    jobs = tuple(sorted(c.result.scenarios))
    scenario_job = job if job in c.result.scenarios else (jobs[0] if jobs else None)
    selected = next((r for r in rows if r.flag.id == difference), None) if difference else None
    return ActionsView(
        c.stored.info,
        c.org_name,
        page_rows,
        p,
        pages,
        len(shown),
        step,
        len(rows),
        sum(1 for r in rows if r.action is not None and r.action.kind == "förklaring"),
        sum(1 for r in rows if r.action is not None and r.action.kind == "justering"),
        sum(r.cost_per_year or 0.0 for r in rows),
        c.params.payroll_overhead,
        scenario_table(c, scenario_job) if scenario_job else None,
        scenario_job,
        jobs,
        follow_up_table(c),
        selected,
    )


_AMOUNT = re.compile(r"^-?\d+([.,]\d+)?$")


def parse_amount(text: str, what: str = "Beloppet") -> float:
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("kr", "")
    if not _AMOUNT.match(cleaned):
        raise SurveyInputError(f"{what} '{text}' är inget tal. Skriv t.ex. 1500 eller 1 500,50.")
    return float(cleaned.replace(",", "."))


def parse_timetable(text: str) -> tuple[TimetableStep, ...]:
    """One step per line: ``ÅÅÅÅ-MM-DD belopp`` (kr per month)."""
    steps = []
    for n, line in enumerate((ln.strip() for ln in text.splitlines()), start=1):
        if not line:
            continue
        parts = line.split(maxsplit=1)
        if len(parts) != 2:
            raise SurveyInputError(
                f"Rad {n} i tidsplanen ska ha ett datum och ett belopp, t.ex. 2026-04-01 750."
            )
        try:
            day = date.fromisoformat(parts[0])
        except ValueError as err:
            raise SurveyInputError(
                f"Rad {n} i tidsplanen: '{parts[0]}' är inget datum. Skriv ÅÅÅÅ-MM-DD."
            ) from err
        steps.append(TimetableStep(day, parse_amount(parts[1], f"Beloppet på rad {n}")))
    return tuple(steps)


def record_action(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    year: int,
    *,
    difference_id: str,
    kind: str,
    reason: str = "",
    objective: bool = True,
    amount: str = "",
    timetable: str = "",
) -> PaySurveyActionRow:
    """Record (or replace) HR's decision on one flagged difference."""
    c = compute(hb, principal, org_id, year, Resource.PAY_EDIT)
    flag = next((f for f in c.result.flagged if f.id == difference_id), None)
    if flag is None:
        raise NotFound(DIFF_NOT_FOUND)
    if kind not in KIND_LABELS:
        raise SurveyInputError("Välj saklig förklaring eller lönejustering.")
    reason = reason.strip()
    job = flag.subject if flag.step == "lika_arbete" else None
    amount_value: float | None = None
    steps: tuple[TimetableStep, ...] = ()
    if kind == "förklaring":
        if len(reason) < 10:
            raise SurveyInputError(
                "Beskriv den sakliga och könsneutrala orsaken till skillnaden (minst 10 tecken)."
            )
    else:
        if not amount.strip():
            raise SurveyInputError("Ange justeringens belopp i kronor per månad.")
        amount_value = parse_amount(amount)
        steps = parse_timetable(timetable)
        Adjustment(difference_id, amount_value, steps, job=job).validate(c.stored.info.survey_date)
    stamp = now()
    timetable_json = json.dumps([[st.effective.isoformat(), st.amount_per_month] for st in steps])
    paysurveys.save_action(
        hb.store,
        c.stored.info.id,
        ActionRecord(
            difference_id,
            kind,
            reason,
            objective,
            job,
            amount_value,
            flag.diff_kr,
            timetable_json,
            principal.username,
            stamp,
        ),
    )
    return PaySurveyActionRow(
        difference_id,
        kind,
        reason,
        objective,
        job,
        amount_value,
        flag.diff_kr,
        tuple((st.effective, st.amount_per_month) for st in steps),
        principal.username,
        stamp,
    )
