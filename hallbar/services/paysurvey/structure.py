"""Pay-structure pictures per job: geometry for a server-rendered SVG scatter.

Points (individual pay) are shown to HR and administrators for everyone and to
a manager for the staff employed directly in the units the manager runs; each
view with points is written to the audit log. Points carry anonymous labels
("Person 1", …) only. The group's figures (P10/P50/P90, spread, regression
line) are aggregates over the whole job and are hidden when the job has fewer
than the minimum group size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from hallbar.core.access import Principal, Resource
from hallbar.core.describe import Description, FigureTable
from hallbar.core.errors import NotFound
from hallbar.paysurvey.structure import STRUCTURE_DESCRIPTION
from hallbar.privacy.model import DisclosureModel
from hallbar.services import audit, disclosure
from hallbar.services.paysurvey.access import point_units
from hallbar.services.paysurvey.survey import Computed, SurveyInfo, compute
from hallbar.services.paysurvey.tables import present

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

WIDTH, HEIGHT = 680, 380
LEFT, RIGHT, TOP, BOTTOM = 78, 20, 20, 46
JOB_NOT_FOUND = "Befattningen finns inte i kartläggningen eller så saknar du behörighet."


@dataclass(frozen=True)
class Point:
    label: str
    gender: str
    x: float
    pay: float
    cx: float
    cy: float


@dataclass(frozen=True)
class Line:
    label: str
    x1: float
    y1: float
    x2: float
    y2: float
    css: str


@dataclass(frozen=True)
class Tick:
    pos: float
    text: float


@dataclass(frozen=True)
class StructureChart:
    job: str
    points: tuple[Point, ...]
    lines: tuple[Line, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    summary: dict[str, float | int | None]
    shows_points: bool
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    bottom: int = BOTTOM
    description: Description = STRUCTURE_DESCRIPTION


@dataclass(frozen=True)
class StructureIndex:
    survey: SurveyInfo
    org_name: str
    table: FigureTable
    jobs: tuple[str, ...]


def _visible_jobs(frame: pl.DataFrame, units: frozenset[str] | None) -> list[str]:
    if units is None:
        return sorted(frame["job"].unique().to_list())
    return sorted(frame.filter(pl.col("unit_id").is_in(sorted(units)))["job"].unique().to_list())


def _job_model(hb: Hallbar, c: Computed) -> DisclosureModel:
    """The survey's jobs × gender model: every person of the survey, whoever asks."""
    info = c.stored.info
    return disclosure.breakdown_model(
        hb,
        (
            "paysurvey",
            info.org_id,
            info.id,
            info.updated_at,
            info.import_id
            if info.import_id is not None
            else hb.store.active_import_id(info.org_id),
        ),
        c.result.data,
        "job",
        hb.settings.min_group_size,
    )


def structure_index(hb: Hallbar, principal: Principal, org_id: str, year: int) -> StructureIndex:
    c = compute(hb, principal, org_id, year, Resource.PAY_STRUCTURE)
    units = point_units(principal)
    jobs = _visible_jobs(c.result.data, units) if units != frozenset() else None
    summary = c.result.structure.summary
    if jobs is not None:
        summary = summary.filter(pl.col("job").is_in(jobs))
    # Jobs × women and men decided once for the whole survey (services.disclosure), so
    # a job's women and men are hidden together and every role sees the same pattern.
    safe = disclosure.protect_breakdown(
        _job_model(hb, c), summary, "job", value_cols=["p10", "p50", "p90", "p90_p10"]
    )
    table = present(
        safe,
        ("job", "n", "n_women", "n_men", "p10", "p50", "p90", "p90_p10"),
        id="lonestruktur",
        title="Lönestruktur per befattning",
        main=(STRUCTURE_DESCRIPTION,),
    )
    return StructureIndex(c.stored.info, c.org_name, table, tuple(summary["job"].to_list()))


def nice_step(span: float, target: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 × 10^k) giving about ``target`` intervals over ``span``."""
    raw = span / target
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _ticks(lo: float, hi: float, step: float) -> list[float]:
    first = math.ceil(lo / step) * step
    return [first + i * step for i in range(int((hi - first) // step) + 1)]


def structure_chart(
    hb: Hallbar, principal: Principal, org_id: str, year: int, job: str, *, client: str = ""
) -> StructureChart:
    c = compute(hb, principal, org_id, year, Resource.PAY_STRUCTURE)
    units = point_units(principal)
    data = c.result.data
    if job not in set(data["job"].to_list()):
        raise NotFound(JOB_NOT_FOUND)
    if units is not None and units != frozenset() and job not in _visible_jobs(data, units):
        raise NotFound(JOB_NOT_FOUND)
    rows = c.result.structure.summary.filter(pl.col("job") == job).row(0, named=True)
    shown_n = _job_model(hb, c).count(None, {"job": job})  # as the index shows it
    big = shown_n is not None and shown_n > 0
    summary: dict[str, float | int | None] = {
        k: (rows[k] if big else None)
        for k in ("p10", "p50", "p90", "p90_p10", "intercept", "slope")
    }
    summary["n"] = shown_n if big else None
    pts = c.result.structure.points.filter(pl.col("job") == job)
    if units is not None:
        own = set(
            data.filter(pl.col("job") == job)
            .filter(pl.col("unit_id").is_in(sorted(units)))["person_id"]
            .to_list()
        )
        pts = pts.filter(pl.col("person_id").is_in(sorted(own)))
    shows = pts.height > 0
    x_lo, x_hi = 18.0, 70.0
    ys = [v for v in (summary["p10"], summary["p90"]) if v is not None]
    ys += pts["pay"].to_list()
    y_lo = min(ys) * 0.95 if ys else 0.0
    y_hi = max(ys) * 1.05 if ys else 1.0
    if y_hi <= y_lo:
        y_hi = y_lo + 1000.0
    y_step = nice_step(y_hi - y_lo)
    y_lo = math.floor(y_lo / y_step) * y_step
    y_hi = math.ceil(y_hi / y_step) * y_step
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(x: float) -> float:
        return round(LEFT + (x - x_lo) / (x_hi - x_lo) * pw, 1)

    def sy(y: float) -> float:
        return round(TOP + (1 - (y - y_lo) / (y_hi - y_lo)) * ph, 1)

    points = tuple(
        Point(
            f"Person {i}",
            str(r["gender"]),
            float(r["x"]),
            float(r["pay"]),
            sx(float(r["x"])),
            sy(float(r["pay"])),
        )
        for i, r in enumerate(pts.sort(["x", "pay"]).iter_rows(named=True), start=1)
    )
    lines: list[Line] = []
    for key, label, css in (
        ("p10", "P10", "pct"),
        ("p50", "Median (P50)", "median"),
        ("p90", "P90", "pct"),
    ):
        v = summary[key]
        if v is not None and y_lo <= float(v) <= y_hi:
            lines.append(Line(label, LEFT, sy(float(v)), LEFT + pw, sy(float(v)), css))
    a, b = summary["intercept"], summary["slope"]
    if a is not None and b is not None:
        # Clip the line to the plot's pay range.
        xs = [x_lo, x_hi]
        y1, y2 = float(a) + float(b) * xs[0], float(a) + float(b) * xs[1]
        lines.append(
            Line(
                "Regressionslinje",
                sx(xs[0]),
                sy(min(max(y1, y_lo), y_hi)),
                sx(xs[1]),
                sy(min(max(y2, y_lo), y_hi)),
                "fit",
            )
        )
    if shows:
        audit.record(
            hb,
            principal.username,
            audit.Action.VIEW_INDIVIDUALS,
            org_id=org_id,
            target=f"lönestruktur {year}: {job}",
            detail=f"{len(points)} personer",
            client=client,
        )
    return StructureChart(
        job,
        points,
        tuple(lines),
        tuple(Tick(sx(x), x) for x in _ticks(x_lo, x_hi, 10.0)),
        tuple(Tick(sy(y), y) for y in _ticks(y_lo, y_hi, y_step)),
        summary,
        shows,
    )
