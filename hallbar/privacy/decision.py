"""Which cells of the query space are released: hypercube secondary suppression.

Threat: a user who can ask every cell of the query space (``queryspace``) and
knows its additive structure (a unit is its children plus its own staff; "all"
is the sum of the values) solves for a hidden cell. Subtracting answers,
summing siblings and every other linear combination is covered by one test:
a hidden cell is safe when the atoms (persons per own unit and exact values)
can be changed, staying non-negative integers, without changing any released
cell, yet changing the hidden one. Then the released answers fit two different
organisations that differ in that cell, so no attack can pin it down.

The method is the hypercube idea of GHMITER (Repsilber; τ-ARGUS' "hypercube"
secondary suppression) applied to the linked cube: for a sensitive cell, move
one person in a closed cycle of atoms. In every dimension the cycle uses two
values (+1 on the target's value, −1 on a partner value) or, where the target
cell is "all", one value (so "all" moves with it); in the unit tree it uses
two own units below their lowest common unit (a unit of the target's subtree
and the parent's own staff or a unit of a sibling's subtree). Every cell whose
box contains exactly one side of every pair changes; all of them are hidden
together. Every other cell, in particular every total above the common unit,
is unchanged. A direction of the
move is feasible when every atom that loses a person has one. Each sensitive
cell that no chosen cycle already moves gets the cheapest feasible cycle:
the fewest newly hidden cells, then the fewest persons in them (the
organisation's total is never chosen while anything else works). Because every hidden cell lies on a
feasible cycle whose other cells are hidden too, no hidden cell is determined
by the released ones; no fixpoint iteration is needed.

Sensitive groups: every cell with 1 … min_n − 1 persons, and every group of
that size that one subtraction along a line gives: a unit's own staff (the
unit minus its children), a parent minus one of its units, and "all but one
value" of a filter with three or more values (the complement rule:
"permanent" is shown only if "not permanent" in the same answer is protected
too). A cell of zero persons is
released; it says nothing about anyone, and an attacker may assume it known.
The cycles themselves are in ``cycles``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hallbar.privacy.cycles import Pattern, Tree, cheapest, general_cycle, group_counts, membership
from hallbar.privacy.queryspace import QuerySpace

_FORBIDDEN = 1e9  # cost of hiding the organisation's grand total
_PER_PERSON = 1000.0  # persons per unit of cost: cells first, persons as tie-break


@dataclass(frozen=True)
class Decision:
    """Which cells are hidden, and why."""

    hidden: np.ndarray  # bool, the cube's shape
    primary: np.ndarray  # bool: fewer than min_n persons (and not zero)
    sensitive_groups: int  # small groups protected (cells, own staff, complements)
    unprotected: tuple[tuple[str, tuple[int, ...]], ...]  # groups no cycle could protect
    min_n: int


def decide(space: QuerySpace, min_n: int) -> Decision:
    """Hide every small cell and the cells of one protecting cycle per small group."""
    cube, atoms = space.cube, space.atoms
    n = len(space.units)
    members = [membership(len(d.values)) for d in space.dimensions]
    ks = [len(d.values) for d in space.dimensions]
    own_groups = group_counts(atoms, members)
    groups = own_groups.copy()
    for i in range(n - 1, 0, -1):  # children come after their parent in preorder
        groups[space.parent[i]] += groups[i]
    primary = (cube >= 1) & (cube < min_n)
    # One subtraction along a line: at most one "all but one value" coordinate.
    n_complements = np.zeros(groups.shape[1:], dtype=np.int64)
    for x, m in enumerate(members):
        shape = [1] * len(members)
        shape[x] = -1
        n_complements = n_complements + (np.arange(m.shape[0]) > m.shape[1]).reshape(shape)
    line = (n_complements <= 1)[None]
    nonleaf = (space.size > 1).reshape((n,) + (1,) * len(members))
    sensitive_cells = (groups >= 1) & (groups < min_n) & line
    sensitive_own = (own_groups >= 1) & (own_groups < min_n) & line & nonleaf
    # "Parent minus unit", stored at the unit (the organisation has no parent).
    rest_groups = groups[np.maximum(space.parent, 0)] - groups
    rest_groups[0] = 0
    sensitive_rest = (rest_groups >= 1) & (rest_groups < min_n) & line
    tree = Tree(space, own_groups)
    moved = np.zeros(groups.shape, dtype=bool)
    own_moved = np.zeros(groups.shape, dtype=bool)
    rest_moved = np.zeros(groups.shape, dtype=bool)
    tracked = {"cell": moved, "own": own_moved, "rest": rest_moved}
    # Cost of hiding a cell: one per cell, and a little per person so that among
    # cycles hiding as many cells the smallest cells are taken (measured on
    # generated organisations: fewer hidden cells, and fewer large ones, than
    # a cost per person; docs/privacy.md).
    weight = 1.0 + cube.astype(np.float64) / _PER_PERSON
    weight[(0, *ks)] = _FORBIDDEN
    weight[primary] = 0.0  # hidden anyway: cycles through other small cells are free
    flat_weight = weight.reshape(n, -1)  # views: updates show through
    flat_moved = moved.reshape(n, -1)
    flat_own_moved = own_moved.reshape(n, -1)
    flat_rest_moved = rest_moved.reshape(n, -1)
    flat_atoms = atoms.reshape(n, -1)
    positive = np.argwhere(atoms >= 1)
    cube_part = (slice(None), *(slice(0, k + 1) for k in ks))
    patterns: dict[tuple[int, ...], Pattern] = {}
    unprotected: list[tuple[str, tuple[int, ...]]] = []
    targets = _targets(
        [groups, own_groups, rest_groups], [sensitive_cells, sensitive_own, sensitive_rest], ks
    )
    for kind, cell in targets:
        if tracked[kind][cell]:
            continue
        pattern = patterns.get(cell[1:])
        if pattern is None:
            pattern = patterns[cell[1:]] = Pattern(members, cell[1:])
        choice = None
        for wide in (False, True):
            pairs = tree.pairs(kind, cell, wide)
            choice = cheapest(pairs, pattern, tree, flat_atoms, flat_weight)
            if choice is None and kind == "cell":
                inside = tree.holders(cell[0], cell[1:], 20 if wide else 3)
                pairs = [(a, -1) for a in inside]
                choice = cheapest(pairs, pattern, tree, flat_atoms, flat_weight)
            if choice is not None:
                break
        if choice is not None:
            (a, b), option = choice
            rows = np.array(tree.affected(a, b))[:, None]
            groups_here = pattern.moved_flat[option][None, :]
            flat_moved[rows, groups_here] = True
            flat_own_moved[np.array([a] if b < 0 else [a, b])[:, None], groups_here] = True
            rest_rows = tree.rest_moved(a, b)
            if rest_rows:
                flat_rest_moved[np.array(rest_rows)[:, None], groups_here] = True
            flat_weight[rows, pattern.cells_flat[option][None, :]] = 0.0
        else:
            general = general_cycle(
                space, members, kind, cell, weight, tree.depth, tree.children, positive
            )
            if general is None:
                unprotected.append((kind, cell))
                continue
            units, moved_here, own_here, rest_here = general
            moved[units] |= moved_here
            own_moved[units] |= own_here
            for unit, mask in rest_here.items():
                rest_moved[unit] |= mask
            weight[units] = np.where(moved_here[cube_part], 0.0, weight[units])
    hidden = primary | moved[cube_part]
    return Decision(hidden, primary, len(targets), tuple(unprotected), min_n)


def _targets(
    values: list[np.ndarray], sensitive: list[np.ndarray], ks: list[int]
) -> list[tuple[str, tuple[int, ...]]]:
    """Sensitive groups (cells, own staff, parent minus unit), the most aggregated
    first (their cycles are the widest and protect many finer groups on the way),
    then the largest, then in unit order."""
    found = [np.argwhere(mask) for mask in sensitive]
    cells = np.concatenate(found)
    kinds = np.concatenate([np.full(len(f), k) for k, f in enumerate(found)])
    sizes = np.concatenate([v[tuple(f.T)] for v, f in zip(values, found, strict=True)])
    n_all = (cells[:, 1:] == np.array(ks)).sum(axis=1)
    keys = [cells[:, i] for i in range(cells.shape[1] - 1, 0, -1)]
    order = np.lexsort(np.stack([*keys, kinds, cells[:, 0], -sizes, -n_all]))
    names = ("cell", "own", "rest")
    return [
        (names[k], tuple(c))
        for k, c in zip(kinds[order].tolist(), cells[order].tolist(), strict=True)
    ]
