"""The CLI imports only the command group a command line names (``_GROUPS``)."""

from __future__ import annotations

import importlib
import subprocess
import sys

import typer

from hallbar.cli import app


def _commands(application: typer.Typer) -> set[str]:
    return set(typer.main.get_command(application).commands)  # type: ignore[attr-defined]


def test_each_group_registers_exactly_the_commands_the_table_names() -> None:
    for module_name, names in app._GROUPS.items():
        alone = typer.Typer()
        importlib.import_module(f"hallbar.cli.{module_name}").register(alone)
        assert _commands(alone) == set(names), module_name


def test_a_command_line_builds_its_own_group_and_help_builds_all() -> None:
    everything = set().union(*app._GROUPS.values())
    assert _commands(app.build_app()) == everything
    assert _commands(app.build_app(["--help"])) == everything
    assert _commands(app.build_app(["okänt-kommando"])) == everything
    assert _commands(app.build_app(["figures", "pack", "--org", "1"])) == {"figures"}
    assert _commands(app.build_app(["restore", "x"])) == {"backup", "restore"}


def test_a_figure_command_does_not_import_the_pay_survey_statistics() -> None:
    # Checked in a new interpreter: this test process has imported everything already.
    code = (
        "import sys; from hallbar.cli.app import build_app; build_app(['figures', '--help']);"
        "print('statsmodels' in sys.modules, 'hallbar.paysurvey' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
