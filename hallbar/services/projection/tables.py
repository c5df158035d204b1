"""Protected tables of a projection: per occupation group, per year, lever steps and
age pyramids. Small groups are pooled and suppressed here, once, for every view."""

from __future__ import annotations

from dataclasses import dataclass, replace

import polars as pl

from hallbar.core.describe import Description, FigureTable
from hallbar.privacy.suppression import Dimension, SuppressionRule, suppress
from hallbar.projection import ProjectionResult, descriptions
from hallbar.reports import svgcharts
from hallbar.services.projection.figures import (
    ALL_LABEL,
    GAP,
    NARROW_EDGES,
    OCC,
    STAFF_START,
    SUPPLY,
    SURPLUS,
    WATERFALL_STEP,
    WIDE_BANDS_FROM,
    WIDE_EDGES,
    YEAR,
    band_expr,
    band_labels,
    other_label,
)

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


@dataclass(frozen=True)
class Pyramid:
    group: str
    table: FigureTable  # band, kvinnor, män (start) and kvinnor/män at the horizon
    svg: str


def group_map(stock: pl.DataFrame, labels: dict[str, str], min_n: int) -> dict[str, str]:
    """Occupation code -> the group it is shown in: its own label, or the pooled
    "Övriga yrken" when it has fewer than ``min_n`` staff."""
    counts = stock.group_by("occupation").len()
    other = other_label(min_n)
    return {
        occ: (labels.get(occ, occ) if n >= min_n else other)
        for occ, n in zip(counts["occupation"].to_list(), counts["len"].to_list(), strict=True)
    }


def occupation_table(
    result: ProjectionResult, stock: pl.DataFrame, groups: dict[str, str], min_n: int
) -> FigureTable:
    """Horizon sums per occupation group with the total, small groups suppressed."""
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
    other = other_label(min_n)
    by_group = (
        per.group_by(OCC)
        .agg(sums)
        .sort(pl.col(OCC) == other, pl.col(descriptions.NEED.id), descending=[False, True])
    )
    total = per.select(pl.lit(ALL_LABEL).alias(OCC), *sums)
    frame = _clean(pl.concat([by_group, total]))
    safe = suppress(
        frame,
        count_col=STAFF_START.id,
        value_cols=[fid for _, fid in _TERMS],
        rule=SuppressionRule(min_n),
        dimensions=[Dimension(OCC, total=ALL_LABEL)],
    ).frame
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
            f"Yrken med färre än {min_n} anställda redovisas tillsammans som ”{other}”.",
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


def pyramid_for(
    result: ProjectionResult, occupations: list[str] | None, group: str, min_n: int, cid: str
) -> Pyramid:
    """Age bands × gender at the start and at the horizon, each protected on its own."""
    last = result.base_year + result.scenario.horizon
    ages = result.age_structure.filter(pl.col("year").is_in([result.base_year, last]))
    if occupations is not None:
        ages = ages.filter(pl.col("occupation").is_in(occupations))
    staff = ages.filter(pl.col("year") == result.base_year)["persons"].sum()
    edges = NARROW_EDGES if staff >= WIDE_BANDS_FROM else WIDE_EDGES
    bands = band_labels(edges)
    banded = ages.with_columns(band_expr("age", edges).alias("band"))
    tables = {}
    for year in (result.base_year, last):
        cells = (
            banded.filter(pl.col("year") == year)
            .group_by("band", "gender")
            .agg(pl.col("persons").sum().round(0).cast(pl.Int64).alias("n"))
        )
        full = (
            pl.DataFrame(
                [(b, g) for b in bands for g in ("K", "M")],
                schema={"band": pl.String, "gender": pl.String},
                orient="row",
            )
            .join(cells, on=["band", "gender"], how="left")
            .with_columns(pl.col("n").fill_null(0))
        )
        margins = pl.concat(
            [
                full,
                full.group_by("band")
                .agg(pl.lit("T").alias("gender"), pl.col("n").sum())
                .select("band", "gender", "n"),
            ]
        )
        margins = pl.concat(
            [
                margins,
                margins.group_by("gender")
                .agg(pl.lit("Alla").alias("band"), pl.col("n").sum())
                .select("band", "gender", "n"),
            ]
        )
        tables[year] = suppress(
            margins,
            count_col="n",
            value_cols=[],
            rule=SuppressionRule(min_n),
            dimensions=[Dimension("band", total="Alla"), Dimension("gender", total="T")],
        ).frame

    def col(year: int, gender: str) -> list[int | None]:
        t = tables[year].filter(pl.col("gender") == gender)
        lookup = dict(zip(t["band"].to_list(), t["n"].to_list(), strict=True))
        return [lookup.get(b) for b in bands]

    w0, m0, w1, m1 = (
        col(result.base_year, "K"),
        col(result.base_year, "M"),
        col(last, "K"),
        col(last, "M"),
    )
    frame = pl.DataFrame(
        {
            "Åldersgrupp": list(bands),
            f"Kvinnor {result.base_year}": w0,
            f"Män {result.base_year}": m0,
            f"Kvinnor {last}": w1,
            f"Män {last}": m1,
        },
        schema_overrides={
            c: pl.Int64
            for c in (
                f"Kvinnor {result.base_year}",
                f"Män {result.base_year}",
                f"Kvinnor {last}",
                f"Män {last}",
            )
        },
    )
    table = FigureTable(
        id=f"projection_age_{cid}",
        title_sv=f"Åldersstruktur {group}",
        frame=frame,
        descriptions=(replace(AGE_DESCRIPTION, min_group_size=min_n),),
        notes_sv=(f"Celler med färre än {min_n} personer visas inte (–).",),
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


def shows_something(table: FigureTable) -> bool:
    """Whether any start-year cell of a pyramid is visible and not zero."""
    start = table.frame.select(table.frame.columns[1:3])
    return any(v for col in start.iter_columns() for v in col.to_list() if v)


def _clean(frame: pl.DataFrame) -> pl.DataFrame:
    """Round away float noise (−0.0000000001 would show as −0)."""
    return frame.with_columns(
        pl.when(pl.col(pl.Float64).abs() < 1e-9).then(0.0).otherwise(pl.col(pl.Float64)).name.keep()
    )
