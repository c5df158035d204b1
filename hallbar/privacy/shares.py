"""Shares, rates and sub-population figures: shown only when they add nothing.

A share (96,97 % permanent) together with a shown count (66 persons) gives the
numerator (64) and so the rest (2 temporary). A share is therefore released
only when its numerator group and its denominator-minus-numerator group are
both derivable from released counts of the model, that is when the share
tells nothing that the released counts do not already tell.

A group is a union of values of one dimension inside one answer (unit and
filters), e.g. the monthly-paid = permanent + fixed-term employment forms.
Its count is derivable from released cells when every included value's cell
is released, or when the "all" cell and every excluded value's cell are.
Released cells of zero persons count as released; a zero that the model hid
(as part of a protecting cycle) does not, since showing it would undo the
cycle.

A figure over a sub-population (sick leave of monthly-paid staff) follows
the same rule for its population group: ``group_released``.
"""

from __future__ import annotations

from collections.abc import Sequence

from hallbar.privacy.model import DisclosureModel, Filters


def group_released(
    model: DisclosureModel,
    unit_id: str | None,
    filters: Filters | None,
    dimension: str,
    values: Sequence[str],
) -> bool:
    """True when the count of ``values`` of ``dimension`` within the answer
    (``unit_id``, ``filters``) follows from released cells."""
    base = dict(filters or {})
    if base.get(dimension) is not None:
        raise ValueError(f"group_released: {dimension!r} is already filtered")
    offered = next(d.values for d in model.space.dimensions if d.column == dimension)
    unknown = set(values) - set(offered)
    if unknown:
        raise KeyError(f"{sorted(unknown)} are not values of {dimension!r}")

    def shown(value: str | None) -> bool:
        return model.released(unit_id, {**base, dimension: value})

    inside = all(shown(v) for v in values)
    if inside:
        return True
    return shown(None) and all(shown(v) for v in offered if v not in values)


def share_released(
    model: DisclosureModel,
    unit_id: str | None,
    filters: Filters | None,
    dimension: str,
    part: Sequence[str],
    whole: Sequence[str] | None = None,
) -> bool:
    """True when the share ``part / whole`` (groups of ``dimension``'s values;
    ``whole`` None: every value) may be shown for the answer (unit, filters).

    Both the numerator group and the denominator group must be derivable from
    released cells; then so is their difference, and the share adds nothing.
    """
    offered = next(d.values for d in model.space.dimensions if d.column == dimension)
    denominator = list(whole) if whole is not None else list(offered)
    if not set(part) <= set(denominator):
        raise ValueError("share_released: the part must lie inside the whole")
    return group_released(model, unit_id, filters, dimension, part) and group_released(
        model, unit_id, filters, dimension, denominator
    )
