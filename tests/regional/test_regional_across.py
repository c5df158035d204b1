"""One figure across members: ranks, means, the network rule and an attack on it."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from hallbar.privacy.suppression import SuppressionRule
from hallbar.regional.across import across, competition_ranks, trend
from hallbar.regional.disclosure import (
    REASON_NO_CONSENT,
    REASON_NO_DATA,
    REASON_SMALL,
    MemberCell,
    admit,
)

RULE = SuppressionRule(min_n=5)
MEMBERS = [("1280", "Malmö"), ("1281", "Lund"), ("1282", "Landskrona"), ("1283", "Helsingborg"),
           ("1284", "Höganäs")]  # fmt: skip


def _cells() -> list[MemberCell]:
    # Sick leave as hours: numerator = sick hours, denominator = ordinary hours.
    return [
        MemberCell("1280", (), 8.0, 100, 80.0, 1000.0),  # 80/1000 = 8 %
        MemberCell("1281", (), 6.0, 50, 30.0, 500.0),  # 30/500 = 6 %
        MemberCell("1282", (), 6.0, 20, 12.0, 200.0),  # 12/200 = 6 %
        MemberCell("1283", (), 4.0, 3, 1.2, 30.0),  # 3 persons: a small group
        # 1284 has no data for the year
    ]


def test_table_ranks_and_means_by_hand() -> None:
    view = across(
        _cells(),
        members=MEMBERS,
        consenting=frozenset({"1280", "1281", "1282", "1283", "1284"}),
        rule=RULE,
        own_code="1281",
        higher_is_better=False,
    )
    assert view.included == ("1280", "1281", "1282")
    # unweighted: (8 + 6 + 6) / 3 = 6.666…
    assert view.unweighted_mean == pytest.approx(20 / 3)
    # weighted: (80 + 30 + 12) / (1000 + 500 + 200) = 122 / 1700
    assert view.weighted_mean == pytest.approx(122 / 1700)
    ranks = {r.code: r.rank for r in view.rows}
    # lower is better: 6 and 6 share rank 1, 8 is third
    assert ranks == {"1280": 3, "1281": 1, "1282": 1, "1283": None, "1284": None}
    reasons = {r.code: r.reason for r in view.excluded}
    assert reasons == {"1283": REASON_SMALL, "1284": REASON_NO_DATA}
    assert [r.code for r in view.rows if r.own] == ["1281"]


def test_member_without_consent_disappears_and_means_recompute() -> None:
    view = across(
        _cells(),
        members=MEMBERS,
        consenting=frozenset({"1281", "1282"}),
        rule=RULE,
        higher_is_better=False,
    )
    assert view.included == ("1281", "1282")
    assert next(r for r in view.rows if r.code == "1280").reason == REASON_NO_CONSENT
    assert next(r for r in view.rows if r.code == "1280").value is None
    assert view.unweighted_mean == pytest.approx(6.0)  # (6 + 6) / 2
    assert view.weighted_mean == pytest.approx(42 / 700)  # (30 + 12) / (500 + 200)


def test_competition_ranks() -> None:
    assert competition_ranks({"a": 5.0, "b": 7.0, "c": 7.0, "d": 1.0}, descending=True) == {
        "b": 1, "c": 1, "a": 3, "d": 4,
    }  # fmt: skip


def test_one_hidden_group_leaves_the_member_out_of_the_whole_table() -> None:
    table = [
        MemberCell("1280", ("K",), 9.0, 60),
        MemberCell("1280", ("M",), 7.0, 40),
        MemberCell("1281", ("K",), 5.0, 47),
        MemberCell("1281", ("M",), 2.0, 3),  # small
    ]
    decided = admit(
        table, members=["1280", "1281"], consenting=frozenset({"1280", "1281"}), rule=RULE
    )
    assert decided.admitted == {"1280"}
    women = across(table, key=("K",), members=MEMBERS[:2], consenting=frozenset({"1280", "1281"}),
                   rule=RULE, admission=decided)  # fmt: skip
    # Lund's women (47 persons) are left out too: women = total − men would reveal the men.
    assert women.included == ("1280",)


def test_trend_means_per_year() -> None:
    cells = {
        2024: [MemberCell("1280", (), 7.0, 90), MemberCell("1281", (), 5.0, 10)],
        2025: [MemberCell("1280", (), 8.0, 100), MemberCell("1281", (), 6.0, 50)],
    }
    points = trend(cells, members=MEMBERS[:2], consenting=frozenset({"1280", "1281"}), rule=RULE,
                   own_code="1280")  # fmt: skip
    # 2024: (7 + 5) / 2 = 6; weighted by persons (7·90 + 5·10) / 100 = 6.8
    assert (points[0].unweighted_mean, points[0].weighted_mean) == (6.0, pytest.approx(6.8))
    # 2025: (8 + 6) / 2 = 7; (8·100 + 6·50) / 150 = 7.333…
    assert points[1].weighted_mean == pytest.approx(1100 / 150)
    assert [p.own_value for p in points] == [7.0, 8.0]


# --- the attack: recover a member's small group by comparing networks ------------------

CELLS = [f"{m}_{g}" for m in ("A", "B", "C") for g in ("T", "K", "M")]
INDEX = {name: i for i, name in enumerate(CELLS)}
# A has 40 persons: 37 women and 3 men. A's own model hides men (3 < 5) and, because
# total − women = men, women as well: A releases only its total.
COUNTS = {"A_T": 40, "A_K": 37, "A_M": 3, "B_T": 60, "B_K": 30, "B_M": 30,
          "C_T": 50, "C_K": 25, "C_M": 25}  # fmt: skip
OWN_RELEASED = {"A_T", "B_T", "B_K", "B_M", "C_T", "C_K", "C_M"}


def _vector(names: list[str]) -> np.ndarray:
    v = np.zeros(len(CELLS))
    for n in names:
        v[INDEX[n]] = 1.0
    return v


def _recoverable(equations: list[np.ndarray], target: str) -> bool:
    """Is the target cell a linear combination of what the attacker knows?"""
    known = np.array(equations)
    with_target = np.vstack([known, _vector([target])])
    return bool(np.linalg.matrix_rank(with_target) == np.linalg.matrix_rank(known))


def _attacker_knowledge(release: dict[str, set[str]]) -> list[np.ndarray]:
    """Public structure (total = women + men), members' released cells, network results."""
    rows = []
    for m in ("A", "B", "C"):
        rows.append(_vector([f"{m}_T"]) - _vector([f"{m}_K", f"{m}_M"]))
    rows += [_vector([c]) for c in OWN_RELEASED]
    for name_cells in release.values():
        rows.append(_vector(sorted(name_cells)))
    return rows


def _network_release(
    networks: dict[str, tuple[str, ...]], rule_applied: bool
) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for net, members in networks.items():
        # two tables per network: the total, and women/men
        for table, groups in (("total", ("T",)), ("kon", ("K", "M"))):
            cells = [
                MemberCell(m, (g,), 1.0, COUNTS[f"{m}_{g}"], released=f"{m}_{g}" in OWN_RELEASED)
                for m in members
                for g in groups
            ]
            admitted = (
                admit(
                    cells, members=list(members), consenting=frozenset(members), rule=RULE
                ).admitted
                if rule_applied
                else frozenset(members)  # naive: every consenting member in every sum
            )
            for g in groups:
                out[f"{net}/{table}/{g}"] = {f"{m}_{g}" for m in members if m in admitted}
    return out


NETWORKS = {"alla": ("A", "B", "C"), "utan_A": ("B", "C"), "A_och_B": ("A", "B")}


def test_naive_sums_give_away_the_small_group() -> None:
    # Without the rule: men in "alla" minus men in "utan_A" = A's 3 men.
    knowledge = _attacker_knowledge(_network_release(NETWORKS, rule_applied=False))
    assert _recoverable(knowledge, "A_M")


def test_no_combination_of_networks_recovers_the_small_group() -> None:
    # Every subset of overlapping networks, every table: A's men stay unknown.
    for size in range(1, len(NETWORKS) + 1):
        for chosen in itertools.combinations(NETWORKS, size):
            release = _network_release({n: NETWORKS[n] for n in chosen}, rule_applied=True)
            knowledge = _attacker_knowledge(release)
            assert not _recoverable(knowledge, "A_M"), chosen
            assert not _recoverable(knowledge, "A_K"), chosen
