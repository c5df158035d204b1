"""The unit page's one-scope path (``tree.unit_page``) against the separate public answers.

The unit page builds its overview and the tree opened to its unit from one scope, one
disclosure model and tree levels kept per snapshot; the JSON twin (``unit_overview``)
and the HTMX tree fragment (``tree_level``) answer one at a time. On a generated
organisation every unit checked must get the same figures and the same hidden cells on
every path. The chain of open levels is worked out here from the units table itself.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import polars as pl
import pytest
from webtesting import WebEnv, make_env

from hallbar import exampleorg
from hallbar.core.access import SYSTEM, Principal, Role
from hallbar.services.imports.importing import import_export
from hallbar.services.org import tree

AS_OF = date(2025, 12, 31)


@dataclass
class Org:
    env: WebEnv
    org_id: str
    parent: dict[str, str | None]
    has_children: set[str]


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Org]:
    tmp = tmp_path_factory.mktemp("unitpage")
    export = exampleorg.generate(size=1500, seed=5, as_of=AS_OF)
    folder = tmp / "export"
    exampleorg.write_csv_folder(export, folder)
    env = make_env(tmp / "data", {})
    import_export(
        env.hb,
        folder=folder,
        org_id=export.org_id,
        org_name=export.org_name,
        as_of=AS_OF,
        principal=SYSTEM,
    )
    units = env.hb.dataset(export.org_id).units
    parent = dict(zip(units["unit_id"].to_list(), units["parent_id"].to_list(), strict=True))
    has_children = set(units.filter(pl.col("parent_id").is_not_null())["parent_id"].to_list())
    yield Org(env, export.org_id, parent, has_children)
    env.hb.close()


def _below(org: Org, top: str) -> set[str]:
    out = {top}
    grew = True
    while grew:
        more = {u for u, p in org.parent.items() if p in out} - out
        out |= more
        grew = bool(more)
    return out


def _overview_values(o: tree.UnitOverview) -> tuple[object, ...]:
    return (
        o.unit_id,
        o.unit_name,
        o.breadcrumbs,
        o.headcount,
        o.fte,
        o.sub_units.frame.to_dicts(),
        o.age_gender.frame.to_dicts(),
        o.may_list_staff,
        o.notes_sv,
        o.counts,
    )


def _principals(org: Org) -> list[tuple[Principal, set[str]]]:
    mid = sorted(u for u in org.has_children if org.parent[u] is not None)
    managed = random.Random(2).choice(mid)
    hr = Principal(1, "hr-test", Role.HR, frozenset({org.org_id}))
    chef = Principal(2, "chef-test", Role.MANAGER, frozenset({org.org_id}), frozenset({managed}))
    return [(hr, set(org.parent)), (chef, _below(org, managed))]


def test_unit_page_equals_overview_and_tree_levels(org: Org) -> None:
    hb = org.env.hb
    for principal, visible in _principals(org):
        units = random.Random(3).sample(sorted(visible), min(15, len(visible)))
        for unit in units:
            overview, levels = tree.unit_page(hb, principal, org.org_id, unit)
            assert _overview_values(overview) == _overview_values(
                tree.unit_overview(hb, principal, org.org_id, unit)
            )
            # Open: the top, then every visible unit from the top down to the unit
            # itself that has sub-units.
            chain: list[str] = []
            current: str | None = unit
            while current is not None and current in visible:
                chain.insert(0, current)
                current = org.parent[current]
            expected = [None, *(u for u in chain if u in org.has_children)]
            assert list(levels) == expected
            for parent in expected:
                assert levels[parent] == tree.tree_level(hb, principal, org.org_id, parent)


def test_top_of_scope_page_equals_overview(org: Org) -> None:
    hb = org.env.hb
    for principal, _ in _principals(org):
        overview, levels = tree.unit_page(hb, principal, org.org_id)
        top = tree.unit_overview(hb, principal, org.org_id)
        assert _overview_values(overview) == _overview_values(top)
        assert levels[None] == tree.tree_level(hb, principal, org.org_id)
