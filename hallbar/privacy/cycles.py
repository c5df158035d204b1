"""Protecting cycles: moves of single persons that no released answer notices.

A cycle changes the atoms (persons per own unit and exact filter values) by
+1 and −1 so that some cells of the query space change and all others stay.
When every cell it changes is hidden and every atom that loses a person has
one, the released answers fit two organisations that differ in each changed
cell: those cells cannot be pinned down, by subtraction or anything else.

*Groups* are what an attacker may want to learn: every cell of the query
space, plus what one subtraction along a line gives: "all but one value" of a
filter dimension with three or more values (the unit minus its permanent
staff), and a unit's own staff (the unit minus its children). Per dimension
with ``k`` values the group coordinates are: ``0 … k−1`` one value, ``k``
all, and for ``k ≥ 3`` ``k+1+v`` all but value ``v``. A cycle *moves* a group
when the group's count changes under it.

Product cycles (the hypercube of GHMITER, τ-ARGUS): per dimension either a
pair ``+value −partner`` (cells of both values change, "all" does not) or,
where the target is "all", a point ``+value`` (that value and "all" change);
in the unit tree a pair of own units ``+a −b`` below their lowest common unit
(every unit whose subtree holds exactly one of them changes).
"""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from hallbar.privacy.queryspace import QuerySpace

MAX_PARTNERS = 6  # partner units tried per target (smallest first)
MAX_INSIDE = 3  # own units inside the target's subtree tried
_NEAREST = 4  # atoms outside the target tried by the general fallback


def membership(k: int) -> np.ndarray:
    """(group coordinates × values) bool: which values each coordinate holds."""
    rows = [np.eye(k, dtype=bool)[i] for i in range(k)] + [np.ones(k, dtype=bool)]
    if k >= 3:
        rows += [~np.eye(k, dtype=bool)[v] for v in range(k)]
    return np.array(rows)


def group_counts(atoms: np.ndarray, members: list[np.ndarray]) -> np.ndarray:
    """Atoms (n, k1, …) summed into group coordinates (n, e1, …)."""
    out = atoms.astype(np.int64)
    for x, m in enumerate(members):
        out = np.moveaxis(np.tensordot(out, m.T.astype(np.int64), axes=([1 + x], [0])), -1, 1 + x)
    return out


def _axis(member: np.ndarray, coordinate: int) -> list[np.ndarray]:
    """Per-dimension factors (signed vectors over values) that move ``coordinate``."""
    inside = member[coordinate]
    k = member.shape[1]
    if inside.all():
        return [np.eye(k, dtype=np.int64)[i] for i in range(k)]
    return [
        np.eye(k, dtype=np.int64)[c] - np.eye(k, dtype=np.int64)[j]
        for c in np.flatnonzero(inside)
        for j in np.flatnonzero(~inside)
    ]


class Pattern:
    """The product options of one group-coordinate tuple (the same for every unit):
    which cells each option changes (cost), which groups it moves, and where its
    corner atoms lie in a unit's flattened atom block with which sign."""

    def __init__(self, members: list[np.ndarray], coords: tuple[int, ...]) -> None:
        per_axis = [_axis(m, c) for m, c in zip(members, coords, strict=True)]
        ks = [m.shape[1] for m in members]
        widths = [k + 1 for k in ks]
        self.options = list(itertools.product(*(range(len(a)) for a in per_axis)))
        # Per option and dimension: group coordinates whose count changes.
        self.moves: list[list[np.ndarray]] = []
        cost = np.zeros((int(np.prod(widths)), len(self.options)))
        corners: list[list[tuple[int, int]]] = []
        for o, option in enumerate(self.options):
            factors = [per_axis[x][i] for x, i in enumerate(option)]
            moved = [m.astype(np.int64) @ f != 0 for m, f in zip(members, factors, strict=True)]
            self.moves.append(moved)
            cells = [np.flatnonzero(mv[:w]) for mv, w in zip(moved, widths, strict=True)]
            for cell in itertools.product(*cells):
                cost[np.ravel_multi_index(cell, widths), o] = 1.0
            slots = [[(int(v), int(f[v])) for v in np.flatnonzero(f)] for f in factors]
            corners.append(
                [
                    (
                        int(np.ravel_multi_index([v for v, _ in c], ks)),
                        int(np.prod([s for _, s in c])),
                    )
                    for c in itertools.product(*slots)
                ]
            )
        self.cost_matrix = cost
        # The same as flat indices into a unit's block of groups / of cells.
        group_widths = [m.shape[0] for m in members]
        self.moved_flat = [
            np.ravel_multi_index(
                np.ix_(*(np.flatnonzero(mv) for mv in moved)), group_widths
            ).ravel()
            for moved in self.moves
        ]
        self.cells_flat = [np.flatnonzero(cost[:, o]) for o in range(len(self.options))]
        width = max(len(c) for c in corners)
        self.offset = np.zeros((len(self.options), width), dtype=np.int64)
        self.sign = np.zeros((len(self.options), width), dtype=np.int64)  # 0: no corner
        for o, c in enumerate(corners):
            for j, (off, sg) in enumerate(c):
                self.offset[o, j] = off
                self.sign[o, j] = sg
        self.gains = (self.sign > 0)[None]  # corners that gain a person (side a)
        self.loses = (self.sign < 0)[None]


@dataclass(frozen=True)
class TreeShape:
    """What the cycle search needs of the unit tree alone: the same for every period of
    one snapshot (only the persons differ), so it is built once per tree."""

    children: list[list[int]]
    chain: list[list[int]]  # each unit and its ancestors, up to the organisation
    depth: np.ndarray
    # ``chain`` as rows of one array, padded with the number of units (no unit).
    chain_rows: np.ndarray


_shapes_lock = threading.Lock()
_shapes: OrderedDict[bytes, TreeShape] = OrderedDict()
_SHAPES_KEPT = 4  # trees of the organisations asked last


def tree_shape(space: QuerySpace) -> TreeShape:
    """The unit tree's ``TreeShape``, kept per tree (its parent array)."""
    key = hashlib.sha256(space.parent.tobytes()).digest()
    with _shapes_lock:
        found = _shapes.get(key)
        if found is not None:
            _shapes.move_to_end(key)
            return found
    n = len(space.units)
    chain = [space.ancestors(u) for u in range(n)]
    depth = np.array([len(c) for c in chain])
    rows = np.full((n, int(depth.max())), n, dtype=np.int64)
    for u, c in enumerate(chain):
        rows[u, : len(c)] = c
    shape = TreeShape(space.children(), chain, depth, rows)
    with _shapes_lock:
        _shapes[key] = shape
        while len(_shapes) > _SHAPES_KEPT:
            _shapes.popitem(last=False)
    return shape


class Tree:
    """The unit tree with the lookups the cycle search needs (cached)."""

    def __init__(self, space: QuerySpace, own_groups: np.ndarray) -> None:
        self.space = space
        n = len(space.units)
        self.own_groups = own_groups
        shape = tree_shape(space)
        self.children, self.chain, self.depth, self.chain_rows = (
            shape.children,
            shape.chain,
            shape.depth,
            shape.chain_rows,
        )
        self.own_total = space.own.reshape(n, -1)[:, -1]
        self.cube_total = space.cube.reshape(n, -1)[:, -1]
        self._holders: dict[tuple[int, tuple[int, ...], int], list[int]] = {}
        self._affected: dict[tuple[int, int], list[int]] = {}
        self._rest: dict[tuple[int, int], list[int]] = {}
        self._by_size: dict[int, list[int]] = {}

    def holders(self, unit: int, coords: tuple[int, ...], cap: int) -> list[int]:
        """Own units of ``unit``'s subtree to move a person from or to: first those
        holding persons of the target's group, then the largest; nearest the top
        first (each level down hides one more unit's cells)."""
        if self.space.size[unit] == 1:
            return [unit]
        key = (unit, coords, cap)
        if key not in self._holders:
            span = np.arange(unit, unit + int(self.space.size[unit]))
            own = self.own_groups[(span, *(np.full(len(span), c) for c in coords))]
            order = np.lexsort((-self.own_total[span], self.depth[span], own == 0))
            picked = [int(v) for v in span[order] if self.own_total[v] > 0][:cap]
            self._holders[key] = picked or [unit]
        return self._holders[key]

    def partners(self, unit: int, coords: tuple[int, ...], wide: bool) -> list[int]:
        """Own units outside ``unit``'s subtree: its parent's own staff, then own
        units in its smallest siblings' subtrees.

        Climbs to the first ancestor-or-self that has siblings (every level when
        ``wide``); empty when there is none (an only-child chain to the top).
        """
        out: list[int] = []
        w = unit
        while True:
            up = int(self.space.parent[w])
            if up < 0:
                return out
            # The parent's own staff first: a person moved between them and the
            # target's subtree changes nothing outside the target's own chain.
            if self.own_total[up] > 0:
                out.append(up)
            siblings = [s for s in self.by_size(up) if s != w]
            for s in siblings if wide else siblings[:MAX_PARTNERS]:
                out += self.holders(s, coords, 4 if wide else 1)
            if out and not wide:
                return out
            w = up

    def by_size(self, unit: int) -> list[int]:
        """``unit``'s children with persons, smallest first (cached)."""
        if unit not in self._by_size:
            kids = [c for c in self.children[unit] if self.cube_total[c] > 0]
            self._by_size[unit] = sorted(kids, key=lambda c: (self.cube_total[c], c))
        return self._by_size[unit]

    def affected(self, a: int, b: int) -> list[int]:
        """Units whose subtree holds exactly one of the own units a and b (b = -1: none)."""
        if b < 0:
            return self.chain[a]
        key = (a, b)
        if key not in self._affected:
            self._affected[key] = sorted(set(self.chain[a]) ^ set(self.chain[b]))
        return self._affected[key]

    def _off_chain(self, a: int) -> set[int]:
        """Units c whose "parent minus c" group holds own unit ``a``: children of
        a's ancestors that are not on a's chain themselves."""
        on = set(self.chain[a])
        return {c for u in self.chain[a] for c in self.children[u] if c not in on}

    def rest_moved(self, a: int, b: int) -> list[int]:
        """Units c whose "parent minus c" group holds exactly one of a and b."""
        key = (a, b)
        if key not in self._rest:
            moved = self._off_chain(a) ^ (self._off_chain(b) if b >= 0 else set())
            self._rest[key] = sorted(moved)
        return self._rest[key]

    def pairs(self, kind: str, cell: tuple[int, ...], wide: bool) -> list[tuple[int, int]]:
        """Candidate own-unit pairs (a inside the target, b outside) for one target."""
        unit, coords = cell[0], cell[1:]
        if kind == "rest":
            # "Parent minus unit": a person of the parent's other staff (its own
            # staff or a sibling's subtree) against one of the unit's subtree.
            up = int(self.space.parent[unit])
            siblings = [s for s in self.by_size(up) if s != unit]
            cap = 4 if wide else 1
            inside = [up] if self.own_total[up] > 0 else []
            for s in siblings if wide else siblings[:MAX_PARTNERS]:
                inside += self.holders(s, coords, cap)
            return [(a, b) for a in inside for b in self.holders(unit, coords, cap)]
        if kind == "own":
            # The unit's own staff against staff below it: the unit's total stays.
            cap = 4 if wide else 1
            outside = [v for c in self.children[unit] for v in self.holders(c, coords, cap)]
            outside.sort(key=lambda v: (self.depth[v], self.cube_total[v]))
            return [(unit, b) for b in (outside if wide else outside[:MAX_PARTNERS])]
        inside = self.holders(unit, coords, 20 if wide else MAX_INSIDE)
        return [(a, b) for a in inside for b in self.partners(unit, coords, wide)]


def cheapest(
    pairs: list[tuple[int, int]],
    pattern: Pattern,
    tree: Tree,
    flat_atoms: np.ndarray,
    flat_weight: np.ndarray,
) -> tuple[tuple[int, int], int] | None:
    """The feasible product cycle (unit pair, option) of least cost: newly hidden
    cells, each weighted by ``flat_weight`` (zero for cells hidden already)."""
    if not pairs:
        return None
    # Cost: persons (+1 per cell) in the cells the cycle would newly hide.
    sides = np.array(pairs)
    sums = _affected_sums(tree, sides, flat_weight)
    cost = sums @ pattern.cost_matrix  # (pairs, options)
    # Feasibility: the corner atoms of side a carry the option's signs, side b the
    # opposite; one direction of the move must find a person in every losing atom.
    offsets = pattern.offset[None]
    empty_a = flat_atoms[sides[:, 0, None, None], offsets] < 1  # (P, O, corners)
    empty_b = flat_atoms[np.maximum(sides[:, 1], 0)[:, None, None], offsets] < 1
    empty_b &= (sides[:, 1] >= 0)[:, None, None]
    up = ~((pattern.loses & empty_a) | (pattern.gains & empty_b)).any(axis=2)
    down = ~((pattern.gains & empty_a) | (pattern.loses & empty_b)).any(axis=2)
    feasible = up | down
    if not feasible.any():
        return None
    cost = np.where(feasible, cost, np.inf)
    p, o = np.unravel_index(int(np.argmin(cost)), cost.shape)
    return pairs[int(p)], int(o)


def _affected_sums(tree: Tree, sides: np.ndarray, flat_weight: np.ndarray) -> np.ndarray:
    """Per pair (a, b) the sum of ``flat_weight`` over the rows of ``Tree.affected(a, b)``
    (the units whose subtree holds exactly one of a and b), for all pairs at once.

    The rows are added in ``affected``'s order, as the loop over it did: the sums are
    the same to the last bit, so the cheapest cycle (ties included) is the one the loop
    would choose."""
    n = flat_weight.shape[0]
    chain_a = tree.chain_rows[sides[:, 0]]
    chain_b = np.where((sides[:, 1] >= 0)[:, None], tree.chain_rows[sides[:, 1]], n)
    # Units on both chains (the lowest common unit and above) do not change.
    rows_a = np.where((chain_a[:, :, None] == chain_b[:, None, :]).any(axis=2), n, chain_a)
    rows_b = np.where((chain_b[:, :, None] == chain_a[:, None, :]).any(axis=2), n, chain_b)
    both = np.concatenate([rows_a, rows_b], axis=1)
    # ``affected`` lists a pair's units in ascending order, and a lone unit's chain
    # (b < 0) from the unit up.
    rows = np.where((sides[:, 1] >= 0)[:, None], np.sort(both, axis=1), both)
    taken = rows < n
    starts = np.concatenate([[0], np.cumsum(taken.sum(axis=1))[:-1]])
    # Every pair has a row (a ≠ b), so no two starts are equal.
    return np.add.reduceat(flat_weight[rows[taken]], starts, axis=0)


def _delta(
    space: QuerySpace,
    members: list[np.ndarray],
    units: list[int],
    corners: list[tuple[int, tuple[int, ...]]],
) -> tuple[np.ndarray, np.ndarray]:
    """Signed change of the groups of ``units`` (subtree, and own staff) under a move."""
    row = {u: i for i, u in enumerate(units)}
    shape = (len(units), *(m.shape[0] for m in members))
    groups = np.zeros(shape, dtype=np.int64)
    own = np.zeros(shape, dtype=np.int64)
    for sign, atom in corners:
        box = members[0][:, atom[1]].astype(np.int64)
        for m, value in zip(members[1:], atom[2:], strict=True):
            box = np.multiply.outer(box, m[:, value].astype(np.int64))
        for u in space.ancestors(atom[0]):
            groups[row[u]] += sign * box
        own[row[atom[0]]] += sign * box
    return groups, own


def general_cycle(
    space: QuerySpace,
    members: list[np.ndarray],
    kind: str,
    cell: tuple[int, ...],
    weight: np.ndarray,
    depth: np.ndarray,
    children: list[list[int]],
    positive: np.ndarray,
) -> tuple[list[int], np.ndarray, np.ndarray, dict[int, np.ndarray]] | None:
    """Fallback when no product cycle is feasible (e.g. the only person of a kind in
    the whole organisation): move a person from an atom B outside the target group
    to an atom A inside it, optionally swapping one filter value with a partner
    value so that dimension's totals stay. Feasible whenever anyone is outside.

    ``positive``: the coordinates of every atom with a person. Returns (units,
    groups moved, own groups moved) for those units, and the "parent minus
    unit" groups moved, by unit."""
    atoms = space.atoms
    unit, coords = cell[0], cell[1:]
    # ``positive`` is in unit order (``np.argwhere``), so a subtree's atoms are one
    # slice: only the atoms that can be inside the group are tested against it.
    atom_units = positive[:, 0]

    def rows(first: int, last: int) -> slice:
        lo, hi = np.searchsorted(atom_units, [first, last])
        return slice(int(lo), int(hi))

    def matches(part: np.ndarray) -> np.ndarray:
        """Which atoms of ``part`` lie in the target's group (its filter values)."""
        match = np.ones(len(part), dtype=bool)
        for x, (m, c) in enumerate(zip(members, coords, strict=True)):
            match &= m[c][part[:, 1 + x]]
        return match

    subtree = rows(unit, unit + int(space.size[unit]))
    if kind == "own":
        # Own staff of ``unit`` against staff below it, so the unit's own group moves.
        own = positive[rows(unit, unit + 1)]
        inside = own[matches(own)]
        outside = positive[rows(unit + 1, unit + int(space.size[unit]))]
    elif kind == "rest":
        # The parent's other staff against the unit's own subtree.
        up = int(space.parent[unit])
        parent = rows(up, up + int(space.size[up]))
        others = np.concatenate(
            [positive[parent.start : subtree.start], positive[subtree.stop : parent.stop]]
        )
        inside = others[matches(others)]
        outside = positive[subtree]
    else:
        here = positive[subtree]
        match = matches(here)
        inside = here[match]
        # Every other atom, in ``positive``'s order.
        outside = np.concatenate(
            [positive[: subtree.start], here[~match], positive[subtree.stop :]]
        )
    widths = [m.shape[1] + 1 for m in members]
    best: tuple[float, list[int], np.ndarray, np.ndarray] | None = None
    outside_depth = depth[outside[:, 0]]
    for a in inside[:2]:
        atom_a = tuple(int(c) for c in a)
        for b in outside[_nearest(outside, outside_depth, a)]:
            atom_b = tuple(int(c) for c in b)
            units = sorted(set(space.ancestors(atom_a[0])) | set(space.ancestors(atom_b[0])))
            local = units.index(unit) if unit in units else -1
            for corners in _swaps(atom_a, atom_b, members, coords, atoms):
                groups, own = _delta(space, members, units, corners)
                if kind == "rest":
                    up = int(space.parent[unit])
                    hit = groups[units.index(up)] - (groups[local] if local >= 0 else 0)
                elif local >= 0:
                    hit = groups[local] if kind == "cell" else own[local]
                else:
                    continue
                if hit[coords] == 0:
                    continue
                changed = groups[(slice(None), *(slice(0, w) for w in widths))] != 0
                cost = float(weight[units][changed].sum())
                if best is None or cost < best[0]:
                    best = (cost, units, groups, own)
    if best is None:
        return None
    _, units, groups, own = best
    rest = {c: d != 0 for c, d in _rest_delta(children, units, groups).items()}
    return units, groups != 0, own != 0, rest


def _nearest(outside: np.ndarray, outside_depth: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Indices of the ``_NEAREST`` atoms of ``outside`` nearest ``a``: fewest differing
    filter values, then the same unit, then the shallowest; ties in ``outside``'s order.

    The three keys are one integer (each below the next one's step), so the nearest are
    found by a partition instead of sorting every atom; sorting the few candidates by
    (key, index) gives exactly the first ``_NEAREST`` of a stable sort by the keys."""
    step = int(outside_depth.max(initial=0)) + 1
    differing = (outside[:, 1:] != a[1:]).sum(axis=1)
    key = (differing * 2 + (outside[:, 0] != a[0])) * step + outside_depth
    if len(key) <= _NEAREST:
        return np.argsort(key, kind="stable")
    cut = np.partition(key, _NEAREST - 1)[_NEAREST - 1]
    candidates = np.flatnonzero(key <= cut)
    return candidates[np.argsort(key[candidates], kind="stable")][:_NEAREST]


def _rest_delta(
    children: list[list[int]], units: list[int], groups: np.ndarray
) -> dict[int, np.ndarray]:
    """Change of each "parent minus unit" group for the children of ``units``."""
    row = {u: i for i, u in enumerate(units)}
    out: dict[int, np.ndarray] = {}
    for up in units:
        base = groups[row[up]]
        moves = bool(base.any())
        for c in children[up]:
            if c in row:
                change = base - groups[row[c]]
                if change.any():
                    out[c] = change
            elif moves:
                out[c] = base  # the unit itself does not change
    return out


def _swaps(
    a: tuple[int, ...],
    b: tuple[int, ...],
    members: list[np.ndarray],
    coords: tuple[int, ...],
    atoms: np.ndarray,
) -> list[list[tuple[int, tuple[int, ...]]]]:
    """Feasible signed corner sets: move a person from B to A, or swap one value."""
    out: list[list[tuple[int, tuple[int, ...]]]] = []
    if atoms[b] >= 1:
        out.append([(1, a), (-1, b)])
    for x, (m, c) in enumerate(zip(members, coords, strict=True)):
        inside = m[c]
        if inside.all() or not inside[a[1 + x]]:
            continue
        value = a[1 + x]
        for j in (int(v) for v in np.flatnonzero(~inside)):
            b_c = (*b[: 1 + x], value, *b[2 + x :])
            a_j = (*a[: 1 + x], j, *a[2 + x :])
            b_j = (*b[: 1 + x], j, *b[2 + x :])
            corners = [(1, a), (-1, a_j), (-1, b_c), (1, b_j)]
            if all(atoms[p] >= 1 for s, p in corners if s < 0) or all(
                atoms[p] >= 1 for s, p in corners if s > 0
            ):
                out.append(corners)
    return out
