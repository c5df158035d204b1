"""``hallbar import`` and ``hallbar imports`` through Typer's test runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from hallbar.cli.app import build_app, main
from hallbar.store import Store

# A wide terminal so rich tables do not wrap cell text across lines.
runner = CliRunner(env={"COLUMNS": "200"})


def _import_args(folder: Path, data_dir: Path, database_url: str) -> list[str]:
    return [
        "import",
        str(folder),
        "--org",
        "1280",
        "--namn",
        "Malmö stad",
        "--datum",
        "2025-12-31",
        "--datakatalog",
        str(data_dir),
        "--databas",
        database_url,
    ]


@pytest.mark.parametrize(
    "database_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_good_import_prints_a_summary_and_is_listed(
    export_folder: Path, tmp_path: Path, database_url: str
) -> None:
    result = runner.invoke(
        build_app(), _import_args(export_folder, tmp_path / "data", database_url)
    )
    assert result.exit_code == 0, result.output
    assert "Anställningar" in result.output
    assert "Valideringsrapport" in result.output
    store = Store(database_url)
    [record] = store.list_imports()
    assert record.row_counts["employments"] == 4
    store.dispose()
    listed = runner.invoke(
        build_app(), ["imports", "--datakatalog", str(tmp_path / "data"), "--databas", database_url]
    )
    assert listed.exit_code == 0, listed.output
    assert "Malmö stad" in listed.output
    assert "2025-12-31" in listed.output


@pytest.mark.parametrize(
    "database_url", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_rejected_import_exits_1_with_one_line_and_stores_nothing(
    export_folder: Path, bad_export_folder: Path, tmp_path: Path, database_url: str
) -> None:
    data_dir = tmp_path / "data"
    ok = runner.invoke(build_app(), _import_args(export_folder, data_dir, database_url))
    assert ok.exit_code == 0, ok.output
    result = runner.invoke(build_app(), _import_args(bad_export_folder, data_dir, database_url))
    assert result.exit_code == 1
    assert "Importen avbröts och inget sparades" in result.output
    assert "anstallningar.csv" in result.output
    assert "Valideringsrapport:" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    store = Store(database_url)
    assert len(store.list_imports()) == 1  # only the good import from before
    store.dispose()


def test_main_returns_exit_code_1_for_a_rejected_import(
    bad_export_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    url = f"sqlite:///{data_dir / 'hallbar.db'}"
    with pytest.raises(SystemExit) as exited:
        main(_import_args(bad_export_folder, data_dir, url))
    assert exited.value.code == 1
    assert "Importen avbröts" in capsys.readouterr().err


def test_bad_date_is_a_clear_usage_error(export_folder: Path, tmp_path: Path) -> None:
    args = _import_args(export_folder, tmp_path / "data", f"sqlite:///{tmp_path / 'h.db'}")
    args[args.index("2025-12-31")] = "31/12/2025"
    result = runner.invoke(build_app(), args)
    assert result.exit_code == 2
    assert "ÅÅÅÅ-MM-DD" in result.output


def test_imports_on_an_empty_store_says_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(build_app(), ["imports", "--datakatalog", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    assert "Inga importer" in result.output


def test_demo_without_server_generates_and_imports(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = runner.invoke(
        build_app(),
        [
            "demo",
            "--storlek",
            "300",
            "--seed",
            "3",
            "--datakatalog",
            str(data_dir),
            "--ingen-server",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Skapar Exempelkommun" in result.output
    assert "Importerar filerna" in result.output
    store = Store(f"sqlite:///{data_dir / 'hallbar.db'}")
    # Exempelkommun and the four members of the regional demo network (Lomma, Ystad,
    # Landskrona, Lund: services.regional.demo.DEMO_MEMBERS).
    assert sorted(r.org_id for r in store.list_imports()) == [
        "1262",
        "1281",
        "1282",
        "1286",
        "9999",
    ]
    store.dispose()


def test_serve_runs_the_web_app_on_localhost_8000(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls: list[tuple[object, str, int]] = []
    monkeypatch.setattr(
        uvicorn, "run", lambda app, host, port, **kw: calls.append((app, host, port))
    )
    result = runner.invoke(build_app(), ["serve", "--datakatalog", str(tmp_path / "data")])
    assert result.exit_code == 0, result.output
    [(app, host, port)] = calls
    assert (host, port) == ("127.0.0.1", 8000)
    assert type(app).__name__ == "FastAPI"
    assert "http://127.0.0.1:8000/" in result.output


def test_demo_too_small_is_one_swedish_line_not_a_traceback(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        build_app(), ["demo", "--storlek", "10", "--ingen-server", "--datakatalog", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "minst 20 anställda" in result.output
    assert "Traceback" not in result.output
