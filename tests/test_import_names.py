"""Imports keep their own names (the developers' guide: "no import aliases").

An alias hides what a name is: ``repo.add(...)`` says less than
``paytransparency.add(...)``. The only aliases allowed are the conventions every
reader of data code knows.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONVENTIONS = {
    ("polars", "pl"),
    ("numpy", "np"),
    ("pandas", "pd"),
    ("sqlalchemy", "sa"),
    ("statsmodels.api", "sm"),
    ("statsmodels.formula.api", "smf"),
}
# Hypothesis's documented way of naming its strategies module.
CONVENTIONAL_FROM = {("hypothesis", "strategies", "st")}


def aliases(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [
                f"import {a.name} as {a.asname}"
                for a in node.names
                if a.asname and (a.name, a.asname) not in CONVENTIONS
            ]
        elif isinstance(node, ast.ImportFrom):
            found += [
                f"from {node.module} import {a.name} as {a.asname}"
                for a in node.names
                if a.asname
                and a.asname != a.name
                and (node.module, a.name, a.asname) not in CONVENTIONAL_FROM
            ]
    return [f"{path.relative_to(ROOT)}:{line}" for line in found]


def test_no_import_aliases():
    files = sorted(p for d in ("hallbar", "tests", "benchmarks") for p in (ROOT / d).rglob("*.py"))
    assert [a for f in files for a in aliases(f)] == []
