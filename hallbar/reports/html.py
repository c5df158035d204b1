"""HTML table fragments for the web app and printable documents (Jinja2).

Accessible: a caption, ``<th scope>`` for headers and row labels, hidden and
missing cells announced in words to screen readers (class ``hb-sr-only``,
which the page's stylesheet must hide visually), the definitions in a
``<details>`` block and the notes (always including the suppression note)
under the table. Numbers are formatted the Swedish way (1 234,5; 7,3 %).
Everything is escaped: unit names and notes are data, never markup.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2

from hallbar.core.describe import FigureTable
from hallbar.reports.columns import columns, rows, table_notes

TEMPLATE_DIR = Path(__file__).parent / "templates"


@cache
def template_environment(folder: Path = TEMPLATE_DIR) -> jinja2.Environment:
    """The strict, autoescaping environment for the report templates in ``folder``."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
    )


def render_html_table(table: FigureTable, *, caption: str | None = None) -> str:
    """One table as an HTML fragment (a ``<figure>``)."""
    cols = columns(table)
    return (
        template_environment()
        .get_template("figure_table.html.jinja")
        .render(
            table_id=table.id,
            caption=caption or table.title_sv,
            cols=cols,
            rows=[list(zip(cols, cells, strict=True)) for cells in rows(table, cols)],
            descriptions=table.descriptions,
            notes=table_notes(table),
            suppressed_title="Visas inte för att skydda enskilda personer",
        )
    )
