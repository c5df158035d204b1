"""The disclosure-control model: one decision for everything a user can ask.

Built once per snapshot (and minimum group size) for the whole organisation,
cached by the caller, and asked by every page, JSON answer and export:

    model = DisclosureModel.build(persons, unit_parent, dimensions, min_n=5)
    model.released("U12", {"gender": "K"})   # may this count be shown?
    model.count("U12", {"gender": "K"})      # the count, or None when hidden
    model.protect(frame, unit_col="unit_id", value_cols=[...])

A hidden cell is hidden in the page, the JSON and every export alike, because
they all ask the same model. Magnitudes (sick-leave hours, pay sums, rates) of
a cell are shown only where its person count is (``protect``). Shares follow
``hallbar.privacy.shares``. See docs/privacy.md for the threat model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import polars as pl

from hallbar.privacy.decision import Decision, decide
from hallbar.privacy.queryspace import FilterDimension, QuerySpace, build_query_space
from hallbar.privacy.suppression import (
    REASON_COL,
    SECONDARY_REASON_SV,
    SUPPRESSED_COL,
    SuppressionRule,
)

Filters = Mapping[str, str | None]


@dataclass(frozen=True)
class DisclosureModel:
    """Which answers of the query space may be shown (see the module docstring)."""

    space: QuerySpace
    decision: Decision

    @classmethod
    def build(
        cls,
        persons: pl.DataFrame,
        unit_parent: Mapping[str, str | None],
        dimensions: Sequence[FilterDimension],
        min_n: int,
        *,
        unit_col: str = "unit_id",
    ) -> DisclosureModel:
        """``persons``: one row per person with ``unit_col`` (own unit) and each
        dimension's column; ``unit_parent``: every unit's parent (None at the top)."""
        space = build_query_space(persons, unit_parent, dimensions, unit_col=unit_col)
        return cls(space, decide(space, min_n))

    @property
    def min_n(self) -> int:
        return self.decision.min_n

    def released(self, unit_id: str | None, filters: Filters | None = None) -> bool:
        """True when the answer for the unit (its subtree; None: the organisation)
        under ``filters`` (dimension column -> value, None or absent: all) may be shown."""
        return not bool(self.decision.hidden[self.space.coordinates(unit_id, filters or {})])

    def count(self, unit_id: str | None, filters: Filters | None = None) -> int | None:
        """The number of persons in the answer, or None when it is hidden."""
        cell = self.space.coordinates(unit_id, filters or {})
        return None if self.decision.hidden[cell] else int(self.space.cube[cell])

    def reason_sv(self, unit_id: str | None, filters: Filters | None = None) -> str | None:
        """Why an answer is hidden (Swedish), None when it is shown."""
        cell = self.space.coordinates(unit_id, filters or {})
        if not self.decision.hidden[cell]:
            return None
        if self.decision.primary[cell]:
            return SuppressionRule(self.min_n).reason_sv
        return SECONDARY_REASON_SV

    @property
    def hidden_share(self) -> float:
        """Share of all cells of the query space that are hidden (information loss)."""
        return float(self.decision.hidden.mean())

    def protect(
        self,
        frame: pl.DataFrame,
        *,
        value_cols: Sequence[str],
        unit_col: str | None = "unit_id",
        unit_id: str | None = None,
        filters: Filters | None = None,
        filter_cols: Mapping[str, str] | None = None,
        total: str | None = None,
    ) -> pl.DataFrame:
        """Null ``value_cols`` (counts, hours, sums, rates) on rows whose answer is hidden.

        Each row is one answer: its unit is ``unit_col`` (or the fixed ``unit_id``
        when ``unit_col`` is None); its filters are ``filters`` plus, for a
        breakdown, ``filter_cols`` (dimension column -> frame column), where the
        value ``total`` (or null) means all. Adds ``suppressed`` and
        ``suppression_reason`` as ``suppression.suppress`` does.
        """
        fixed = dict(filters or {})
        by = dict(filter_cols or {})
        units = frame[unit_col].to_list() if unit_col is not None else [unit_id] * frame.height
        columns = {dim: frame[col].to_list() for dim, col in by.items()}
        hidden: list[bool] = []
        reasons: list[str | None] = []
        for i, unit in enumerate(units):
            row = dict(fixed)
            for dim, values in columns.items():
                value = values[i]
                row[dim] = None if value is None or value == total else str(value)
            try:
                reasons.append(self.reason_sv(unit, row))
            except KeyError:
                # A row the model's population does not hold (a value or unit outside
                # its dimensions, e.g. an unknown gender among staff the model does not
                # count): the model cannot vouch for it, so it is hidden, not shown.
                reasons.append(SECONDARY_REASON_SV)
            hidden.append(reasons[-1] is not None)
        mask = pl.Series("_hidden", hidden, dtype=pl.Boolean)
        out = frame.with_columns(
            [pl.when(mask).then(None).otherwise(pl.col(c)).alias(c) for c in value_cols]
        )
        had = out[SUPPRESSED_COL] if SUPPRESSED_COL in out.columns else None
        old = out[REASON_COL] if REASON_COL in out.columns else None
        merged = [
            (old[i] if old is not None and old[i] is not None else reasons[i])
            for i in range(frame.height)
        ]
        flags = [bool(hidden[i] or (had is not None and had[i])) for i in range(frame.height)]
        return out.with_columns(
            pl.Series(SUPPRESSED_COL, flags, dtype=pl.Boolean),
            pl.Series(REASON_COL, merged, dtype=pl.String),
        )
