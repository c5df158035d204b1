"""Self-describing results: every computed figure can say what it is in words.

Shown beside the figure in the UI and written into every export (a definitions
sheet in Excel, a header block in CSV/JSON), so a number never travels without
its definition.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Description:
    """What a figure is, for whom, by which definition and from which source."""

    id: str  # stable id, e.g. "sick_leave_total" or a Kolada id
    name_sv: str  # Swedish name shown in the UI
    definition_sv: str  # the definition in words (Swedish)
    population_sv: str  # who is counted
    unit: str  # "%", "personer", "kr", "timmar", "kvot" …
    source: str  # law, SKR, Kolada id, DO guidance, directive article
    min_group_size: int = 5  # smallest group the figure may be shown for
    higher_is_better: bool | None = None  # None: neither (e.g. headcount)
    # Kolada KPI ids (municipality, region) when the figure's value *is* that KPI's
    # total (gender is a cut of the id, not a separate id); None: no Kolada id.
    kolada_ids: tuple[str, str] | None = None

    def as_text(self) -> str:
        return (
            f"{self.name_sv}: {self.definition_sv} Avser: {self.population_sv} "
            f"Enhet: {self.unit}. Källa: {self.source}."
        )


@dataclass(frozen=True)
class ChartSpec:
    """A chart a table asks for in exports (a native Excel chart) and pages."""

    category_col: str  # the x axis: a group column (unit, month, age band …)
    value_cols: tuple[str, ...]  # one series per column
    kind: str = "column"  # "column", "bar" or "line"
    title_sv: str = ""


@dataclass(frozen=True)
class FigureTable:
    """A table of computed figures ready to show or export.

    ``frame`` holds group columns followed by value columns; small groups must
    already be suppressed (``hallbar.privacy.suppression``) before a table
    leaves the service layer. ``descriptions`` travel with the table into every
    export (a definitions sheet in Excel, a header in CSV/JSON).
    """

    id: str
    title_sv: str
    frame: pl.DataFrame
    descriptions: tuple[Description, ...] = ()
    notes_sv: tuple[str, ...] = ()
    chart: ChartSpec | None = None
