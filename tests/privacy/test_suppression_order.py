"""The same table in any row order hides the same cells.

Secondary suppression breaks ties between equally good complementary cells; if the
tie were broken by the row's position, a table whose rows come out of a ``group_by``
in another order (another process, another worker) could hide other cells, and the
two answers together would reveal the small group each one protects.
"""

from __future__ import annotations

import polars as pl

from hallbar.privacy.suppression import SUPPRESSED_COL, Dimension, SuppressionRule, suppress


def _hidden(frame: pl.DataFrame) -> set[str]:
    out = suppress(
        frame,
        count_col="n",
        value_cols=[],
        rule=SuppressionRule(5),
        dimensions=[Dimension("occupation", total="Totalt")],
    ).frame
    return set(out.filter(pl.col(SUPPRESSED_COL))["occupation"].to_list())


def test_ties_are_broken_the_same_way_whatever_the_row_order() -> None:
    # One small group (B: 2) and three equal candidates for its partner (A, C, D: 10 each).
    # By hand: B is hidden as too small; the total is visible, so one of A, C, D must be
    # hidden with it, always the same one.
    rows = [("A", 10), ("B", 2), ("C", 10), ("D", 10), ("Totalt", 32)]
    seen = set()
    for order in ([0, 1, 2, 3, 4], [3, 2, 1, 0, 4], [4, 2, 0, 3, 1], [2, 4, 3, 1, 0]):
        frame = pl.DataFrame(
            {"occupation": [rows[i][0] for i in order], "n": [rows[i][1] for i in order]}
        )
        hidden = _hidden(frame)
        assert "B" in hidden and len(hidden) == 2
        seen.add(frozenset(hidden))
    assert len(seen) == 1
