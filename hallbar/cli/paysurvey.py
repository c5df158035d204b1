"""``hallbar paysurvey``: pay-survey commands (lönekartläggning)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

import polars as pl
import typer

from hallbar.core.errors import HallbarError
from hallbar.paysurvey.oaxaca import REFERENCES, Reference, oaxaca_blinder
from hallbar.services.twin import success


def _read_table(path: Path) -> pl.DataFrame:
    if not path.exists():
        raise HallbarError(f"Filen {path} finns inte. Ange sökvägen till en CSV- eller XLSX-fil.")
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            text = path.read_text(encoding="utf-8-sig")
            first = text.splitlines()[0] if text else ""
            sep = ";" if first.count(";") > first.count(",") else ","
            return pl.read_csv(
                path, separator=sep, infer_schema_length=10000, encoding="utf8-lossy"
            )
        if suffix in (".xlsx", ".xlsm"):
            return pl.read_excel(path)
    except (pl.exceptions.PolarsError, OSError, ValueError) as err:
        raise HallbarError(f"Filen {path} kunde inte läsas: {err}. Kontrollera formatet.") from err
    raise HallbarError(f"Filen {path} har okänd filtyp '{suffix}'. Använd .csv eller .xlsx.")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Lönekartläggning och lönanalys.", no_args_is_help=True)

    @group.command("oaxaca")
    def oaxaca(
        file: Path = typer.Argument(..., help="CSV- eller XLSX-fil med en rad per person"),
        utfall: str = typer.Option(..., "--utfall", help="Kolumn med utfallet, t.ex. lön"),
        grupp: str = typer.Option(..., "--grupp", help="Kolumn med två grupper, t.ex. kön"),
        kovariat: list[str] = typer.Option([], "--kovariat", help="Förklarande kolumn (upprepa)"),
        referens: str = typer.Option(
            "pooled", "--referens", help=f"Referenskoefficienter: {', '.join(REFERENCES)}"
        ),
        grupp_a: str | None = typer.Option(
            None, "--grupp-a", help="Värde för grupp A (standard: gruppen med högst medelvärde)"
        ),
    ) -> None:
        """Oaxaca–Blinder-uppdelning (två- och tredelad) av skillnaden mellan två grupper, som JSON."""
        if referens not in REFERENCES:
            raise HallbarError(f"Okänd referens '{referens}'. Välj en av: {', '.join(REFERENCES)}.")
        frame = _read_table(file)
        a_value: object = grupp_a
        if grupp_a is not None and grupp in frame.columns and frame.schema[grupp].is_numeric():
            try:
                a_value = int(grupp_a)
            except ValueError:
                a_value = float(grupp_a)
        result = oaxaca_blinder(
            frame,
            utfall,
            grupp,
            list(kovariat),
            reference=cast(Reference, referens),  # checked against REFERENCES above
            group_a=a_value,
        )
        typer.echo(
            json.dumps(success("paysurvey.oaxaca", result.to_dict()), ensure_ascii=False, indent=2)
        )

    app.add_typer(group, name="paysurvey")
