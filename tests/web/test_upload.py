"""Upload through the real import pipeline: a good export is stored, a bad one is reported."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from webenv import make_env
from webtesting import WebEnv

from hallbar import exampleorg
from hallbar.core.access import SYSTEM
from hallbar.services import audit


@pytest.fixture
def env(tmp_path: Path) -> Iterator[WebEnv]:
    """Default settings: the shared fixture's 50 kB file limit is too small for an export."""
    e = make_env(tmp_path / "site")
    yield e
    e.hb.close()


def _export(tmp: Path) -> dict[str, Path]:
    export = exampleorg.generate(size=60, seed=3, as_of=date(2025, 11, 1), org_id="9999")
    return exampleorg.write_csv_folder(export, tmp / "export")


def _post(env: WebEnv, paths: list[Path], as_of: str = "2025-11-01"):  # type: ignore[no-untyped-def]
    client = env.client("hr")
    return client.post(
        "/org/9999/imports",
        data={"as_of": as_of, "csrf_token": env.csrf(client)},
        files=[("files", (p.name, p.read_bytes(), "text/csv")) for p in paths],
    )


def test_good_upload_is_imported_and_listed(env: WebEnv, tmp_path: Path) -> None:
    paths = _export(tmp_path)
    response = _post(env, list(paths.values()))
    # A generated organisation replaces every unit of the test organisation: the import
    # stops for confirmation (docs/data-format.md §8) and stores nothing until confirmed.
    assert response.status_code == 200, response.text[:1000]
    assert "Bekräfta importen" in response.text
    assert len(env.client("hr").get("/api/org/9999/imports").json()["data"]) == 1
    token = re.search(r'name="token" value="([0-9a-f]{32})"', response.text)
    assert token is not None
    client = env.client("hr")
    response = client.post(
        "/org/9999/imports/confirm",
        data={"token": token.group(1), "previous": "1", "csrf_token": env.csrf(client)},
    )
    assert response.status_code == 200, response.text[:1000]
    assert "Importen sparades som import" in response.text
    history = env.client("hr").get("/api/org/9999/imports").json()["data"]
    assert len(history) == 2 and history[0]["created_by"] == "hr"
    assert history[0]["as_of"] == "2025-11-01"
    # the tree now shows the uploaded organisation: 60 monthly-paid employees in all
    top = env.client("hr").get("/api/org/9999").json()
    assert top["headcount"] == 60
    logged = audit.entries(env.hb, SYSTEM, action=audit.Action.IMPORT)
    assert [e.username for e in logged] == ["hr"]


def test_bad_upload_shows_the_validation_report(env: WebEnv, tmp_path: Path) -> None:
    paths = _export(tmp_path)
    employments = paths["employments"]
    lines = employments.read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    col = header.index("startdatum")
    cells = lines[2].split(";")  # spreadsheet row 3 (the header is row 1)
    cells[col] = "31 februari"
    lines[2] = ";".join(cells)
    employments.write_text("\n".join(lines) + "\n", encoding="utf-8")
    response = _post(env, list(paths.values()))
    assert response.status_code == 422
    html = response.text
    assert "Valideringsrapport" in html and "anstallningar.csv" in html
    assert "startdatum" in html and "31 februari" in html
    assert '<td class="num">3</td>' in html
    assert len(env.hb.store.list_imports("9999")) == 1  # nothing stored
    assert [e.action for e in audit.entries(env.hb, SYSTEM, username="hr")].count(
        audit.Action.IMPORT_REJECTED
    ) == 1
