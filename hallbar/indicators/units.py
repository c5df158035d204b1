"""The unit tree: subtrees, restricting data to a subtree, and each unit's nearest manager."""

from __future__ import annotations

import polars as pl

from hallbar.core.dataset import HRData
from hallbar.core.errors import InsufficientData, NotFound

_MAX_DEPTH = 64  # deeper trees than this are a cycle in the data


def subtree(units: pl.DataFrame, unit_id: str, org_id: str | None = None) -> list[str]:
    """``unit_id`` and every unit below it (breadth-first over ``parent_id``)."""
    frame = units if org_id is None else units.filter(pl.col("org_id") == org_id)
    if unit_id not in set(frame["unit_id"].to_list()):
        raise NotFound(
            f"Enheten '{unit_id}' finns inte i enhetsregistret. Kontrollera enhetens id."
        )
    children: dict[str, list[str]] = {}
    for child, parent in frame.select("unit_id", "parent_id").iter_rows():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    seen = {unit_id}
    out = [unit_id]
    queue = [unit_id]
    while queue:
        current = queue.pop()
        for child in children.get(current, []):
            if child not in seen:
                seen.add(child)
                out.append(child)
                queue.append(child)
    return out


def restrict_to_subtree(data: HRData, unit_id: str) -> HRData:
    """Keep only employments in the subtree of ``unit_id`` and what hangs on them.

    Absences without an employment id stay when the person has an employment in
    the subtree. A subtree with no employments at all raises ``InsufficientData``.
    """
    units = subtree(data.units, unit_id)
    emps = data.employments.filter(pl.col("unit_id").is_in(units))
    if emps.height == 0:
        raise InsufficientData(
            f"Enheten '{unit_id}' och enheterna under den har ingen personal i underlaget. "
            "Välj en annan enhet eller kontrollera anställningsfilen."
        )
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
        units=data.units.filter(pl.col("unit_id").is_in(units)),
        employments=emps,
        persons=data.persons.join(person_keys, on=["org_id", "person_id"], how="semi"),
        absences=pl.concat([with_emp, without_emp]),
        working_time=data.working_time.join(emp_keys, on=["org_id", "employment_id"], how="semi"),
        pay_components=data.pay_components.join(
            emp_keys, on=["org_id", "employment_id"], how="semi"
        ),
        agency_staff=data.agency_staff.filter(pl.col("unit_id").is_in(units)),
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
