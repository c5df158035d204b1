"""Organisation tree and overview figures, checked against counts worked out by hand.

Test data: tests/web/orgdata.py. Ages on 2025-11-01 with birthdays on 15 June
are simply 2025 − birth year.
"""

from __future__ import annotations

from webtesting import WebEnv

from hallbar.core.access import Principal, Role
from hallbar.services import audit
from hallbar.services.org import tree
from hallbar.services.units import unit_index

HR = Principal(1, "hr-test", Role.HR, frozenset({"9999"}))
CHEF = Principal(2, "chef-test", Role.MANAGER, frozenset({"9999"}), frozenset({"A"}))


def test_subtree_statistics_match_hand_counts(shared_env: WebEnv) -> None:
    stats = {r["unit_id"]: r for r in unit_index(shared_env.hb.dataset("9999")).stats.to_dicts()}
    # A1: 8 women at 75 % + 4 men at 100 % -> 12 persons, 8*0.75 + 4 = 10.0 FTE
    assert (stats["A1"]["headcount"], stats["A1"]["fte"]) == (12, 10.0)
    # A1 women born 1990..1997 -> ages 35..28: two under 30 (1996, 1997), six 30–39
    assert (stats["A1"]["K_–29"], stats["A1"]["K_30–39"]) == (2, 6)
    # A1 men born 1960..1963 -> ages 65..62, all 60 or over
    assert stats["A1"]["M_60–"] == 4
    # A = 2 direct + 12 (A1) + 3 (A2) = 17; FTE 2 + 10 + (1 + 0.5 + 1) = 14.5
    assert (stats["A"]["headcount"], stats["A"]["fte"]) == (17, 14.5)
    # women in A: 1 direct + 8 + 2 = 11; men: 1 + 4 + 1 = 6
    assert (stats["A"]["women"], stats["A"]["men"]) == (11, 6)
    # TOP = 1 + 17 + 6 (B direct) + 8 (B1) = 32
    assert stats["TOP"]["headcount"] == 32


def test_tree_levels_follow_scope(shared_env: WebEnv) -> None:
    hb = shared_env.hb
    assert [n.unit_id for n in tree.tree_level(hb, HR, "9999").nodes] == ["TOP"]
    # children sorted by name: "Förvaltning A" < "Förvaltning B"
    assert [n.unit_id for n in tree.tree_level(hb, HR, "9999", "TOP").nodes] == ["A", "B"]
    # a manager's tree starts at its own unit
    assert [n.unit_id for n in tree.tree_level(hb, CHEF, "9999").nodes] == ["A"]
    level = tree.tree_level(hb, CHEF, "9999", "A")
    counts = {n.unit_id: n.headcount for n in level.nodes}
    assert counts["A2"] is None  # 3 persons: below the minimum group size of 5
    assert counts["A1"] in (12, None)  # shown as 12 unless hidden to protect A2


def test_overview_never_shows_small_or_wrong_values(shared_env: WebEnv) -> None:
    hb = shared_env.hb
    truth = {r["unit_id"]: r for r in unit_index(hb.dataset("9999")).stats.to_dicts()}
    for unit_id in ("TOP", "A", "A1", "A2", "B", "B1"):
        o = tree.unit_overview(hb, HR, "9999", unit_id)
        assert o.headcount in (truth[unit_id]["headcount"], None)
        if truth[unit_id]["headcount"] < 5:
            assert o.headcount is None and o.fte is None
        for row in o.sub_units.frame.to_dicts():
            t = truth[row["enhet_id"]]
            for col, key in (("antal", "headcount"), ("kvinnor", "women"), ("män", "men")):
                assert row[col] in (t[key], None)
                if 0 < t[key] < 5:
                    assert row[col] is None, (unit_id, row)
        for row in o.age_gender.frame.to_dicts():
            for col in ("kvinnor", "män", "totalt"):
                value = row[col]
                assert value is None or value == 0 or value >= 5, (unit_id, row)


def test_small_unit_hides_its_whole_age_table(shared_env: WebEnv) -> None:
    # A2: two women born 1985 and 1986 (30–49 in 2025), a man born 1999 (≤29). Every
    # cell holding someone is hidden; an empty cell is shown as 0, as the key figures
    # show it (the disclosure model releases zeros: they say nothing about anyone).
    o = tree.unit_overview(shared_env.hb, HR, "9999", "A2")
    assert o.headcount is None
    shown = {
        (r["åldersgrupp"], k): v
        for r in o.age_gender.frame.to_dicts()
        for k, v in r.items()
        if k != "åldersgrupp" and v is not None
    }
    assert set(shown.values()) <= {0}
    for cell in (("30–49", "kvinnor"), ("≤29", "män"), ("Totalt", "totalt")):
        assert cell not in shown


def test_page_and_api_show_the_same_suppressed_figures(shared_env: WebEnv) -> None:
    client = shared_env.client("hr")
    data = client.get("/api/org/9999/unit/A").json()
    rows = {r["values"]["enhet_id"]: r["values"] for r in data["sub_units"]["rows"]}
    assert rows["A2"]["antal"] is None
    page = client.get("/org/9999/unit/A").text
    assert "Hemtjänst Syd" in page
    assert data["headcount"] == 17
    assert "17" in page and "14,5" in page  # Swedish decimal comma on the page


def test_manager_breadcrumbs_stop_at_own_scope(shared_env: WebEnv) -> None:
    o = tree.unit_overview(shared_env.hb, CHEF, "9999", "A1")
    assert [c.unit_id for c in o.breadcrumbs] == ["A"]
    assert o.may_list_staff is False  # A1's staff belong to A1's own manager
    assert tree.unit_overview(shared_env.hb, CHEF, "9999").unit_id == "A"


def test_staff_list_is_own_staff_and_audited(env: WebEnv) -> None:
    client = env.client("chef")
    response = client.get("/api/org/9999/unit/A/staff")
    assert response.status_code == 200
    # Employments are numbered in orgdata's order: TOP has E001, A has E002 and E003.
    assert [r["employment_id"] for r in response.json()["rows"]] == ["E002", "E003"]
    from hallbar.core.access import SYSTEM

    logged = audit.entries(env.hb, SYSTEM, action=audit.Action.VIEW_INDIVIDUALS)
    assert [(e.username, e.org_id, e.target) for e in logged] == [("chef", "9999", "enhet A")]


def test_tree_and_key_figures_hide_the_same_answers(shared_env: WebEnv) -> None:
    # One disclosure model per snapshot: a unit's head count in the tree and on the
    # unit page is the key figures' head count for that unit, hidden in both or shown
    # in both with the same number (docs/privacy.md).
    from hallbar.services.figures import overview
    from hallbar.services.figures.request import FigureRequest

    hb = shared_env.hb
    shown = hidden = 0
    for unit_id in unit_index(hb.dataset("9999")).names:
        page = tree.unit_overview(hb, HR, "9999", unit_id)
        view = overview.overview(hb, HR, "9999", FigureRequest(unit_id=unit_id))
        card = next(c for a in view.areas for c in a.cards if c.id == "headcount")
        assert card.hidden == (page.headcount is None), unit_id
        if page.headcount is not None:
            assert card.headline == page.headcount, unit_id
            shown += 1
        else:
            hidden += 1
    assert shown and hidden  # both kinds occur (orgdata has units of 1–4 persons)
