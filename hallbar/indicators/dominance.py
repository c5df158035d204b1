"""Women- vs men-dominated working conditions (the county boards' 2023 report
'Hur jämställda är arbetsvillkoren?', seed 000).

Per organisation: the most women-dominated and the most men-dominated
occupational group (SSYK or AID, at least ``dominance_min_group`` persons,
dominated = at least ``gender_dominance_threshold`` of one gender), compared on
sick leave, part time, employees per manager, temporary employment, overtime,
split shifts and unsocial hours per FTE, and median pay. A condition the data
cannot support is reported as missing with a Swedish note, never as a number.

Staff with manager responsibility are left out when the groups are chosen: the
report compares the working conditions of the staff in an occupation (care
against technical work, in most municipalities), and one of the conditions is
the number of employees per manager, which says nothing about the managers
themselves. Managers' own conditions are the dashboard's third priority area.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from hallbar.core.codes import Gender
from hallbar.core.dataset import HRData
from hallbar.core.describe import Description, FigureTable
from hallbar.core.errors import HallbarError, InsufficientData
from hallbar.indicators import registry
from hallbar.indicators.managers import employee_managers, spans
from hallbar.indicators.params import Params
from hallbar.indicators.views import person_view


@dataclass(frozen=True)
class OccupationGroup:
    occupation: str
    n: int
    share_women: float  # 0–1


@dataclass(frozen=True)
class ComparisonRow:
    metric: str
    label_sv: str
    unit: str
    women_dominated: float | None
    men_dominated: float | None
    note_sv: str | None = None


@dataclass(frozen=True)
class DominanceComparison:
    org_id: str
    year: int
    occupation_key: str
    women_group: OccupationGroup | None
    men_group: OccupationGroup | None
    rows: tuple[ComparisonRow, ...]
    notes_sv: tuple[str, ...] = ()

    def row(self, metric: str) -> ComparisonRow:
        for r in self.rows:
            if r.metric == metric:
                return r
        raise KeyError(metric)

    def to_table(self) -> FigureTable:
        w = self.women_group.occupation if self.women_group else "–"
        m = self.men_group.occupation if self.men_group else "–"
        frame = pl.DataFrame(
            {
                "arbetsvillkor": [r.label_sv for r in self.rows],
                "enhet": [r.unit for r in self.rows],
                f"kvinnodominerat ({w})": [r.women_dominated for r in self.rows],
                f"mansdominerat ({m})": [r.men_dominated for r in self.rows],
                "kommentar": [r.note_sv for r in self.rows],
            },
            schema_overrides={
                f"kvinnodominerat ({w})": pl.Float64,
                f"mansdominerat ({m})": pl.Float64,
            },
        )
        return FigureTable(
            id=f"dominance_{self.org_id}_{self.year}",
            title_sv="Arbetsvillkor i kvinno- och mansdominerade yrken",
            frame=frame,
            descriptions=(DESCRIPTION,),
            notes_sv=self.notes_sv,
        )


DESCRIPTION = Description(
    id="dominance_comparison",
    name_sv="Arbetsvillkor i kvinno- och mansdominerade yrken",
    definition_sv=(
        "Det mest kvinnodominerade och det mest mansdominerade yrket (minst 60 % av ett kön, minst tio personer) "
        "jämförs på sjukfrånvaro, deltid, antal medarbetare per chef, visstid, övertid, delade turer, OB-timmar "
        "och medianlön."
    ),
    population_sv="Månadsavlönade anställda på mätdagen i de två yrkesgrupperna.",
    unit="se rad",
    source="Länsstyrelserna, Hur jämställda är arbetsvillkoren? (2023); DO:s vägledning (60 %)",
    min_group_size=10,
)


def pick_groups(
    view: pl.DataFrame, params: Params
) -> tuple[OccupationGroup | None, OccupationGroup | None]:
    key = params.occupation_key
    groups = (
        view.filter(pl.col(key).is_not_null() & ~pl.col("is_manager").fill_null(False))
        .group_by(key)
        .agg(
            pl.len().alias("n"),
            (pl.col("gender") == Gender.WOMAN.value).mean().alias("share_women"),
        )
        .filter(pl.col("n") >= params.dominance_min_group)
    )
    t = params.gender_dominance_threshold
    women = groups.filter(pl.col("share_women") >= t).sort(
        ["share_women", "n", key], descending=[True, True, False]
    )
    men = groups.filter((1 - pl.col("share_women")) >= t).sort(
        ["share_women", "n", key], descending=[False, True, False]
    )

    def first(frame: pl.DataFrame) -> OccupationGroup | None:
        if frame.height == 0:
            return None
        r = frame.row(0, named=True)
        return OccupationGroup(str(r[key]), int(r["n"]), float(r["share_women"]))

    return first(women), first(men)


_METRICS: tuple[tuple[str, str, str, str, Callable[[float], float]], ...] = (
    # metric, figure id, label, unit, transform of the figure's value
    ("sick_leave", "sick_leave_total", "Sjukfrånvaro", "%", lambda v: v),
    (
        "part_time",
        "fulltime_employed",
        "Andel deltidsanställda (tillsvidare)",
        "%",
        lambda v: 100.0 - v,
    ),
    ("temporary", "permanent_share", "Andel visstidsanställda", "%", lambda v: 100.0 - v),
    ("overtime", "overtime_per_fte", "Övertid per årsarbetare", "timmar", lambda v: v),
    ("split_shifts", "split_shifts_per_fte", "Delade turer per årsarbetare", "antal", lambda v: v),
    (
        "unsocial_hours",
        "unsocial_hours_per_fte",
        "OB-timmar per årsarbetare",
        "timmar",
        lambda v: v,
    ),
)


def _lookup(
    frame: pl.DataFrame, key: str, occupation: str, column: str, min_n: int
) -> tuple[float | None, str | None]:
    hit = frame.filter(pl.col(key) == occupation)
    if hit.height == 0 or hit[column][0] is None:
        return None, "Uppgift saknas för yrket."
    if "n" in hit.columns and hit["n"][0] < min_n:
        return None, f"För få personer (färre än {min_n}) för att visa värdet."
    return float(hit[column][0]), None


def _pair_row(metric: str, label: str, unit: str, values: list[float | None]) -> ComparisonRow:
    note = None if all(v is not None for v in values) else "Uppgift saknas för något av yrkena."
    return ComparisonRow(metric, label, unit, values[0], values[1], note)


def _span_mean(data: HRData, params: Params, occupation: str) -> float | None:
    emp = employee_managers(data, params).filter(pl.col(params.occupation_key) == occupation)
    managers = emp.select("org_id", "manager_person_id").drop_nulls().unique()
    s = spans(data, params).join(managers, on=["org_id", "manager_person_id"], how="semi")
    return None if s.height == 0 else float(s["span"].mean())  # type: ignore[arg-type]


def _compare_org(data: HRData, params: Params, org_id: str) -> DominanceComparison:
    key = params.occupation_key
    org = data
    if data.employments["org_id"].n_unique() > 1:
        org = data.with_frames(
            **{
                name: f.filter(pl.col("org_id") == org_id)
                for name, f in data.frames().items()
                if "org_id" in f.columns
            }
        )
    view = person_view(org, params.snapshot, params.year, monthly_paid_only=True)
    women, men = pick_groups(view, params)
    notes: list[str] = []
    if women is None:
        notes.append(
            f"Inget yrke med minst {params.dominance_min_group} personer har minst {params.gender_dominance_threshold:.0%} kvinnor."
        )
    if men is None:
        notes.append(
            f"Inget yrke med minst {params.dominance_min_group} personer har minst {params.gender_dominance_threshold:.0%} män."
        )
    p = params.with_(by=(key,))
    rows: list[ComparisonRow] = []
    groups = [g for g in (women, men)]

    for metric, figure_id, label, unit, transform in _METRICS:
        figure = registry.get(figure_id)
        min_n = max(figure.description.min_group_size, params.min_group_size)
        try:
            frame = figure.compute_fn(org, p)
        except HallbarError as err:
            rows.append(ComparisonRow(metric, label, unit, None, None, f"Uppgift saknas: {err}"))
            continue
        values: list[float | None] = []
        row_notes: list[str] = []
        for g in groups:
            if g is None:
                values.append(None)
                continue
            v, note = _lookup(frame, key, g.occupation, "value", min_n)
            values.append(None if v is None else transform(v))
            if note:
                row_notes.append(f"{g.occupation}: {note}")
        rows.append(
            ComparisonRow(metric, label, unit, values[0], values[1], " ".join(row_notes) or None)
        )

    span_label = "Medarbetare per chef (medel för yrkets chefer)"
    try:
        spans_ = [None if g is None else _span_mean(org, p, g.occupation) for g in groups]
        rows.insert(2, _pair_row("span", span_label, "personer", spans_))
    except InsufficientData as err:
        rows.insert(
            2, ComparisonRow("span", span_label, "personer", None, None, f"Uppgift saknas: {err}")
        )
    try:
        pay = registry.get("pay_percentiles").compute_fn(org, p)
        pays = [
            None if g is None else _lookup(pay, key, g.occupation, "p50", params.min_group_size)[0]
            for g in groups
        ]
        rows.append(_pair_row("median_pay", "Medianlön (heltid)", "kr", pays))
    except HallbarError as err:
        rows.append(
            ComparisonRow(
                "median_pay", "Medianlön (heltid)", "kr", None, None, f"Uppgift saknas: {err}"
            )
        )
    return DominanceComparison(org_id, params.year, key, women, men, tuple(rows), tuple(notes))


def compare_dominated_groups(data: HRData, params: Params) -> tuple[DominanceComparison, ...]:
    """One comparison per organisation in ``data``."""
    orgs = sorted(data.employments["org_id"].unique().to_list())
    if not orgs:
        raise InsufficientData("Det finns inga anställningar i underlaget.")
    return tuple(_compare_org(data, params, org) for org in orgs)
