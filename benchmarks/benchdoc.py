"""What every benchmark script shares: its section of docs/benchmarks.md and number format.

Each script owns one section between ``<!-- bench:NAME:start -->`` and
``<!-- bench:NAME:end -->`` and rewrites only that section, so scripts can run
in any order and a re-run replaces its old figures.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"


def markers(name: str) -> tuple[str, str]:
    return f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"


def update_section(name: str, body: str, doc: Path = DOC) -> None:
    """Replace (or append) the section ``name`` of the benchmarks document with ``body``."""
    start, end = markers(name)
    section = f"{start}\n{body.strip()}\n{end}"
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    doc.write_text(text, encoding="utf-8")


def sv(value: float, decimals: int = 0) -> str:
    """Swedish number format for the tables: 1 234,5."""
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")
