"""Kept page bodies (``hallbar.web.pagecache``): per user scope, per active import, per user.

The organisation (tests/web/orgdata.py) has two departments: A (A, A1, A2: 2 + 12 + 3 =
17 employees) and B (B, B1: 6 + 8 = 14), and one person at the top unit: 32 in all.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import orgdata
import pytest
import webtesting
from webtesting import WebEnv, csrf_from

from hallbar.core.access import SYSTEM, Role
from hallbar.services import audit
from hallbar.web.pagecache import CSRF_MARK, USER_MARK, Kept

USERS: webtesting.Users = {
    "hr": (Role.HR, ("9999",), ()),
    "hr2": (Role.HR, ("9999",), ()),
    "chefA": (Role.MANAGER, ("9999",), ("A",)),
    "chefB": (Role.MANAGER, ("9999",), ("B",)),
    "analytiker": (Role.ANALYST, ("9999",), ()),
}
# Unit names only the scope of A, or of B, contains (the organisation page lists the
# top unit of what the user sees and the units right below it).
ONLY_A = ("Förvaltning A", "Hemtjänst Norr", "Hemtjänst Syd")
ONLY_B = ("Förvaltning B", "Skola Väst")
# B's 14 is hidden: with A's 17 and the whole 32 it would give the top unit's one person.
HEADCOUNT = {"chefA": 17, "chefB": None, "hr": 32, "analytiker": 32}


@pytest.fixture
def env(tmp_path: Path) -> Iterator[WebEnv]:
    e = webtesting.make_env(tmp_path, {"9999": orgdata.build()}, users=USERS)
    yield e
    e.hb.close()


def test_each_scope_sees_only_its_own_units_whoever_asked_first(env: WebEnv) -> None:
    # Every page twice per user, managers of A and B in turn: a body kept for one scope
    # must never be served to another.
    pages: dict[tuple[str, str], str] = {}
    for _ in range(2):
        for user in HEADCOUNT:
            client = env.client(user)
            html = client.get("/org/9999").text
            if user == "chefA":
                assert all(n in html for n in ONLY_A) and not any(n in html for n in ONLY_B)
            elif user == "chefB":
                assert all(n in html for n in ONLY_B) and not any(n in html for n in ONLY_A)
            figures = client.get("/api/figures/9999").json()
            cards = {c["id"]: c["varde"] for c in figures["nyckeltal"]}
            assert cards["headcount"] == HEADCOUNT[user], user
            for path in ("/figures/9999", "/projection/9999/result"):
                html = client.get(path).text
                assert pages.setdefault((user, path), html) == html
    # The managers' computed pages differ from each other and from HR's.
    for path in ("/figures/9999", "/projection/9999/result"):
        assert pages[("chefA", path)] != pages[("chefB", path)]


def test_name_and_csrf_token_are_each_users_own(env: WebEnv) -> None:
    one, two = env.client("hr"), env.client("hr2")
    first = one.get("/figures/9999", headers={"Accept-Encoding": "gzip"})
    second = two.get("/figures/9999", headers={"Accept-Encoding": "gzip"})
    assert first.headers["content-encoding"] == second.headers["content-encoding"] == "gzip"
    for client, response, name in ((one, first, "hr"), (two, second, "hr2")):
        html = response.text
        assert f'<span class="who">{name} ' in html
        assert USER_MARK not in html and CSRF_MARK not in html
        # The page's token is the session's own: a form sent with it is accepted.
        assert csrf_from(html) == env.csrf(client)
    assert csrf_from(first.text) != csrf_from(second.text)
    # The same page, apart from the user's name and token.
    assert first.text.replace(csrf_from(first.text), "").replace(">hr ", ">x ") == (
        second.text.replace(csrf_from(second.text), "").replace(">hr2 ", ">x ")
    )


def test_a_new_import_or_activation_is_shown_at_once(env: WebEnv) -> None:
    client = env.client("hr")
    assert "Förvaltning A" in client.get("/org/9999").text
    renamed = orgdata.build(unit_names={"A": "Förvaltning Alfa"})
    second = env.hb.store.save_import(
        renamed, created_by="test", profile="generic", files={}, row_counts={}
    )
    html = client.get("/org/9999").text
    assert "Förvaltning Alfa" in html and "Förvaltning A<" not in html
    first = next(i.id for i in env.hb.store.list_imports("9999") if i.id != second)
    env.hb.store.activate("9999", first)
    assert "Förvaltning Alfa" not in client.get("/org/9999").text


def test_etag_answers_304_to_the_same_user_only(env: WebEnv) -> None:
    one, two = env.client("hr"), env.client("hr2")
    tag = one.get("/api/figures/9999").headers["etag"]
    assert one.get("/api/figures/9999", headers={"If-None-Match": tag}).status_code == 304
    # Another user's page differs in name and token, so never with the same tag.
    assert two.get("/figures/9999", headers={"If-None-Match": tag}).status_code == 200


def test_staff_lists_are_audited_on_every_view(env: WebEnv) -> None:
    client = env.client("chefA")
    for _ in range(2):
        assert client.get("/org/9999/unit/A/staff").status_code == 200
    logged = audit.entries(env.hb, SYSTEM, action=audit.Action.VIEW_INDIVIDUALS)
    assert [(e.username, e.target) for e in logged] == [("chefA", "enhet A")] * 2


def test_kept_gzip_body_is_one_valid_member() -> None:
    body = f"<p>{USER_MARK}</p>" + "x" * 5000 + f'<input value="{CSRF_MARK}">'
    kept = Kept.of(body.encode(), 200, "text/html")
    values = (b"Anna &amp; Bo", b"token-123")
    expected = "<p>Anna &amp; Bo</p>" + "x" * 5000 + '<input value="token-123">'
    assert gzip.decompress(kept.gzipped(values)).decode() == expected
    assert kept.plain(values).decode() == expected
