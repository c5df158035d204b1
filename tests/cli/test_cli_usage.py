"""Usage errors of every command: the usage and one Swedish line naming the option, exit 2.

Run through ``main`` (the installed ``hallbar`` entry point), which is where a
traceback used to appear (issue 11 item 19).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hallbar.cli.app import main

ENGLISH = ("Traceback", "Usage:", "Error:", "Missing", "No such option", "Try '")

# (arguments, the usage line's command, the option the error line must name)
MISSING = [
    (["import", "MAPP"], "hallbar import", "--org"),
    (["import", "MAPP", "--org", "1280"], "hallbar import", "--namn"),
    (["import", "--org", "1280", "--namn", "X"], "hallbar import", "MAPP"),
    (["figures", "sjukfranvaro"], "hallbar figures sjukfranvaro", "--org"),
    (["figures", "pack", "--org", "9999"], "hallbar figures pack", "--utdata"),
    (["paysurvey", "oaxaca", "fil.csv", "--grupp", "kon"], "hallbar paysurvey oaxaca", "--utfall"),
    # Commands without a required option: an option given without its value.
    (["imports", "--org"], "hallbar imports", "--org"),
    (["demo", "--port"], "hallbar demo", "--port"),
    (["serve", "--port"], "hallbar serve", "--port"),
    (["projection", "run", "--datakatalog"], "hallbar projection run", "--datakatalog"),
]
UNKNOWN = [
    (["import", "MAPP", "--org", "1280", "--namn", "X", "--bogus"], "hallbar import"),
    (["imports", "--bogus"], "hallbar imports"),
    (["demo", "--bogus"], "hallbar demo"),
    (["serve", "--bogus"], "hallbar serve"),
    (["projection", "run", "--bogus"], "hallbar projection run"),
    (["figures", "sjukfranvaro", "--org", "9999", "--bogus"], "hallbar figures sjukfranvaro"),
    (["figures", "pack", "--bogus"], "hallbar figures pack"),
    (["paysurvey", "oaxaca", "--bogus"], "hallbar paysurvey oaxaca"),
]


def _usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    out = capsys.readouterr()
    for word in ENGLISH:
        assert word not in out.err
    assert out.out == ""
    return out.err.strip().splitlines()


@pytest.mark.parametrize(("argv", "command", "option"), MISSING)
def test_a_missing_option_names_it_in_swedish(
    argv: list[str], command: str, option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    usage, error = _usage_error(argv, capsys)
    assert usage.startswith(f"Användning: {command} ")
    assert error.startswith("Fel: ")
    assert option in error
    assert "saknas" in error or "behöver ett värde" in error
    assert f"Skriv '{command} --help' för hjälp." in error


@pytest.mark.parametrize(("argv", "command"), UNKNOWN)
def test_an_unknown_option_names_it_in_swedish(
    argv: list[str], command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    usage, error = _usage_error(argv, capsys)
    assert usage.startswith(f"Användning: {command} ")
    assert error.startswith("Fel: Alternativet --bogus finns inte för det här kommandot.")
    assert f"Skriv '{command} --help' för hjälp." in error


def test_a_value_of_the_wrong_type_says_what_is_wanted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    usage, error = _usage_error(["figures", "sjukfranvaro", "--org", "9999", "--ar", "x"], capsys)
    assert usage.startswith("Användning: hallbar figures sjukfranvaro ")
    assert error.startswith("Fel: Värdet för --ar går inte att använda. Ange ett heltal")


def test_projection_run_takes_the_data_folder_like_the_other_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # An empty data folder has no import of 9999: the command reads that folder's
    # database and answers with one Swedish line (exit 1), not a usage error.
    data_dir = tmp_path / "data"
    with pytest.raises(SystemExit) as exited:
        main(["projection", "run", "--org", "9999", "--datakatalog", str(data_dir)])
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("Fel: ")
    assert len(err.strip().splitlines()) == 1
    assert (data_dir / "hallbar.db").is_file()
