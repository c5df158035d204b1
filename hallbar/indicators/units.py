"""The unit tree: subtrees, restricting data to a subtree, and each unit's nearest manager."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import polars as pl

from hallbar.core.dataset import HRData
from hallbar.core.errors import InsufficientData, NotFound

_MAX_DEPTH = 64  # deeper trees than this are a cycle in the data


@dataclass(frozen=True)
class UnitTree:
    """The unit tree of one organisation: the one home for parents, children and subtrees.

    A parent that is not itself a unit, or a unit that names itself, makes a top
    unit; a cycle in bad data stops the walk up (``ancestors``) where it closes.
    """

    names: dict[str, str]  # unit id -> name
    parent: dict[str, str | None]
    children: dict[str, tuple[str, ...]]  # sorted by name, then id
    ancestors: dict[str, tuple[str, ...]]  # the unit itself first, then upwards
    subtree: dict[str, frozenset[str]]  # the unit itself and every unit below it


def unit_tree(units: pl.DataFrame) -> UnitTree:
    """The tree of ``units`` (one organisation's; the last row of a repeated id wins)."""
    frame = units.unique(subset="unit_id", keep="last", maintain_order=True)
    names = dict(zip(frame["unit_id"].to_list(), frame["name"].to_list(), strict=True))
    parent: dict[str, str | None] = {}
    for unit_id, parent_id in zip(frame["unit_id"], frame["parent_id"], strict=True):
        parent[unit_id] = parent_id if parent_id in names and parent_id != unit_id else None
    kids: dict[str, list[str]] = {u: [] for u in names}
    for unit_id, parent_id in parent.items():
        if parent_id is not None:
            kids[parent_id].append(unit_id)
    children = {u: tuple(sorted(c, key=lambda x: (names[x], x))) for u, c in kids.items()}
    ancestors = {u: _ancestors(u, parent) for u in names}
    below: dict[str, set[str]] = {u: set() for u in names}
    for unit_id, chain in ancestors.items():
        for ancestor in chain:
            below[ancestor].add(unit_id)
    return UnitTree(
        names=names,
        parent=parent,
        children=children,
        ancestors=ancestors,
        subtree={u: frozenset(s) for u, s in below.items()},
    )


def _ancestors(unit_id: str, parent: dict[str, str | None]) -> tuple[str, ...]:
    chain, seen = [unit_id], {unit_id}
    current = parent.get(unit_id)
    while current is not None and current not in seen:  # a cycle in bad data stops here
        chain.append(current)
        seen.add(current)
        current = parent.get(current)
    return tuple(chain)


def subtree(units: pl.DataFrame, unit_id: str, org_id: str | None = None) -> list[str]:
    """``unit_id`` and every unit below it, sorted by id."""
    frame = units if org_id is None else units.filter(pl.col("org_id") == org_id)
    tree = unit_tree(frame)
    if unit_id not in tree.subtree:
        raise NotFound(
            f"Enheten '{unit_id}' finns inte i enhetsregistret. Kontrollera enhetens id."
        )
    return sorted(tree.subtree[unit_id])


def restrict_to_subtree(data: HRData, unit_id: str, units: Collection[str] | None = None) -> HRData:
    """Keep only employments in the subtree of ``unit_id`` and what hangs on them.

    ``units``: the subtree when the caller already has it (a cached ``UnitTree``).
    A subtree with no employments at all raises ``InsufficientData``.
    """
    members = list(units) if units is not None else subtree(data.units, unit_id)
    emps = data.employments.filter(pl.col("unit_id").is_in(members))
    if emps.height == 0:
        raise InsufficientData(
            f"Enheten '{unit_id}' och enheterna under den har ingen personal i underlaget. "
            "Välj en annan enhet eller kontrollera anställningsfilen."
        )
    return restrict_to_employments(data, emps, members)


def restrict_to_employments(
    data: HRData, emps: pl.DataFrame, units: Collection[str] | None = None
) -> HRData:
    """Keep ``emps`` (employment rows of ``data``) and what hangs on them.

    Absences without an employment id stay when the person has one of the kept
    employments; agency staff stay for ``units`` (all of them when None).
    """
    emp_keys = emps.select("org_id", "employment_id").unique()
    person_keys = emps.select("org_id", "person_id").unique()
    absences = data.absences
    with_emp = absences.filter(pl.col("employment_id").is_not_null()).join(
        emp_keys, on=["org_id", "employment_id"], how="semi"
    )
    without_emp = absences.filter(pl.col("employment_id").is_null()).join(
        person_keys, on=["org_id", "person_id"], how="semi"
    )
    return data.with_frames(
        units=data.units if units is None else data.units.filter(pl.col("unit_id").is_in(units)),
        employments=emps,
        persons=data.persons.join(person_keys, on=["org_id", "person_id"], how="semi"),
        absences=pl.concat([with_emp, without_emp]),
        working_time=data.working_time.join(emp_keys, on=["org_id", "employment_id"], how="semi"),
        pay_components=data.pay_components.join(
            emp_keys, on=["org_id", "employment_id"], how="semi"
        ),
        agency_staff=(
            data.agency_staff
            if units is None
            else data.agency_staff.filter(pl.col("unit_id").is_in(units))
        ),
    )


def nearest_manager(units: pl.DataFrame) -> pl.DataFrame:
    """Each unit's first-line manager: its own manager, else the nearest ancestor's.

    Returns ``org_id, unit_id, manager_person_id, manager_unit_id`` (null when no
    unit up the tree has a manager).
    """
    base = units.select("org_id", "unit_id", "parent_id", "manager_person_id")
    resolved = base.select(
        "org_id",
        "unit_id",
        pl.col("manager_person_id"),
        pl.when(pl.col("manager_person_id").is_not_null())
        .then(pl.col("unit_id"))
        .alias("manager_unit_id"),
        pl.col("parent_id").alias("cursor"),
    )
    parents = base.select(
        "org_id",
        pl.col("unit_id").alias("cursor"),
        pl.col("parent_id").alias("next_cursor"),
        pl.col("manager_person_id").alias("cursor_manager"),
    )
    for _ in range(_MAX_DEPTH):
        open_rows = resolved.filter(
            pl.col("manager_person_id").is_null() & pl.col("cursor").is_not_null()
        )
        if open_rows.height == 0:
            break
        resolved = (
            resolved.join(parents, on=["org_id", "cursor"], how="left")
            .with_columns(
                manager_unit_id=pl.when(
                    pl.col("manager_person_id").is_null() & pl.col("cursor_manager").is_not_null()
                )
                .then(pl.col("cursor"))
                .otherwise(pl.col("manager_unit_id")),
                manager_person_id=pl.coalesce("manager_person_id", "cursor_manager"),
            )
            .with_columns(
                cursor=pl.when(pl.col("manager_person_id").is_null())
                .then(pl.col("next_cursor"))
                .otherwise(None)
            )
            .drop("next_cursor", "cursor_manager")
        )
    return resolved.select("org_id", "unit_id", "manager_person_id", "manager_unit_id")
