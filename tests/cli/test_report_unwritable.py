"""A validation report that cannot be written: one Swedish line, exit 1, nothing imported
and no half-written report (issue 10: a full disk ended in a traceback)."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from hallbar.cli.app import main
from hallbar.store import Store


@pytest.mark.parametrize(
    "code", [errno.EACCES, errno.EROFS, errno.ENOSPC], ids=["skrivskyddad", "ro-fs", "full-disk"]
)
def test_an_unwritable_report_is_one_swedish_line_and_exit_1(
    export_folder: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    code: int,
) -> None:
    data_dir = tmp_path / "data"
    reports = data_dir / "rapporter"
    reports.mkdir(parents=True)
    # A read-only folder. The tests run as root, for whom the mode bits do not bind, so
    # the refusal the kernel gives everyone else (and a read-only or full file system)
    # is raised where the report is written, after part of it was written.
    os.chmod(reports, 0o555)
    real_write = Path.write_text

    def refuse(self: Path, text: str, *args: Any, **kwargs: Any) -> int:
        if self.parent == reports:
            real_write(self, text[:100], *args, **kwargs)
            raise OSError(code, os.strerror(code), str(self))
        return real_write(self, text, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", refuse)
    with pytest.raises(SystemExit) as exited:
        main(["import", str(export_folder), "--org", "1280", "--namn", "Malmö stad",
              "--datakatalog", str(data_dir)])  # fmt: skip
    assert exited.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"Fel: Valideringsrapporten kunde inte skrivas till {reports}")
    assert err[0].endswith("Inget importerades.")
    assert list(reports.iterdir()) == []  # no half report
    store = Store(f"sqlite:///{data_dir / 'hallbar.db'}")
    store.migrate()
    assert store.list_imports() == []
    store.dispose()


@pytest.mark.parametrize(
    "command",
    [
        ["import", "{export}", "--org", "../../x", "--namn", "X"],
        ["figures", "sjukfranvaro", "--org", "../../x", "--excel", "{out}/n.xlsx"],
        ["figures", "pack", "--org", "../../x", "--utdata", "{out}"],
        ["projection", "run", "--org", "../../x"],
    ],
    ids=lambda c: " ".join(c[:2]),
)
def test_every_command_taking_an_org_code_refuses_a_path(
    export_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    # The attack of issue 10: `--org ../../x` wrote the report outside the data folder.
    # (`hallbar imports --org` only filters a listing and builds no path.)
    root = tmp_path / "a" / "b"
    data_dir = root / "data"
    data_dir.mkdir(parents=True)
    args = [
        a.replace("{export}", str(export_folder)).replace("{out}", str(root / "ut"))
        for a in command
    ]
    before = set(tmp_path.rglob("*"))
    with pytest.raises(SystemExit) as exited:
        main([*args, "--datakatalog", str(data_dir)])
    assert exited.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Fel: "), err
    # Nothing new outside the data folder (an empty output folder at most).
    new = {p for p in set(tmp_path.rglob("*")) - before if data_dir not in p.parents}
    assert new <= {root / "ut"}
