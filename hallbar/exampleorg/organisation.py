"""The organisation tree of Exempelkommun and its positions (slots).

A *slot* is one position in a unit: it is held by a chain of employees over
time (see ``careers.py``), so the number of slots is the headcount at as_of.
The tree is kommun → förvaltning → verksamhet (area, at most ten units each)
→ enhet. Small organisations (under 1 000) skip the verksamhet level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from hallbar.exampleorg.catalogue import (
    DEPARTMENTS,
    OCCUPATION_INDEX,
    OCCUPATIONS,
    OPERATIONS,
    PLACES,
    Operation,
)

UNITS_PER_AREA = 10
AREA_LEVEL_FROM = 1000  # organisations smaller than this have no verksamhet level
FIRST_UNIT_ID = 100000
MIN_SIZE = 20  # fewer employees cannot fill one unit per operation with a manager

FORM_PERMANENT, FORM_FIXED_TERM, FORM_HOURLY = 0, 1, 2


@dataclass(frozen=True)
class Plan:
    """Units (a frame) and slots (parallel numpy arrays, one entry per position)."""

    units: pl.DataFrame  # unit_idx, unit_id, parent_id, name, dept, op_idx (-1 = node)
    slot_unit: np.ndarray  # unit_idx of each slot
    slot_occ: np.ndarray  # index into OCCUPATIONS
    slot_form: np.ndarray  # FORM_*
    slot_manager: np.ndarray  # bool: the slot is its unit's manager


def _allocate(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    n = len(weights)
    base = np.full(n, minimum, dtype=np.int64)
    rest = total - base.sum()
    if rest <= 0 or n == 0:
        return base
    exact = weights / weights.sum() * rest
    floor = np.floor(exact).astype(np.int64)
    remainder = rest - floor.sum()
    order = np.argsort(-(exact - floor), kind="stable")
    floor[order[:remainder]] += 1
    return base + floor


def _unit_names(op: Operation, n: int) -> list[str]:
    if not op.named_by_place:
        return [op.unit_prefix] if n == 1 else [f"{op.unit_prefix} {i + 1}" for i in range(n)]
    names = []
    for i in range(n):
        place = PLACES[i % len(PLACES)]
        round_ = i // len(PLACES)
        names.append(f"{op.unit_prefix} {place}" + (f" {round_ + 1}" if round_ else ""))
    return names


def build_plan(size: int, rng: np.random.Generator) -> Plan:
    """Lay out the unit tree and exactly ``size`` monthly-paid slots, plus hourly-paid slots."""
    if size < MIN_SIZE:  # generate() refuses smaller sizes with a Swedish message
        raise ValueError(f"size must be at least {MIN_SIZE}")
    with_areas = size >= AREA_LEVEL_FROM
    shares = np.array([op.share for op in OPERATIONS])
    mean_sizes = np.array([(op.size[0] + op.size[1]) / 2 for op in OPERATIONS])
    staff = size * shares / shares.sum()
    # Operations too small for one real unit are left out of small organisations.
    keep = staff >= np.minimum(3.0, mean_sizes / 4)
    n_units = np.where(keep, np.maximum(1, np.rint(staff / mean_sizes)), 0).astype(np.int64)

    rows: list[tuple[int, str | None, str, str, int]] = []  # parent idx via ids below
    unit_id = FIRST_UNIT_ID

    def add(parent: str | None, name: str, dept: str, op_idx: int) -> str:
        nonlocal unit_id
        uid = str(unit_id)
        unit_id += 1
        rows.append((len(rows), parent, name, dept, op_idx))
        ids.append(uid)
        return uid

    ids: list[str] = []
    root = add(None, "Exempelkommun", "klf", -1)
    leaf_units: list[int] = []  # row index of each leaf unit
    leaf_ops: list[int] = []
    for dept_key, dept_name in DEPARTMENTS:
        ops = [i for i, op in enumerate(OPERATIONS) if op.department == dept_key and n_units[i]]
        if not ops:
            continue
        dept_id = add(root, dept_name, dept_key, -1)
        for i in ops:
            op = OPERATIONS[i]
            names = _unit_names(op, int(n_units[i]))
            n_areas = -(-len(names) // UNITS_PER_AREA) if with_areas else 0
            for a in range(max(n_areas, 1)):
                parent = dept_id
                chunk = names if not with_areas else names[a::n_areas]
                if with_areas:
                    area_name = op.name if n_areas == 1 else f"{op.name}, område {a + 1}"
                    parent = add(dept_id, area_name, dept_key, -1)
                for name in chunk:
                    leaf_units.append(len(rows))
                    leaf_ops.append(i)
                    add(parent, name, dept_key, i)

    id_of = np.array(ids)
    units = pl.DataFrame(
        {
            "unit_idx": np.arange(len(rows), dtype=np.int64),
            "unit_id": id_of,
            "parent_id": [r[1] for r in rows],
            "name": [r[2] for r in rows],
            "dept": [r[3] for r in rows],
            "op_idx": np.array([r[4] for r in rows], dtype=np.int64),
        },
        schema_overrides={"parent_id": pl.String},
    )
    nodes = units.filter(pl.col("op_idx") < 0)
    leaf_idx = np.array(leaf_units, dtype=np.int64)
    leaf_op = np.array(leaf_ops, dtype=np.int64)

    # Staff per leaf unit: a random target size within the operation's range,
    # scaled so that the operations keep their shares and all slots sum to `size`.
    lo = np.array([OPERATIONS[i].size[0] for i in leaf_op], dtype=float)
    hi = np.array([OPERATIONS[i].size[1] for i in leaf_op], dtype=float)
    target = rng.uniform(lo, hi)
    per_op_target = np.bincount(leaf_op, weights=target, minlength=len(OPERATIONS))
    weights = target / per_op_target[leaf_op] * staff[leaf_op]
    remaining = size - nodes.height
    unit_staff = _allocate(remaining, weights, minimum=2 if remaining >= 2 * len(leaf_idx) else 1)

    # Node managers (kommundirektör, förvaltningschefer, verksamhetschefer).
    node_idx = nodes["unit_idx"].to_numpy()
    node_occ = np.where(
        node_idx == 0,
        OCCUPATION_INDEX["ch_kd"],
        np.where(
            nodes["parent_id"].to_numpy() == root,
            OCCUPATION_INDEX["ch_fv"],
            OCCUPATION_INDEX["ch_vh"],
        ),
    )
    # Leaf slots: the first is the unit manager, the others follow the operation's mix.
    slot_unit = np.repeat(leaf_idx, unit_staff)
    slot_op = np.repeat(leaf_op, unit_staff)
    starts = np.cumsum(unit_staff) - unit_staff
    is_mgr = np.zeros(slot_unit.size, dtype=bool)
    is_mgr[starts] = True
    slot_occ = np.empty(slot_unit.size, dtype=np.int64)
    for i, op in enumerate(OPERATIONS):
        sel = np.flatnonzero(slot_op == i)
        if not sel.size:
            continue
        keys = np.array([OCCUPATION_INDEX[k] for k, _ in op.mix])
        p = np.array([w for _, w in op.mix])
        slot_occ[sel] = rng.choice(keys, size=sel.size, p=p / p.sum())
        mgr_sel = sel[is_mgr[sel]]
        slot_occ[mgr_sel] = OCCUPATION_INDEX[op.manager]

    fixed_share = np.array([o.fixed_term for o in OCCUPATIONS])
    slot_form = np.where(rng.random(slot_unit.size) < fixed_share[slot_occ], FORM_FIXED_TERM, 0)
    slot_form[is_mgr] = FORM_PERMANENT

    # Hourly-paid pool (timavlönade): extra slots, not part of `size`.
    hourly_share = np.array([op.hourly for op in OPERATIONS])
    n_hourly = np.rint(staff * hourly_share * keep).astype(np.int64)
    h_unit, h_occ = [], []
    for i, op in enumerate(OPERATIONS):
        if not n_hourly[i]:
            continue
        units_i = leaf_idx[leaf_op == i]
        h_unit.append(rng.choice(units_i, size=n_hourly[i]))
        keys = np.array([OCCUPATION_INDEX[k] for k, _ in op.mix])
        p = np.array([w for _, w in op.mix])
        h_occ.append(rng.choice(keys, size=n_hourly[i], p=p / p.sum()))
    hu = np.concatenate(h_unit) if h_unit else np.empty(0, dtype=np.int64)
    ho = np.concatenate(h_occ) if h_occ else np.empty(0, dtype=np.int64)

    return Plan(
        units=units,
        slot_unit=np.concatenate([node_idx, slot_unit, hu]),
        slot_occ=np.concatenate([node_occ, slot_occ, ho]),
        slot_form=np.concatenate(
            [np.zeros(node_idx.size, dtype=np.int64), slot_form, np.full(hu.size, FORM_HOURLY)]
        ),
        slot_manager=np.concatenate(
            [np.ones(node_idx.size, bool), is_mgr, np.zeros(hu.size, bool)]
        ),
    )


def occupation_array(attr: str) -> np.ndarray:
    """One attribute of every occupation as an array indexed like OCCUPATIONS."""
    return np.array([getattr(o, attr) for o in OCCUPATIONS])
