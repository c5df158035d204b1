"""The query space: every count a user can obtain for one snapshot and scope.

A user of the key-figure pages or the JSON API chooses a unit (the answer
covers the unit's whole subtree) and, for each filter dimension (gender, age
band, employment form, …), one value or "all". Every such answer is a *cell*
of a cube ``units × (values + all) × (values + all) × …``; its sensitivity
measure is the number of persons it counts.

The cube is built from *atoms*: persons counted by their own unit (the unit
they are attached to, not its ancestors) and by the exact value they have in
each dimension. Every person must have one of the offered values in every
dimension: a person outside them would be in the "all" cell but in no
single-value cell, an unshown remainder that subtraction reveals. A cell is
the sum of the atoms in a box: the own units of a subtree × one value (or
every value) per dimension. Because every cell is such a sum, the whole query space is
one linear system over the atoms, which is what an attacker who can ask
unlimited questions faces, and what ``decision`` protects.

The whole organisation is a virtual root unit (``ORGANISATION``, id ``None``):
the answer without a unit. Persons whose unit is not in the tree are own
staff of the organisation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

ORGANISATION: None = None  # the unit id of the whole organisation (no unit chosen)
ALL: None = None  # a filter value meaning "everyone" (no filter on that dimension)


@dataclass(frozen=True)
class FilterDimension:
    """One filter a user can set: the frame column and the values offered."""

    column: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class QuerySpace:
    """The cube of every obtainable count, and the atoms it is summed from.

    ``units[0]`` is the organisation (id None); units are in depth-first
    preorder, so a unit's subtree is the contiguous range
    ``start .. start + size[start]``. Coordinate ``k`` of a dimension with ``k``
    values is "all".
    """

    units: tuple[str | None, ...]
    parent: np.ndarray  # int index of the parent unit; -1 for the organisation
    size: np.ndarray  # number of units in each unit's subtree (itself included)
    dimensions: tuple[FilterDimension, ...]
    atoms: np.ndarray  # (n_units, k1, k2, …): own persons per exact value
    cube: np.ndarray  # (n_units, k1 + 1, …): persons in the subtree; last index = all
    own: np.ndarray  # (n_units, k1 + 1, …): own persons per coordinate (last = all)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.cube.shape)

    def unit_index(self, unit_id: str | None) -> int:
        index = self._index().get(unit_id)
        if index is None:
            raise KeyError(f"unknown unit {unit_id!r}")
        return index

    def _index(self) -> dict[str | None, int]:
        cached: dict[str | None, int] | None = self.__dict__.get("_unit_index")
        if cached is None:
            cached = {u: i for i, u in enumerate(self.units)}
            object.__setattr__(self, "_unit_index", cached)
        return cached

    def coordinates(
        self, unit_id: str | None, filters: Mapping[str, str | None]
    ) -> tuple[int, ...]:
        """The cell of one answer: unit index, then per dimension a value index or "all"."""
        unknown = set(filters) - {d.column for d in self.dimensions}
        if unknown:
            raise KeyError(f"filters outside the query space: {sorted(unknown)}")
        coords = [self.unit_index(unit_id)]
        for d in self.dimensions:
            value = filters.get(d.column, ALL)
            if value is ALL:
                coords.append(len(d.values))
            elif value in d.values:
                coords.append(d.values.index(value))
            else:
                raise KeyError(f"{value!r} is not a value of {d.column!r}")
        return tuple(coords)

    def children(self) -> list[list[int]]:
        out: list[list[int]] = [[] for _ in self.units]
        for i, p in enumerate(self.parent.tolist()):
            if p >= 0:
                out[p].append(i)
        return out

    def ancestors(self, unit: int) -> list[int]:
        """``unit`` and every unit above it, up to and including the organisation."""
        chain = [unit]
        while self.parent[chain[-1]] >= 0:
            chain.append(int(self.parent[chain[-1]]))
        return chain


def _preorder(unit_parent: Mapping[str, str | None]) -> tuple[list[str | None], list[int]]:
    units = set(unit_parent) | {p for p in unit_parent.values() if p is not None}
    kids: dict[str | None, list[str]] = {}
    for u in sorted(units):
        p = unit_parent.get(u)
        kids.setdefault(p if p in units and p != u else None, []).append(u)
    order: list[str | None] = []
    parents: list[int] = []
    stack: list[tuple[str | None, int]] = [(ORGANISATION, -1)]
    seen: set[str | None] = set()
    while stack:
        unit, up = stack.pop()
        if unit in seen:
            raise ValueError(f"the unit tree has a cycle through {unit!r}")
        seen.add(unit)
        index = len(order)
        order.append(unit)
        parents.append(up)
        stack.extend((c, index) for c in reversed(kids.get(unit, [])))
    if len(order) != len(units) + 1:
        missing = sorted(str(u) for u in units - seen)
        raise ValueError(f"the unit tree has a cycle through {missing[:3]}")
    return order, parents


def _slot(values: pl.Series, dimension: FilterDimension) -> np.ndarray:
    lookup = {v: i for i, v in enumerate(dimension.values)}
    found = [lookup.get(v, -1) for v in values.to_list()]
    if -1 in found:
        bad = sorted({str(v) for v, i in zip(values.to_list(), found, strict=True) if i < 0})
        raise ValueError(
            f"build_query_space: {dimension.column!r} has values outside the filter: {bad[:5]}"
        )
    return np.array(found, dtype=np.int64)


def build_query_space(
    persons: pl.DataFrame,
    unit_parent: Mapping[str, str | None],
    dimensions: Sequence[FilterDimension],
    *,
    unit_col: str = "unit_id",
) -> QuerySpace:
    """The query space of ``persons`` (one row per person) over the unit tree.

    ``unit_parent`` maps every unit to its parent (None for a top unit).
    ``persons`` has ``unit_col`` (the person's own unit; null: the
    organisation itself) and each dimension's column. Every person is one row: a count must mean distinct persons, and
    a person in two cells of one line would break the additive structure the
    protection relies on (the caller picks the main employment, as the
    organisation pages do).
    """
    if "person_id" in persons.columns and persons["person_id"].n_unique() != persons.height:
        raise ValueError("build_query_space: persons must hold one row per person")
    order, parents = _preorder(unit_parent)
    n = len(order)
    index = {u: i for i, u in enumerate(order)}
    unit_values = persons[unit_col].to_list()
    outside = sorted({str(u) for u in unit_values if u is not None and u not in index})
    if outside:
        raise ValueError(f"build_query_space: units not in the tree: {outside[:5]}")
    unit_ix = np.array([index[u] for u in unit_values], dtype=np.int64)
    slots = [_slot(persons[d.column], d) for d in dimensions]
    atoms = np.zeros((n, *(len(d.values) for d in dimensions)), dtype=np.int64)
    np.add.at(atoms, (unit_ix, *slots), 1)
    own = atoms
    # Coordinate k of each dimension ("all") is the sum over its values.
    for axis in range(1, own.ndim):
        own = np.concatenate([own, own.sum(axis=axis, keepdims=True)], axis=axis)
    cube = own.copy()
    parent = np.array(parents, dtype=np.int64)
    for i in range(n - 1, 0, -1):  # children come after their parent in preorder
        cube[parent[i]] += cube[i]
    size = np.ones(n, dtype=np.int64)
    for i in range(n - 1, 0, -1):
        size[parent[i]] += size[i]
    return QuerySpace(tuple(order), parent, size, tuple(dimensions), atoms, cube, own)
