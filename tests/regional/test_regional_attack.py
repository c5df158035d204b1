"""An attacker with every regional view tries to recover a member's small group (issue 14 c).

End to end through the service (``services.regional.figures.regional_figure``) on the
regional test installation: three members of very different sizes (40, 70 and 110
employees, so many of their occupation-and-gender groups are small), three
overlapping networks (all three; all but the smallest; the smallest and the largest)
and every view the regional role can ask for in a year: sick leave in total, for
women and for men, for the whole organisation and for each occupation (SSYK).

The attacker keeps every number the views show (each included member's value and
persons, and the network sums behind the means) and knows the structure of the
tables: a member's total is women plus men, and its whole-organisation value is the
sum of its occupations. A cell is *recovered* when it is a linear combination of what
the attacker knows (rank test). Targets are all cells that the member's own
disclosure model hides (a small group, or a cell its secondary suppression hides).

The same harness with naive sums (every member with data in every sum) recovers
small groups by differencing networks, which shows the attack has teeth.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np
import pytest
from regionalenv import make_regional, principal_of

from hallbar.privacy.suppression import SuppressionRule
from hallbar.regional.consent import DatasetKind, RecipientKind
from hallbar.regional.disclosure import MemberCell, released
from hallbar.regional.networks import Network, NetworkKind
from hallbar.services.context import Hallbar
from hallbar.services.regional import figures
from hallbar.store import regional

FAMILY = ("sick_leave_total", "sick_leave_women", "sick_leave_men")
TOTAL_FIGURE, WOMEN, MEN = FAMILY
WHOLE = "hela"  # the whole organisation, as opposed to one occupation
NETWORKS = {
    "attack-alla": ("1262", "1281", "1282"),
    "attack-utan-lomma": ("1281", "1282"),
    "attack-lomma-lund": ("1262", "1281"),
}
YEAR = 2025
Cell = tuple[str, str, str]  # (member, figure, occupation or WHOLE)


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hallbar]:
    hb, _ = make_regional(tmp_path_factory.mktemp("regionalattack"))
    viewer = principal_of(hb, "regional")
    for net_id, members in NETWORKS.items():
        regional.save_network(
            hb.store, Network(net_id, net_id, NetworkKind.USER, members), created_by="test"
        )
        regional.add_viewer(hb.store, viewer.user_id, net_id)
        for code in members:
            regional.add_grant(
                hb.store, org_code=code, recipient_kind=RecipientKind.NETWORK, recipient=net_id,
                dataset=DatasetKind.KEY_FIGURES, valid_from=date(2020, 1, 1), valid_to=None,
                granted_by="test",
            )  # fmt: skip
    yield hb
    hb.close()


def _member_cells(hb: Hallbar, rule: SuppressionRule) -> dict[Cell, MemberCell]:
    """Every cell of every member: its own model's decision on each."""
    out: dict[Cell, MemberCell] = {}
    for code in NETWORKS["attack-alla"]:
        for f in FAMILY:
            whole = figures._member_cell(hb, code, f, YEAR)
            assert whole is not None
            out[(code, f, WHOLE)] = whole
            for occ, cell in figures._occupation_cells(hb, code, f, YEAR, rule).items():
                out[(code, f, occ)] = cell
    return out


class Attacker:
    def __init__(self, cells: list[Cell]) -> None:
        self.index = {c: i for i, c in enumerate(cells)}
        self.rows: list[np.ndarray] = []

    def learn(self, cells: list[Cell], coefficients: list[float]) -> None:
        row = np.zeros(len(self.index))
        for c, k in zip(cells, coefficients, strict=True):
            row[self.index[c]] += k
        self.rows.append(row)

    def recovers(self, target: Cell) -> bool:
        known = np.array(self.rows)
        unit = np.zeros(len(self.index))
        unit[self.index[target]] = 1.0
        rank = np.linalg.matrix_rank(known)
        return bool(np.linalg.matrix_rank(np.vstack([known, unit])) == rank)


def _with_structure(cells: dict[Cell, MemberCell]) -> Attacker:
    attacker = Attacker(sorted(cells))
    for code in NETWORKS["attack-alla"]:
        occupations = sorted({o for (m, _, o) in cells if m == code and o != WHOLE})
        for f in FAMILY:  # whole = sum of occupations (persons, hours)
            parts = [(code, f, o) for o in occupations if (code, f, o) in cells]
            attacker.learn([(code, f, WHOLE), *parts], [1.0] + [-1.0] * len(parts))
        for o in [WHOLE, *occupations]:  # total = women + men
            trio = [(code, f, o) for f in FAMILY]
            if all(c in cells for c in trio):
                attacker.learn(trio, [1.0, -1.0, -1.0])
    return attacker


def test_no_small_group_is_recovered_from_the_regional_views(installation: Hallbar) -> None:
    hb = installation
    viewer = principal_of(hb, "regional")
    first = figures.regional_figure(hb, viewer, "attack-alla", TOTAL_FIGURE, year=YEAR)
    rule = SuppressionRule(first.min_n)
    cells = _member_cells(hb, rule)
    targets = [c for c, cell in cells.items() if not released(cell, rule)]
    assert len(targets) >= 10  # small members: plenty of small groups to attack

    attacker = _with_structure(cells)
    naive = _with_structure(cells)
    occupations = [None, *sorted({o for (_, _, o) in cells if o != WHOLE})]
    views = 0
    occupation_views_with_members = 0
    for net_id, members in NETWORKS.items():
        for f in FAMILY:
            for occ in occupations:
                result = figures.regional_figure(hb, viewer, net_id, f, year=YEAR, occupation=occ)
                views += 1
                group = occ or WHOLE
                shown = [(r.code, f, group) for r in result.view.rows if r.included]
                for c in shown:  # each member's row: its value and persons
                    attacker.learn([c], [1.0])
                if shown:  # the network's sums behind the means
                    attacker.learn(shown, [1.0] * len(shown))
                    occupation_views_with_members += occ is not None
                # A member's hidden count is never shown: only whom it counts.
                assert all(c.as_json()["n"] is None for c in result.counts if c.hidden)
                with_data = [(m, f, group) for m in members if (m, f, group) in cells]
                if with_data:
                    naive.learn(with_data, [1.0] * len(with_data))
    assert views == len(NETWORKS) * len(FAMILY) * len(occupations)
    assert occupation_views_with_members > 0  # occupations across members are shown too

    recovered = [t for t in targets if attacker.recovers(t)]
    assert recovered == []
    # Naive sums (no network rule) give small groups away by differencing networks.
    assert any(naive.recovers(t) for t in targets)
