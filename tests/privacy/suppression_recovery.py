"""An attacker's view of a suppressed table, written independently of the code under test.

A table is a list of additive equations ``whole - sum(parts) [- implied] = 0``
over named cells. Visible cells are known numbers; hidden cells and implied
cells (own staff and other remainders, never shown) are unknowns. Two checks:

* ``recoverable_by_rank``: cell j follows exactly from the equations iff adding
  the unit vector e_j to the equations' unknown part does not raise the rank;
* ``recoverable_by_subtraction``: brute force over every combination of the
  equations with coefficients -1, 0, +1 (adding and subtracting rows and
  columns, as a person with a calculator would), looking for a combination in
  which exactly one unknown is left.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable

import numpy as np

Equation = list[tuple[Hashable, int]]  # (cell, coefficient); the sum is zero


def _unknown_matrix(equations: list[Equation], unknown: list[Hashable]) -> np.ndarray:
    index = {c: j for j, c in enumerate(unknown)}
    matrix = np.zeros((len(equations), len(unknown)))
    for r, eq in enumerate(equations):
        for cell, coef in eq:
            if cell in index:
                matrix[r, index[cell]] += coef
    return matrix


def recoverable_by_rank(equations: list[Equation], unknown: list[Hashable]) -> set[Hashable]:
    matrix = _unknown_matrix(equations, unknown)
    base = np.linalg.matrix_rank(matrix) if matrix.size else 0
    found = set()
    for j, cell in enumerate(unknown):
        unit = np.zeros((1, len(unknown)))
        unit[0, j] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == base:
            found.add(cell)
    return found


def recoverable_by_subtraction(equations: list[Equation], unknown: list[Hashable]) -> set[Hashable]:
    matrix = _unknown_matrix(equations, unknown)
    found = set()
    for coefs in itertools.product((-1, 0, 1), repeat=len(equations)):
        combo = np.array(coefs) @ matrix
        nonzero = np.flatnonzero(np.abs(combo) > 1e-12)
        if len(nonzero) == 1:
            found.add(unknown[int(nonzero[0])])
    return found


def grid_equations(
    rows: list[Hashable], cols: list[Hashable], row_total: Hashable, col_total: Hashable
) -> list[Equation]:
    """Row and column equations of a 2-D table whose cells are (row, col) pairs."""
    eqs: list[Equation] = []
    for r in rows:
        eqs.append([((r, col_total), 1)] + [((r, c), -1) for c in cols if c != col_total])
    for c in cols:
        eqs.append([((row_total, c), 1)] + [((r, c), -1) for r in rows if r != row_total])
    return eqs
