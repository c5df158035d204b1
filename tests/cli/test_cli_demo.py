"""``hallbar demo`` and ``hallbar serve``: ``--port``, one user and password per line, and
after the demo every part has content (pay survey, projection scenarios, the plan, follow-up).

The demo runs once (300 employees) with the web server replaced by a recorder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner
from webtesting import WebEnv

from hallbar.cli import data
from hallbar.cli.app import build_app
from hallbar.services.admin.auth import DEMO_USERNAMES
from hallbar.services.context import Hallbar
from hallbar.services.projection.demo import SCENARIO_NAME
from hallbar.settings import Settings
from hallbar.web.app import create_app

runner = CliRunner()
USER_LINE = re.compile(r"^• Användare (\S+) \(([^)]+)\), lösenord: (\S+)$")


@dataclass
class Served:
    host: str
    port: int
    settings: Settings


def _record(calls: list[Served]) -> Any:
    def fake_serve(
        settings: Settings,
        host: str,
        port: int,
        console: object,
        hb: object = None,
        workers: int = 1,
    ) -> None:
        calls.append(Served(host, port, settings))

    return fake_serve


@dataclass
class DemoOutput:
    output: str
    served: Served


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoOutput]:
    data_dir = tmp_path_factory.mktemp("demo") / "data"
    calls: list[Served] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(data, "_serve", _record(calls))
        result = runner.invoke(
            build_app(),
            ["demo", "--storlek", "300", "--datakatalog", str(data_dir), "--port", "8123"],
            terminal_width=60,  # narrower than the longest note: nothing may wrap a user line
        )
    assert result.exit_code == 0, result.output
    [served] = calls
    yield DemoOutput(result.output, served)


def test_demo_serves_on_the_given_port(demo: DemoOutput) -> None:
    assert (demo.served.host, demo.served.port) == ("127.0.0.1", 8123)


def test_demo_prints_one_user_and_password_per_line(demo: DemoOutput) -> None:
    users = [m.groups() for line in demo.output.splitlines() if (m := USER_LINE.match(line))]
    assert sorted(name for name, _, _ in users) == sorted(DEMO_USERNAMES.values())
    assert len({pw for _, _, pw in users}) == len(users)  # every user has a password of its own
    assert sum("lösenord:" in line for line in demo.output.splitlines()) == len(users)


def _hr_client(demo: DemoOutput) -> tuple[Hallbar, WebEnv, Any]:
    password = next(
        m.group(3)
        for line in demo.output.splitlines()
        if (m := USER_LINE.match(line)) and m.group(1) == "hr"
    )
    settings = demo.served.settings
    hb = Hallbar(settings)
    env = WebEnv(settings, hb, create_app(settings, hb=hb))
    return hb, env, env.login("hr", password)


def test_every_part_has_content_after_the_demo(demo: DemoOutput) -> None:
    hb, _, client = _hr_client(demo)
    try:
        org = "9999"  # Exempelkommun
        # The pay survey is started: every job evaluated, three differences decided.
        overview = client.get(f"/api/paysurvey/{org}/2025")
        assert overview.status_code == 200, overview.text
        progress = overview.json()["progress"]
        assert progress["n_jobs"] > 0
        assert progress["n_scored"] == progress["n_jobs"]
        assert progress["n_decided"] == 3  # one adjustment and two explanations
        actions = client.get(f"/api/paysurvey/{org}/2025/actions").json()
        assert (actions["n_explained"], actions["n_adjusted"]) == (2, 1)
        page = client.get(f"/paysurvey/{org}/2025/actions")
        assert page.status_code == 200
        card = '<div class="card-label">{}</div><div class="card-value">{}</div>'
        assert card.format("Sakligt förklarade", 2) in page.text
        assert card.format("Justeras", 1) in page.text
        # A saved scenario and the plan's activities.
        listed = client.get(f"/projection/{org}/scenarios")
        assert SCENARIO_NAME in listed.text
        plan = client.get(f"/projection/{org}/plan")
        assert plan.status_code == 200
        assert "Heltid som norm" in plan.text
        # Pay transparency: criteria for two job families, one answered request.
        criteria = client.get(f"/transparency/{org}/criteria")
        assert criteria.status_code == 200
        assert "Vård och omsorg" in criteria.text and "Utbildning" in criteria.text
        requests = client.get(f"/api/transparency/{org}/requests")
        assert requests.status_code == 200, requests.text
        assert "besvarad" in requests.text
        # Follow-up plans (the follow-up demo step).
        followup = client.get(f"/followup/{org}")
        assert followup.status_code == 200
        assert "Tio strategier för kompetensförsörjning" in followup.text
    finally:
        hb.close()


def test_serve_takes_a_port(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Served] = []
    monkeypatch.setattr(data, "_serve", _record(calls))
    args = ["serve", "--port", "8765", "--datakatalog", str(tmp_path / "data")]
    result = runner.invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    assert [(c.host, c.port) for c in calls] == [("127.0.0.1", 8765)]
    assert calls[0].settings.data_dir == tmp_path / "data"


@pytest.mark.parametrize("command", ["serve", "demo"])
def test_a_port_that_is_no_number_is_a_usage_error(command: str) -> None:
    from hallbar.cli.app import main

    with pytest.raises(SystemExit) as exit_:
        main([command, "--port", "åtta"])
    assert exit_.value.code == 2
