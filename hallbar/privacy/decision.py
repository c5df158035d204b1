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
and one of a sibling's). Every cell whose box contains exactly one side of
every pair changes; all of them are hidden together. Every other cell, in
particular every total above the common unit, is unchanged. A direction of the
move is feasible when every atom that loses a person has one. Each sensitive
cell that no chosen cycle already moves gets the cheapest feasible cycle:
the fewest persons in the cells it newly hides (the organisation's total is
never chosen while anything else works). Because every hidden cell lies on a
feasible cycle whose other cells are hidden too, no hidden cell is determined
by the released ones; no fixpoint iteration is needed.

Sensitive cells: every cell with 1 … min_n − 1 persons, and every *implied*
cell of the same size: a unit's own staff (the unit minus its children) in
any filter combination. A cell of zero persons is released; it says nothing
about anyone, and an attacker may assume it known.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hallbar.privacy.queryspace import QuerySpace

_FORBIDDEN = 1e9  # cost of hiding the organisation's grand total
_MAX_PARTNERS = 6  # partner units tried per sensitive cell (smallest first)
_MAX_INSIDE = 3  # own units inside a unit's subtree tried as the moving atom


@dataclass(frozen=True)
class Decision:
    """Which cells are hidden, and why."""

    hidden: np.ndarray  # bool, the cube's shape
    primary: np.ndarray  # bool: fewer than min_n persons (and not zero)
    own_sensitive: np.ndarray  # bool, the cube's shape: small own staff of a non-leaf unit
    unprotected: tuple[tuple[int, ...], ...]  # sensitive cells no cycle could protect
    min_n: int


@dataclass(frozen=True)
class _Axis:
    """The cycle options of one filter dimension for one target coordinate."""

    plus: np.ndarray  # value index that gains
    minus: np.ndarray  # value index that loses (== plus where there is none)
    has_minus: np.ndarray  # bool
    affected: np.ndarray  # bool (n_options, k + 1): coordinates whose cells change


def _axis(k: int, coordinate: int) -> _Axis:
    if coordinate < k:
        partners = [j for j in range(k) if j != coordinate]
        plus = np.full(len(partners), coordinate)
        minus = np.array(partners, dtype=np.int64)
        affected = np.zeros((len(partners), k + 1), dtype=bool)
        affected[:, coordinate] = True
        affected[np.arange(len(partners)), minus] = True
        return _Axis(plus, minus, np.ones(len(partners), dtype=bool), affected)
    plus = np.arange(k)
    affected = np.zeros((k, k + 1), dtype=bool)
    affected[np.arange(k), plus] = True
    affected[:, k] = True
    return _Axis(plus, plus.copy(), np.zeros(k, dtype=bool), affected)


class _Tree:
    def __init__(self, space: QuerySpace) -> None:
        self.space = space
        n = len(space.units)
        self.children = space.children()
        self.own_flat = space.own.reshape(n, -1)
        self.own_total = self.own_flat[:, -1]
        self.cube_total = space.cube.reshape(n, -1)[:, -1]
        self.chain = [space.ancestors(u) for u in range(n)]
        self.depth = np.array([len(c) for c in self.chain])

    def holders(self, unit: int, cell: tuple[int, ...], cap: int) -> list[int]:
        """Own units of ``unit``'s subtree to move a person from or to: first those
        holding persons of the target's own coordinates, then the largest; nearest
        the top first (each level down hides one more unit's cells)."""
        span = np.arange(unit, unit + int(self.space.size[unit]))
        own = self.space.own[(span, *(np.full(len(span), c) for c in cell[1:]))]
        order = np.lexsort((-self.own_total[span], self.depth[span], own == 0))
        picked = [int(v) for v in span[order] if self.own_total[v] > 0][:cap]
        return picked or [unit]

    def partners(self, unit: int, cell: tuple[int, ...], wide: bool) -> list[int]:
        """Own units outside ``unit``'s subtree to pair with, in its smallest siblings.

        Climbs to the first ancestor-or-self that has siblings (every level when
        ``wide``); empty when there is none (an only-child chain to the top).
        """
        out: list[int] = []
        w = unit
        while True:
            up = int(self.space.parent[w])
            if up < 0:
                return out
            siblings = [s for s in self.children[up] if s != w and self.cube_total[s] > 0]
            siblings.sort(key=lambda s: (self.cube_total[s], s))
            for s in siblings if wide else siblings[:_MAX_PARTNERS]:
                out += self.holders(s, cell, 4 if wide else 1)
            if out and not wide:
                return out
            w = up

    def affected(self, a: int, b: int) -> list[int]:
        """Units whose subtree holds exactly one of the own units a and b (b = -1: none)."""
        if b < 0:
            return self.chain[a]
        return sorted(set(self.chain[a]) ^ set(self.chain[b]))


def decide(space: QuerySpace, min_n: int) -> Decision:
    """Hide every small cell and the cells of one protecting cycle for each."""
    cube, own, atoms = space.cube, space.own, space.atoms
    n = len(space.units)
    leaf = space.size == 1
    primary = (cube >= 1) & (cube < min_n)
    nonleaf = (~leaf).reshape((n,) + (1,) * (cube.ndim - 1))
    own_sensitive = (own >= 1) & (own < min_n) & nonleaf
    ks = [len(d.values) for d in space.dimensions]
    tree = _Tree(space)
    covered = np.zeros(cube.shape, dtype=bool)
    own_moved = np.zeros(cube.shape, dtype=bool)
    weight = cube.astype(np.float64) + 1.0
    weight[(0, *ks)] = _FORBIDDEN
    weight[primary] = 0.0  # hidden anyway: cycles through other small cells are free
    unprotected: list[tuple[int, ...]] = []
    for kind, cell in _targets(cube, own, primary, own_sensitive, ks):
        if (covered if kind == "cell" else own_moved)[cell]:
            continue
        axes = [_axis(k, c) for k, c in zip(ks, cell[1:], strict=True)]
        choice = None
        for wide in (False, True):
            pairs = _pairs(tree, kind, cell, wide)
            choice = _cheapest(pairs, axes, tree, atoms, weight)
            if choice is None and kind == "cell":
                inside = tree.holders(cell[0], cell, 20 if wide else _MAX_INSIDE)
                choice = _cheapest([(a, -1) for a in inside], axes, tree, atoms, weight)
            if choice is not None:
                break
        if choice is None:
            moved = _general_cycle(space, kind, cell, weight)
            if moved is None:
                unprotected.append(cell)
                continue
            changed, own_changed = moved
            covered |= changed
            weight[changed] = 0.0
            own_moved |= own_changed
            continue
        (a, b), options = choice
        units = tree.affected(a, b)
        coords = [ax.affected[o] for ax, o in zip(axes, options, strict=True)]
        block = np.ix_(units, *coords)
        covered[block] = True
        weight[block] = 0.0
        own_moved[np.ix_([a] if b < 0 else [a, b], *coords)] = True
    hidden = primary | covered
    return Decision(hidden, primary, own_sensitive, tuple(unprotected), min_n)


def _pairs(
    tree: _Tree, kind: str, cell: tuple[int, ...], wide: bool
) -> list[tuple[int, int]]:
    """Candidate own-unit pairs (a inside the target, b outside) for one target."""
    unit = cell[0]
    if kind == "own":
        # The unit's own staff against staff below it: the unit's total stays.
        outside = [
            v for c in tree.children[unit] for v in tree.holders(c, cell, 4 if wide else 1)
        ]
        outside.sort(key=lambda v: (tree.depth[v], tree.cube_total[v]))
        return [(unit, b) for b in (outside if wide else outside[:_MAX_PARTNERS])]
    inside = tree.holders(unit, cell, 20 if wide else _MAX_INSIDE)
    outside = tree.partners(unit, cell, wide)
    return [(a, b) for a in inside for b in outside]


def _targets(
    cube: np.ndarray,
    own: np.ndarray,
    primary: np.ndarray,
    own_sensitive: np.ndarray,
    ks: list[int],
) -> list[tuple[str, tuple[int, ...]]]:
    """Sensitive cells, the most aggregated first (their cycles are the widest and
    protect many finer cells on the way), then the largest, then in unit order."""
    out: list[tuple[tuple[int, int, int, int], str, tuple[int, ...]]] = []
    alls = np.array(ks)
    for kind, mask, values in (("cell", primary, cube), ("own", own_sensitive, own)):
        for cell in zip(*np.nonzero(mask), strict=True):
            key = tuple(int(c) for c in cell)
            n_all = int((np.array(key[1:]) == alls).sum())
            out.append(((-n_all, -int(values[key]), key[0], 0 if kind == "cell" else 1), kind, key))
    out.sort(key=lambda t: (t[0], t[2]))
    return [(kind, key) for _, kind, key in out]


def _cheapest(
    pairs: list[tuple[int, int]],
    axes: list[_Axis],
    tree: _Tree,
    atoms: np.ndarray,
    weight: np.ndarray,
) -> tuple[tuple[int, int], tuple[int, ...]] | None:
    """The feasible cycle (unit pair, option per dimension) that newly hides the fewest persons."""
    if not pairs:
        return None
    d = len(axes)
    n_opts = [len(ax.plus) for ax in axes]
    # Cost: persons (+1 per cell) in the cells the cycle would newly hide.
    sums = np.stack([weight[tree.affected(a, b)].sum(axis=0) for a, b in pairs])
    cost = sums
    for ax in axes:
        # Contract the leading coordinate axis with the option's affected mask; the
        # option axis goes to the end, so after d steps the shape is (P, o1, …, od).
        cost = np.tensordot(cost, ax.affected.astype(np.float64), axes=([1], [1]))
    # Feasibility: corners of the cycle are (side, choice per dimension) atoms.
    # Shape of every index array: (P, 2, n1, 2, n2, 2, …, nd, 2).
    shape = [len(pairs), 2]
    for n_o in n_opts:
        shape += [n_o, 2]
    full = len(shape)

    def put(values: np.ndarray, axis_positions: list[int]) -> np.ndarray:
        view = [1] * full
        for pos, size in zip(axis_positions, values.shape, strict=True):
            view[pos] = size
        return values.reshape(view)

    side_units = np.array([[a, max(b, 0)] for a, b in pairs])
    present = put(np.array([[True, b >= 0] for _, b in pairs]), [0, 1])
    sign = put(np.array([1, -1]), [1])
    index = [put(side_units, [0, 1])]
    for x, ax in enumerate(axes):
        slots = np.stack([ax.plus, ax.minus], axis=1)
        index.append(put(slots, [2 + 2 * x, 3 + 2 * x]))
        present = present & put(np.stack([np.ones_like(ax.has_minus), ax.has_minus], 1), [2 + 2 * x, 3 + 2 * x])
        sign = sign * put(np.array([1, -1]), [3 + 2 * x])
    values = atoms[tuple(index)]
    present = np.broadcast_to(present, values.shape)
    sign = np.broadcast_to(sign, values.shape)
    corner_axes = (1, *(3 + 2 * x for x in range(d)))
    up = ~(present & (sign < 0) & (values < 1)).any(axis=corner_axes)
    down = ~(present & (sign > 0) & (values < 1)).any(axis=corner_axes)
    feasible = up | down
    if not feasible.any():
        return None
    cost = np.where(feasible, cost, np.inf)
    best = np.unravel_index(int(np.argmin(cost)), cost.shape)
    return pairs[int(best[0])], tuple(int(o) for o in best[1:])


def _box_masks(space: QuerySpace, atom: tuple[int, ...]) -> list[np.ndarray]:
    """Per axis, which coordinates' boxes contain ``atom`` (unit chain; value or all)."""
    unit_mask = np.zeros(len(space.units), dtype=bool)
    unit_mask[space.ancestors(atom[0])] = True
    masks = [unit_mask]
    for value, d in zip(atom[1:], space.dimensions, strict=True):
        m = np.zeros(len(d.values) + 1, dtype=bool)
        m[[value, len(d.values)]] = True
        masks.append(m)
    return masks


def _outer(masks: list[np.ndarray]) -> np.ndarray:
    out = masks[0].astype(np.int64)
    for m in masks[1:]:
        out = np.multiply.outer(out, m.astype(np.int64))
    return out


def _general_cycle(
    space: QuerySpace, kind: str, cell: tuple[int, ...], weight: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """Fallback when no product cycle is feasible (e.g. the only person of a kind in
    the whole organisation): move a person between two atoms A (inside the target)
    and B (outside), optionally swapping one filter value with a partner value so
    that dimension's totals stay. Always feasible when anyone is outside the target."""
    atoms = space.atoms
    positive = [tuple(int(c) for c in a) for a in zip(*np.nonzero(atoms >= 1), strict=True)]
    ks = [len(d.values) for d in space.dimensions]
    unit = cell[0]

    def inside(atom: tuple[int, ...]) -> bool:
        in_unit = atom[0] == unit if kind == "own" else unit in space.ancestors(atom[0])
        return in_unit and all(c in (v, k) for v, c, k in zip(atom[1:], cell[1:], ks, strict=True))

    if kind == "own":
        # Own staff of ``unit`` against staff below it, so the unit's own total moves.
        below = set(range(unit + 1, unit + int(space.size[unit])))
        outside_atoms = [a for a in positive if a[0] in below]
    else:
        outside_atoms = [a for a in positive if not inside(a)]
    inside_atoms = [a for a in positive if inside(a)]

    def distance(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, int]:
        tree = len(set(space.ancestors(a[0])) ^ set(space.ancestors(b[0])))
        return (sum(x != y for x, y in zip(a[1:], b[1:], strict=True)), tree)

    best: tuple[float, np.ndarray, np.ndarray] | None = None
    for a in inside_atoms[:3]:
        near = sorted(outside_atoms, key=lambda b, a=a: distance(a, b))[:10]
        for b in near:
            for corners in _swaps(a, b, cell, ks, atoms):
                delta = sum(sign * _outer(_box_masks(space, c)) for sign, c in corners)
                changed = np.asarray(delta) != 0
                own_delta = np.zeros(changed.shape, dtype=np.int64)
                for sign, c in corners:
                    own_delta[c[0]] += sign * _outer(_box_masks(space, c)[1:])
                own_changed = own_delta != 0
                if not (changed if kind == "cell" else own_changed)[cell]:
                    continue
                cost = float(weight[changed].sum())
                if best is None or cost < best[0]:
                    best = (cost, changed, own_changed)
    return None if best is None else (best[1], best[2])


def _swaps(
    a: tuple[int, ...],
    b: tuple[int, ...],
    cell: tuple[int, ...],
    ks: list[int],
    atoms: np.ndarray,
) -> list[list[tuple[int, tuple[int, ...]]]]:
    """Feasible signed corner sets moving a person from B to A (one direction)."""
    out: list[list[tuple[int, tuple[int, ...]]]] = []
    if atoms[b] >= 1:
        out.append([(1, a), (-1, b)])
    for x, (k, c) in enumerate(zip(ks, cell[1:], strict=True)):
        if c == k or a[1 + x] != c:
            continue
        for j in range(k):
            if j == c:
                continue
            b_c = b[: 1 + x] + (c,) + b[2 + x :]
            a_j = a[: 1 + x] + (j,) + a[2 + x :]
            b_j = b[: 1 + x] + (j,) + b[2 + x :]
            corners = [(1, a), (-1, a_j), (-1, b_c), (1, b_j)]
            if all(atoms[p] >= 1 for s, p in corners if s < 0) or all(
                atoms[p] >= 1 for s, p in corners if s > 0
            ):
                out.append(corners)
    return out
