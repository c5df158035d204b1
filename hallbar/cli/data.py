"""Data commands: ``hallbar import``, ``hallbar imports``, ``hallbar aktivera``, ``hallbar demo``,
``hallbar serve``."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from hallbar.core.access import SYSTEM
from hallbar.core.errors import HallbarError, ImportRejected
from hallbar.ingest import validate_org_code
from hallbar.services.context import Hallbar
from hallbar.services.figures.views import SMALL_ORGANISATION
from hallbar.services.imports.demo import DEFAULT_SEED, DEFAULT_SIZE, run_demo
from hallbar.services.imports.importing import (
    ImportNeedsConfirmation,
    ImportOutcome,
    SnapshotComparison,
    activate,
    import_export,
    prepare_new_snapshot,
)
from hallbar.settings import Settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
PortOption = Annotated[
    int, typer.Option("--port", help=f"Port för webbgränssnittet (standard {DEFAULT_PORT})")
]

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--datakatalog", help="Katalog för databas, nyckel och rapporter (standard: data)"
    ),
]
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--databas", help="Databas-URL, t.ex. postgresql+psycopg://…; standard: SQLite-fil"
    ),
]

# Stage names reported by ingest and the store, shown as Swedish progress labels.
_STAGE_LABELS = {"spara": "Sparar i databasen"}
TABLE_LABELS = {
    "organisations": "Organisationer",
    "units": "Enheter",
    "persons": "Personer",
    "employments": "Anställningar",
    "absences": "Frånvaroperioder",
    "working_time": "Arbetstid (månader)",
    "pay_components": "Lönedelar",
    "agency_staff": "Inhyrd personal",
}


def swedish_number(n: int) -> str:
    """1234567 -> '1 234 567' (Swedish digit grouping with non-breaking spaces)."""
    return f"{n:,}".replace(",", "\u00a0")


def settings_from_options(data_dir: Path | None, database: str | None) -> Settings:
    """Settings from the environment, overridden by ``--datakatalog`` / ``--databas`` when given.

    Other command groups reuse this with ``DataDirOption`` and ``DatabaseOption``.
    """
    overrides: dict[str, Any] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if database is not None:
        overrides["database_url"] = database
    return Settings(**overrides)


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"'{text}' är inget datum. Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2025-12-31."
        ) from None


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn user errors into one red Swedish line and exit code 1, never a traceback."""
    console = Console(stderr=True)
    try:
        yield
    except ImportNeedsConfirmation as err:
        _print_comparison(console, err.comparison)
        console.print(
            f"[bold red]Importen sparades inte:[/] den skiljer sig mycket från den aktiva "
            f"importen {err.comparison.previous_id}.",
            highlight=False,
            soft_wrap=True,
        )
        for reason in err.comparison.reasons:
            console.print(f"  • {reason}", highlight=False, soft_wrap=True)
        console.print(
            "Kör kommandot igen med --bekrafta om filerna ska ersätta den aktiva importen "
            "(den finns kvar och kan göras aktiv igen med 'hallbar aktivera').",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(1) from None
    except ImportRejected as err:
        errors = err.errors
        console.print(
            f"[bold red]Importen avbröts och inget sparades:[/] {len(errors)} fel hittades. "
            f"Första felet: {errors[0] if errors else 'okänt'}",
            highlight=False,
            soft_wrap=True,
        )
        if err.report_path:
            console.print(f"Valideringsrapport: {err.report_path}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except HallbarError as err:
        console.print(f"[bold red]Fel:[/] {err}", highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None


@contextmanager
def open_hallbar(data_dir: Path | None, database: str | None) -> Iterator[Hallbar]:
    """The services root for one command, closed afterwards; a user error ends the command
    with one red Swedish line and exit code 1."""
    hb = Hallbar(settings_from_options(data_dir, database))
    try:
        with _user_errors():
            yield hb
    finally:
        hb.close()


@contextmanager
def _progress_bars(console: Console) -> Iterator[Callable[[str, int, int], None]]:
    """A ``progress(stage, done, total)`` callback drawing one rich bar per stage."""
    with Progress(
        TextColumn("{task.description:<28}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bars:
        tasks: dict[str, Any] = {}

        def update(stage: str, done: int, total: int) -> None:
            # Ingest names each step ("Läser enheter.csv" …) on one bar; saving has its own.
            bar = "spara" if stage == "spara" else "läsa"
            label = _STAGE_LABELS.get(stage, stage)
            if bar not in tasks:
                tasks[bar] = bars.add_task(label, total=total or None)
            bars.update(tasks[bar], description=label, completed=done, total=total or None)

        yield update


def _print_comparison(console: Console, comparison: SnapshotComparison) -> None:
    table = Table(
        title=f"Jämförelse med den aktiva importen {comparison.previous_id} "
        f"(uttag {comparison.previous_as_of})"
    )
    table.add_column("Antal")
    table.add_column(f"Import {comparison.previous_id}", justify="right")
    table.add_column("Nya filerna", justify="right")
    table.add_column("Förändring", justify="right")
    for c in comparison.counts:
        table.add_row(c.label_sv, swedish_number(c.before), swedish_number(c.after), c.change_sv)
    table.add_row(
        "Enheter kvar med samma id",
        swedish_number(comparison.units_before),
        swedish_number(comparison.units_kept),
        "",
    )
    console.print(table)


def _print_outcome(console: Console, outcome: ImportOutcome) -> None:
    table = Table(title=f"Import {outcome.import_id} – {outcome.org_id}, {outcome.as_of}")
    table.add_column("Tabell")
    table.add_column("Rader", justify="right")
    for name, rows in outcome.row_counts.items():
        table.add_row(TABLE_LABELS.get(name, name), swedish_number(rows))
    console.print(table)
    if outcome.warnings:
        console.print(f"[yellow]{len(outcome.warnings)} varningar[/] (importen sparades ändå):")
        for problem in outcome.warnings[:10]:
            console.print(f"  • {problem}", highlight=False)
        if len(outcome.warnings) > 10:
            console.print(f"  … och {len(outcome.warnings) - 10} till.")
    console.print(f"Valideringsrapport: {outcome.report_path}", highlight=False, soft_wrap=True)


TrendsOption = Annotated[
    bool | None,
    typer.Option(
        "--tidsserier/--utan-tidsserier",
        help="Beräkna tidsseriernas röjandeskydd nu (standard: bara för organisationer med "
        f"högst {SMALL_ORGANISATION:,} personer; annars beräknas det i webbservern när en "
        "tidsserie öppnas)".replace(",", " "),
        show_default=False,
    ),
]


PagesOption = Annotated[
    bool,
    typer.Option(
        "--nyckeltal/--utan-nyckeltal",
        help="Beräkna nyckeltalssidan och sjukfrånvaroredovisningen nu, så att de visas direkt "
        "i webbservern (standard); annars beräknas de när sidan öppnas första gången",
    ),
]


def _prepare(console: Console, hb: Hallbar, org_id: str, trends: bool | None, pages: bool) -> None:
    """The head start after a new active snapshot (regional results, the key-figure
    pages, the trends' models)."""
    if not prepare_new_snapshot(hb, org_id, trends=trends, pages=pages):
        console.print(
            "Tidsseriernas röjandeskydd beräknas i webbservern när en tidsserie öppnas "
            "första gången (eller nu med --tidsserier).",
            highlight=False,
        )


def import_command(
    folder: Annotated[
        Path,
        typer.Argument(metavar="MAPP", help="Katalog med exportfilerna (CSV eller XLSX)"),
    ],
    org: Annotated[str, typer.Option("--org", help="Organisationens kod, t.ex. 1280")],
    namn: Annotated[str, typer.Option("--namn", help="Organisationens namn, t.ex. 'Malmö stad'")],
    datum: Annotated[
        str | None,
        typer.Option(
            "--datum", help="Uttagsdatum ÅÅÅÅ-MM-DD (standard: det senaste datumet i filerna)"
        ),
    ] = None,
    profil: Annotated[
        str,
        typer.Option(
            "--profil",
            help="Kolumnprofil: generic, en sparad profil (Koppla kolumner) eller sökväg till en profilfil",
        ),
    ] = "generic",
    bekrafta: Annotated[
        bool,
        typer.Option(
            "--bekrafta",
            help="Spara även om filerna skiljer sig mycket från den aktiva importen "
            "(många färre personer, enheter eller anställningar, eller mest nya enheter)",
        ),
    ] = False,
    tidsserier: TrendsOption = None,
    nyckeltal: PagesOption = True,
    databas: DatabaseOption = None,
    datakatalog: DataDirOption = None,
) -> None:
    """Importera en export från HR-/lönesystemet som en ny daterad ögonblicksbild.

    Den nya importen blir aktiv; tidigare importer finns kvar ('hallbar aktivera').
    """
    console = Console()
    as_of = _parse_date(datum) if datum is not None else None
    with _user_errors():
        # Before anything is opened or written: the code names the report files.
        org = validate_org_code(org)
    with open_hallbar(datakatalog, databas) as hb:
        with _progress_bars(console) as progress:
            outcome = import_export(
                hb,
                folder=folder,
                org_id=org,
                org_name=namn,
                as_of=as_of,
                principal=SYSTEM,
                profile=profil,
                progress=progress,
                confirm=bekrafta,
            )
        _print_outcome(console, outcome)
        # The networks' first regional page after the import reads kept results.
        _prepare(console, hb, outcome.org_id, tidsserier, nyckeltal)


def imports_command(
    org: Annotated[str | None, typer.Option("--org", help="Visa bara denna organisation")] = None,
    databas: DatabaseOption = None,
    datakatalog: DataDirOption = None,
) -> None:
    """Lista tidigare importer."""
    console = Console()
    with open_hallbar(datakatalog, databas) as hb:
        records = hb.store.list_imports(org)
    if not records:
        console.print(
            "Inga importer ännu. Importera med 'hallbar import' eller prova 'hallbar demo'."
        )
        return
    table = Table(title="Importer")
    table.add_column("Id", justify="right")
    table.add_column("Organisation")
    table.add_column("Uttagsdatum", no_wrap=True)
    table.add_column("Importerad", no_wrap=True)
    table.add_column("Av")
    table.add_column("Anställningar", justify="right")
    table.add_column("Aktiv")
    for r in records:
        table.add_row(
            str(r.id),
            f"{r.org_id} {r.org_name}",
            r.as_of.isoformat(),
            r.created_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            r.created_by,
            swedish_number(r.row_counts.get("employments", 0)),
            "aktiv" if r.active else "",
        )
    console.print(table)


def activate_command(
    import_id: Annotated[int, typer.Argument(metavar="IMPORT", help="Importens nummer")],
    org: Annotated[str, typer.Option("--org", help="Organisationens kod, t.ex. 1280")],
    tidsserier: TrendsOption = None,
    nyckeltal: PagesOption = True,
    databas: DatabaseOption = None,
    datakatalog: DataDirOption = None,
) -> None:
    """Gör en tidigare (eller senare) import aktiv: alla sidor visar då dess uppgifter."""
    with open_hallbar(datakatalog, databas) as hb:
        done = activate(hb, SYSTEM, org, import_id)
        _prepare(Console(), hb, done.org_id, tidsserier, nyckeltal)
    Console().print(
        f"Import {done.active} är nu aktiv för {done.org_id}"
        + (f" (i stället för import {done.replaced})." if done.replaced is not None else "."),
        highlight=False,
    )


def _serve(
    settings: Settings,
    host: str,
    port: int,
    console: Console,
    hb: Hallbar | None = None,
    workers: int = 1,
) -> None:
    import uvicorn

    from hallbar.web.app import SETTINGS_ENV, create_app

    console.print(f"Hållbar körs på http://{host}:{port}/ – avsluta med Ctrl+C.")
    # uvicorn would take X-Forwarded-For from 127.0.0.1 itself; the app decides whom to
    # trust (the setting trusted_proxies, web.middleware.ForwardedFor).
    if workers <= 1:
        uvicorn.run(
            create_app(settings, hb=hb),
            host=host,
            port=port,
            log_level="info",
            proxy_headers=False,
        )
        return
    # Worker processes build their own app from the same settings; they share the
    # database (sessions, login throttling) and read the same snapshot files.
    os.environ[SETTINGS_ENV] = settings.model_dump_json()
    uvicorn.run(
        "hallbar.web.app:create_app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        proxy_headers=False,
    )


def serve_command(
    vard: Annotated[str, typer.Option("--vard", help="Adress att lyssna på")] = DEFAULT_HOST,
    port: PortOption = DEFAULT_PORT,
    databas: DatabaseOption = None,
    datakatalog: DataDirOption = None,
    arbetare: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            help="Antal webbprocesser (standard 1); fler hjälper när många använder Hållbar samtidigt",
        ),
    ] = 1,
) -> None:
    """Starta webbgränssnittet."""
    _serve(settings_from_options(datakatalog, databas), vard, port, Console(), workers=arbetare)


def demo_command(
    storlek: Annotated[
        int, typer.Option("--storlek", help="Ungefärligt antal anställda")
    ] = DEFAULT_SIZE,
    seed: Annotated[
        int, typer.Option("--seed", help="Slumpfrö (samma frö ger samma data)")
    ] = DEFAULT_SEED,
    datakatalog: Annotated[
        Path, typer.Option("--datakatalog", help="Katalog för databas, filer och utdata")
    ] = Path("data"),
    databas: DatabaseOption = None,
    ingen_server: Annotated[
        bool, typer.Option("--ingen-server", help="Starta inte webbgränssnittet efteråt")
    ] = False,
    port: PortOption = DEFAULT_PORT,
) -> None:
    """Skapa Exempelkommun, importera den, beräkna nyckeltal och starta webbgränssnittet."""
    console = Console()
    settings = settings_from_options(datakatalog, databas)
    hb = Hallbar(settings)
    try:
        with _user_errors(), _progress_bars(console) as progress:
            run = run_demo(
                hb,
                size=storlek,
                seed=seed,
                progress=progress,
                on_step=lambda step: console.print(f"[bold]{step.label}[/] …"),
            )
        for note in run.notes:
            # soft_wrap: a long line is never broken, so each user and password stays on
            # its own line whatever the terminal's width.
            console.print(f"• {note}", highlight=False, soft_wrap=True, markup=False)
        if run.outcome is not None:
            _print_outcome(console, run.outcome)
        if not ingen_server:
            # Hand the warm services root (store, dataset cache) to the web app.
            _serve(settings, DEFAULT_HOST, port, console, hb=hb)
    finally:
        hb.close()


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("imports")(imports_command)
    app.command("aktivera")(activate_command)
    app.command("demo")(demo_command)
    app.command("serve")(serve_command)
