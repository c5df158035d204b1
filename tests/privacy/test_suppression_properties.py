"""Random tables: no small count is ever recoverable by linear subtraction.

The attack (``suppression_recovery.recoverable_by_rank``) knows the table's
equations, every visible cell, and that implied cells (own staff) exist.
"""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings, strategies
from suppression_recovery import grid_equations, recoverable_by_rank

from hallbar.privacy.suppression import Dimension, SuppressionRule, is_small, suppress

RULE = SuppressionRule()
counts = strategies.integers(min_value=0, max_value=14)


@settings(max_examples=120, deadline=None)
@given(strategies.integers(2, 4), strategies.integers(2, 3), strategies.data())
def test_random_grid_with_margins(n_rows: int, n_cols: int, data: strategies.DataObject):
    interior = [[data.draw(counts) for _ in range(n_cols)] for _ in range(n_rows)]
    rows = [f"r{i}" for i in range(n_rows)] + ["Alla"]
    cols = [f"c{j}" for j in range(n_cols)] + ["T"]
    cells = {}
    for i in range(n_rows):
        for j in range(n_cols):
            cells[(rows[i], cols[j])] = interior[i][j]
        cells[(rows[i], "T")] = sum(interior[i])
    for j in range(n_cols):
        cells[("Alla", cols[j])] = sum(interior[i][j] for i in range(n_rows))
    cells[("Alla", "T")] = sum(map(sum, interior))
    frame = pl.DataFrame(
        [(r, c, n) for (r, c), n in cells.items()], schema=["rad", "kol", "n"], orient="row"
    )
    out = suppress(
        frame,
        count_col="n",
        value_cols=[],
        rule=RULE,
        dimensions=[Dimension("rad", total="Alla"), Dimension("kol", total="T")],
    )
    keys = frame.select("rad", "kol").rows()
    hidden = [keys[r] for r in sorted(out.hidden_rows)]
    primary = {keys[r] for r in out.primary_rows}
    assert primary == {k for k, n in cells.items() if is_small(n, RULE)}
    eqs = grid_equations(rows, cols, "Alla", "T")
    assert not (recoverable_by_rank(eqs, hidden) & primary)
    assert not out.unprotected_rows


@settings(max_examples=80, deadline=None)
@given(strategies.data())
def test_random_tree_crossed_with_gender(data: strategies.DataObject):
    # A root with 2-3 children, each with 0-2 grandchildren; own staff per unit and gender.
    tree: dict[str, str] = {}
    units = ["R"]
    for i in range(data.draw(strategies.integers(2, 3))):
        child = f"E{i}"
        tree[child] = "R"
        units.append(child)
        for j in range(data.draw(strategies.integers(0, 2))):
            tree[f"{child}.{j}"] = child
            units.append(f"{child}.{j}")
    own = {(u, g): data.draw(counts) for u in units for g in "KM"}

    def subtree(u: str, g: str) -> int:
        return own[(u, g)] + sum(subtree(c, g) for c, p in tree.items() if p == u)

    cells = {}
    for u in units:
        cells[(u, "K")] = subtree(u, "K")
        cells[(u, "M")] = subtree(u, "M")
        cells[(u, "T")] = cells[(u, "K")] + cells[(u, "M")]
    frame = pl.DataFrame(
        [(u, g, n) for (u, g), n in cells.items()], schema=["enhet", "kön", "n"], orient="row"
    )
    out = suppress(
        frame,
        count_col="n",
        value_cols=[],
        rule=RULE,
        dimensions=[Dimension("enhet", parent=tree), Dimension("kön", total="T")],
    )
    keys = frame.select("enhet", "kön").rows()
    hidden = [keys[r] for r in sorted(out.hidden_rows)]
    parents = sorted(set(tree.values()))
    implied = [("own", p, g) for p in parents for g in "KMT"]
    eqs = [
        [((p, g), 1), (("own", p, g), -1)] + [((c, g), -1) for c, q in tree.items() if q == p]
        for p in parents
        for g in "KMT"
    ] + [[((u, "T"), 1), ((u, "K"), -1), ((u, "M"), -1)] for u in units]
    # An attacker may know that a unit has no staff of its own, so zero own staff
    # are known zeros (as in the code under test); only non-zero ones are unknowns.
    own_total = {("own", p, g): own[(p, g)] for p in parents for g in "KM"}
    own_total |= {("own", p, "T"): own[(p, "K")] + own[(p, "M")] for p in parents}
    unknown_implied = [c for c in implied if own_total[c] != 0]
    sensitive = {keys[r] for r in out.primary_rows} | {
        c for c in unknown_implied if is_small(own_total[c], RULE)
    }
    found = recoverable_by_rank(eqs, hidden + unknown_implied)
    assert not (found & sensitive)
    assert not out.unprotected_rows
