"""Budget per node and year: allocation, outcome per period, deviation, forecast and sums.

Amounts are whole kronor (int) so sums are exact: seed 003's sub-goals, 40,6 +
3,2 + 168 + 5,4 MSEK, must add up to 217,2 MSEK to the krona. A parent's own
allocation is compared with the sum of its children's; when both exist and
differ, the parent is flagged (``BudgetLine.mismatch_kr``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from hallbar.followup.model import Node
from hallbar.followup.tree import children_of, ordered

MSEK = 1_000_000


_AMOUNT = re.compile(r"[+-]?\d+(\.\d+)?")


def parse_amount_kr(text: str, *, in_msek: bool = False) -> int:
    """Kronor from "217,2" (MSEK when ``in_msek``) or "1 250 000" (kr). ``ValueError`` otherwise."""
    # Amounts pasted from our own pages carry the typographic minus (U+2212) and
    # non-breaking or narrow spaces between thousands.
    cleaned = (
        text.replace("\u2212", "-")
        .replace("\u00a0", "")
        .replace("\u202f", "")
        .replace(" ", "")
        .replace(",", ".")
        .strip()
    )
    # Plain decimal notation only: float() would also take "inf", "nan", "1e999" and
    # "1_000", which are no amounts (and round(inf) raises OverflowError, not ValueError).
    if not _AMOUNT.fullmatch(cleaned):
        raise ValueError(text)
    value = float(cleaned)
    return round(value * MSEK) if in_msek else round(value)


@dataclass(frozen=True)
class BudgetLine:
    """One node's budget for one year after roll-up."""

    node_id: int
    year: int
    own_kr: int | None  # the node's own allocation, if one is entered
    children_kr: int | None  # sum of the children's totals (None: no child has a budget)
    total_kr: int | None  # own allocation if entered, else the children's sum
    outcome_kr: int | None  # outcome to date (own, or the children's sum)
    forecast_kr: int | None  # the year's forecast outcome
    mismatch_kr: int | None  # own − children when both exist and differ (the flag)

    @property
    def deviation_kr(self) -> int | None:
        """Allocation − forecast: positive is a surplus, negative an overspend."""
        if self.total_kr is None or self.forecast_kr is None:
            return None
        return self.total_kr - self.forecast_kr


def forecast(outcome_kr: int | None, year: int, to_date: date) -> int | None:
    """A straight-line year forecast: outcome so far ÷ share of the year passed.

    E.g. 4 000 000 kr by 30 April 2025 (120 of 365 days) gives
    4 000 000 × 365 / 120 = 12 166 667 kr. At or after year-end the outcome is the forecast.
    """
    if outcome_kr is None:
        return None
    start, end = date(year, 1, 1), date(year, 12, 31)
    if to_date >= end:
        return outcome_kr
    days = (to_date - start).days + 1
    if days <= 0:
        return None
    total = (end - start).days + 1
    return round(outcome_kr * total / days)


def _add(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    return a if b is None else a + b


def roll_up_budget(
    nodes: Sequence[Node],
    year: int,
    allocations: Mapping[int, int],
    outcomes: Mapping[int, int] | None = None,
    forecasts: Mapping[int, int] | None = None,
    to_date: date | None = None,
) -> dict[int, BudgetLine]:
    """Every node's budget line for ``year``.

    ``allocations`` and ``outcomes`` are the entered amounts per node (kronor);
    ``forecasts`` are entered forecasts that replace the straight-line one. A
    parent's outcome and forecast are its children's sums plus its own.
    """
    outcomes = outcomes or {}
    forecasts = forecasts or {}
    when = to_date or date(year, 12, 31)
    kids = children_of(nodes)
    out: dict[int, BudgetLine] = {}
    for node, _ in reversed(ordered(nodes)):
        children = [out[c.id] for c in kids.get(node.id, [])]
        child_sum: int | None = None
        child_outcome: int | None = None
        child_forecast: int | None = None
        for c in children:
            child_sum = _add(child_sum, c.total_kr)
            child_outcome = _add(child_outcome, c.outcome_kr)
            child_forecast = _add(child_forecast, c.forecast_kr)
        own = allocations.get(node.id)
        own_outcome = outcomes.get(node.id)
        own_forecast = forecasts.get(node.id, forecast(own_outcome, year, when))
        mismatch = None
        if own is not None and child_sum is not None and own != child_sum:
            mismatch = own - child_sum
        out[node.id] = BudgetLine(
            node.id,
            year,
            own,
            child_sum,
            own if own is not None else child_sum,
            _add(own_outcome, child_outcome),
            _add(own_forecast, child_forecast),
            mismatch,
        )
    return out


def plan_total(lines: Mapping[int, BudgetLine], nodes: Sequence[Node]) -> int | None:
    """The plan's total: the sum over the roots."""
    total: int | None = None
    for n in nodes:
        if n.parent_id is None and n.id in lines:
            total = _add(total, lines[n.id].total_kr)
    return total
