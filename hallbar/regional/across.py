"""One figure across the members of a network: table, rank, means and trend.

Only admitted members (``disclosure.admit``) carry values. The unweighted mean is
the plain mean of the members' values, as Kolada's group values are ("ovägt
medel"); the weighted mean pools the members: sum of numerators over sum of
denominators for ratios, otherwise values weighted by the persons behind them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from hallbar.privacy.suppression import SuppressionRule
from hallbar.regional.disclosure import Admission, Key, MemberCell, admit


@dataclass(frozen=True)
class MemberRow:
    code: str
    name: str
    value: float | None
    n: int | None
    rank: int | None
    included: bool
    reason: str  # empty when included
    own: bool


@dataclass(frozen=True)
class Across:
    key: Key
    rows: tuple[MemberRow, ...]
    included: tuple[str, ...]  # codes in the means, in code order
    unweighted_mean: float | None
    weighted_mean: float | None
    rank_order_sv: str
    on: date | None = None

    @property
    def excluded(self) -> tuple[MemberRow, ...]:
        return tuple(r for r in self.rows if not r.included)


def competition_ranks(values: Mapping[str, float], *, descending: bool) -> dict[str, int]:
    """Rank 1 for the best; ties share a rank and the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(values.values(), reverse=descending)
    first: dict[float, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return {code: first[value] for code, value in values.items()}


def rank_order(higher_is_better: bool | None) -> tuple[bool, str]:
    if higher_is_better is False:
        return False, "Rang 1 har det lägsta värdet (lägre är bättre)."
    if higher_is_better:
        return True, "Rang 1 har det högsta värdet (högre är bättre)."
    return True, "Rang 1 har det högsta värdet (inget värde är bättre i sig)."


def unweighted_mean(cells: Sequence[MemberCell]) -> float | None:
    values = [c.value for c in cells if c.value is not None]
    return sum(values) / len(values) if values else None


def weighted_mean(cells: Sequence[MemberCell]) -> float | None:
    if not cells:
        return None
    if all(c.numerator is not None and c.denominator is not None for c in cells):
        den = sum(c.denominator or 0.0 for c in cells)
        num = sum(c.numerator or 0.0 for c in cells)
        return num / den if den else None
    weights = [(c.value, c.n) for c in cells if c.value is not None and c.n]
    total = sum(n for _, n in weights if n)
    return sum(v * n for v, n in weights if v is not None and n) / total if total else None


def across(
    cells: Sequence[MemberCell],
    *,
    key: Key = (),
    members: Sequence[tuple[str, str]],
    consenting: frozenset[str],
    rule: SuppressionRule,
    own_code: str | None = None,
    higher_is_better: bool | None = None,
    admission: Admission | None = None,
    on: date | None = None,
) -> Across:
    """The figure for group ``key`` across ``members`` ((code, name) in display order).

    ``cells`` are the whole table (every group of every member), so the network
    rule sees all of a member's cells; pass ``admission`` to reuse one decision for
    several groups of the same table.
    """
    codes = [code for code, _ in members]
    decided = admission or admit(cells, members=codes, consenting=consenting, rule=rule)
    chosen = {c.code: c for c in cells if c.key == key and c.code in decided.admitted}
    descending, order_sv = rank_order(higher_is_better)
    values = {code: c.value for code, c in chosen.items() if c.value is not None}
    ranks = competition_ranks(values, descending=descending)
    rows = []
    for code, name in members:
        cell = chosen.get(code)
        included = cell is not None and cell.value is not None
        reason = "" if included else decided.excluded.get(code, "Saknar uppgift för gruppen")
        rows.append(
            MemberRow(
                code,
                name,
                cell.value if included and cell else None,
                cell.n if included and cell else None,
                ranks.get(code),
                included,
                reason,
                code == own_code,
            )
        )
    pooled = [chosen[code] for code in sorted(values)]
    return Across(
        key,
        tuple(rows),
        tuple(sorted(values)),
        unweighted_mean(pooled),
        weighted_mean(pooled),
        order_sv,
        on,
    )


@dataclass(frozen=True)
class TrendPoint:
    year: int
    unweighted_mean: float | None
    weighted_mean: float | None
    own_value: float | None
    member_count: int


def trend(
    cells_by_year: Mapping[int, Sequence[MemberCell]],
    *,
    key: Key = (),
    members: Sequence[tuple[str, str]],
    consenting: frozenset[str],
    rule: SuppressionRule,
    own_code: str | None = None,
) -> tuple[TrendPoint, ...]:
    """Means per year; each year is its own table with its own admission."""
    out = []
    for year in sorted(cells_by_year):
        view = across(
            cells_by_year[year],
            key=key,
            members=members,
            consenting=consenting,
            rule=rule,
            own_code=own_code,
        )
        own = next((r.value for r in view.rows if r.own), None)
        out.append(
            TrendPoint(year, view.unweighted_mean, view.weighted_mean, own, len(view.included))
        )
    return tuple(out)
