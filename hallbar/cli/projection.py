"""``hallbar projection run``: a workforce projection as JSON (personalframskrivning)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import typer

from hallbar.cli.data import DatabaseOption, DataDirOption, settings_from_options
from hallbar.core.access import SYSTEM, Resource
from hallbar.core.errors import HallbarError, InsufficientData
from hallbar.core.population import PopulationCount
from hallbar.ingest.population import read_population_forecast, read_staff_file
from hallbar.projection import (
    ProjectionResult,
    Rates,
    Scenario,
    history_rates_from_hrdata,
    project,
)
from hallbar.services.projection.inputs import HISTORY_YEARS, stock_at
from hallbar.services.projection.views import STOCK_POPULATION
from hallbar.services.scope import load
from hallbar.services.twin import success
from hallbar.settings import Settings


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    rounded = frame.with_columns(pl.col(pl.Float64).round(3))
    return rounded.to_dicts()


def result_json(result: ProjectionResult) -> dict[str, Any]:
    steps = result.waterfall.group_by("step", "label_sv", maintain_order=True).agg(
        pl.col("^delta_.*$").sum()
    )
    # Each lever's effect per occupation, summed over the horizon (and over units when
    # the projection runs per unit): the same steps as ``atgarder``, split by occupation.
    by_occupation = result.waterfall.group_by(
        "step", "label_sv", "occupation", maintain_order=True
    ).agg(pl.col("^delta_.*$").sum())
    return {
        "scenario": result.scenario.to_dict(),
        "startar": result.base_year,
        "meddelanden": list(result.notices),
        "definitioner": [d.as_text() for d in result.descriptions],
        "summa": _rows(result.totals()),
        "per_ar": _rows(result.yearly),
        "atgarder": _rows(steps),
        "atgarder_per_yrke": _rows(by_occupation),
        "osakerhet": _rows(result.uncertainty) if result.uncertainty is not None else None,
    }


def _scenario(path: Path | None, horizon: int | None, settings: Settings) -> Scenario:
    if path is None:
        scenario = Scenario(
            payroll_overhead=settings.payroll_overhead,
            target_pension_age=settings.target_pension_age,
            las_age=settings.las_age,
        )
    else:
        if not path.exists():
            raise HallbarError(f"Scenariofilen {path} finns inte. Ange sökvägen till en JSON-fil.")
        scenario = Scenario.from_json(path.read_text(encoding="utf-8"))
    if horizon is not None:
        scenario = Scenario.from_dict({**scenario.to_dict(), "horizon": horizon})
    return scenario


def _parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise HallbarError(
            f"'{text}' är inget datum. Skriv ÅÅÅÅ-MM-DD, t.ex. 2025-12-31."
        ) from None


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Personalframskrivning och kompetensförsörjning.", no_args_is_help=True
    )

    @group.command("run")
    def run(
        databas: DatabaseOption = None,
        datakatalog: DataDirOption = None,
        org: str | None = typer.Option(
            None, "--org", help="Organisationens kommun- eller regionkod"
        ),
        personal: Path | None = typer.Option(
            None,
            "--personal",
            help="CSV med en rad per anställd (yrke;kon;alder;sysselsattningsgrad;manadslon)",
        ),
        scenario_file: Path | None = typer.Option(None, "--scenario", help="Scenariofil (JSON)"),
        horisont: int | None = typer.Option(None, "--horisont", help="Antal år (standard 10)"),
        befolkning: Path | None = typer.Option(
            None, "--befolkning", help="Befolkningsprognos från SCB (CSV eller XLSX)"
        ),
        datum: str | None = typer.Option(
            None, "--datum", help="Startdatum ÅÅÅÅ-MM-DD (standard: uttagsdatum)"
        ),
        startar: int | None = typer.Option(None, "--startar", help="Startår för --personal"),
        yrke: str = typer.Option("ssyk", "--yrkesindelning", help="ssyk eller aid"),
        osakerhet: bool = typer.Option(True, "--osakerhet/--utan-osakerhet", help="P10/P50/P90"),
    ) -> None:
        """Skriv fram personal, avgångar och rekryteringsbehov per yrke och år; skriver JSON."""
        settings = settings_from_options(datakatalog, databas)
        scenario = _scenario(scenario_file, horisont, settings)
        history: Rates | None = None
        counts: list[PopulationCount] = []  # a staff file is no population of the store
        if personal is not None:
            if not personal.exists():
                raise HallbarError(f"Personalfilen {personal} finns inte.")
            stock = read_staff_file(personal)
            base_year = startar or scenario.base_year or date.today().year
        else:
            if org is None:
                raise HallbarError(
                    "Ange --org (och --datakatalog eller --databas) eller --personal FIL."
                )
            from hallbar.services.context import Hallbar  # the store is only needed here

            hb = Hallbar(settings)
            try:
                data = load(hb, SYSTEM, org, Resource.PROJ_RESULTS)
            finally:
                hb.close()
            at = _parse_date(datum) or data.as_of
            # The pages' stock: each person in the key figures' main employment.
            stock = stock_at(data, at, yrke)
            counts.append(PopulationCount(STOCK_POPULATION, at, stock.height))
            base_year = at.year
            try:
                history = history_rates_from_hrdata(
                    data, list(range(at.year - HISTORY_YEARS, at.year)), yrke
                )
            except InsufficientData:
                history = None  # project() says in a notice that the default turnover is used
        population = read_population_forecast(befolkning) if befolkning is not None else None
        result = project(
            stock,
            history,
            scenario,
            population,
            base_year=base_year,
            region=org,
            uncertainty=osakerhet,
        )
        typer.echo(
            json.dumps(
                success("projection.run", result_json(result), counts), ensure_ascii=False, indent=2
            )
        )

    app.add_typer(group, name="projection")
