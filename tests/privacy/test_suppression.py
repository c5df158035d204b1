"""Small-group protection on hand-made tables.

Expected hidden cells are worked out by hand from the documented rule
(docs/privacy.md): primary = count below min_n; then, relation by relation
(dimension by dimension, in row order), a relation whose only unknown is a
hidden or small implied cell gets its smallest visible cell hidden (non-zero,
parts before totals). Each protected case is then attacked by the independent
checks in ``suppression_recovery``.
"""

from __future__ import annotations

import polars as pl
import pytest
from suppression_recovery import (
    grid_equations,
    recoverable_by_rank,
    recoverable_by_subtraction,
)

from hallbar.core.describe import Description, FigureTable
from hallbar.privacy.suppression import (
    REASON_COL,
    SECONDARY_REASON_SV,
    SUPPRESSED_COL,
    Dimension,
    SuppressionRule,
    is_small,
    suppress,
    suppress_figure_table,
)

RULE = SuppressionRule()


def hidden_keys(frame: pl.DataFrame, rows: frozenset[int], cols: list[str]) -> set[tuple]:
    keyed = frame.select(cols).rows()
    return {keyed[r] if len(cols) > 1 else keyed[r][0] for r in rows}


def test_is_small_boundaries():
    assert is_small(4, RULE) and not is_small(5, RULE)
    # The statutory sick-leave note: a group of ten or fewer is not shown.
    sick = SuppressionRule(min_n=11)
    assert is_small(10, sick) and not is_small(11, sick)
    assert not is_small(0, RULE)
    assert is_small(0, SuppressionRule(suppress_zero=True))
    assert is_small(None, RULE)


def test_without_totals_only_primary_cells_are_hidden():
    frame = pl.DataFrame({"enhet": ["A", "B", "C"], "n": [12, 4, 30], "v": [1.0, 2.0, 3.0]})
    out = suppress(
        frame, count_col="n", value_cols=["v"], rule=RULE, dimensions=[Dimension("enhet")]
    )
    assert out.primary_rows == {1} and out.secondary_rows == set()
    assert out.frame["v"].to_list() == [1.0, None, 3.0]
    assert out.frame["n"].to_list() == [12, None, 30]
    assert out.frame[SUPPRESSED_COL].to_list() == [False, True, False]
    assert out.frame[REASON_COL][1] == "Färre än 5 personer i gruppen"


def test_a_plain_list_without_dimensions_still_hides_small_rows():
    # Regression: with neither dimensions nor ``by`` every row must still be checked.
    frame = pl.DataFrame({"n": [10, 11], "v": [4.2, 5.1]})
    out = suppress(frame, count_col="n", value_cols=["v"], rule=SuppressionRule(min_n=11))
    assert out.primary_rows == {0} and out.secondary_rows == set()
    assert out.frame["v"].to_list() == [None, 5.1]


def test_one_dimension_with_total_hides_the_smallest_other_part():
    frame = pl.DataFrame({"kön": ["Kvinnor", "Män", "Okänt", "Totalt"], "n": [20, 3, 8, 31]})
    out = suppress(
        frame,
        count_col="n",
        value_cols=[],
        rule=RULE,
        dimensions=[Dimension("kön", total="Totalt")],
    )
    # Totalt = Kvinnor + Män + Okänt; Män (3) hidden, the smallest other visible part
    # is Okänt (8 < 20 < 31).
    assert hidden_keys(frame, out.primary_rows, ["kön"]) == {"Män"}
    assert hidden_keys(frame, out.secondary_rows, ["kön"]) == {"Okänt"}
    assert out.frame[REASON_COL][2] == SECONDARY_REASON_SV
    eqs = [[("Totalt", 1), ("Kvinnor", -1), ("Män", -1), ("Okänt", -1)]]
    assert recoverable_by_subtraction(eqs, ["Män", "Okänt"]) == set()
    assert recoverable_by_rank(eqs, ["Män", "Okänt"]) == set()
    # Negative control: with primary suppression only, subtraction finds Män.
    assert recoverable_by_subtraction(eqs, ["Män"]) == {"Män"}


def test_an_unshown_remainder_is_a_partner_of_its_own():
    # 26 persons, 3 of unknown gender not shown as a row: Totalt - Kvinnor = Män + rest = 6,
    # so Män (3) cannot be separated from the remainder (3) and nothing more is hidden.
    frame = pl.DataFrame({"kön": ["Kvinnor", "Män", "Totalt"], "n": [20, 3, 26]})
    out = suppress(
        frame,
        count_col="n",
        value_cols=[],
        rule=RULE,
        dimensions=[Dimension("kön", total="Totalt")],
    )
    assert out.primary_rows == {1} and out.secondary_rows == set()
    eqs = [[("Totalt", 1), ("Kvinnor", -1), ("Män", -1), ("rest", -1)]]
    assert recoverable_by_rank(eqs, ["Män", "rest"]) == set()


def test_a_small_remainder_is_protected_even_though_no_row_shows_it():
    # Totalt 24 = Kvinnor 20 + rest 4: the remainder (4 persons of unknown gender) is
    # small, so Kvinnor (the smallest visible part) is hidden.
    frame = pl.DataFrame({"kön": ["Kvinnor", "Totalt"], "n": [20, 24]})
    out = suppress(
        frame,
        count_col="n",
        value_cols=[],
        rule=RULE,
        dimensions=[Dimension("kön", total="Totalt")],
    )
    assert out.primary_rows == set() and out.secondary_rows == {0}


UNIT_GENDER = [
    ("A", "K", 12), ("A", "M", 2), ("A", "T", 14),
    ("B", "K", 10), ("B", "M", 9), ("B", "T", 19),
    ("C", "K", 6), ("C", "M", 8), ("C", "T", 14),
    ("Alla", "K", 28), ("Alla", "M", 19), ("Alla", "T", 47),
]  # fmt: skip


def test_two_dimensions_with_margins():
    frame = pl.DataFrame(UNIT_GENDER, schema=["enhet", "kön", "n"], orient="row")
    dims = [Dimension("enhet", total="Alla"), Dimension("kön", total="T")]
    out = suppress(frame, count_col="n", value_cols=[], rule=RULE, dimensions=dims)
    # By hand: (A,M)=2 is primary. Column M: only unknown (A,M) -> hide smallest of
    # B 9, C 8, Alla 19 -> (C,M). Row A: only (A,M) -> hide smaller of K 12, T 14 -> (A,K).
    # Row C: only (C,M) -> hide smaller of K 6, T 14 -> (C,K). Column K now has
    # (A,K) and (C,K): a 2×2 rectangle A/C × K/M, which subtraction cannot split.
    assert hidden_keys(frame, out.primary_rows, ["enhet", "kön"]) == {("A", "M")}
    assert hidden_keys(frame, out.secondary_rows, ["enhet", "kön"]) == {
        ("A", "K"),
        ("C", "M"),
        ("C", "K"),
    }
    eqs = grid_equations(["A", "B", "C", "Alla"], ["K", "M", "T"], "Alla", "T")
    hidden = sorted(hidden_keys(frame, out.hidden_rows, ["enhet", "kön"]))
    assert recoverable_by_subtraction(eqs, hidden) == set()
    assert recoverable_by_rank(eqs, hidden) == set()
    assert recoverable_by_subtraction(eqs, [("A", "M")]) == {("A", "M")}


def test_hierarchy_protects_a_parents_small_own_staff():
    # F holds its whole subtree: 30 = E1 16 + E2 12 + own staff 2. The own staff are
    # never shown but follow by subtraction, so the smallest child (E2) is hidden.
    frame = pl.DataFrame({"enhet": ["F", "E1", "E2"], "n": [30, 16, 12]})
    tree = {"E1": "F", "E2": "F"}
    out = suppress(
        frame, count_col="n", value_cols=[], rule=RULE, dimensions=[Dimension("enhet", parent=tree)]
    )
    assert out.primary_rows == set()
    assert hidden_keys(frame, out.secondary_rows, ["enhet"]) == {"E2"}
    eqs = [[("F", 1), ("E1", -1), ("E2", -1), ("own F", -1)]]
    assert recoverable_by_subtraction(eqs, ["E2", "own F"]) == set()
    assert recoverable_by_subtraction(eqs, ["own F"]) == {"own F"}


def test_hierarchy_three_levels():
    # F 40 = E1 20 + E2 20 (no own staff); E1 20 = G1 3 + G2 17 (no own staff).
    # G1 is primary; its relation's smallest visible cell is G2 (17 < E1 20).
    frame = pl.DataFrame({"enhet": ["F", "E1", "E2", "G1", "G2"], "n": [40, 20, 20, 3, 17]})
    tree = {"E1": "F", "E2": "F", "G1": "E1", "G2": "E1"}
    out = suppress(
        frame, count_col="n", value_cols=[], rule=RULE, dimensions=[Dimension("enhet", parent=tree)]
    )
    assert hidden_keys(frame, out.primary_rows, ["enhet"]) == {"G1"}
    assert hidden_keys(frame, out.secondary_rows, ["enhet"]) == {"G2"}
    eqs = [[("F", 1), ("E1", -1), ("E2", -1)], [("E1", 1), ("G1", -1), ("G2", -1)]]
    assert recoverable_by_subtraction(eqs, ["G1", "G2"]) == set()


def test_hierarchy_crossed_with_gender():
    rows = [
        ("E1", "K", 8), ("E1", "M", 7), ("E1", "T", 15),
        ("E2", "K", 9), ("E2", "M", 1), ("E2", "T", 10),
        ("F", "K", 19), ("F", "M", 9), ("F", "T", 28),
    ]  # fmt: skip
    # F's own staff: K 19-8-9 = 2, M 9-7-1 = 1, T 28-15-10 = 3 (all small, never shown).
    frame = pl.DataFrame(rows, schema=["enhet", "kön", "n"], orient="row")
    dims = [Dimension("enhet", parent={"E1": "F", "E2": "F"}), Dimension("kön", total="T")]
    out = suppress(frame, count_col="n", value_cols=[], rule=RULE, dimensions=dims)
    # By hand: line K: only unknown own K -> smallest of F 19, E1 8, E2 9 -> (E1,K).
    # Line M: (E2,M) and own M, two unknowns. Line T: only own T -> smallest of
    # F 28, E1 15, E2 10 -> (E2,T). Row E1: only (E1,K) -> smaller of M 7, T 15 -> (E1,M).
    assert hidden_keys(frame, out.primary_rows, ["enhet", "kön"]) == {("E2", "M")}
    assert hidden_keys(frame, out.secondary_rows, ["enhet", "kön"]) == {
        ("E1", "K"),
        ("E2", "T"),
        ("E1", "M"),
    }
    eqs = [[(("F", g), 1), (("E1", g), -1), (("E2", g), -1), (("own", g), -1)] for g in "KMT"] + [
        [((u, "T"), 1), ((u, "K"), -1), ((u, "M"), -1)] for u in ("E1", "E2", "F")
    ]
    unknown = sorted(hidden_keys(frame, out.hidden_rows, ["enhet", "kön"])) + [
        ("own", g) for g in "KMT"
    ]
    assert recoverable_by_subtraction(eqs, unknown) == set()
    assert recoverable_by_rank(eqs, unknown) == set()


def test_ratios_numerators_and_denominators_share_the_pattern():
    frame = pl.DataFrame(
        {
            "kön": ["Kvinnor", "Män", "Totalt"],
            "n": [20, 3, 23],
            "sjuktimmar": [1220.0, 450.0, 1670.0],
            "arbetstimmar": [20000.0, 5000.0, 25000.0],
            "sjukfrånvaro_pct": [6.1, 9.0, 6.68],
        }
    )
    out = suppress(
        frame,
        count_col="n",
        value_cols=["sjuktimmar", "arbetstimmar", "sjukfrånvaro_pct"],
        rule=RULE,
        dimensions=[Dimension("kön", total="Totalt")],
    )
    for col in ("n", "sjuktimmar", "arbetstimmar", "sjukfrånvaro_pct"):
        assert out.frame[col].to_list()[:2] == [None, None], col
    assert out.frame["sjukfrånvaro_pct"][2] == 6.68


def test_by_columns_make_independent_tables():
    frame = pl.DataFrame(
        {
            "år": [2024, 2024, 2024, 2025, 2025, 2025],
            "kön": ["K", "M", "T"] * 2,
            "n": [20, 3, 23, 20, 8, 28],
        }
    )
    out = suppress(
        frame,
        count_col="n",
        value_cols=[],
        rule=RULE,
        dimensions=[Dimension("kön", total="T")],
        by=["år"],
    )
    assert out.primary_rows == {1} and out.secondary_rows == {0}


def test_duplicate_cells_are_a_programming_error():
    frame = pl.DataFrame({"kön": ["K", "K", "T"], "n": [3, 4, 7]})
    with pytest.raises(ValueError):
        suppress(
            frame, count_col="n", value_cols=[], rule=RULE, dimensions=[Dimension("kön", total="T")]
        )


def test_figure_table_uses_each_descriptions_min_group_size():
    sick = Description(
        id="sjuk_pct",
        name_sv="Sjukfrånvaro",
        definition_sv="Sjukfrånvarotimmar i procent av ordinarie arbetstid.",
        population_sv="Alla med ordinarie arbetstid.",
        unit="%",
        source="Lag (2018:597); SKR",
        min_group_size=11,
    )
    table = FigureTable(
        id="sjuk_alder",
        title_sv="Sjukfrånvaro per ålder",
        frame=pl.DataFrame(
            {
                "ålder": ["-29", "30-49", "50-", "Totalt"],
                "n": [10, 30, 22, 62],
                "sjuk_pct": [4.0, 6.0, 7.0, 6.2],
            }
        ),
        descriptions=(sick,),
    )
    out = suppress_figure_table(
        table, count_col="n", dimensions=[Dimension("ålder", total="Totalt")]
    )
    # Sick leave (min 11): -29 (10 persons) is primary; the smallest other visible part
    # is 50- (22). The head count (min 5) hides nothing.
    assert out.frame["sjuk_pct"].to_list() == [None, 6.0, None, 6.2]
    assert out.frame["n"].to_list() == [10, 30, 22, 62]
    assert out.frame[SUPPRESSED_COL].to_list() == [True, False, True, False]
    assert out.frame[REASON_COL].to_list() == [
        "Färre än 11 personer i gruppen",
        None,
        SECONDARY_REASON_SV,
        None,
    ]
    assert any("färre än 11 personer" in note for note in out.notes_sv)
