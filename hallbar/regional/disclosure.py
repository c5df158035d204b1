"""Which members' cells may enter a network aggregate (disclosure control across members).

A *member cell* is one organisation's value of one figure for one group (the whole
organisation, a gender, an occupation …) with the number of persons behind it and,
for ratios, its numerator and denominator. The organisation's own disclosure model
(``hallbar.privacy``) decides whether the cell may leave the organisation: a cell
it hides is not *released*.

The network rule (docs/regional.md, "Why the rule holds"): a member enters the
aggregates of a table only when **every** cell it has in that table is released;
otherwise it is left out of all of them and the view says so. Every aggregate is
then a sum over released cells of one fixed member set, so any difference of
aggregates (a network with and without one member, two overlapping networks, a
total minus its parts) is a combination of released cells only: it reveals nothing
a member's own released tables do not already show.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from hallbar.privacy.suppression import SuppressionRule, is_small

Key = tuple[Hashable, ...]

REASON_NO_CONSENT = "Har inte samtyckt till att dela uppgiften med nätverket"
REASON_NO_DATA = "Saknar uppgifter för året"
REASON_SMALL = "Utelämnad: en grupp hos organisationen är för liten för att visas"


@dataclass(frozen=True)
class MemberCell:
    code: str  # organisation code
    key: Key  # the group within the table: () for the whole organisation
    value: float | None
    n: int | None  # persons behind the cell
    numerator: float | None = None
    denominator: float | None = None
    released: bool = True  # the organisation's own disclosure model lets it out


def released(cell: MemberCell, rule: SuppressionRule) -> bool:
    """Released by the member's model and not a small group under ``rule``.

    An empty group (no persons) reveals nothing about anyone and counts as released
    unless the rule hides empty cells too.
    """
    if cell.n == 0 and not rule.suppress_zero:
        return cell.released
    return cell.released and cell.value is not None and not is_small(cell.n, rule)


@dataclass(frozen=True)
class Admission:
    """Members admitted to a table's aggregates, and why the others are out."""

    admitted: frozenset[str]
    excluded: dict[str, str]  # code -> Swedish reason


def admit(
    cells: Iterable[MemberCell],
    *,
    members: Sequence[str],
    consenting: frozenset[str],
    rule: SuppressionRule,
) -> Admission:
    """Apply the network rule to one table's cells (all groups of all members)."""
    by_member: dict[str, list[MemberCell]] = {}
    for cell in cells:
        by_member.setdefault(cell.code, []).append(cell)
    admitted: set[str] = set()
    excluded: dict[str, str] = {}
    for code in members:
        if code not in consenting:
            excluded[code] = REASON_NO_CONSENT
        elif not by_member.get(code):
            excluded[code] = REASON_NO_DATA
        elif not all(released(c, rule) for c in by_member[code]):
            excluded[code] = REASON_SMALL
        else:
            admitted.add(code)
    return Admission(frozenset(admitted), excluded)
