"""Small-group protection: primary and secondary suppression of table cells.

Per-table protection for tables outside the key-figure query space (pay
structure, projections, pay survey): each table is protected on its own. The
answers a user can ask for any unit and filter combination (the key-figure
pages, the JSON API and their exports) are decided once for all of them by
``hallbar.privacy.model.DisclosureModel``; tables that repeat those answers
must take its decision, not this one (docs/privacy.md). A cell (a row of a
polars frame) that covers fewer than ``rule.min_n`` persons is hidden
(*primary suppression*). When the table also shows totals, one hidden cell
could be recovered by subtraction, so further cells are hidden
(*secondary suppression*) until no primary-suppressed count can be computed
exactly from the visible cells by any linear combination of the table's
additive relations.

The table's additive structure is described by ``Dimension`` objects:

* a flat breakdown with a total value (``Dimension("kön", total="Totalt")``):
  the total cell equals the sum of the other cells along that dimension;
* a hierarchy (``Dimension("enhet", parent={"A1": "A", ...})``): every parent
  cell holds its whole subtree, so parent = sum of its children + its own
  staff. The own staff do not appear as a row but can be derived by
  subtraction, so they are protected as *implied cells*.

Several dimensions give a cross table with margins (unit × gender); the
relations along each dimension hold for every combination of the others.
Whatever a relation's parts do not add up to (own staff, an unshown gender
"unknown", persons counted in two units) is an implied cell too.

The check is exact linear algebra: a hidden count is recoverable iff its unit
vector lies in the row space of the relations restricted to the unknowns
(equivalently: every null-space vector has a zero in that position). See
docs/privacy.md for the algorithm and its limits.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import polars as pl

from hallbar.core.describe import FigureTable

SUPPRESSED_COL = "suppressed"
REASON_COL = "suppression_reason"

SECONDARY_REASON_SV = "Dold så att en mindre grupp inte kan räknas fram ur summorna"

Key = tuple[Hashable, ...]


@dataclass(frozen=True)
class SuppressionRule:
    """When a cell is too small to show.

    ``min_n``: a cell over fewer than ``min_n`` persons is hidden. The
    statutory sick-leave note does not show groups of ten or fewer:
    ``SuppressionRule(min_n=11)``. ``suppress_zero``: also hide cells with no
    persons at all (off by default: an empty cell says nothing about anyone).
    """

    min_n: int = 5
    suppress_zero: bool = False

    @property
    def reason_sv(self) -> str:
        return f"Färre än {self.min_n} personer i gruppen"


def is_small(n: int | float | None, rule: SuppressionRule) -> bool:
    """True if a group of ``n`` persons must not be shown under ``rule``.

    An unknown size (None) counts as small: what we cannot count we do not show.
    """
    if n is None:
        return True
    if n == 0:
        return rule.suppress_zero
    return abs(n) < rule.min_n


@dataclass(frozen=True)
class Dimension:
    """One additive dimension of a table (see the module docstring)."""

    column: str
    total: Hashable | None = None  # the value meaning "all", e.g. "Totalt"
    parent: Mapping[Hashable, Hashable] | None = None  # child value -> parent value


@dataclass(frozen=True)
class SuppressedFrame:
    """The frame with hidden cells nulled, and which rows were hidden and why.

    Row numbers refer to positions in the input frame (the order is kept).
    """

    frame: pl.DataFrame
    primary_rows: frozenset[int]
    secondary_rows: frozenset[int]
    rule: SuppressionRule
    unprotected_rows: frozenset[int] = field(default_factory=frozenset)

    @property
    def hidden_rows(self) -> frozenset[int]:
        return self.primary_rows | self.secondary_rows


# --------------------------------------------------------------------------
# The additive relations of a table
# --------------------------------------------------------------------------


@dataclass
class _System:
    """Cells 0..n_real-1 are frame rows; n_real.. are implied cells."""

    counts: list[float]
    n_real: int
    relations: list[list[tuple[int, int]]]  # (cell, coefficient); sum == 0
    is_total: list[bool]


def _relations(keys: list[Key], counts: list[float], dims: Sequence[Dimension]) -> _System:
    cells = {key: i for i, key in enumerate(keys)}
    if len(cells) != len(keys):
        raise ValueError("suppress: the dimension columns do not identify rows uniquely")
    system = _System(list(counts), len(keys), [], [False] * len(keys))
    for d, dim in enumerate(dims):
        lines: dict[Key, dict[Hashable, int]] = {}
        for key, i in cells.items():
            lines.setdefault(key[:d] + key[d + 1 :], {})[key[d]] = i
            if dim.total is not None and key[d] == dim.total:
                system.is_total[i] = True
        for line in lines.values():
            for whole, parts in _splits(line, dim):
                if whole in line and parts:
                    _add_relation(system, line[whole], [line[p] for p in parts])
    return system


def _splits(line: dict[Hashable, int], dim: Dimension) -> list[tuple[Hashable, list[Hashable]]]:
    """(whole, parts) pairs along one dimension for the values present in a line."""
    children: dict[Hashable, list[Hashable]] = {}
    parent = dim.parent or {}
    for value in line:
        if value == dim.total:
            continue
        up = parent.get(value)
        if up is not None and up in line and up != value:
            children.setdefault(up, []).append(value)
        elif dim.total is not None:
            children.setdefault(dim.total, []).append(value)
    return list(children.items())


def _add_relation(system: _System, whole: int, parts: list[int]) -> None:
    relation = [(whole, 1)] + [(p, -1) for p in parts]
    residual = system.counts[whole] - sum(system.counts[p] for p in parts)
    if residual != 0:
        # What the parts leave out (own staff, an unshown category) is itself a
        # count of persons that subtraction reveals: an implied, unshown cell.
        system.counts.append(residual)
        system.is_total.append(False)
        relation.append((len(system.counts) - 1, -1))
    system.relations.append(relation)


# --------------------------------------------------------------------------
# Which hidden cells can be recovered
# --------------------------------------------------------------------------


def _recoverable(system: _System, hidden: set[int]) -> set[int]:
    """Unknown cells whose value follows exactly from the visible cells."""
    unknown = hidden | set(range(system.n_real, len(system.counts)))
    relations = [[(c, k) for c, k in rel if c in unknown] for rel in system.relations]
    relations = [rel for rel in relations if rel]
    # Split into independent components so each SVD stays small.
    root = {c: c for c in unknown}

    def find(c: int) -> int:
        while root[c] != c:
            root[c] = root[root[c]]
            c = root[c]
        return c

    for rel in relations:
        first = find(rel[0][0])
        for c, _ in rel[1:]:
            root[find(c)] = first
    groups: dict[int, list[list[tuple[int, int]]]] = {}
    for rel in relations:
        groups.setdefault(find(rel[0][0]), []).append(rel)
    found: set[int] = set()
    for rels in groups.values():
        cols = sorted({c for rel in rels for c, _ in rel})
        index = {c: j for j, c in enumerate(cols)}
        matrix = np.zeros((len(rels), len(cols)))
        for r, rel in enumerate(rels):
            for c, k in rel:
                matrix[r, index[c]] += k
        found |= {cols[j] for j in _determined_columns(matrix)}
    return found


def _determined_columns(matrix: np.ndarray) -> list[int]:
    """Columns j whose unit vector e_j lies in the row space of ``matrix``.

    The first ``rank`` right singular vectors are an orthonormal basis of the
    row space, so e_j lies in it iff its projection keeps length 1. The thin
    SVD avoids building a basis of the (large) null space.
    """
    _, sing, vt = np.linalg.svd(matrix, full_matrices=False)
    rank = int((sing > 1e-9 * max(matrix.shape) * max(sing[0], 1.0)).sum()) if sing.size else 0
    length = (vt[:rank] ** 2).sum(axis=0)
    return [j for j in range(matrix.shape[1]) if length[j] > 1 - 1e-7]


# --------------------------------------------------------------------------
# Secondary suppression
# --------------------------------------------------------------------------


def _complement(system: _System, target: int, hidden: set[int]) -> int | None:
    """The visible cell to hide so ``target`` gets a partner in its relations.

    Among the relations that contain ``target``, those with the fewest unknowns
    first; within a relation, the smallest visible cell (non-zero first, parts
    before totals).
    """

    def unknowns(rel: list[tuple[int, int]]) -> int:
        return sum(1 for c, _ in rel if c in hidden or c >= system.n_real)

    def order(c: int) -> tuple[bool, float, bool, int]:
        return _order(system, c)

    mine = [rel for rel in system.relations if any(c == target for c, _ in rel)]
    for rel in sorted(mine, key=unknowns):
        visible = [c for c, _ in rel if c < system.n_real and c not in hidden]
        if visible:
            return min(visible, key=order)
    # Every relation of the target is already fully hidden: widen to any
    # relation that touches a hidden cell.
    touching = [
        c
        for rel in system.relations
        if any(c in hidden or c >= system.n_real for c, _ in rel)
        for c, _ in rel
        if c < system.n_real and c not in hidden
    ]
    return min(touching, key=order) if touching else None


def _protect(
    system: _System, primary: set[int], rule: SuppressionRule
) -> tuple[set[int], set[int]]:
    """Hide cells until no sensitive count is recoverable.

    Returns (secondary cells, sensitive cells that could not be protected).
    """
    sensitive = set(primary) | {
        c for c in range(system.n_real, len(system.counts)) if is_small(system.counts[c], rule)
    }
    hidden = set(primary)
    # Cheap pass first (the classic rule): a relation whose only unknown is a
    # hidden cell or a small implied cell gets its smallest visible cell hidden.
    changed = True
    while changed:
        changed = False
        for rel in system.relations:
            unknown = [c for c, _ in rel if c in hidden or c >= system.n_real]
            if len(unknown) == 1 and (unknown[0] in hidden or unknown[0] in sensitive):
                extra = _complement(system, unknown[0], hidden)
                if extra is not None:
                    hidden.add(extra)
                    changed = True
    # Exact pass: combinations of relations can still pin a cell down.
    while True:
        exposed = sorted(_recoverable(system, hidden) & sensitive)
        if not exposed:
            return hidden - primary, set()
        extra = _best_complement(system, exposed[0], hidden)
        if extra is None:
            return hidden - primary, set(exposed)
        hidden.add(extra)


def _best_complement(system: _System, target: int, hidden: set[int]) -> int | None:
    """The smallest candidate whose hiding makes ``target`` unrecoverable.

    Candidates are the visible cells of every relation in the target's
    connected part of the table, smallest first; when no single cell is
    enough, the smallest one is hidden and the caller tries again.
    """
    reach = {target}
    grew = True
    while grew:
        grew = False
        for rel in system.relations:
            cells = {c for c, _ in rel}
            if cells & reach and not cells <= reach:
                reach |= cells
                grew = True
    candidates = sorted(
        (c for c in reach if c < system.n_real and c not in hidden),
        key=lambda c: _order(system, c),
    )
    for c in candidates[:_MAX_TRIES]:
        if target not in _recoverable(system, hidden | {c}):
            return c
    return candidates[0] if candidates else None


_MAX_TRIES = 25


def _order(system: _System, c: int) -> tuple[bool, float, bool, int]:
    """Preference for complementary cells: non-zero, small, parts before totals."""
    return (system.counts[c] == 0, abs(system.counts[c]), system.is_total[c], c)


def hidden_cells(
    frame: pl.DataFrame,
    *,
    count_col: str,
    rule: SuppressionRule,
    dimensions: Sequence[Dimension] = (),
    by: Sequence[str] = (),
) -> tuple[set[int], set[int], set[int]]:
    """Row numbers to hide: (primary, secondary, left recoverable).

    ``by`` columns split the frame into independent tables (e.g. one per year).
    """
    if frame[count_col].null_count():
        raise ValueError(f"suppress: the count column {count_col!r} has nulls")
    counts = [float(v) for v in frame[count_col].to_list()]
    dim_cols = [d.column for d in dimensions]
    # The row index is taken first: selecting no columns would yield no rows at all.
    indexed = frame.with_row_index("_row").select(["_row", *by, *dim_cols])
    groups = indexed.partition_by(list(by), maintain_order=True) if by else [indexed]
    primary: set[int] = set()
    secondary: set[int] = set()
    unprotected: set[int] = set()
    for group in groups:
        if dim_cols:
            # Ties between equally good complementary cells are broken by position, so
            # the table is put in a canonical order first: the same table in another
            # row order (a group_by's order differs between processes) must hide the
            # same cells, or two answers would together reveal what each one hides.
            group = group.sort(dim_cols, nulls_last=True)
        rows = group["_row"].to_list()
        keys: list[Key] = list(group.select(dim_cols).iter_rows()) if dim_cols else []
        if not dim_cols:
            keys = [(r,) for r in rows]
        system = _relations(keys, [counts[r] for r in rows], dimensions)
        local = {i for i, r in enumerate(rows) if is_small(counts[r], rule)}
        extra, exposed = _protect(system, local, rule)
        primary |= {rows[i] for i in local}
        secondary |= {rows[i] for i in extra}
        unprotected |= {rows[i] for i in exposed if i < len(rows)}
    return primary, secondary, unprotected


def _null_rows(
    frame: pl.DataFrame, cols: Sequence[str], rows: set[int], reason: pl.Expr
) -> pl.DataFrame:
    mask = pl.int_range(pl.len()).is_in(sorted(rows))
    out = frame.with_columns([pl.when(mask).then(None).otherwise(pl.col(c)).alias(c) for c in cols])
    had = pl.col(SUPPRESSED_COL) if SUPPRESSED_COL in frame.columns else pl.lit(False)
    old_reason = pl.col(REASON_COL) if REASON_COL in frame.columns else pl.lit(None, pl.String)
    return out.with_columns(
        (had | mask).alias(SUPPRESSED_COL),
        pl.when(mask & old_reason.is_null()).then(reason).otherwise(old_reason).alias(REASON_COL),
    )


def suppress(
    frame: pl.DataFrame,
    *,
    count_col: str,
    value_cols: Sequence[str],
    rule: SuppressionRule,
    dimensions: Sequence[Dimension] = (),
    by: Sequence[str] = (),
    hide_count: bool = True,
) -> SuppressedFrame:
    """Hide small cells and the cells that would reveal them.

    ``count_col`` holds the number of persons behind each row; ``value_cols``
    (ratios, sums, means…) are nulled on every hidden row, so numerators,
    denominators and ratios share one pattern. The count is nulled too unless
    ``hide_count`` is False. Adds ``suppressed`` (bool) and
    ``suppression_reason`` (Swedish) columns.
    """
    primary, secondary, unprotected = hidden_cells(
        frame, count_col=count_col, rule=rule, dimensions=dimensions, by=by
    )
    cols = [*value_cols, *([count_col] if hide_count else [])]
    out = _null_rows(frame, cols, primary, pl.lit(rule.reason_sv))
    out = _null_rows(out, cols, secondary, pl.lit(SECONDARY_REASON_SV))
    return SuppressedFrame(
        out, frozenset(primary), frozenset(secondary), rule, frozenset(unprotected)
    )


def suppress_figure_table(
    table: FigureTable,
    *,
    count_col: str,
    dimensions: Sequence[Dimension] = (),
    by: Sequence[str] = (),
    value_cols: Sequence[str] | None = None,
    default_rule: SuppressionRule | None = None,
) -> FigureTable:
    """Suppress a FigureTable column by column with each figure's own rule.

    A column is governed by the Description whose ``id`` equals the column
    name (its ``min_group_size``); other columns and the count use
    ``default_rule``. ``value_cols`` defaults to every numeric column that is
    neither a dimension, a ``by`` column nor the count.
    """
    default = default_rule or SuppressionRule()
    frame = table.frame
    keys = {d.column for d in dimensions} | set(by) | {count_col}
    if value_cols is None:
        value_cols = [c for c, t in frame.schema.items() if c not in keys and t.is_numeric()]
    rules = {
        d.id: SuppressionRule(d.min_group_size, default.suppress_zero) for d in table.descriptions
    }
    by_rule: dict[SuppressionRule, list[str]] = {}
    for col in [*value_cols, count_col]:
        by_rule.setdefault(rules.get(col, default), []).append(col)
    out = frame
    notes = list(table.notes_sv)
    # Strictest rule first so a row's reason names the rule that hid it.
    for rule, cols in sorted(by_rule.items(), key=lambda item: -item[0].min_n):
        primary, secondary, _ = hidden_cells(
            frame, count_col=count_col, rule=rule, dimensions=dimensions, by=by
        )
        out = _null_rows(out, cols, primary, pl.lit(rule.reason_sv))
        out = _null_rows(out, cols, secondary, pl.lit(SECONDARY_REASON_SV))
        note = f"Uppgifter om grupper med färre än {rule.min_n} personer visas inte."
        if primary and note not in notes:
            notes.append(note)
    if SUPPRESSED_COL not in out.columns:
        out = out.with_columns(
            pl.lit(False).alias(SUPPRESSED_COL), pl.lit(None, pl.String).alias(REASON_COL)
        )
    return replace(table, frame=out, notes_sv=tuple(notes))
