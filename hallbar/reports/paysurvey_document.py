"""The written documentation of a pay survey (Diskrimineringslagen 3 kap. 13 §).

``PaySurveyDocument`` is built by the service layer; this module renders it as
a printable HTML document (print CSS, page breaks between sections) and as an
Excel workbook (``write_excel`` with every table and a definitions sheet, plus
a ``Dokumentation`` sheet with the text of each section first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font

from hallbar.core.describe import Description, FigureTable
from hallbar.reports.excel import write_excel
from hallbar.reports.html import render_html_table, template_environment
from hallbar.reports.safe_text import append_row

TEMPLATE_DIR = Path(__file__).parent / "templates" / "paysurvey"
TEXT_SHEET = "Dokumentation"


@dataclass(frozen=True)
class DocSection:
    id: str
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[FigureTable, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()  # (label, value) pairs shown as a list


@dataclass(frozen=True)
class PaySurveyDocument:
    title: str
    org_name: str
    year: int
    survey_date: date
    created: date
    sections: tuple[DocSection, ...]
    extra_descriptions: tuple[Description, ...] = field(default=())

    def tables(self) -> list[FigureTable]:
        return [t for s in self.sections for t in s.tables]

    def descriptions(self) -> list[Description]:
        """Every figure's definition once, in order of first appearance."""
        seen: dict[str, Description] = {}
        for d in (*self.extra_descriptions, *(d for t in self.tables() for d in t.descriptions)):
            seen.setdefault(d.id, d)
        return list(seen.values())


def render_document_html(
    doc: PaySurveyDocument,
    *,
    stylesheet_href: str | None = None,
    links: Sequence[tuple[str, str]] = (),
) -> str:
    """The whole document as one HTML page.

    With ``stylesheet_href`` the page links its style sheet (for a web app with a
    strict content security policy); without it the styles are inlined so the
    saved file prints the same anywhere. ``links`` (label, href) are shown on
    screen above the document and never printed.
    """
    css = (TEMPLATE_DIR / "document.css").read_text("utf-8")
    return (
        template_environment(TEMPLATE_DIR)
        .get_template("document.html.jinja")
        .render(
            doc=doc,
            sections=[(s, [render_html_table(t) for t in s.tables]) for s in doc.sections],
            descriptions=doc.descriptions(),
            stylesheet_href=stylesheet_href,
            inline_css=css,
            links=links,
        )
    )


def document_css() -> str:
    return (TEMPLATE_DIR / "document.css").read_text("utf-8")


# Short sheet names (Excel allows 31 characters) by table id; each sheet's first cell keeps
# the table's whole title.
SHEET_NAMES: dict[str, str] = {
    "modell": "Värderingsmodell",
    "arbetsvarden": "Arbetsvärden",
    "medellon": "Medellön och tillägg",
    "lika_arbete": "Lika arbete",
    "likvardigt_arbete": "Likvärdigt arbete",
    "kvinnodominerat": "Kvinnodominerade arbeten",
    "analys": "Flaggade skillnader",
    "justeringar": "Lönejusteringar",
    "uppfoljning": "Uppföljning förra året",
    "kvartiler": "Kvartiler (timlön)",
    "kategorier": "Löneskillnad per kategori",
}


def write_document_excel(doc: PaySurveyDocument, path: str | Path) -> Path:
    """All tables (one sheet each, definitions sheet) plus the text sheet first."""
    path = Path(path)
    write_excel(
        doc.tables(),
        path,
        title=doc.title,
        org_name=doc.org_name,
        period=str(doc.year),
        created=doc.created,
        sheet_names=SHEET_NAMES,
    )
    wb = load_workbook(path)
    ws = wb.create_sheet(TEXT_SHEET, 0)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 100
    wrap = Alignment(wrap_text=True, vertical="top")
    # Every text is a string cell: a job or unit name never runs as a formula.
    append_row(ws, [doc.title])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(
        ws, [f"{doc.org_name} · {doc.year} · kartläggningsdag {doc.survey_date.isoformat()}"]
    )
    ws.append([])
    for s in doc.sections:
        append_row(ws, [s.title])
        ws.cell(ws.max_row, 1).font = Font(bold=True, size=12)
        for label, value in s.facts:
            append_row(ws, [label, value])
            ws.cell(ws.max_row, 2).alignment = wrap
        for p in s.paragraphs:
            append_row(ws, ["", p])
            ws.cell(ws.max_row, 2).alignment = wrap
        for t in s.tables:
            append_row(ws, ["Tabell", t.title_sv])
        ws.append([])
    wb.active = 0
    wb.save(path)
    return path
