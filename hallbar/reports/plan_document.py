"""The competence-supply plan (kompetensförsörjningsplan) as printable HTML and Excel.

The service layer builds a ``PlanDocument`` from figures that are already
small-group protected; this module only lays them out. The HTML is one
self-contained page (inline SVG charts, print CSS, no scripts, no external
resources); the Excel file is ``write_excel``'s layout (a definitions sheet,
one sheet per table, native charts).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path

import jinja2
import polars as pl
from markupsafe import Markup

from hallbar.core.describe import ChartSpec, Description, FigureTable
from hallbar.reports.excel import write_excel
from hallbar.reports.html import render_html_table
from hallbar.reports.svgcharts import fmt_number

TEMPLATE_DIR = Path(__file__).parent / "templates"
TITLE = "Kompetensförsörjningsplan"

# The sections every plan has, in order (tests check for these headings).
SECTIONS: tuple[str, ...] = (
    "Sammanfattning",
    "Scenario och antaganden",
    "Rekryteringsbehov per år och orsak",
    "Åtgärdernas effekt",
    "Per yrke",
    "Planerade aktiviteter",
    "Definitioner",
)


@dataclass(frozen=True)
class PlanActivity:
    occupation: str
    text: str
    responsible: str
    timeframe: str


@dataclass(frozen=True)
class PlanOccupation:
    """One occupation group: its horizon figures (None = hidden), age structure and activities."""

    group: str
    figures: dict[str, float | None]
    age_table: FigureTable | None
    pyramid_svg: str
    activities: tuple[PlanActivity, ...]


@dataclass(frozen=True)
class PlanDocument:
    org_id: str
    org_name: str
    scope_label: str
    created: date
    period: str  # "2026–2035"
    scenario_name: str
    scenario_description: str
    settings: tuple[tuple[str, str], ...]  # (setting, value) in Swedish
    key_figures: tuple[tuple[str, str], ...]  # (label, formatted value)
    occupations_table: FigureTable
    yearly_table: FigureTable
    waterfall_table: FigureTable
    need_chart_svg: str
    waterfall_svg: str
    occupations: tuple[PlanOccupation, ...]
    general_activities: tuple[PlanActivity, ...]
    notices: tuple[str, ...]
    comparison_table: FigureTable | None = None
    comparison_svg: str = ""
    figure_labels: tuple[tuple[str, str], ...] = ()  # (figure id, Swedish name) per occupation


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    return env


def _num(value: float | None, decimals: int = 0) -> str:
    # The charts' number format, so a table and its chart write a value alike.
    return "–" if value is None else fmt_number(value, decimals)


def all_descriptions(doc: PlanDocument) -> tuple[Description, ...]:
    seen: dict[str, Description] = {}
    tables = [doc.occupations_table, doc.yearly_table, doc.waterfall_table]
    tables += [o.age_table for o in doc.occupations if o.age_table is not None]
    if doc.comparison_table is not None:
        tables.append(doc.comparison_table)
    for table in tables:
        for d in table.descriptions:
            seen.setdefault(d.id, d)
    return tuple(seen.values())


def render_plan_html(doc: PlanDocument) -> str:
    """The whole plan as one printable HTML page (Swedish)."""
    tables = {
        "occupations": Markup(render_html_table(doc.occupations_table)),
        "yearly": Markup(render_html_table(doc.yearly_table)),
        "waterfall": Markup(render_html_table(doc.waterfall_table)),
        "comparison": Markup(render_html_table(doc.comparison_table))
        if doc.comparison_table is not None
        else None,
    }
    ages = {o.group: Markup(render_html_table(o.age_table)) for o in doc.occupations if o.age_table}
    return (
        _environment()
        .get_template("plan/plan.html.jinja")
        .render(
            doc=doc,
            title=TITLE,
            sections=SECTIONS,
            tables=tables,
            ages=ages,
            need_svg=Markup(doc.need_chart_svg),
            waterfall_svg=Markup(doc.waterfall_svg),
            comparison_svg=Markup(doc.comparison_svg),
            pyramids={o.group: Markup(o.pyramid_svg) for o in doc.occupations},
            descriptions=all_descriptions(doc),
        )
    )


def _text_table(
    table_id: str, title: str, rows: Sequence[dict[str, str]], cols: Sequence[str]
) -> FigureTable:
    frame = pl.DataFrame(
        [{c: r.get(c, "") for c in cols} for r in rows] or None,
        schema={c: pl.String for c in cols},
    )
    return FigureTable(table_id, title, frame)


def plan_tables(doc: PlanDocument) -> list[FigureTable]:
    """The plan's tables in Excel order, with native chart requests."""
    yearly = doc.yearly_table
    value_cols = tuple(
        c
        for c in ("projection_demand_change", "projection_retirements", "projection_turnover")
        if c in yearly.frame.columns
    )
    first = yearly.frame.columns[0]
    tables = [
        _text_table(
            "plan_summary",
            "Sammanfattning",
            [
                {"Uppgift": k, "Värde": v}
                for k, v in (
                    ("Organisation", f"{doc.org_name} ({doc.org_id})"),
                    ("Urval", doc.scope_label),
                    ("Period", doc.period),
                    ("Scenario", doc.scenario_name),
                    ("Beskrivning", doc.scenario_description),
                    *doc.key_figures,
                )
            ],
            ("Uppgift", "Värde"),
        ),
        _text_table(
            "plan_settings",
            "Scenario och antaganden",
            [{"Inställning": k, "Värde": v} for k, v in doc.settings],
            ("Inställning", "Värde"),
        ),
        replace(
            yearly,
            chart=ChartSpec(first, value_cols, "column", "Rekryteringsbehov per år och orsak"),
        ),
        replace(
            doc.waterfall_table,
            chart=ChartSpec(
                doc.waterfall_table.frame.columns[0],
                (doc.waterfall_table.frame.columns[1],),
                "bar",
                "Åtgärdernas effekt på rekryteringsbehovet",
            ),
        ),
        replace(
            doc.occupations_table,
            chart=ChartSpec(
                doc.occupations_table.frame.columns[0],
                ("projection_retirements", "projection_turnover", "projection_demand_change"),
                "bar",
                "Rekryteringsbehov per yrke och orsak",
            ),
        ),
    ]
    if doc.comparison_table is not None:
        tables.append(
            replace(
                doc.comparison_table,
                chart=ChartSpec(
                    doc.comparison_table.frame.columns[0],
                    ("projection_need",),
                    "column",
                    "Rekryteringsbehov per scenario",
                ),
            )
        )
    for occ in doc.occupations:
        if occ.age_table is None:
            continue
        cols = occ.age_table.frame.columns
        tables.append(
            replace(
                occ.age_table,
                chart=ChartSpec(cols[0], tuple(cols[1:3]), "bar", occ.age_table.title_sv),
            )
        )
    activities = [
        {
            "Yrke": a.occupation,
            "Aktivitet": a.text,
            "Ansvarig": a.responsible,
            "Tidsram": a.timeframe,
        }
        for a in (*doc.general_activities, *(a for o in doc.occupations for a in o.activities))
    ]
    tables.append(
        _text_table(
            "plan_activities",
            "Planerade aktiviteter",
            activities,
            ("Yrke", "Aktivitet", "Ansvarig", "Tidsram"),
        )
    )
    return tables


# Short sheet names (Excel allows 31 characters) by table id; the first cell has the title.
SHEET_NAMES = {"projection_yearly": "Behov per år och orsak"}


def write_plan_excel(doc: PlanDocument, path: str | Path) -> Path:
    return write_excel(
        plan_tables(doc),
        path,
        title=f"{TITLE} – {doc.scenario_name}",
        org_name=doc.org_name,
        period=doc.period,
        created=doc.created,
        sheet_names=SHEET_NAMES,
    )
