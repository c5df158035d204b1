"""Demand driven by the population an occupation serves.

``population`` is the normalised forecast that ``hallbar.ingest.population``
reads (columns ``POPULATION_SCHEMA``: one row per region, single year of age and
year; age 100 means "100 years and older"). demand_t = staff_0 × served_t / served_0.
Nothing is extrapolated: a missing year, age or region is an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import polars as pl

from hallbar.projection.errors import ProjectionInputError

POPULATION_SCHEMA: dict[str, pl.DataType] = {
    "region_code": pl.String(),
    "region_name": pl.String(),
    "age": pl.Int64(),
    "year": pl.Int64(),
    "population": pl.Float64(),
}
TOP_AGE = 100  # "100+ år"

# Which ages an occupation serves, by SSYK 2012 code or (lower-case) occupation name.
# A scenario's ``served_ages`` overrides these.
DEFAULT_SERVED_AGES: dict[str, tuple[int, int | None]] = {
    "5321": (80, None),  # undersköterskor, hemtjänst, hemsjukvård, äldreboende och habilitering
    "5330": (80, None),  # vårdbiträden
    "undersköterska": (80, None),
    "vårdbiträde": (80, None),
    "äldreomsorg": (80, None),
    "5311": (1, 5),  # barnskötare
    "2343": (1, 5),  # förskollärare
    "barnskötare": (1, 5),
    "förskollärare": (1, 5),
    "2341": (6, 15),  # grundskollärare
    "2342": (6, 12),  # fritidspedagoger
    "5312": (6, 15),  # elevassistenter
    "grundskollärare": (6, 15),
    "fritidspedagog": (6, 12),
    "elevassistent": (6, 15),
}


def select_region(population: pl.DataFrame, region: str | None) -> pl.DataFrame:
    """The rows of the organisation's region; error if the file is for another one."""
    regions = population.select("region_code", "region_name").unique().sort("region_code")
    labels = [
        " ".join(p for p in (r["region_code"], r["region_name"]) if p)
        for r in regions.iter_rows(named=True)
    ]
    if region is None:
        if regions.height > 1:
            raise ProjectionInputError(
                f"Befolkningsprognosen innehåller flera kommuner ({', '.join(labels)}); "
                "ange vilken organisation (kommunkod) prognosen ska gälla."
            )
        return population
    wanted = region.strip().casefold()
    match = population.filter(
        (pl.col("region_code").fill_null("") == region.strip())
        | (pl.col("region_name").fill_null("").str.to_lowercase() == wanted)
    )
    if match.height == 0:
        raise ProjectionInputError(
            f"Befolkningsprognosen gäller {', '.join(labels) or 'okänd region'}, inte "
            f"organisationen {region}. Hämta prognosen för rätt kommun eller region."
        )
    return match


def served_ages_for(
    occupations: Sequence[str], overrides: Mapping[str, tuple[int, int | None]]
) -> dict[str, tuple[int, int | None] | None]:
    out: dict[str, tuple[int, int | None] | None] = {}
    for occ in occupations:
        out[occ] = overrides.get(occ) or DEFAULT_SERVED_AGES.get(occ.strip().casefold())
    return out


def served_population_index(
    population: pl.DataFrame,
    occupations: Sequence[str],
    served: Mapping[str, tuple[int, int | None] | None],
    base_year: int,
    horizon: int,
    region: str | None,
) -> tuple[np.ndarray, list[str]]:
    """Index served_{base+t} / served_base, shape (len(occupations), horizon + 1).

    Occupations without a served age group keep demand unchanged (index 1) and get
    a notice.
    """
    pop = select_region(population, region)
    years = list(range(base_year, base_year + horizon + 1))
    have = set(pop["year"].unique().to_list())
    if have and max(have) < years[-1]:
        raise ProjectionInputError(
            f"Befolkningsprognosen sträcker sig till {max(have)}, men horisonten kräver år "
            f"{years[-1]}. Förkorta horisonten till högst {max(have) - base_year} år eller "
            "hämta en prognos som räcker längre; Hållbar förlänger aldrig prognosen själv."
        )
    missing = [y for y in years if y not in have]
    if missing:
        raise ProjectionInputError(
            f"Befolkningsprognosen saknar år {', '.join(map(str, missing))} (behövs för "
            f"{years[0]}–{years[-1]}). Hämta en prognos med alla år."
        )
    index = np.ones((len(occupations), horizon + 1))
    notices: list[str] = []
    for i, occ in enumerate(occupations):
        group = served.get(occ)
        if group is None:
            notices.append(
                f"Yrket {occ} har ingen betjänad åldersgrupp; efterfrågan hålls oförändrad."
            )
            continue
        lo, hi = group
        top = TOP_AGE if hi is None else min(hi, TOP_AGE)
        sel = pop.filter(pl.col("age").is_between(lo, top) & pl.col("year").is_in(years))
        counts = sel.group_by("year").agg(
            pl.col("age").n_unique().alias("n"), pl.col("population").sum()
        )
        ages_needed = top - lo + 1
        short = counts.filter(pl.col("n") < ages_needed)
        if counts.height < len(years) or short.height:
            span = f"{lo}–{hi}" if hi is not None else f"{lo}+"
            raise ProjectionInputError(
                f"Befolkningsprognosen saknar åldrar i gruppen {span} år som yrket {occ} betjänar; "
                "hämta prognosen med ettårsklasser för alla åldrar."
            )
        by_year = dict(zip(counts["year"].to_list(), counts["population"].to_list(), strict=True))
        if by_year[base_year] <= 0:
            raise ProjectionInputError(
                f"Befolkningsprognosen har ingen befolkning i åldersgruppen för yrket {occ} år "
                f"{base_year}; välj en annan åldersgrupp."
            )
        index[i] = [by_year[y] / by_year[base_year] for y in years]
    return index, notices
