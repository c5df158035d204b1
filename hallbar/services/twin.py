"""The one JSON twin: the shape every page's ``/api/`` twin and the CLI's ``--json`` share.

Success::

    {"ok": true, "sida": "figures.overview",
     "populationer": [{"population": "monthly_paid", "population_sv": "månadsavlönade
                       anställda", "reference": "2025-11-01", "n": 5951, "omfattning": null,
                       "urval": null, "dolt": false}],
     ...the page's own fields...}

Error (``hallbar.web.app`` and ``hallbar.cli.app`` build it from the exception)::

    {"ok": false, "status": 400, "fel": "input_error", "detail": "En svensk mening."}

Not ready yet (a trend whose per-period disclosure models are still being built;
HTTP 202 with ``Retry-After``)::

    {"ok": false, "status": 202, "fel": "not_ready", "detail": "Tidsserien beräknas: …",
     "klara": 12, "totalt": 36}

``populationer`` names whom the page's counts count and when
(``hallbar.core.population``); ``omfattning`` is the unit whose subtree was
counted (null: everything the user may see); ``urval`` a population filter
that narrows it ("kon=K"; null: none); ``dolt`` true means small-group
protection hid the number (``n`` null). Numbers keep full precision;
rounding is for display only. Tables are ``hallbar.reports.json_export``'s shape.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import polars as pl

from hallbar.core.describe import FigureTable
from hallbar.core.population import PopulationCount
from hallbar.reports.json_export import table_to_json


@dataclasses.dataclass(frozen=True)
class ScopedCount:
    """A population count and the unit subtree it was counted in (None: the whole scope)."""

    count: PopulationCount
    unit_id: str | None = None
    hidden: bool = False  # small-group protection hides the number, not whom it counts
    filter: str = ""  # a population filter narrowing the scope ("kon=K"), "" for none

    def caption_sv(self, formatted_n: str | None = None) -> str:
        """'6 000 månadsavlönade anställda 2025-12-31', or whom a hidden number counts."""
        if self.hidden:
            c = self.count
            return f"{c.population.noun_sv} {c.reference_sv} (antalet visas inte)"
        return self.count.caption_sv(formatted_n)

    def as_json(self) -> dict[str, object]:
        out = {
            **self.count.as_json(),
            "omfattning": self.unit_id,
            "urval": self.filter or None,
            "dolt": self.hidden,
        }
        if self.hidden:
            out["n"] = None
        return out


def jsonable(value: Any) -> Any:
    """Dataclasses, tables, frames, dates and counts of the service layer as JSON values."""
    if isinstance(value, ScopedCount | PopulationCount):
        return value.as_json()
    if isinstance(value, FigureTable):
        return table_to_json(value)
    if isinstance(value, pl.DataFrame):
        return [jsonable(r) for r in value.to_dicts()]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def success(
    page: str, body: Any, counts: Iterable[ScopedCount | PopulationCount] = ()
) -> dict[str, Any]:
    """The success envelope around a page's own fields (a mapping, or anything under "data").

    A view object with a ``counts`` field declares its own populations: they go to
    ``populationer`` and not a second time into the page's fields.
    """
    declared = list(counts)
    data = jsonable(body)
    if dataclasses.is_dataclass(body) and isinstance(data, dict) and "counts" in data:
        declared += list(getattr(body, "counts", ()))
        del data["counts"]
    out: dict[str, Any] = {
        "ok": True,
        "sida": page,
        "populationer": [
            (c if isinstance(c, ScopedCount) else ScopedCount(c)).as_json() for c in declared
        ],
    }
    if isinstance(data, dict):
        reserved = set(out) & set(data)
        if reserved:
            raise ValueError(f"page fields collide with the envelope: {sorted(reserved)}")
        out.update(data)
    else:
        out["data"] = data
    return out


def failure(status: int, kind: str, message: str, **extra: Any) -> dict[str, Any]:
    """The error shape: ``detail`` is the Swedish sentence the page shows."""
    return {"ok": False, "status": status, "fel": kind, "detail": message, **extra}
