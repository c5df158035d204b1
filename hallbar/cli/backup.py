"""``hallbar backup MAPP`` and ``hallbar restore MAPP``: the database and the snapshot files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from hallbar.cli.data import DatabaseOption, DataDirOption, open_hallbar
from hallbar.services.imports.backup import backup, restore

FolderArgument = Annotated[Path, typer.Argument(help="Mappen för säkerhetskopian")]


def backup_command(
    mapp: FolderArgument,
    databas: DatabaseOption = None,
    datakatalog: DataDirOption = None,
) -> None:
    """Säkerhetskopiera databasen och ögonblicksbilderna till en ny mapp och kontrollera varje fil."""
    console = Console()
    with open_hallbar(datakatalog, databas) as hb:
        outcome = backup(hb, mapp)
    console.print(
        f"Säkerhetskopian finns i {outcome.folder}: {outcome.snapshots} ögonblicksbilder, "
        f"{outcome.files} filer ({outcome.bytes / 1e6:.1f} MB), alla kontrollsummor stämmer.",
        highlight=False,
        soft_wrap=True,
    )
    if not outcome.database_copied:
        console.print(
            "Databasen ligger på en server: säkerhetskopiera den med pg_dump "
            "(se README, avsnittet Säkerhetskopior).",
            highlight=False,
            soft_wrap=True,
        )


def restore_command(
    mapp: Annotated[Path, typer.Argument(help="Mappen med säkerhetskopian")],
    ersatt: Annotated[
        bool, typer.Option("--ersatt", help="Skriv över en befintlig databas")
    ] = False,
    databas: DatabaseOption = None,
    datakatalog: DataDirOption = None,
) -> None:
    """Återställ en säkerhetskopia från 'hallbar backup' efter att varje fils kontrollsumma stämt."""
    console = Console()
    with open_hallbar(datakatalog, databas) as hb:
        outcome = restore(hb, mapp, replace=ersatt)
    console.print(
        f"Återställt: {outcome.snapshots} ögonblicksbilder ({outcome.files} filer kopierade), "
        "alla kontrollsummor stämmer.",
        highlight=False,
        soft_wrap=True,
    )
    if not outcome.database_restored:
        console.print(
            "Databasen ligger på en server: återställ den med pg_restore "
            "(se README, avsnittet Säkerhetskopior).",
            highlight=False,
            soft_wrap=True,
        )


def register(app: typer.Typer) -> None:
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
