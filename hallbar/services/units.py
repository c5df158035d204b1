"""The unit tree of one dataset and per-unit headcount statistics, computed once per dataset.

A page asks for a few units at a time, but a region has thousands of units and
tens of thousands of employees; computing every unit's subtree figures in one
Polars pass and caching them per loaded dataset keeps each page cheap.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import polars as pl

from hallbar.core.dataset import HRData
from hallbar.core.population import MONTHLY_PAID
from hallbar.indicators.units import unit_tree

# The organisation pages' age structure: ten-year bands. (SKR's note has its own three,
# hallbar.indicators.views.AGE_BANDS; the projection's pyramid its own, services.projection.figures.)
STRUCTURE_AGE_BANDS: tuple[str, ...] = ("–29", "30–39", "40–49", "50–59", "60–")
_STRUCTURE_AGE_EDGES = (30, 40, 50, 60)
_CACHE_SIZE = 8


@dataclass(frozen=True)
class UnitIndex:
    names: dict[str, str]
    parent: dict[str, str | None]
    children: dict[str, tuple[str, ...]]  # sorted by name
    subtree: dict[str, frozenset[str]]  # unit itself and every unit below it
    stats: pl.DataFrame  # per unit, whole subtree: headcount, fte, women, men, K_/M_<band>
    direct_stats: pl.DataFrame  # per unit, staff placed directly on the unit
    # ``stats``' fte by unit, as Python floats: a unit page reads a handful of units, and
    # filtering or converting the region's thousands of rows per request cost more than the page.
    fte: dict[str, float]
    active: pl.DataFrame  # MONTHLY_PAID employments on the snapshot date, with gender and age


_lock = threading.Lock()
_cache: OrderedDict[int, tuple[HRData, UnitIndex]] = OrderedDict()


def unit_index(data: HRData) -> UnitIndex:
    """The cached index for ``data`` (keyed by object identity; the dataset is kept alive)."""
    key = id(data)
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] is data:
            _cache.move_to_end(key)
            return hit[1]
    index = build_index(data)
    with _lock:
        _cache[key] = (data, index)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return index


def build_index(data: HRData) -> UnitIndex:
    tree = unit_tree(data.units)
    active = _active_employments(data)
    pairs = pl.DataFrame(
        [(u, a) for u, chain in tree.ancestors.items() for a in chain],
        schema={"unit_id": pl.String, "ancestor_id": pl.String},
        orient="row",
    )
    by_ancestor = active.join(pairs, on="unit_id").with_columns(
        pl.col("ancestor_id").alias("group_id")
    )
    stats = _group_stats(by_ancestor)
    return UnitIndex(
        names=tree.names,
        parent=tree.parent,
        children=tree.children,
        subtree=tree.subtree,
        stats=stats,
        direct_stats=_group_stats(active.with_columns(pl.col("unit_id").alias("group_id"))),
        active=active,
        fte=dict(zip(stats["unit_id"].to_list(), stats["fte"].to_list(), strict=True)),
    )


def _active_employments(data: HRData) -> pl.DataFrame:
    # The organisation pages count MONTHLY_PAID on the snapshot date: the one rule is
    # hallbar.core.population's, so the tree, the projection stock and the pay survey agree.
    as_of = data.as_of
    emp = MONTHLY_PAID.employments(data, as_of)
    persons = data.persons.unique(subset="person_id").select("person_id", "birth_date", "gender")
    age = (
        pl.lit(as_of.year)
        - pl.col("birth_date").dt.year()
        - (
            (pl.col("birth_date").dt.month() > as_of.month)
            | (
                (pl.col("birth_date").dt.month() == as_of.month)
                & (pl.col("birth_date").dt.day() > as_of.day)
            )
        ).cast(pl.Int32)
    )
    return (
        emp.join(persons, on="person_id", how="left")
        .with_columns(age.cast(pl.Int32).alias("age"))
        .select(
            "employment_id",
            "person_id",
            "unit_id",
            "title",
            "employment_form",
            "rate",
            "start_date",
            "end_date",
            "gender",
            "age",
        )
    )


def _band(age: pl.Expr) -> pl.Expr:
    # Band i holds ages below _STRUCTURE_AGE_EDGES[i]; the index counts the edges an age has reached.
    index = pl.sum_horizontal(*[(age >= edge).cast(pl.Int32) for edge in _STRUCTURE_AGE_EDGES])
    return index.replace_strict(dict(enumerate(STRUCTURE_AGE_BANDS)), return_dtype=pl.String)


def _group_stats(frame: pl.DataFrame) -> pl.DataFrame:
    """One row per group_id: persons counted once, rate capped at 100 % per person."""
    per_person = frame.group_by("group_id", "person_id").agg(
        pl.col("rate").sum().clip(upper_bound=100.0).alias("rate"),
        pl.col("gender").first(),
        pl.col("age").first(),
    )
    per_person = per_person.with_columns(_band(pl.col("age")).alias("band"))
    aggs = [
        pl.len().cast(pl.Int64).alias("headcount"),
        (pl.col("rate").sum() / 100.0).alias("fte"),
        (pl.col("gender") == "K").sum().cast(pl.Int64).alias("women"),
        (pl.col("gender") == "M").sum().cast(pl.Int64).alias("men"),
    ]
    for g in ("K", "M"):
        for band in STRUCTURE_AGE_BANDS:
            aggs.append(
                ((pl.col("gender") == g) & (pl.col("band") == band))
                .sum()
                .cast(pl.Int64)
                .alias(f"{g}_{band}")
            )
    return per_person.group_by("group_id").agg(aggs).rename({"group_id": "unit_id"})


TOTAL = "Totalt"
