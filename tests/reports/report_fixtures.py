"""A small hand-made, already suppressed table shared by the report tests."""

from __future__ import annotations

from datetime import date

import polars as pl

from hallbar.core.describe import ChartSpec, Description, FigureTable

HEADCOUNT = Description(
    id="antal",
    name_sv="Antal anställda",
    definition_sv="Personer med minst en anställning den 1 november.",
    population_sv="Månadsavlönade.",
    unit="personer",
    source="Kolada N00200 (underlag)",
)
SICK = Description(
    id="sjuk_pct",
    name_sv="Sjukfrånvaro",
    definition_sv="Sjukfrånvarotimmar i procent av ordinarie arbetstid.",
    population_sv="Alla med ordinarie arbetstid.",
    unit="%",
    source="Lag (2018:597) om kommunal bokföring och redovisning; SKR; Kolada N00090",
    min_group_size=11,
)
PAY = Description(
    id="median_lon",
    name_sv="Medianlön",
    definition_sv="Median av månadslön omräknad till heltid.",
    population_sv="Månadsavlönade.",
    unit="kr",
    source="SKR",
)


def sick_table() -> FigureTable:
    # Rows as the caller leaves them after suppression: B is hidden (primary), C
    # is hidden to protect B (secondary); D has no working time (missing, not hidden).
    frame = pl.DataFrame(
        {
            "Enhet": ["A <script>alert(1)</script>", "B", "C", "D", "Alla"],
            "antal": [1234, 7, 15, 12, 1268],
            "sjuk_pct": [7.25, None, None, None, 7.1],
            "median_lon": [34500.0, 31000.0, 36250.5, 30000.0, 34400.0],
            "Från": [date(2025, 11, 1)] * 5,
            "suppressed": [False, True, True, False, False],
            "suppression_reason": [
                None,
                "Färre än 11 personer i gruppen",
                "Dold så att en mindre grupp inte kan räknas fram ur summorna",
                None,
                None,
            ],
        }
    )
    return FigureTable(
        id="sjukfranvaro_enhet",
        title_sv="Sjukfrånvaro per enhet: förvaltningarna [2025]",
        frame=frame,
        descriptions=(HEADCOUNT, SICK, PAY),
        notes_sv=("Enhet D saknar uppgifter om arbetstid.",),
        chart=ChartSpec(category_col="Enhet", value_cols=("sjuk_pct",)),
    )


def plain_table(title: str) -> FigureTable:
    frame = pl.DataFrame({"Kön": ["Kvinnor", "Män", "Totalt"], "antal": [40, 25, 65]})
    return FigureTable(id="kon", title_sv=title, frame=frame, descriptions=(HEADCOUNT,))
