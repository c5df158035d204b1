"""``hallbar figures``: the statutory sick-leave note and the key-figure pack.

    hallbar figures sjukfranvaro --org 9999 --ar 2025 [--json] [--excel FIL]
        [--kon K|M] [--alder 29|30-49|50] [--anstallning tillsvidare|visstid|timavlonad]
        [--yrkeskod 5321] [--yrkestyp kvinnodominerat|mansdominerat|konsblandat]
    hallbar figures pack --org 9999 --ar 2025 --utdata DIR

Both read the organisation's latest import from the store (``--databas``,
``--datakatalog``) and run as the local operator, with the same small-group
protection as the web pages; every file written is recorded in the audit log.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from hallbar.cli.data import DatabaseOption, DataDirOption, open_hallbar
from hallbar.core.access import SYSTEM
from hallbar.core.errors import HallbarError
from hallbar.reports.formatting import format_percent
from hallbar.services.figures import exports, overview
from hallbar.services.figures.filters import parse_filter
from hallbar.services.figures.request import FigureRequest
from hallbar.services.twin import success

OrgOption = Annotated[str, typer.Option("--org", help="Organisationens kod, t.ex. 1280")]
YearOption = Annotated[
    int | None, typer.Option("--ar", help="Redovisningsår (standard: senaste året i underlaget)")
]
UnitOption = Annotated[
    str | None, typer.Option("--enhet", help="Bara denna enhet och enheterna under den")
]


def _note_json(view: overview.NoteView) -> dict[str, Any]:
    """The same fields as the web's JSON twin of the note (services.figures.overview)."""
    return {**overview.info_json(view.info), **overview.note_json(view)}


def _print_note(console: Console, view: overview.NoteView) -> None:
    years = view.years()
    table = Table(title=f"Sjukfrånvaro {view.info.year} – {view.info.org_name}, {view.info.label}")
    table.add_column("Nyckeltal")
    for y in years:
        table.add_column(str(y.year), justify="right")
    table.add_column("Kolada-id")
    if view.current is not None:
        for i, ln in enumerate(view.current.lines):
            cells = [
                ".." if y.lines[i].suppressed else format_percent(y.lines[i].value) for y in years
            ]
            table.add_row(ln.label_sv, *cells, ln.kolada_id)
    console.print(table)
    console.print(
        ".. = tio eller färre anställda i gruppen, redovisas inte (SKR). "
        "Sjukfrånvarotimmar i procent av ordinarie arbetstid; långtidssjukfrånvaro i procent av "
        "all sjukfrånvaro.",
        highlight=False,
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Nyckeltal: sjukfrånvaro enligt lag, nyckeltalspaket.", no_args_is_help=True
    )

    @group.command("sjukfranvaro")
    def sick_leave(
        org: OrgOption,
        ar: YearOption = None,
        enhet: UnitOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Skriv ut som JSON")] = False,
        excel: Annotated[
            Path | None,
            typer.Option("--excel", help="Skriv årsredovisningens tabell till en Excelfil"),
        ] = None,
        databas: DatabaseOption = None,
        datakatalog: DataDirOption = None,
        kon: Annotated[str | None, typer.Option("--kon", help="Filter: K eller M")] = None,
        alder: Annotated[
            str | None, typer.Option("--alder", help="Filter: 29, 30-49 eller 50")
        ] = None,
        anstallning: Annotated[
            str | None,
            typer.Option("--anstallning", help="Filter: tillsvidare, visstid eller timavlonad"),
        ] = None,
        yrkeskod: Annotated[
            str | None, typer.Option("--yrkeskod", help="Filter: en SSYK-kod, t.ex. 5321")
        ] = None,
        yrkestyp: Annotated[
            str | None,
            typer.Option(
                "--yrkestyp", help="Filter: kvinnodominerat, mansdominerat eller konsblandat"
            ),
        ] = None,
    ) -> None:
        """Sjukfrånvaron enligt lag (SKR:s sju nyckeltal) för årsredovisningen.

        Med filter (--kon, --alder …) räknas sjukfrånvaron för ett urval av personalen;
        det är då inte den lagstadgade redovisningen för hela personalen."""
        console = Console()
        with open_hallbar(datakatalog, databas) as hb:
            population = parse_filter(
                {
                    "kon": kon,
                    "alder": alder,
                    "anstallning": anstallning,
                    "yrkeskod": yrkeskod,
                    "yrkestyp": yrkestyp,
                }
            )
            request = FigureRequest(ar, enhet, population=population)
            view = overview.sick_leave_note_view(hb, SYSTEM, org, request)
            if view.current is None:
                raise HallbarError(view.message_sv or "Sjukfrånvaron kan inte beräknas för året.")
            if excel is not None:
                out = exports.export(hb, SYSTEM, org, request, "sjukfranvaro", "xlsx", client="cli")
                excel.parent.mkdir(parents=True, exist_ok=True)
                excel.write_bytes(out.content)
            if as_json:
                typer.echo(
                    json.dumps(
                        success("figures.note", _note_json(view), view.info.counts),
                        ensure_ascii=False,
                        indent=2,
                    )
                )
            else:
                _print_note(console, view)
                if excel is not None:
                    console.print(f"Excelfilen är sparad: {excel}", highlight=False, soft_wrap=True)

    @group.command("pack")
    def pack(
        org: OrgOption,
        utdata: Annotated[Path, typer.Option("--utdata", help="Katalog att skriva filerna i")],
        ar: YearOption = None,
        enhet: UnitOption = None,
        databas: DatabaseOption = None,
        datakatalog: DataDirOption = None,
    ) -> None:
        """Alla nyckeltal för ett år som Excel, CSV, JSON och Koladaformat."""
        console = Console()
        with open_hallbar(datakatalog, databas) as hb:
            written = exports.write_pack(hb, SYSTEM, org, FigureRequest(ar, enhet), utdata)
        for path in written:
            console.print(f"  {path}", highlight=False, soft_wrap=True)
        console.print(
            f"{len(written)} filer skrevs till {utdata}.", highlight=False, soft_wrap=True
        )

    app.add_typer(group, name="figures")
