"""Protected tables of a projection: per occupation group, per year, lever steps and
age pyramids. Small groups are pooled and suppressed here, once, for every view."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import polars as pl

from hallbar.core.describe import Description, FigureTable
from hallbar.indicators.views import AGE_BANDS, age_band_expr
from hallbar.privacy.suppression import REASON_COL, SUPPRESSED_COL, SuppressionRule
from hallbar.projection import ProjectionResult, descriptions
from hallbar.reports import svgcharts
from hallbar.services.projection.figures import (
    ALL_LABEL,
    GAP,
    OCC,
    STAFF_START,
    SUPPLY,
    SURPLUS,
    WATERFALL_STEP,
    YEAR,
    other_label,
)
from hallbar.services.projection.protection import StartCells

# Result columns shown per occupation, in order: (result column, figure id).
_TERMS = (
    ("retirements", descriptions.RETIREMENTS.id),
    ("turnover", descriptions.TURNOVER.id),
    ("demand_change", descriptions.DEMAND_CHANGE.id),
    ("surplus_adjustment", SURPLUS.id),
    ("need", descriptions.NEED.id),
    ("need_fte", descriptions.NEED_FTE.id),
    ("cost_increase", descriptions.COST_INCREASE.id),
    ("supply", SUPPLY.id),
    ("gap", GAP.id),
)


GENDERS = ("K", "M")


@dataclass(frozen=True)
class Pyramid:
    group: str
    table: FigureTable  # band, kvinnor, män (start) and kvinnor/män at the horizon
    svg: str


def group_map(
    stock: pl.DataFrame, labels: dict[str, str], released: Mapping[str, int | None]
) -> dict[str, str]:
    """Occupation code -> the group it is shown in: its own label where the occupation
    model shows its staff in the scope (``protection.StartCells.occupation_counts``),
    else the pooled "Övriga yrken" (whose staff is the shown total minus the shown rows,
    so pooling reveals nothing more)."""
    other = other_label()
    return {
        occ: (labels.get(occ, occ) if released.get(occ) is not None else other)
        for occ in stock["occupation"].unique().to_list()
    }


def occupation_table(
    result: ProjectionResult, stock: pl.DataFrame, groups: dict[str, str], min_n: int
) -> FigureTable:
    """Horizon sums per occupation group with the total. Which groups have a row of
    their own the models decided (``group_map``); nothing else needs hiding: the pooled
    row is the total minus the shown rows, in counts and in every projected sum."""
    staff = stock.group_by("occupation").len().rename({"len": "staff"})
    per = (
        result.yearly.group_by("occupation")
        .agg(pl.col(c).sum() for c, _ in _TERMS)
        .join(staff, on="occupation", how="left")
        .with_columns(pl.col("occupation").replace_strict(groups, default=None).alias(OCC))
    )
    sums = [pl.col("staff").sum().cast(pl.Int64).alias(STAFF_START.id)] + [
        pl.col(c).sum().alias(fid) for c, fid in _TERMS
    ]
    other = other_label()
    by_group = (
        per.group_by(OCC)
        .agg(sums)
        .sort(pl.col(OCC) == other, pl.col(descriptions.NEED.id), descending=[False, True])
    )
    total = per.select(pl.lit(ALL_LABEL).alias(OCC), *sums)
    # The pooled row is the shown total minus the shown rows: derivable, never a cell
    # of its own, but a small one is not displayed as a number either.
    frame = _clean(pl.concat([by_group, total]))
    small = (pl.col(OCC) == other) & pl.col(STAFF_START.id).is_between(1, min_n - 1)
    reason = SuppressionRule(min_n).reason_sv
    safe = frame.with_columns(
        pl.when(small).then(None).otherwise(pl.col(c)).alias(c)
        for c in (STAFF_START.id, *(fid for _, fid in _TERMS))
    ).with_columns(
        small.alias(SUPPRESSED_COL),
        pl.when(small).then(pl.lit(reason)).otherwise(None).alias(REASON_COL),
    )
    descs = (
        STAFF_START,
        descriptions.RETIREMENTS,
        descriptions.TURNOVER,
        descriptions.DEMAND_CHANGE,
        SURPLUS,
        descriptions.NEED,
        descriptions.NEED_FTE,
        descriptions.COST_INCREASE,
        SUPPLY,
        GAP,
    )
    return FigureTable(
        id="projection_occupations",
        title_sv="Rekryteringsbehov per yrke",
        frame=safe,
        descriptions=tuple(replace(d, min_group_size=min_n) for d in descs),
        notes_sv=(
            f"Yrken som inte kan visas var för sig (färre än {min_n} anställda, eller en "
            "grupp som tillsammans med andra svar skulle avslöja en liten grupp) redovisas "
            f"tillsammans som ”{other}”.",
            f"Summor för hela framskrivningsperioden {result.base_year + 1}–"
            f"{result.base_year + result.scenario.horizon}.",
        ),
    )


def yearly_table(result: ProjectionResult) -> FigureTable:
    cols = (
        ("demand_change", descriptions.DEMAND_CHANGE.id),
        ("retirements", descriptions.RETIREMENTS.id),
        ("turnover", descriptions.TURNOVER.id),
        ("surplus_adjustment", SURPLUS.id),
        ("need", descriptions.NEED.id),
        ("need_fte", descriptions.NEED_FTE.id),
        ("cost_increase", descriptions.COST_INCREASE.id),
    )
    frame = (
        result.yearly.group_by("year")
        .agg(pl.col(c).sum().alias(fid) for c, fid in cols)
        .sort("year")
        .with_columns(pl.col("year").cast(pl.String))
        .rename({"year": YEAR})
        .pipe(_clean)
    )
    return FigureTable(
        id="projection_yearly",
        title_sv="Rekryteringsbehov per år och orsak",
        frame=frame,
        descriptions=(
            descriptions.DEMAND_CHANGE,
            descriptions.RETIREMENTS,
            descriptions.TURNOVER,
            SURPLUS,
            descriptions.NEED,
            descriptions.NEED_FTE,
            descriptions.COST_INCREASE,
        ),
    )


def waterfall_table(result: ProjectionResult) -> FigureTable:
    steps = (
        result.waterfall.group_by("step", "label_sv", maintain_order=True)
        .agg(
            pl.col("delta_need").sum().alias("Förändring av rekryteringsbehovet"),
            pl.col("delta_demand_change").sum().alias("Direkt effekt på personalbehovet"),
            pl.col("delta_cost").sum().alias("Förändring av kostnaden (kr)"),
        )
        .with_columns(
            pl.col("Förändring av rekryteringsbehovet")
            .cum_sum()
            .alias("Rekryteringsbehov efter steget")
        )
        .rename({"label_sv": WATERFALL_STEP})
        .drop("step")
        .pipe(_clean)
    )
    return FigureTable(
        id="projection_waterfall",
        title_sv="Åtgärdernas effekt (vattenfall)",
        frame=steps,
        descriptions=(WATERFALL_DESCRIPTION,),
        notes_sv=(
            "Första raden är behovet utan åtgärder; varje följande rad lägger till en åtgärd "
            "ovanpå de föregående. Summor för hela perioden, alla yrken.",
        ),
    )


def waterfall_by_group_table(
    result: ProjectionResult, groups: dict[str, str], hidden: frozenset[str]
) -> FigureTable:
    """Each lever's effect per occupation group, summed over the horizon.

    Groups hidden in the occupation table are left out here too, so the rows shown are
    the same groups and the total minus the rows reveals nothing the table does not."""
    frame = (
        result.waterfall.with_columns(
            pl.col("occupation").replace_strict(groups, default=None).alias(OCC)
        )
        .filter(~pl.col(OCC).is_in(list(hidden)))
        .group_by("step", "label_sv", OCC, maintain_order=True)
        .agg(
            pl.col("delta_need").sum().alias("Förändring av rekryteringsbehovet"),
            pl.col("delta_demand_change").sum().alias("Direkt effekt på personalbehovet"),
            pl.col("delta_cost").sum().alias("Förändring av kostnaden (kr)"),
        )
        .rename({"label_sv": WATERFALL_STEP})
        .drop("step")
        .pipe(_clean)
    )
    return FigureTable(
        id="projection_waterfall_occupations",
        title_sv="Åtgärdernas effekt per yrke",
        frame=frame,
        descriptions=(WATERFALL_DESCRIPTION,),
        notes_sv=(
            "Samma steg som vattenfallet, per yrke. Summor för hela perioden. Yrken som inte "
            "visas i tabellen per yrke (små grupper) visas inte här heller.",
        ),
    )


WATERFALL_DESCRIPTION = Description(
    "projection_waterfall",
    "Åtgärdernas effekt",
    "Rekryteringsbehovet utan åtgärder och hur det ändras när varje åtgärd läggs till i tur och "
    "ordning: senare pension, lägre personalomsättning, deltidare går upp i tid, lägre "
    "sjukfrånvaro, produktivitet, uppgiftsväxling och andra lösningar.",
    "Månadsavlönade i urvalet, alla yrken.",
    "personer",
    "SKR (Välfärdens kompetensförsörjning); Hållbar docs/projection.md",
)


def pyramid_for(result: ProjectionResult, cells: StartCells, group: str, cid: str) -> Pyramid:
    """Age bands × gender at the start and at the horizon, for all occupations.

    The start is the key figures' answer for the scope's unit in their age bands
    (``cells.age_gender``): the same cells, shown and hidden alike. A projected cell is a
    function of the start persons who age into it, so it is shown only where its own
    start cell and every younger start cell of the same gender are shown."""
    min_n = cells.key_model.min_n
    last = result.base_year + result.scenario.horizon
    bands = AGE_BANDS
    start = {(b, g): cells.age_gender(b, g) for b in bands for g in GENDERS}
    projected = (
        result.age_structure.filter(pl.col("year") == last)
        .with_columns(age_band_expr())
        .group_by("age_band", "gender")
        .agg(pl.col("persons").sum().round(0).cast(pl.Int64).alias("n"))
    )
    at_horizon = {
        (b, g): n
        for b, g, n in zip(
            projected["age_band"].to_list(),
            projected["gender"].to_list(),
            projected["n"].to_list(),
            strict=True,
        )
    }

    def horizon(band: str, gender: str) -> int | None:
        younger = bands[: bands.index(band) + 1]
        if any(start[(b, gender)] is None for b in younger):
            return None
        return at_horizon.get((band, gender), 0)

    w0, m0 = [start[(b, "K")] for b in bands], [start[(b, "M")] for b in bands]
    w1, m1 = [horizon(b, "K") for b in bands], [horizon(b, "M") for b in bands]
    columns = (
        f"Kvinnor {result.base_year}",
        f"Män {result.base_year}",
        f"Kvinnor {last}",
        f"Män {last}",
    )
    frame = pl.DataFrame(
        {"Åldersgrupp": list(bands), **dict(zip(columns, (w0, m0, w1, m1), strict=True))},
        schema_overrides=dict.fromkeys(columns, pl.Int64),
    )
    notes = [
        f"Celler med färre än {min_n} personer, och celler som skulle avslöja en sådan grupp, "
        "visas inte (..), precis som i nyckeltalen för samma enhet och datum.",
        "Framskrivna celler visas bara där cellen vid start och de yngre cellerna av samma "
        "kön visas.",
    ]
    if cells.age_year != result.base_year:
        notes.append(
            f"Åldersgrupperna vid start räknas som i nyckeltalen: ålder uppnådd år "
            f"{cells.age_year}. Framskrivningen räknar med åldern år {result.base_year}."
        )
    table = FigureTable(
        id=f"projection_age_{cid}",
        title_sv=f"Åldersstruktur {group}",
        frame=frame,
        descriptions=(replace(AGE_DESCRIPTION, min_group_size=min_n),),
        notes_sv=tuple(notes),
    )
    svg = svgcharts.pyramid(
        cid,
        bands,
        w0,
        m0,
        women_end=w1,
        men_end=m1,
        end_label=f"Framskrivet {last}",
        title=f"Åldersstruktur {group} {result.base_year} och {last}",
        desc=f"Antal kvinnor och män per åldersgrupp {result.base_year} (staplar) och framskrivet "
        f"{last} (streckade konturer). Samma siffror finns i tabellen.",
    )
    return Pyramid(group, table, svg)


AGE_DESCRIPTION = Description(
    "projection_age_structure",
    "Åldersstruktur",
    "Antal personer per åldersgrupp och kön vid start (ålder = året minus födelseåret) och "
    "framskrivet till periodens sista år (väntevärde, avrundat till hela personer).",
    "Månadsavlönade i urvalet.",
    "personer",
    "Organisationens HR-export; Hållbar docs/projection.md",
)


def _clean(frame: pl.DataFrame) -> pl.DataFrame:
    """Round away float noise (−0.0000000001 would show as −0)."""
    return frame.with_columns(
        pl.when(pl.col(pl.Float64).abs() < 1e-9).then(0.0).otherwise(pl.col(pl.Float64)).name.keep()
    )
