"""``services.scope.open_scope``: the one way into an organisation's data.

figdata's Testkommun 9999 (tests/support/figdata.py): TOP with A (A1: 11 women),
B (10 men) and C (no staff), 21 persons in all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import figdata
import pytest

from hallbar.core.access import Principal, Resource, Role
from hallbar.core.errors import AccessDenied, NotFound
from hallbar.services.access import ORG_NOT_FOUND, UNIT_NOT_FOUND
from hallbar.services.context import Hallbar
from hallbar.services.scope import WHOLE_ORGANISATION_SV, load, open_scope
from hallbar.settings import Settings

HR = Principal(1, "hr", Role.HR, frozenset({"9999"}))
MANAGER_A = Principal(2, "chef", Role.MANAGER, frozenset({"9999"}), frozenset({"A"}))
ADMIN = Principal(3, "admin", Role.ADMIN)


@pytest.fixture(scope="module")
def hb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hallbar]:
    root = Hallbar(Settings(data_dir=Path(tmp_path_factory.mktemp("scope"))))
    root.store.save_import(
        figdata.build(), created_by="test", profile="generic", files={}, row_counts={}
    )
    yield root
    root.close()


def test_hr_sees_the_whole_organisation(hb: Hallbar) -> None:
    scope = open_scope(hb, HR, "9999", Resource.FIG_FIGURES)
    assert scope.whole and scope.unit_id is None
    assert scope.label == WHOLE_ORGANISATION_SV
    assert scope.units == frozenset({"TOP", "A", "A1", "B", "C"})
    assert scope.data is scope.full
    # 11 women in A1 + 10 men in B
    assert scope.data.persons.height == 21


def test_a_chosen_unit_cuts_the_data_to_its_subtree(hb: Hallbar) -> None:
    scope = open_scope(hb, HR, "9999", Resource.FIG_FIGURES, "A")
    assert scope.units == frozenset({"A", "A1"})
    assert scope.label == "Omsorg"
    assert scope.data.persons.height == 11  # A1's women only


def test_a_manager_gets_the_own_subtree(hb: Hallbar) -> None:
    scope = open_scope(hb, MANAGER_A, "9999", Resource.FIG_FIGURES)
    assert scope.unit_id == "A" and scope.visible == frozenset({"A", "A1"})
    assert [u for u, _ in scope.unit_choices] == ["A", "A1"]
    everything = open_scope(hb, MANAGER_A, "9999", Resource.FIG_FIGURES, one_subtree=False)
    assert everything.unit_id is None and everything.units == frozenset({"A", "A1"})


def test_a_unit_outside_the_scope_answers_as_if_it_did_not_exist(hb: Hallbar) -> None:
    with pytest.raises(NotFound, match=UNIT_NOT_FOUND):
        open_scope(hb, MANAGER_A, "9999", Resource.FIG_FIGURES, "B")
    with pytest.raises(NotFound, match=UNIT_NOT_FOUND):
        open_scope(hb, HR, "9999", Resource.FIG_FIGURES, "NOPE")


def test_role_and_organisation_are_checked_first(hb: Hallbar) -> None:
    with pytest.raises(AccessDenied):
        open_scope(hb, ADMIN, "9999", Resource.FIG_FIGURES)
    with pytest.raises(NotFound, match=ORG_NOT_FOUND):
        open_scope(hb, HR, "8888", Resource.FIG_FIGURES)
    with pytest.raises(NotFound, match=ORG_NOT_FOUND):
        load(hb, Principal(4, "hr2", Role.HR, frozenset({"7777"})), "7777", Resource.FIG_FIGURES)
