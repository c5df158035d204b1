"""An attacker with every regional competence-supply view tries to recover a member's
small occupation group at the start of the projection.

End to end through ``services.regional.supply.regional_supply`` on the regional test
installation: three members (40, 70 and 110 employees), three overlapping networks
(all three; all but the smallest; the smallest and the largest) that each hold the
members' consent to share their projections, and the supply view of each network,
for all occupations and for each occupation alone. The attacker keeps the staff at
the start of every shown row (a sum over the members the row lists), each member's
staff as the view's counts show it, and, as if they also saw each member's own
projection page, every occupation row that page shows. They know the structure: a
member's staff is the sum of its occupations.

Targets: every (member, occupation) whose staff at the start the member's own
occupation model hides. A target is recovered when it is a linear combination of
what the attacker knows (rank test). Negative control: naive sums (every
member's occupation in every sum) lose small groups to the same attack. (The rule
before this one, leaving out a member's occupation with fewer than 5 staff on its
own, recovered nothing here: each member has several small occupations, so the
member's staff minus its shown occupations is their sum, not one of them.)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np
import polars as pl
import pytest
from regionalenv import make_regional, principal_of

from hallbar.core.access import SYSTEM
from hallbar.projection.scenario import Scenario
from hallbar.regional.consent import DatasetKind, RecipientKind
from hallbar.regional.networks import Network, NetworkKind
from hallbar.regional.supply import add_up
from hallbar.services.context import Hallbar
from hallbar.services.projection.params import ProjectionRequest
from hallbar.services.projection.views import projection_view
from hallbar.services.regional import supply
from hallbar.services.regional.supply import regional_supply
from hallbar.store import regional

NETWORKS = {
    "supply-alla": ("1262", "1281", "1282"),
    "supply-utan-lomma": ("1281", "1282"),
    "supply-lomma-lund": ("1262", "1281"),
}
MEMBERS = NETWORKS["supply-alla"]
TOTAL = "hela"
Cell = tuple[str, str]  # (member, occupation or TOTAL)


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hallbar]:
    hb, _ = make_regional(tmp_path_factory.mktemp("supplyattack"))
    viewer = principal_of(hb, "regional")
    for net_id, members in NETWORKS.items():
        regional.save_network(
            hb.store, Network(net_id, net_id, NetworkKind.USER, members), created_by="test"
        )
        regional.add_viewer(hb.store, viewer.user_id, net_id)
        for code in members:
            regional.add_grant(
                hb.store, org_code=code, recipient_kind=RecipientKind.NETWORK, recipient=net_id,
                dataset=DatasetKind.PROJECTION, valid_from=date(2020, 1, 1), valid_to=None,
                granted_by="test",
            )  # fmt: skip
    yield hb
    hb.close()


def _truth(hb: Hallbar) -> dict[Cell, int]:
    """Each member's staff per occupation at the start, unprotected (its own rows)."""
    out: dict[Cell, int] = {}
    for code in MEMBERS:
        rows, _, _, _ = supply._member_rows(hb, code)
        first = rows.filter(pl.col("year") == rows["year"].min())
        for occ, n in first.select("occupation", "stock").iter_rows():
            out[(code, occ)] = round(n)
        out[(code, TOTAL)] = round(first["stock"].sum())
    return out


class Attacker:
    def __init__(self, cells: list[Cell]) -> None:
        self.index = {c: i for i, c in enumerate(cells)}
        self.rows: list[np.ndarray] = []

    def learn(self, cells: list[Cell]) -> None:
        row = np.zeros(len(self.index))
        for c in cells:
            row[self.index[c]] += 1.0
        self.rows.append(row)

    def learn_structure(self, truth: dict[Cell, int]) -> None:
        for code in MEMBERS:
            parts = [c for c in truth if c[0] == code and c[1] != TOTAL]
            row = np.zeros(len(self.index))
            row[self.index[(code, TOTAL)]] = 1.0
            for c in parts:
                row[self.index[c]] = -1.0
            self.rows.append(row)

    def recovers(self, target: Cell) -> bool:
        known = np.array(self.rows)
        unit = np.zeros(len(self.index))
        unit[self.index[target]] = 1.0
        rank = np.linalg.matrix_rank(known)
        return bool(np.linalg.matrix_rank(np.vstack([known, unit])) == rank)


def _own_pages(hb: Hallbar) -> dict[str, list[str]]:
    """The occupations each member's own projection page shows with their staff."""
    out: dict[str, list[str]] = {}
    for code in MEMBERS:
        view = projection_view(hb, SYSTEM, code, ProjectionRequest(scenario=Scenario()))
        frame = view.occupations.frame
        out[code] = [
            label.split(" ")[0]
            for label, n in frame.select(frame.columns[0], "projection_staff_start").iter_rows()
            if n is not None and label.split(" ")[0].isdigit()
        ]
    return out


def test_no_hidden_occupation_group_is_recovered_from_the_supply_views(
    installation: Hallbar,
) -> None:
    hb = installation
    viewer = principal_of(hb, "regional")
    truth = _truth(hb)
    attacker = Attacker(sorted(truth))
    attacker.learn_structure(truth)
    for code, occupations in _own_pages(hb).items():
        for occ in occupations:
            attacker.learn([(code, occ)])
    occupations = sorted({o for (_, o) in truth if o != TOTAL})
    for net_id in NETWORKS:
        for chosen in (None, *((o,) for o in occupations)):
            view = regional_supply(hb, viewer, net_id, occupations=chosen)
            # A chosen occupation no member shows gives an empty table (and no first year).
            frame = view.frame
            first = frame.filter(pl.col("year") == frame["year"].min()) if frame.height else frame
            for occ, stock, members in first.select("occupation", "stock", "members").iter_rows():
                cells = [(m, occ) for m in members]
                assert stock == pytest.approx(sum(truth[c] for c in cells))
                attacker.learn(cells)
            for count in view.counts:
                code = (count.filter or "").removeprefix("organisation=")
                if not count.hidden:
                    assert count.count.n == truth[(code, TOTAL)]
                    attacker.learn([(code, TOTAL)])
    targets = sorted(_hidden(hb))
    small = [c for c in targets if 0 < truth[c] < 5]
    assert len(small) >= 5  # small members: plenty of small groups to attack
    assert [t for t in targets if attacker.recovers(t)] == []


def _hidden(hb: Hallbar) -> set[Cell]:
    """Every (member, occupation) the member's own occupation model hides at the start."""
    out: set[Cell] = set()
    for code in MEMBERS:
        _, _, _, cells = supply._member_rows(hb, code)
        out |= set(supply._hidden_occupations(code, cells))
    return out


def test_naive_sums_lose_groups_to_the_same_attack(installation: Hallbar) -> None:
    """The attack has teeth: with every member's occupation in every sum, differencing
    overlapping networks gives a member's small groups."""
    hb = installation
    truth = _truth(hb)
    attacker = Attacker(sorted(truth))
    attacker.learn_structure(truth)
    rows = pl.concat(supply._member_rows(hb, code)[0] for code in MEMBERS)
    for members in NETWORKS.values():
        summed = add_up(
            rows.select("code", "occupation", "year", "stock", "retirements", "turnover", "need"),
            consenting=frozenset(members),
            hidden={},
        )
        top = summed.frame.filter(pl.col("year") == summed.frame["year"].min())
        for occ, cells in top.select("occupation", "members").iter_rows():
            attacker.learn([(m, occ) for m in cells])
    small = [c for c in truth if c[1] != TOTAL and 0 < truth[c] < 5]
    assert len([c for c in small if attacker.recovers(c)]) > 0
