"""Example plans for the demo and for newcomers: data files in ``examples/followup``.

Each ``*.json`` file is one plan; its rows either sit in the file (``rader``) or in
an activity-plan table beside it (``tabell``: the Excel/CSV import format, read
by the same importer a user would use). Indicators link Exempelkommun's key
figures or are manual; ``uppföljning`` holds the follow-ups of two periods. Units
are given by name and used when the organisation has them.

The demo calls ``demo_step`` (one ``DemoStep`` in ``hallbar.services.imports.demo``).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hallbar.core.access import Principal, Resource
from hallbar.followup.budget import parse_amount_kr
from hallbar.followup.indicators import MANUAL, Direction, IndicatorSpec
from hallbar.followup.model import Node, NodeKind, Plan, RollupRule, parse_status
from hallbar.followup.periods import default_periods
from hallbar.ingest.followup_plan import read_plan
from hallbar.services.audit import now
from hallbar.services.followup import indicators, periods, plans
from hallbar.store import followup

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar
    from hallbar.services.imports.demo import DemoRun

EXAMPLES_DIR = Path(__file__).resolve().parents[3] / "examples" / "followup"


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _rows(
    spec: dict[str, Any], folder: Path, units: dict[str, str]
) -> tuple[list[Node], dict[str, int], dict[int, int]]:
    """Nodes with provisional ids, ref -> provisional id, provisional id -> budget (kr)."""
    if "tabell" in spec:
        table = folder / spec["tabell"]
        parsed = read_plan(table.name, table.read_bytes(), units, strict_units=False)
        # rows of a table are referred to by title (see ``load_example``)
        return list(parsed.nodes), {}, dict(parsed.budgets_kr)
    by_name = {name.casefold(): uid for uid, name in units.items()}
    nodes: list[Node] = []
    refs: dict[str, int] = {}
    budgets: dict[int, int] = {}
    for i, row in enumerate(spec["rader"], start=1):
        refs[row["ref"]] = i
        parent = row.get("under")
        nodes.append(
            Node(
                i,
                refs[parent] if parent else None,
                NodeKind(row["typ"]),
                row["rubrik"],
                description=row.get("beskrivning", ""),
                owner_unit=by_name.get(str(row.get("enhet", "")).casefold()),
                owner_role=row.get("ägare", ""),
                responsible=row.get("ansvarig", ""),
                start=_date(row.get("start")),
                end=_date(row.get("slut")),
                rollup=RollupRule(row.get("regel", RollupRule.WORST.value)),
                weight=float(row.get("vikt", 1.0)),
                links=tuple(row.get("länkar", ())),
                position=i,
            )
        )
        if "budget_mnkr" in row:
            budgets[i] = parse_amount_kr(str(row["budget_mnkr"]), in_msek=True)
    return nodes, refs, budgets


def load_example(hb: Hallbar, principal: Principal, org_id: str, path: Path) -> Plan:
    """One example plan with its indicators and follow-ups (replaces one of the same name)."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    units = plans.open_org(hb, principal, org_id, Resource.FOLLOWUP_EDIT).index.names
    year = int(spec["år"])
    for old in followup.list_plans(hb.store, org_id):
        if old.name == spec["namn"]:
            plans.delete_plan(hb, principal, org_id, old.id)
    nodes, refs, budgets = _rows(spec, path.parent, units)
    plan = followup.save_tree(
        hb.store,
        Plan(
            0,
            org_id,
            spec["namn"],
            spec.get("nämnd", ""),
            year,
            spec.get("beskrivning", ""),
            principal.username,
        ),
        nodes,
        now(),
        allocations={k: (year, v) for k, v in budgets.items()},
        calendar=default_periods(year),
    )
    stored = followup.nodes(hb.store, plan.id)
    real = {n.position: n.id for n in stored}  # a file's provisional ids are its positions
    by_title = {n.title: n.id for n in stored}

    def node_id(ref: str) -> int:
        if ref in refs and refs[ref] in real:
            return real[refs[ref]]
        return by_title[ref]

    indicator_ids: dict[str, int] = {}
    for ind in spec.get("indikatorer", []):
        figure = ind.get("nyckeltal", MANUAL)
        unit = ind.get("enhet")
        by_name = {name.casefold(): uid for uid, name in units.items()}
        made = indicators.add_indicator(
            hb,
            principal,
            org_id,
            plan.id,
            IndicatorSpec(
                0,
                node_id(ind["rad"]),
                ind.get("namn", ""),
                figure,
                by_name.get(str(unit).casefold()) if unit else None,
                ind.get("urval", ""),
                ind.get("måttenhet", ""),
                Direction(ind["riktning"])
                if "riktning" in ind
                else indicators.default_direction(figure),
                ind.get("utgångsår"),
                ind.get("utgångsläge"),
                ind.get("mål"),
                ind.get("målår"),
                ind.get("kolada", ""),
            ),
        )
        indicator_ids[ind.get("ref", made.name)] = made.id
    period_ids = {p.name: p.id for p in followup.periods(hb.store, plan.id)}
    for f in spec.get("uppföljning", []):
        periods.follow_up(
            hb,
            principal,
            org_id,
            plan.id,
            node_id(f["rad"]),
            period_ids[f["period"]],
            parse_status(f["status"]),
            f.get("kommentar", ""),
            {indicator_ids[k]: float(v) for k, v in f.get("värden", {}).items()},
            parse_amount_kr(str(f["utfall_mnkr"]), in_msek=True) if "utfall_mnkr" in f else None,
        )
    return plan


def load_examples(
    hb: Hallbar, principal: Principal, org_id: str, folder: Path = EXAMPLES_DIR
) -> list[Plan]:
    """Every example plan in ``folder`` (sorted by file name)."""
    return [load_example(hb, principal, org_id, p) for p in sorted(folder.glob("*.json"))]


def demo_step(run: DemoRun) -> None:
    """The demo's step: the example plans for Exempelkommun, two periods followed up."""
    if not EXAMPLES_DIR.is_dir():
        run.notes.append("Exempelplanerna för uppföljning finns inte i den här installationen.")
        return
    loaded = load_examples(run.hb, run.principal, run.org_id)
    run.notes.append(
        "Exempelplaner för uppföljning: "
        + ", ".join(p.name for p in loaded)
        + ". Öppna Uppföljning i webben för att se rapporterna."
    )
