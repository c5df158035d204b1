"""The column-mapping pages: offered after an upload whose columns match no profile,
the page and its JSON twin, saving and importing, access and hostile input."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from webenv import make_env
from webtesting import WebEnv

from hallbar.core.access import SYSTEM
from hallbar.services import audit

UNITS_FILE = "Kostnadsstallen.csv"
EMPLOYMENTS_FILE = "Personalrapport_2025-12.csv"
FILES = {
    UNITS_FILE: "Kst;Över;Benämning\n1;;Kommunen\n10;1;Skola\n20;1;Omsorg\n",
    EMPLOYMENTS_FILE: (
        "Löpnr;Pers.nr;Kst;Form;Omfattning;Startdag;Ledare\n"
        "E1;19630820-8906;1;tillsvidare;100;2015-03-01;ja\n"
        "E2;19651122-3452;10;tillsvidare;100;2018-08-15;nej\n"
        "E3;19800101-0027;20;visstid;75;2024-06-01;nej\n"
    ),
}


@pytest.fixture
def env(tmp_path: Path) -> Iterator[WebEnv]:
    e = make_env(tmp_path / "site")
    yield e
    e.hb.close()


def _upload(env: WebEnv, user: str = "hr", profil: str = "generic"):  # type: ignore[no-untyped-def]
    client = env.client(user)
    return client.post(
        "/org/9999/imports",
        data={"as_of": "", "profil": profil, "csrf_token": env.csrf(client)},
        files=[("files", (n, t.encode("utf-8"), "text/csv")) for n, t in FILES.items()],
    )


def _mapping_url(env: WebEnv) -> str:
    response = _upload(env)
    assert response.status_code == 422
    match = re.search(r'href="(/org/9999/imports/mapping/[^"]+)">Koppla kolumner<', response.text)
    assert match, response.text[:2000]
    return match.group(1)


def _form(env: WebEnv, url: str, **extra: str) -> dict[str, str]:
    """The mapping as HR chooses it: units file 0, employments file 1 (sorted names)."""
    client = env.client("hr")
    data = {
        "csrf_token": env.csrf(client),
        "tabell-0": "units",
        "visad-0": "units",
        "kolumn-0-unit_id": "Kst",
        "kolumn-0-parent_id": "Över",
        "kolumn-0-name": "Benämning",
        "tabell-1": "employments",
        "visad-1": "employments",
        "kolumn-1-employment_id": "Löpnr",
        "kolumn-1-person_id": "Pers.nr",
        "kolumn-1-unit_id": "Kst",
        "kolumn-1-employment_form": "Form",
        "kolumn-1-rate": "Omfattning",
        "kolumn-1-start_date": "Startdag",
        "kolumn-1-is_manager": "Ledare",
        "profil": "rapportgenerator",
        "atgard": "spara",
    }
    data.update(extra)
    return data


def test_upload_with_unknown_columns_offers_mapping(env: WebEnv) -> None:
    url = _mapping_url(env)
    page = env.client("hr").get(url)
    assert page.status_code == 200
    html = page.text
    assert "Koppla kolumner för Testkommun" in html
    assert "19630820-****" in html and "19630820-8906" not in html  # personnummer masked
    twin = env.client("hr").get("/api" + url).json()
    assert twin["ok"] and twin["sida"] == "imports.mapping"
    files = {f["fil"]: f for f in twin["filer"]}
    assert files[EMPLOYMENTS_FILE]["tabell"] == "employments"
    assert files[EMPLOYMENTS_FILE]["forsta_rader"][0][:2] == ["E1", "19630820-****"]
    assert files[UNITS_FILE]["rubriker"] == ["Kst", "Över", "Benämning"]


def test_the_generic_export_is_not_offered_mapping(env: WebEnv) -> None:
    client = env.client("hr")
    units = "enhet_id;overordnad_enhet_id;enhetsnamn\n1;;Kommunen\n"
    # a real error (a broken date), but every column is known: mapping would not help
    employments = (
        "anstallnings_id;personnummer;enhet_id;anstallningsform;sysselsattningsgrad;"
        "startdatum;chefsansvar\nE1;19630820-8906;1;tillsvidare;100;2015-13-45;ja\n"
    )
    response = client.post(
        "/org/9999/imports",
        data={"csrf_token": env.csrf(client)},
        files=[
            ("files", ("enheter.csv", units.encode(), "text/csv")),
            ("files", ("anstallningar.csv", employments.encode(), "text/csv")),
        ],
    )
    assert response.status_code == 422
    assert 'id="mapping-offer"' not in response.text


def test_save_imports_and_the_profile_is_offered_next_time(env: WebEnv) -> None:
    url = _mapping_url(env)
    before = len(env.hb.store.list_imports("9999"))
    client = env.client("hr")
    # The mapped export replaces every unit of the test organisation: the profile is
    # saved and the files wait for the confirm step on the imports page (docs/data-format.md §8).
    posted = client.post(url, data=_form(env, url))
    assert posted.status_code == 303, posted.text[:3000]
    assert posted.headers["location"].startswith("/org/9999/imports?bekrafta=")
    done = client.get(posted.headers["location"])
    assert done.status_code == 200, done.text[:3000]
    assert "Bekräfta importen" in done.text
    assert len(env.hb.store.list_imports("9999")) == before
    token = re.search(r'name="token" value="([0-9a-f]{32})"', done.text)
    previous = re.search(r'name="previous" value="(\d+)"', done.text)
    assert token is not None and previous is not None
    confirmed = client.post(
        "/org/9999/imports/confirm",
        data={
            "token": token.group(1),
            "previous": previous.group(1),
            "csrf_token": env.csrf(client),
        },
    )
    assert "Importen sparades som import" in confirmed.text
    assert len(env.hb.store.list_imports("9999")) == before + 1
    assert env.hb.dataset("9999").employments.height == 3
    [entry] = audit.entries(env.hb, SYSTEM, action=audit.Action.PROFILE_SAVED)
    assert entry.username == "hr"
    # the staged files are gone, and the upload form lists the saved profile
    assert client.get(url).status_code == 404
    form = client.get("/org/9999/imports").text
    assert '<option value="rapportgenerator"' in form
    again = _upload(env, profil="rapportgenerator")
    assert again.status_code == 200, again.text[:3000]
    assert "Importen sparades som import" in again.text


def test_problems_are_shown_with_file_and_column(env: WebEnv) -> None:
    url = _mapping_url(env)
    client = env.client("hr")
    response = client.post(url, data=_form(env, url, **{"kolumn-0-name": "Kst"}))
    assert response.status_code == 422
    assert (
        "Kostnadsstallen.csv, kolumn 'Kst': Rubriken &#39;Kst&#39; är kopplad både" in response.text
    )
    # the user's choices are kept
    assert '<option value="Kst" selected>Kst</option>' in response.text
    assert not (env.settings.data_dir / "profiler" / "rapportgenerator.toml").exists()


@pytest.mark.parametrize("name", ["../../x", "a/b", "generic", "x" * 41, "<script>"])
def test_hostile_profile_names(env: WebEnv, name: str) -> None:
    url = _mapping_url(env)
    response = env.client("hr").post(url, data=_form(env, url, profil=name))
    assert response.status_code == 422
    assert "<script>" not in response.text.split("<main", 1)[1]
    assert "profilnamn" in response.text or "inbyggd" in response.text
    assert not any(env.settings.data_dir.rglob("*.toml"))


def test_a_changed_table_is_shown_before_saving(env: WebEnv) -> None:
    url = _mapping_url(env)
    response = env.client("hr").post(url, data=_form(env, url, **{"tabell-0": "agency_staff"}))
    assert response.status_code == 200
    assert "Du bytte tabell för Kostnadsstallen.csv" in response.text
    assert 'name="kolumn-0-occupation"' in response.text
    assert not any(env.settings.data_dir.rglob("*.toml"))


def test_other_users_and_roles_cannot_use_the_staged_files(env: WebEnv) -> None:
    url = _mapping_url(env)
    assert env.client("hr8888").get(url).status_code == 404
    assert env.client("analytiker").get(url).status_code == 403
    assert env.client("hr").get("/org/9999/imports/mapping/..%2F..%2Fetc").status_code == 404
    csrf_less = env.client("hr").post(url, data={**_form(env, url), "csrf_token": "x"})
    assert csrf_less.status_code == 403


def test_upload_refuses_a_profile_path(env: WebEnv) -> None:
    response = _upload(env, profil="../../etc/profil.toml")
    assert response.status_code == 400
    assert "Välj en profil i listan" in response.text


def test_json_twin_saves_and_imports(env: WebEnv) -> None:
    url = _mapping_url(env)
    client = env.client("hr")
    body = {
        "profil": "via-api",
        "filer": [
            {"tabell": "units", "kolumner": {"unit_id": "Kst", "name": "Benämning"}},
            {
                "tabell": "employments",
                "kolumner": {
                    "employment_id": "Löpnr",
                    "person_id": "Pers.nr",
                    "unit_id": "Kst",
                    "employment_form": "Form",
                    "rate": "Omfattning",
                    "start_date": "Startdag",
                    "is_manager": "Ledare",
                },
            },
        ],
    }
    headers = {"X-CSRF-Token": env.csrf(client)}
    bad = client.post("/api" + url, json={**body, "profil": "a/b"}, headers=headers)
    assert bad.status_code == 400 and bad.json()["ok"] is False
    done = client.post("/api" + url, json=body, headers=headers)
    # Every unit of the test organisation replaced: the import waits for confirmation.
    assert done.status_code == 409, done.text
    assert "/org/9999/imports?bekrafta=" in done.json()["detail"]


def test_json_twin_refuses_a_table_that_is_not_imported(env: WebEnv) -> None:
    url = _mapping_url(env)
    client = env.client("hr")
    body = {"profil": "x", "filer": [{"tabell": "persons"}, {"tabell": "organisations"}]}
    response = client.post("/api" + url, json=body, headers={"X-CSRF-Token": env.csrf(client)})
    assert response.status_code == 422
    problems = response.json()["problem"]
    assert [p["fil"] for p in problems] == ["koppling", "koppling"]  # no units, no employments
    assert not any(env.settings.data_dir.rglob("*.toml"))
