"""Checking the product's figures against independent DuckDB SQL: one rule for agreement."""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import pytest

TOLERANCE = 1e-9  # relative (and absolute near zero), as benchmarks/realpath_bench.py


def assert_groups_agree(
    ours: Mapping[Hashable, tuple[int | None, float | None]],
    reference: Mapping[Hashable, tuple[int | None, float | None]],
) -> None:
    """The same groups; in each, the same count and values within ``TOLERANCE``."""
    assert ours.keys() == reference.keys()
    for key, (n, value) in reference.items():
        assert ours[key][0] == n, key
        if value is None:
            assert ours[key][1] is None, key
        else:
            assert ours[key][1] == pytest.approx(value, rel=TOLERANCE, abs=TOLERANCE), key
