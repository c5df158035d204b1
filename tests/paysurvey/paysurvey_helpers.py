from __future__ import annotations

import polars as pl


def pay_frame(
    rows: list[tuple[str, str, str, float, float]], **extra: list[object]
) -> pl.DataFrame:
    """rows: (person_id, gender, job, monthly_pay, age)."""
    data: dict[str, list[object]] = {
        "person_id": [r[0] for r in rows],
        "gender": [r[1] for r in rows],
        "job": [r[2] for r in rows],
        "monthly_pay": [r[3] for r in rows],
        "age": [r[4] for r in rows],
    }
    data.update(extra)
    return pl.DataFrame(data)
