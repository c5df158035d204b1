"""The starting stock: one row per person in a monthly-paid employment at a date.

Columns (``STOCK_SCHEMA``): ``occupation`` (SSYK code or AID label), ``unit_id``
(may be null), ``gender`` (K/M), ``age`` (age attained during the base year,
i.e. base year − birth year, so ageing by one per projection year matches the
history rates), ``rate`` (employment rate in percent, 0–100) and
``monthly_pay`` (full-time monthly pay, may be null).
"""

from __future__ import annotations

import polars as pl

from hallbar.core.population import MONTHLY_PAID_FORMS
from hallbar.projection.errors import ProjectionInputError

STOCK_SCHEMA: dict[str, pl.DataType] = {
    "occupation": pl.String(),
    "unit_id": pl.String(),
    "gender": pl.String(),
    "age": pl.Int64(),
    "rate": pl.Float64(),
    "monthly_pay": pl.Float64(),
}
# Kept for callers that import it from here; the rule lives in hallbar.core.population.
MONTHLY_PAID = MONTHLY_PAID_FORMS
MISSING_OCCUPATION = "(yrke saknas)"
MIN_AGE, MAX_AGE = 15, 80  # projected ages; anyone past MAX_AGE leaves as a retirement


def occupation_column(occupation_key: str) -> str:
    if occupation_key not in ("ssyk", "aid"):
        raise ProjectionInputError(
            f"Okänd yrkesindelning '{occupation_key}'. Välj ssyk (SSYK 2012) eller aid (AID-etikett)."
        )
    return "ssyk" if occupation_key == "ssyk" else "aid_code"


def stock_from_main_employments(main: pl.DataFrame, occupation_key: str = "ssyk") -> pl.DataFrame:
    """The stock from one row per person that already names the main employment (the
    key figures' person view: ``unit_id``, the occupation column, ``rate_sum``,
    ``monthly_pay``, ``gender``, ``age``), so the projection counts each person in the
    same unit and occupation as the key figures do (docs/privacy.md)."""
    occ_col = occupation_column(occupation_key)
    out = main.select(
        pl.col(occ_col).cast(pl.String).fill_null(MISSING_OCCUPATION).alias("occupation"),
        pl.col("unit_id").cast(pl.String),
        "gender",
        pl.col("age").cast(pl.Int64),
        pl.col("rate_sum").clip(upper_bound=100.0).alias("rate"),
        "monthly_pay",
    )
    return normalise_stock(out, source="HR-uppgifterna")


def normalise_stock(frame: pl.DataFrame, source: str = "personalunderlaget") -> pl.DataFrame:
    """Check a stock frame and cast it to ``STOCK_SCHEMA``; raise on bad rows."""
    missing = [c for c in ("occupation", "gender", "age", "rate") if c not in frame.columns]
    if missing:
        raise ProjectionInputError(
            f"I {source} saknas kolumnerna {', '.join(missing)} (yrke, kön, ålder, "
            "sysselsättningsgrad)."
        )
    cols = [
        pl.col(c).cast(dt) if c in frame.columns else pl.lit(None, dtype=dt).alias(c)
        for c, dt in STOCK_SCHEMA.items()
    ]
    try:
        out = frame.select(cols)
    except pl.exceptions.PolarsError as err:
        raise ProjectionInputError(
            f"I {source} går en kolumn inte att tolka (ålder och sysselsättningsgrad ska vara "
            f"tal): {err}"
        ) from err
    checks = (
        (
            pl.col("age").is_null() | (pl.col("age") < MIN_AGE),
            f"ålder saknas eller under {MIN_AGE}",
        ),
        (
            pl.col("gender").is_null() | ~pl.col("gender").is_in(["K", "M"]),
            "kön ska vara K eller M",
        ),
        (
            pl.col("rate").is_null() | (pl.col("rate") <= 0) | (pl.col("rate") > 100),
            "sysselsättningsgraden ska vara över 0 och högst 100 procent",
        ),
        (pl.col("monthly_pay") < 0, "månadslönen får inte vara negativ"),
        (pl.col("occupation").is_null(), "yrke saknas"),
    )
    indexed = out.with_row_index("row", offset=2)  # header is row 1
    for condition, message in checks:
        bad = indexed.filter(condition)
        if bad.height:
            rows = ", ".join(str(r) for r in bad["row"].head(5).to_list())
            raise ProjectionInputError(f"I {source}, rad {rows}: {message}.")
    return out
