"""The cycle search's array forms give what their definitions give.

``cycles._affected_sums`` sums a unit's cell weights over ``Tree.affected(a, b)`` for
many pairs at once; ``cycles._nearest`` picks the nearest atoms by partition instead of
a stable sort. Both must agree with the definition to the last bit, or the search would
pick other cycles than the definition (still protecting, but not the decision the
property and attack tests checked). The unit tree's part (``tree_shape``) is built once
for every period of one tree.
"""

from __future__ import annotations

import numpy as np
from generated_org import DIMENSIONS, organisation

from hallbar.privacy.cycles import Tree, _affected_sums, _nearest, group_counts, membership
from hallbar.privacy.queryspace import build_query_space


def _space(seed: int, persons_share: float = 1.0):  # type: ignore[no-untyped-def]
    persons, parent = organisation(60, seed=3)
    if persons_share < 1.0:
        persons = persons.sample(fraction=persons_share, seed=seed)
    return build_query_space(persons, parent, DIMENSIONS)


def _tree(space):  # type: ignore[no-untyped-def]
    members = [membership(len(d.values)) for d in space.dimensions]
    return Tree(space, group_counts(space.atoms, members))


def test_affected_sums_are_the_loops_sums_to_the_last_bit() -> None:
    space = _space(1)
    tree = _tree(space)
    n = len(space.units)
    rng = np.random.default_rng(7)
    # Weights as the decision has them: 1 + persons / 1000, zeros, one huge value.
    weight = 1.0 + rng.integers(0, 400, size=(n, 40)) / 1000.0
    weight[rng.random((n, 40)) < 0.3] = 0.0
    weight[0, -1] = 1e9
    pairs = [(int(a), int(b)) for a, b in rng.integers(0, n, size=(300, 2)) if a != b]
    pairs += [(int(a), -1) for a in rng.integers(0, n, size=20)]
    # The definition, as the search computed it before: each pair's rows of
    # ``Tree.affected`` one after the other, added in order by ``reduceat``.
    chains = [tree.affected(a, b) for a, b in pairs]
    starts = np.cumsum([0] + [len(c) for c in chains[:-1]])
    by_loop = np.add.reduceat(weight[np.concatenate(chains)], starts, axis=0)
    assert np.array_equal(_affected_sums(tree, np.array(pairs), weight), by_loop)


def test_nearest_atoms_are_the_first_of_a_stable_sort() -> None:
    rng = np.random.default_rng(11)
    for size in (3, 4, 50, 2000):
        outside = np.column_stack(
            [rng.integers(0, 30, size), *(rng.integers(0, 3, size) for _ in range(3))]
        )
        depth = rng.integers(1, 5, size)
        a = np.array([int(rng.integers(0, 30)), 1, 0, 2])
        order = np.lexsort((depth, outside[:, 0] != a[0], (outside[:, 1:] != a[1:]).sum(axis=1)))
        assert _nearest(outside, depth, a).tolist() == order[:4].tolist()


def test_periods_of_one_tree_share_its_shape() -> None:
    january, february = _space(1, 0.9), _space(2, 0.9)
    assert not np.array_equal(january.atoms, february.atoms)
    assert _tree(january).chain_rows is _tree(february).chain_rows
