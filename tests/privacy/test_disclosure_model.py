"""The disclosure model on hand-made trees: every expected cell worked out by hand.

The tree of the first cases (own staff per unit, gender K/M; min_n 5):

    organisation
    └── F           own: K 0, M 0
        ├── E1      own: 0
        │   ├── G1  own: K 3, M 6   -> G1: K 3, M 6, all 9
        │   └── G2  own: K 7, M 5   -> G2: K 7, M 5, all 12
        └── E2      own: K 8, M 9   -> E2: K 8, M 9, all 17
    E1 = G1 + G2: K 10, M 11, all 21.  F = E1 + E2: K 18, M 20, all 38.

The rule (hallbar.privacy.decision): a small cell gets the cheapest cycle that
moves one person between two own units below their common unit and, in each
filter dimension, between the target's value and a partner value; every cell
the cycle changes is hidden, nothing else. Cost of a cycle: each newly hidden
cell costs 1 + persons/1000 (cells already hidden cost 0).
"""

from __future__ import annotations

import polars as pl
import pytest

from hallbar.privacy.model import DisclosureModel
from hallbar.privacy.queryspace import ORGANISATION, FilterDimension, build_query_space
from hallbar.privacy.shares import group_released, share_released
from hallbar.privacy.suppression import REASON_COL, SECONDARY_REASON_SV, SUPPRESSED_COL

GENDER = FilterDimension("gender", ("K", "M"))
TREE = {"F": None, "E1": "F", "E2": "F", "G1": "E1", "G2": "E1"}


def people(own: dict[str, dict[str, int]], column: str = "gender") -> pl.DataFrame:
    rows = [(u, v) for u, counts in own.items() for v, n in counts.items() for _ in range(n)]
    return pl.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(len(rows))],
            "unit_id": [u for u, _ in rows],
            column: [v for _, v in rows],
        }
    )


BASE = {"G1": {"K": 3, "M": 6}, "G2": {"K": 7, "M": 5}, "E2": {"K": 8, "M": 9}}


def hidden(model: DisclosureModel) -> set[tuple[str | None, str | None]]:
    return {
        (u, g)
        for u in (ORGANISATION, "F", "E1", "E2", "G1", "G2")
        for g in ("K", "M", None)
        if not model.released(u, {"gender": g})
    }


def test_the_cube_counts_every_subtree_and_filter():
    space = build_query_space(people(BASE), TREE, [GENDER])
    # E1 = G1 + G2: K 3 + 7 = 10; F = E1 + E2: all 21 + 17 = 38.
    assert space.cube[space.coordinates("E1", {"gender": "K"})] == 10
    assert space.cube[space.coordinates("F", {})] == 38
    assert space.cube[space.coordinates(ORGANISATION, {"gender": "M"})] == 20


def test_one_small_cell_is_protected_by_a_sibling_rectangle():
    model = DisclosureModel.build(people(BASE), TREE, [GENDER], min_n=5)
    # G1 K = 3 is small. Partner: the sibling G2, the other gender M. The cycle
    # +G1K -G1M -G2K +G2M changes exactly these four cells (the only candidate).
    # G1, G2, E1 and F totals do not change.
    assert hidden(model) == {("G1", "K"), ("G1", "M"), ("G2", "K"), ("G2", "M")}
    assert model.count("G1") == 9 and model.count("E1", {"gender": "K"}) == 10
    assert model.count("G1", {"gender": "K"}) is None
    # By hand, the attacker's equations: G1K + G1M = 9, G2K + G2M = 12,
    # G1K + G2K = 10, G1M + G2M = 11: one free parameter t = G1K with
    # G1M = 9 - t, G2K = 10 - t, G2M = 2 + t, all >= 0 for t in 0..9.
    assert model.reason_sv("G1", {"gender": "K"}) == "Färre än 5 personer i gruppen"
    assert model.reason_sv("G2", {"gender": "M"}) == SECONDARY_REASON_SV


def test_a_departments_small_own_staff_are_protected():
    own = {**BASE, "F": {"K": 2}}
    model = DisclosureModel.build(people(own), TREE, [GENDER], min_n=5)
    # F's own staff (2 women) are never an answer but F - E1 - E2 would show them.
    # By hand: F's own total (2) is taken first (most aggregated). Partners below
    # F: E2 (2 cells) or G2 (4 cells: G2 and E1). Option "women" with E2: E2 K
    # (1.008) + E2 all (1.017) = 2.025; "men": E2 M (1.009) + E2 all = 2.026. So
    # E2 K and E2 all are hidden; F's own K moves with them. Then G1 K as before.
    assert hidden(model) == {
        ("E2", "K"),
        ("E2", None),
        ("G1", "K"),
        ("G1", "M"),
        ("G2", "K"),
        ("G2", "M"),
    }
    # By hand: F own M = 20 - 11 - 9 = 0 is known, so own all = own K = 10 - E2K
    # with E2K free in 0..10: the 2 women cannot be pinned down.
    assert model.count("F") == 40


def test_a_large_department_is_not_hidden_for_a_small_team():
    # A department of 200 whose sections hold 66, 81 and 53; small groups in S1.
    tree = {"F": None, "S1": "F", "S2": "F", "S3": "F", "T1": "S1", "T2": "S1"}
    own = {
        "T1": {"K": 60, "M": 3},
        "T2": {"K": 3},
        "S2": {"K": 40, "M": 41},
        "S3": {"K": 30, "M": 23},
    }
    model = DisclosureModel.build(people(own), tree, [GENDER], min_n=5)
    # Cells: T1 60/3/63, T2 3/0/3, S1 63/3/66, S2 40/41/81, S3 30/23/53,
    # F 133/67/200. Small: T2 all, T1 M, T2 K, S1 M (all 3).
    # 1. T2 all (most aggregated): pair T2-T1, point "men": T2 M (1.000) + T2 all (0,
    #    small) + T1 M (0, small) + T1 all (1.063) = 2.063 < point "women": T2 K 0 +
    #    T2 all 0 + T1 K 1.060 + T1 all 1.063 = 2.123.
    # 2. S1 M: a in S1 (T1 or T2), b in the smallest siblings S3 (53), S2 (81);
    #    pair men/women. T2-S3: T2 K 0 + T2 M 0 (now hidden) + S1 K 1.063 + S1 M 0 +
    #    S3 K 1.030 + S3 M 1.023 = 3.116; T2-S2: 1.063 + 1.040 + 1.041 = 3.144;
    #    T1-S3: T1 K 1.060 more = 4.176. T2-S3 it is (feasible: T2 K has 3 and S3 M
    #    23 to move).
    # 3. T1 M and T2 K already move with cycles 1 and 2.
    assert hidden_cells(model, tree) == {
        ("T1", "M"),
        ("T1", None),
        ("T2", "K"),
        ("T2", "M"),
        ("T2", None),
        ("S1", "K"),
        ("S1", "M"),
        ("S3", "K"),
        ("S3", "M"),
    }
    # The department and every section total stay visible.
    assert model.count("F") == 200
    assert [model.count(s) for s in ("S1", "S2", "S3")] == [66, 81, 53]


def hidden_cells(
    model: DisclosureModel, tree: dict[str, str | None]
) -> set[tuple[str, str | None]]:
    return {(u, g) for u in tree for g in ("K", "M", None) if not model.released(u, {"gender": g})}


def test_a_parent_minus_one_unit_is_protected_too():
    # P holds c1 (20 women, 20 men), c2 (1, 1) and c3 (1, 1): P = 22/22/44.
    # P - c1 = c2 + c3 = 2/2/4 persons: a small group that one subtraction of two
    # answers would give, even though the cycle that swaps a person between c2 and
    # c3 (both small) leaves it unchanged.
    tree = {"P": None, "c1": "P", "c2": "P", "c3": "P"}
    own = {"c1": {"K": 20, "M": 20}, "c2": {"K": 1, "M": 1}, "c3": {"K": 1, "M": 1}}
    model = DisclosureModel.build(people(own), tree, [GENDER], min_n=5)
    # By hand, most aggregated first, then largest:
    # 1. "P minus c1", all (4): a in P's other staff (c2 or c3, no own staff), b in
    #    c1; point "women": c2 K (0, small) + c2 all (0, small) + c1 K (1.020) + c1
    #    all (1.040) = 2.060, the same for "men" and for c3: the first, c2 women.
    # 2. c2 all: moved by 1. c3 all (2): pair with c2, women: every cell it changes
    #    is hidden already, cost 0.
    # 3. "P minus c1", women: moved by 1 (c1 K changed, P did not). "P minus c1",
    #    men (2): pair c2-c1, men/women: c1 M (1.020) is the only new cell.
    # 4. The single cells of c2 and c3: c3 M is the only one not moved yet; pair
    #    c3-c2, men/women, cost 0.
    assert hidden_cells(model, tree) == {
        (u, g) for u in ("c1", "c2", "c3") for g in ("K", "M", None)
    }
    assert [model.count("P", {"gender": g}) for g in ("K", "M", None)] == [22, 22, 44]


FORM = FilterDimension("employment_form", ("tillsvidare", "visstid", "timavlönad"))


def test_a_share_that_would_reveal_a_hidden_count_is_not_shown():
    # 66 in unit A: 64 permanent, 2 fixed-term, 0 hourly; B beside it: 30, 10, 5.
    tree = {"A": None, "B": None}
    own = {
        "A": {"tillsvidare": 64, "visstid": 2},
        "B": {"tillsvidare": 30, "visstid": 10, "timavlönad": 5},
    }
    model = DisclosureModel.build(people(own, "employment_form"), tree, [FORM], min_n=5)
    # Small groups: A fixed-term (2) and A "not permanent" = 66 - 64 = 2 (what
    # 96,97 % × 66 = 64 would give away). By hand:
    # 1. A fixed-term: partner B, pair fixed-term/hourly: A hourly (1.000) + B fixed
    #    (1.010) + B hourly (1.005) = 3.015 < pair fixed-term/permanent: A permanent
    #    1.064 + 1.010 + B permanent 1.030 = 3.104. This cycle keeps "not permanent"
    #    at 2 (it moves a person between fixed-term and hourly).
    # 2. A "not permanent": pair fixed-term/permanent: A permanent (1.064) + B
    #    permanent (1.030) = 2.094 (fixed-term cells already hidden); hourly/permanent
    #    costs the same, the first is taken. So every form cell of A and B is hidden,
    #    the totals 66 and 45 and the organisation's row stay.
    for unit in ("A", "B"):
        assert [model.count(unit, {"employment_form": v}) for v in FORM.values] == [None] * 3
    assert model.count("A") == 66 and model.count("B") == 45
    assert model.count(None, {"employment_form": "visstid"}) == 12
    # The share 64/66 is therefore not shown: its numerator is hidden and the
    # total minus the other forms is hidden as well.
    assert not share_released(model, "A", {}, "employment_form", ["tillsvidare"])
    # The organisation's share 94/111 follows from released cells and is shown.
    assert share_released(model, None, {}, "employment_form", ["tillsvidare"])


def test_group_released_needs_a_derivation_from_released_cells():
    tree = {"A": None}
    own = {"A": {"tillsvidare": 40, "visstid": 20, "timavlönad": 0}}
    model = DisclosureModel.build(people(own, "employment_form"), tree, [FORM], min_n=5)
    # Nothing is small: 40, 20 and the released zero; monthly-paid = 40 + 20 = 60.
    assert group_released(model, "A", {}, "employment_form", ["tillsvidare", "visstid"])
    with pytest.raises(ValueError):
        group_released(model, "A", {"employment_form": "visstid"}, "employment_form", ["visstid"])


def test_protect_nulls_counts_and_magnitudes_of_hidden_answers():
    model = DisclosureModel.build(people(BASE), TREE, [GENDER], min_n=5)
    frame = pl.DataFrame(
        {
            "unit_id": ["G1", "G1", "G1", "E1"],
            "kön": ["K", "M", "Totalt", "K"],
            "n": [3, 6, 9, 10],
            "sick_hours": [120.0, 30.0, 150.0, 400.0],
        }
    )
    out = model.protect(
        frame, value_cols=["n", "sick_hours"], filter_cols={"gender": "kön"}, total="Totalt"
    )
    assert out["n"].to_list() == [None, None, 9, 10]
    assert out["sick_hours"].to_list() == [None, None, 150.0, 400.0]
    assert out[SUPPRESSED_COL].to_list() == [True, True, False, False]
    assert out[REASON_COL].to_list() == [
        "Färre än 5 personer i gruppen",
        SECONDARY_REASON_SV,
        None,
        None,
    ]


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        build_query_space(people({"G1": {"X": 1}}), TREE, [GENDER])
    with pytest.raises(ValueError):
        build_query_space(people({"Z": {"K": 1}}), TREE, [GENDER])
    twice = people({"G1": {"K": 2}}).with_columns(pl.lit("p0").alias("person_id"))
    with pytest.raises(ValueError):
        build_query_space(twice, TREE, [GENDER])
    model = DisclosureModel.build(people(BASE), TREE, [GENDER], min_n=5)
    with pytest.raises(KeyError):
        model.released("G1", {"age_band": "≤29"})


def test_a_row_outside_the_models_population_is_hidden_not_an_error():
    # The table counts someone the model does not (an unknown gender, a unit the
    # model's population never reached): the model cannot vouch for that row.
    model = DisclosureModel.build(people(BASE), TREE, [GENDER], min_n=5)
    frame = pl.DataFrame(
        {"unit_id": ["E2", "E2", "NY"], "kön": ["okänd", "Totalt", "Totalt"], "n": [1, 17, 40]}
    )
    out = model.protect(frame, value_cols=["n"], filter_cols={"gender": "kön"}, total="Totalt")
    assert out["n"].to_list() == [None, 17, None]
    assert out[REASON_COL].to_list() == [SECONDARY_REASON_SV, None, SECONDARY_REASON_SV]
