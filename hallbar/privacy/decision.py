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

import itertools
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


def _axis(k: int, coordinate: int) -> tuple[list[int], list[int], list[list[int]]]:
    """Cycle options of one filter dimension for one target coordinate:
    (gaining value, losing value or -1, coordinates whose cells change)."""
    if coordinate < k:
        partners = [j for j in range(k) if j != coordinate]
        return [coordinate] * len(partners), partners, [[coordinate, j] for j in partners]
    return list(range(k)), [-1] * k, [[i, k] for i in range(k)]


class _Pattern:
    """Everything about the cycles of one filter coordinate tuple (one per pattern,
    whatever the unit): option list, which cells each option changes, and where
    each option's corner atoms are in a unit's flattened atom block."""

    def __init__(self, ks: list[int], coords: tuple[int, ...]) -> None:
        per_axis = [_axis(k, c) for k, c in zip(ks, coords, strict=True)]
        self.options = list(itertools.product(*(range(len(a[0])) for a in per_axis)))
        widths = [k + 1 for k in ks]
        n_cells = int(np.prod(widths))
        self.affected: list[list[list[int]]] = []
        masks = np.zeros((n_cells, len(self.options)))
        corners: list[list[tuple[int, int]]] = []  # per option: (flat atom offset, sign)
        for o, option in enumerate(self.options):
            coords_o = [per_axis[x][2][i] for x, i in enumerate(option)]
            self.affected.append(coords_o)
            for cell in itertools.product(*coords_o):
                masks[np.ravel_multi_index(cell, widths), o] = 1.0
            slots: list[list[tuple[int, int]]] = []
            for x, i in enumerate(option):
                plus, minus = per_axis[x][0][i], per_axis[x][1][i]
                slots.append([(plus, 1)] + ([(minus, -1)] if minus >= 0 else []))
            corners.append(
                [
                    (int(np.ravel_multi_index([v for v, _ in c], ks)), int(np.prod([g for _, g in c])))
                    for c in itertools.product(*slots)
                ]
            )
        self.cost_matrix = masks
        width = max(len(c) for c in corners)
        self.offset = np.zeros((len(self.options), width), dtype=np.int64)
        self.sign = np.zeros((len(self.options), width), dtype=np.int64)  # 0: no corner
        for o, c in enumerate(corners):
            for j, (off, sg) in enumerate(c):
                self.offset[o, j] = off
                self.sign[o, j] = sg


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
        self._holders: dict[tuple[int, tuple[int, ...], int], list[int]] = {}
        self._affected: dict[tuple[int, int], list[int]] = {}

    def holders(self, unit: int, cell: tuple[int, ...], cap: int) -> list[int]:
        """Own units of ``unit``'s subtree to move a person from or to: first those
        holding persons of the target's own coordinates, then the largest; nearest
        the top first (each level down hides one more unit's cells)."""
        key = (unit, cell[1:], cap)
        if key not in self._holders:
            self._holders[key] = self._find_holders(unit, cell, cap)
        return self._holders[key]

    def _find_holders(self, unit: int, cell: tuple[int, ...], cap: int) -> list[int]:
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
        key = (a, b)
        if key not in self._affected:
            self._affected[key] = sorted(set(self.chain[a]) ^ set(self.chain[b]))
        return self._affected[key]


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
    flat_weight = weight.reshape(n, -1)  # a view: updates to weight show through
    flat_atoms = atoms.reshape(n, -1)
    patterns: dict[tuple[int, ...], _Pattern] = {}
    unprotected: list[tuple[int, ...]] = []
    for kind, cell in _targets(cube, own, primary, own_sensitive, ks):
        if (covered if kind == "cell" else own_moved)[cell]:
            continue
        pattern = patterns.get(cell[1:])
        if pattern is None:
            pattern = patterns[cell[1:]] = _Pattern(ks, cell[1:])
        choice = None
        for wide in (False, True):
            pairs = _pairs(tree, kind, cell, wide)
            choice = _cheapest(pairs, pattern, tree, flat_atoms, flat_weight)
            if choice is None and kind == "cell":
                inside = tree.holders(cell[0], cell, 20 if wide else _MAX_INSIDE)
                pairs = [(a, -1) for a in inside]
                choice = _cheapest(pairs, pattern, tree, flat_atoms, flat_weight)
            if choice is not None:
                break
        if choice is None:
            moved = _general_cycle(space, kind, cell, weight, tree.depth)
            if moved is None:
                unprotected.append(cell)
                continue
            changed, own_changed = moved
            covered |= changed
            weight[changed] = 0.0
            own_moved |= own_changed
            continue
        (a, b), option = choice
        units = tree.affected(a, b)
        coords = pattern.affected[option]
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
    pattern: _Pattern,
    tree: _Tree,
    flat_atoms: np.ndarray,
    flat_weight: np.ndarray,
) -> tuple[tuple[int, int], int] | None:
    """The feasible cycle (unit pair, filter option) that newly hides the fewest persons."""
    if not pairs:
        return None
    # Cost: persons (+1 per cell) in the cells the cycle would newly hide.
    chains = [tree.affected(a, b) for a, b in pairs]
    starts = np.cumsum([0] + [len(c) for c in chains[:-1]])
    sums = np.add.reduceat(flat_weight[np.concatenate(chains)], starts, axis=0)
    cost = sums @ pattern.cost_matrix  # (pairs, options)
    # Feasibility: the corner atoms of side a carry the option's signs, side b the
    # opposite; one direction of the move must find a person in every losing atom.
    a_side = flat_atoms[[a for a, _ in pairs]][:, pattern.offset]  # (P, O, corners)
    b_side = flat_atoms[[max(b, 0) for _, b in pairs]][:, pattern.offset]
    has_b = np.array([b >= 0 for _, b in pairs])[:, None, None]
    sign = pattern.sign[None, :, :]
    empty_a, empty_b = a_side < 1, (b_side < 1) & has_b
    up = ~(((sign < 0) & empty_a) | ((sign > 0) & empty_b)).any(axis=2)
    down = ~(((sign > 0) & empty_a) | ((sign < 0) & empty_b)).any(axis=2)
    feasible = up | down
    if not feasible.any():
        return None
    cost = np.where(feasible, cost, np.inf)
    p, o = np.unravel_index(int(np.argmin(cost)), cost.shape)
    return pairs[int(p)], int(o)


def _delta(
    space: QuerySpace, units: list[int], corners: list[tuple[int, tuple[int, ...]]]
) -> tuple[np.ndarray, np.ndarray]:
    """Change of every cell of ``units`` (and of their own staff) under a signed
    move of single persons between atoms."""
    row = {u: i for i, u in enumerate(units)}
    shape = (len(units), *(len(d.values) + 1 for d in space.dimensions))
    cells = np.zeros(shape, dtype=np.int64)
    own = np.zeros(shape, dtype=np.int64)
    for sign, atom in corners:
        masks = []
        for value, d in zip(atom[1:], space.dimensions, strict=True):
            m = np.zeros(len(d.values) + 1, dtype=np.int64)
            m[[value, len(d.values)]] = 1
            masks.append(m)
        box = masks[0]
        for m in masks[1:]:
            box = np.multiply.outer(box, m)
        for u in space.ancestors(atom[0]):
            cells[row[u]] += sign * box
        own[row[atom[0]]] += sign * box
    return cells != 0, own != 0


def _general_cycle(
    space: QuerySpace, kind: str, cell: tuple[int, ...], weight: np.ndarray, depth: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """Fallback when no product cycle is feasible (e.g. the only person of a kind in
    the whole organisation): move a person between two atoms A (inside the target)
    and B (outside), optionally swapping one filter value with a partner value so
    that dimension's totals stay. Always feasible when anyone is outside the target."""
    atoms = space.atoms
    positive = np.argwhere(atoms >= 1)
    ks = np.array([len(d.values) for d in space.dimensions])
    unit = cell[0]
    target = np.array(cell[1:])
    match = ((positive[:, 1:] == target) | (target == ks)).all(axis=1)
    start, stop = unit, unit + int(space.size[unit])
    if kind == "own":
        # Own staff of ``unit`` against staff below it, so the unit's own total moves.
        is_in = match & (positive[:, 0] == unit)
        is_out = (positive[:, 0] > start) & (positive[:, 0] < stop)
    else:
        is_in = match & (positive[:, 0] >= start) & (positive[:, 0] < stop)
        is_out = ~is_in
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    for a in positive[is_in][:2]:
        outside = positive[is_out]
        # Nearest first: fewest differing filter values, then same unit, then shallow.
        order = np.lexsort(
            (
                depth[outside[:, 0]],
                outside[:, 0] != a[0],
                (outside[:, 1:] != a[1:]).sum(axis=1),
            )
        )
        atom_a = tuple(int(c) for c in a)
        for b in outside[order[:6]]:
            atom_b = tuple(int(c) for c in b)
            units = sorted(set(space.ancestors(atom_a[0])) | set(space.ancestors(atom_b[0])))
            for corners in _swaps(atom_a, atom_b, cell, list(ks), atoms):
                changed, own_changed = _delta(space, units, corners)
                local = units.index(unit) if unit in units else -1
                hit = changed if kind == "cell" else own_changed
                if local < 0 or not hit[(local, *cell[1:])]:
                    continue
                cost = float(weight[units][changed].sum())
                if best is None or cost < best[0]:
                    full = np.zeros(weight.shape, dtype=bool)
                    full_own = np.zeros(weight.shape, dtype=bool)
                    full[units] = changed
                    full_own[units] = own_changed
                    best = (cost, full, full_own)
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
