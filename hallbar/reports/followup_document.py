"""The follow-up report per committee and period: Word (.docx) and printable HTML.

The service layer builds a ``FollowupReport`` from figures that are already
small-group protected; this module only lays it out, in the form of a yearly
strategy follow-up: one heading per goal, sub-goal and strategy, its status and
responsible, what was done (the comment), indicators with a small chart, and the
budget with a flag where the parts do not add up.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import docx
import docx.document
import jinja2
from docx.shared import Cm, Pt
from markupsafe import Markup

from hallbar.reports.svgcharts import PALETTE, fmt_number

TEMPLATE_DIR = Path(__file__).parent / "templates"
TITLE = "Uppföljning"
COUNTED_SV = "Räknas:"  # the label every page puts before whom its counts count
LIGHT_COLOURS = {"grön": "#2e7d32", "gul": "#b58900", "röd": "#b3261e", "grå": "#6b7280"}


@dataclass(frozen=True)
class ReportIndicator:
    name: str
    value: float | None
    unit: str
    reason_sv: str | None  # why there is no value
    baseline_sv: str  # "8,1 (2024)" or ""
    target_sv: str  # "6,5 (2026)" or ""
    light: str  # grön/gul/röd/grå
    light_sv: str  # "Uppnått", "På väg" …
    source_sv: str  # "Nyckeltal: Total sjukfrånvaro, Vård och omsorg" or "Manuell"
    series: tuple[tuple[str, float | None], ...]  # per period, for the chart
    target: float | None
    counted_sv: str = ""  # whom it counts: "11 månadsavlönade anställda 2025-11-01"; "" if manual


@dataclass(frozen=True)
class ReportBudget:
    allocation_sv: str  # MSEK
    outcome_sv: str
    forecast_sv: str
    deviation_sv: str
    mismatch_sv: str | None  # "Delarna summerar till 43,8 MSEK, inte 40,6 MSEK."
    allocated: bool = True  # False: only an outcome, no allocation (left out of the summary)


@dataclass(frozen=True)
class ReportRow:
    node_id: int
    depth: int
    kind_sv: str
    title: str
    description: str
    owner_sv: str  # unit and/or role
    responsible: str
    period_sv: str  # "2025-01-01 – 2026-12-31" or ""
    status_sv: str
    status_key: str
    rolled_sv: str  # "" for a leaf, else how the status was rolled up
    comment: str
    previous_comment: str
    updated_sv: str  # "anna 2025-05-12" or "Inte uppföljd i perioden"
    links: tuple[str, ...]
    indicators: tuple[ReportIndicator, ...]
    budget: ReportBudget | None


@dataclass(frozen=True)
class FollowupReport:
    org_name: str
    plan_name: str
    committee: str
    period_name: str
    period_sv: str  # "2025-01-01 – 2025-04-30"
    made_on: date
    budget_year: int | None
    rows: tuple[ReportRow, ...]
    status_counts: tuple[tuple[str, int], ...]  # (status label, leaves) in order
    budget_total_sv: str | None
    rules_sv: tuple[str, ...]  # how statuses roll up and lights are set


def number(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "–"
    return fmt_number(value, 0 if float(value).is_integer() else decimals)


# --- small charts -------------------------------------------------------------------------


def sparkline_svg(
    cid: str, title: str, series: Sequence[tuple[str, float | None]], target: float | None
) -> str:
    """A small bar chart of the values per period with the target as a dashed line."""
    values = [v for _, v in series if v is not None]
    if not values:
        return ""
    width, height, pad = 160, 44, 4
    top = max([*values, target or 0.0, 0.0]) or 1.0
    bar = (width - 2 * pad) / max(1, len(series))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" class="hb-spark" aria-label="{Markup.escape(title)}">'
    ]
    for i, (label, v) in enumerate(series):
        if v is None:
            continue
        h = (height - 2 * pad) * max(0.0, v) / top
        parts.append(
            f'<rect x="{pad + i * bar + 1:.1f}" y="{height - pad - h:.1f}" '
            f'width="{max(1.0, bar - 2):.1f}" height="{h:.1f}" fill="{PALETTE[0]}">'
            f"<title>{Markup.escape(label)}: {number(v)}</title></rect>"
        )
    if target is not None:
        y = height - pad - (height - 2 * pad) * max(0.0, target) / top
        parts.append(
            f'<line x1="{pad}" x2="{width - pad}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{PALETTE[1]}" stroke-width="1.5" stroke-dasharray="4 2"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _png(width: int, height: int, pixels: list[bytearray]) -> bytes:
    raw = b"".join(b"\x00" + bytes(row) for row in pixels)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def sparkline_png(series: Sequence[tuple[str, float | None]], target: float | None) -> bytes | None:
    """The same chart as a PNG for Word (drawn pixel by pixel: no plotting library needed)."""
    values = [v for _, v in series if v is not None]
    if not values:
        return None
    width, height, pad = 240, 60, 4
    top = max([*values, target or 0.0, 0.0]) or 1.0
    pixels = [bytearray(b"\xff" * (width * 3)) for _ in range(height)]
    bar_colour, target_colour = _rgb(PALETTE[0]), _rgb(PALETTE[1])
    bar = (width - 2 * pad) // max(1, len(series))
    for i, (_, v) in enumerate(series):
        if v is None:
            continue
        h = round((height - 2 * pad) * max(0.0, v) / top)
        for y in range(height - pad - h, height - pad):
            for x in range(pad + i * bar + 2, pad + (i + 1) * bar - 2):
                pixels[y][3 * x : 3 * x + 3] = bytes(bar_colour)
    if target is not None:
        y = height - pad - round((height - 2 * pad) * max(0.0, target) / top)
        y = min(height - 1, max(0, y))
        for x in range(pad, width - pad):
            if (x // 4) % 2 == 0:
                pixels[y][3 * x : 3 * x + 3] = bytes(target_colour)
    return _png(width, height, pixels)


# --- Word ---------------------------------------------------------------------------------


BUDGET_COLUMNS = ("Rad", "Budget (MSEK)", "Utfall", "Prognos", "Avvikelse", "Summerar")


def budget_cells(row: ReportRow) -> tuple[str, ...]:
    """One row of the budget summary (the Word table and the printable page)."""
    b = row.budget
    assert b is not None
    indent = "  " * row.depth
    return (
        f"{indent}{row.title}",
        b.allocation_sv,
        b.outcome_sv,
        b.forecast_sv,
        b.deviation_sv,
        "Nej" if b.mismatch_sv else "Ja",
    )


def write_docx(report: FollowupReport) -> bytes:
    """The report as a Word document (bytes)."""
    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.name = "Calibri"  # type: ignore[union-attr]
    style.font.size = Pt(11)  # type: ignore[union-attr]
    doc.core_properties.title = f"{TITLE} {report.period_name} – {report.plan_name}"
    doc.core_properties.language = "sv-SE"
    doc.add_heading(f"{TITLE} {report.period_name}", level=0)
    doc.add_paragraph(f"{report.plan_name} · {report.org_name}")
    if report.committee:
        doc.add_paragraph(f"Nämnd: {report.committee}")
    doc.add_paragraph(f"Period: {report.period_sv}. Sammanställd {report.made_on.isoformat()}.")
    doc.add_heading("Sammanfattning", level=1)
    summary = doc.add_table(rows=1, cols=2)
    summary.style = "Table Grid"
    summary.rows[0].cells[0].text = "Status"
    summary.rows[0].cells[1].text = "Antal aktiviteter"
    for label, count in report.status_counts:
        cells = summary.add_row().cells
        cells[0].text = label
        cells[1].text = str(count)
    if report.budget_total_sv:
        doc.add_paragraph(f"Budget {report.budget_year}: {report.budget_total_sv}")
    for row in report.rows:
        _docx_row(doc, row)
    budget_rows = [r for r in report.rows if r.budget is not None and r.budget.allocated]
    if budget_rows:
        doc.add_heading(f"Budget {report.budget_year} sammandrag", level=1)
        table = doc.add_table(rows=1, cols=len(BUDGET_COLUMNS))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, BUDGET_COLUMNS, strict=True):
            cell.text = text
        for r in budget_rows:
            for cell, text in zip(table.add_row().cells, budget_cells(r), strict=True):
                cell.text = text
    doc.add_heading("Så läses rapporten", level=1)
    for rule in report.rules_sv:
        doc.add_paragraph(rule, style="List Bullet")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_row(doc: docx.document.Document, row: ReportRow) -> None:
    doc.add_heading(f"{row.kind_sv}: {row.title}", level=min(row.depth + 1, 4))
    facts = [f"Status: {row.status_sv}"]
    if row.rolled_sv:
        facts.append(f"({row.rolled_sv})")
    doc.add_paragraph(" ".join(facts))
    who = [
        x for x in (row.owner_sv, f"Ansvarig: {row.responsible}" if row.responsible else "") if x
    ]
    if who:
        doc.add_paragraph(" · ".join(who))
    if row.period_sv:
        doc.add_paragraph(f"Genomförande: {row.period_sv}")
    if row.description:
        doc.add_paragraph(row.description)
    if row.comment:
        doc.add_paragraph().add_run("Uppföljning: ").bold = True
        doc.paragraphs[-1].add_run(row.comment)
    if row.previous_comment:
        p = doc.add_paragraph()
        p.add_run("Föregående period: ").italic = True
        p.add_run(row.previous_comment).italic = True
    doc.add_paragraph(row.updated_sv)
    for ind in row.indicators:
        p = doc.add_paragraph()
        p.add_run(f"{ind.name}: ").bold = True
        if ind.value is None:
            p.add_run(f"inget värde – {ind.reason_sv}")
        else:
            p.add_run(f"{number(ind.value)} {ind.unit}".strip())
        p.add_run(f" · {ind.light_sv}")
        details = [
            x
            for x in (
                ind.baseline_sv and f"utgångsläge {ind.baseline_sv}",
                ind.target_sv and f"mål {ind.target_sv}",
                ind.source_sv,
                ind.counted_sv and f"{COUNTED_SV} {ind.counted_sv}",
            )
            if x
        ]
        if details:
            p.add_run(f" ({'; '.join(details)})")
        image = sparkline_png(ind.series, ind.target)
        if image is not None:
            doc.add_picture(io.BytesIO(image), width=Cm(5))
    if row.budget is not None:
        b = row.budget
        doc.add_paragraph(
            f"Budget: {b.allocation_sv} MSEK · utfall {b.outcome_sv} · prognos {b.forecast_sv} "
            f"· avvikelse {b.deviation_sv} MSEK"
        )
        if b.mismatch_sv:
            doc.add_paragraph(f"Obs! {b.mismatch_sv}")
    for link in row.links:
        doc.add_paragraph(f"Dokument: {link}")


def docx_text(content: bytes) -> str:
    """The document's text, paragraph by paragraph and table by table (tests and previews)."""
    doc = docx.Document(io.BytesIO(content))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for r in table.rows:
            lines.append(" | ".join(c.text for c in r.cells))
    return "\n".join(lines)


# --- printable HTML -------------------------------------------------------------------------


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = number
    env.filters["dates"] = unbroken_dates
    return env


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def unbroken_dates(text: str) -> Markup:
    """``text`` escaped, each ISO date in a ``date`` span that the page keeps on one line:
    a printed "2025-11-" with "01" on the next line reads as another date."""
    return Markup(
        _ISO_DATE.sub(lambda m: f'<span class="date">{m.group(0)}</span>', str(Markup.escape(text)))
    )


def render_report_html(report: FollowupReport) -> str:
    """The report as one self-contained printable page (inline SVG, print CSS, no scripts)."""
    charts = {
        (row.node_id, i): Markup(
            sparkline_svg(f"s{row.node_id}-{i}", ind.name, ind.series, ind.target)
        )
        for row in report.rows
        for i, ind in enumerate(row.indicators)
    }
    return (
        _environment()
        .get_template("followup/report.html.jinja")
        .render(
            report=report,
            title=TITLE,
            charts=charts,
            colours=LIGHT_COLOURS,
            counted_label=COUNTED_SV,
            budget_columns=BUDGET_COLUMNS,
            budget_rows=[
                budget_cells(r) for r in report.rows if r.budget is not None and r.budget.allocated
            ],
        )
    )
