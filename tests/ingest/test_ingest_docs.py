"""docs/data-format.md stays honest: its column tables are generated from schema.py.

Regenerate the block after changing the schema with
``PYTHONPATH=. .venv/bin/python tests/ingest/test_ingest_docs.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

from hallbar.core import schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-format.md"
BEGIN = "<!-- BEGIN GENERATED: column tables (tests/ingest/test_ingest_docs.py) -->"
END = "<!-- END GENERATED: column tables -->"
TYPE_NAMES = {
    pl.String: "text (String)",
    pl.Float64: "tal (Float64)",
    pl.Int64: "heltal (Int64)",
    pl.Date: "datum (Date)",
    pl.Boolean: "ja/nej (Boolean)",
}


def column_tables_markdown() -> str:
    parts: list[str] = []
    for table in (*schema.IMPORT_TABLES, schema.PERSONS, schema.ORGANISATIONS):
        imported = table in schema.IMPORT_TABLES
        parts.append(f"### {table.sv} / {table.name}\n")
        parts.append(f"{table.sv_text}  \n*{table.en_text}*\n")
        if imported:
            parts.append(
                f"Fil: `{table.sv}.csv` eller `{table.sv}.xlsx`"
                + (" (krävs)." if table.name in ("units", "employments") else " (valfri).")
                + "\n"
            )
        else:
            parts.append("Importeras inte som fil: härleds vid importen.\n")
        parts.append(
            "| Rubrik (generisk fil) | Kanoniskt namn | Typ | Krävs | Beskrivning | Description |"
        )
        parts.append("|---|---|---|---|---|---|")
        for col in table.columns:
            dtype = table.polars_schema[col.name]
            header = f"`{col.sv}`"
            if col.name == "org_id":
                header += " (anges vid importen, inte i filen)"
            parts.append(
                f"| {header} | `{col.name}` | {TYPE_NAMES[type(dtype)]} | "
                f"{'ja' if col.required else 'nej'} | {col.sv_text} | {col.en_text} |"
            )
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def _current_block(text: str) -> str:
    start = text.index(BEGIN) + len(BEGIN)
    return text[start : text.index(END)].strip("\n") + "\n"


def test_generated_column_tables_match_schema() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert _current_block(text) == column_tables_markdown(), (
        "docs/data-format.md is out of date: run PYTHONPATH=. .venv/bin/python tests/ingest/test_ingest_docs.py"
    )


def test_every_import_column_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for table in schema.IMPORT_TABLES:
        assert f"`{table.sv}.csv`" in text
        for col in table.columns:
            assert f"`{col.sv}`" in text, (table.name, col.sv)
            assert f"`{col.name}`" in text, (table.name, col.name)


def test_every_builtin_profile_is_documented() -> None:
    from hallbar.ingest import builtin_profiles

    text = DOC.read_text(encoding="utf-8")
    for name in builtin_profiles():
        assert f"`{name}`" in text


if __name__ == "__main__":
    content = DOC.read_text(encoding="utf-8")
    head, rest = content.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    DOC.write_text(f"{head}{BEGIN}\n{column_tables_markdown()}{END}{tail}", encoding="utf-8")
    sys.stdout.write(f"updated {DOC}\n")
