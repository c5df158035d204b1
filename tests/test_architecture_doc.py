"""docs/architecture.md stays true: every file or folder path it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
# A path in backticks that starts at a top-level folder of the repository.
PATH = re.compile(r"`((?:hallbar|tests|docs|benchmarks)/[\w./-]*)`")


def test_architecture_doc_names_only_existing_paths() -> None:
    paths = PATH.findall(DOC.read_text(encoding="utf-8"))
    assert len(paths) > 20  # the doc names its modules; an empty match would prove nothing
    missing = [p for p in paths if not (ROOT / p).exists()]
    assert missing == []


def test_readme_layout_names_only_existing_packages() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in re.findall(r"`hallbar\.(\w+)`", text):
        assert (ROOT / "hallbar" / name).exists() or (ROOT / "hallbar" / f"{name}.py").exists(), (
            name
        )
