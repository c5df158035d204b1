"""Pay paid per employment and month: the one rule for what an employee was paid.

Used by the agency-staff share of personnel cost (``hallbar.indicators``) and the
EU pay-transparency figures (``hallbar.paysurvey``), so both count the same kronor.

A month's pay of an employment is

- fixed pay: the pay components of kind ``fast`` for the employment and month
  when there are any; otherwise, for a monthly-paid employment (permanent or
  fixed-term), the contracted pay: monthly pay at full time × rate / 100 × the
  share of the month's calendar days the employment period covers. Payroll
  exports often leave the monthly salary out of the pay components, because it
  follows from the employment's terms (the generated example organisation does;
  hourly-paid staff have their hours paid as ``fast`` components);
- supplements: the components of kind ``tillägg``;
- variable pay: the components of kind ``rörlig``.

A month with ``fast`` components uses them alone, so a salary that is both in the
pay file and in the employment's terms is never counted twice.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from hallbar.core.codes import PayKind
from hallbar.core.dataset import HRData
from hallbar.core.population import MONTHLY_PAID_FORMS

_KEYS = ["org_id", "employment_id", "month"]


def _month_index(day: pl.Expr) -> pl.Expr:
    return day.dt.year().cast(pl.Int32) * 12 + day.dt.month().cast(pl.Int32) - 1


_EPOCH = date(1970, 1, 1).toordinal()  # day numbers as Polars counts them


def _months(lo_i: int, hi_i: int) -> pl.LazyFrame:
    """One row per month index in ``[lo_i, hi_i]``: the month (its first day) and its
    first and last day as day numbers. Joined on the index instead of computing the
    dates row by row (``dt.month_end`` on millions of rows was most of the cost)."""
    firsts = [date(i // 12, i % 12 + 1, 1) for i in range(lo_i, hi_i + 2)]
    return pl.LazyFrame(
        {
            "_m": pl.Series(range(lo_i, hi_i + 1), dtype=pl.Int32),
            "month": pl.Series(firsts[:-1], dtype=pl.Date),
            "_m_first": pl.Series([d.toordinal() - _EPOCH for d in firsts[:-1]], dtype=pl.Int32),
            "_m_last": pl.Series([d.toordinal() - _EPOCH - 1 for d in firsts[1:]], dtype=pl.Int32),
        }
    )


def _contract_pieces(
    employments: pl.LazyFrame, start: date, end: date, carry: tuple[str, ...] = ()
) -> pl.LazyFrame:
    """The contracted pay of each monthly-paid employment period and month in
    ``[start, end]``: a period covering part of a month pays that part of the month by
    calendar days (a start on the 16th of a 30-day month pays 15/30); a month whose
    terms changed has a row per period. Columns: org_id, employment_id, month, the
    ``carry`` columns, contracted_pay."""
    first = start.replace(day=1)
    lo_i = start.year * 12 + start.month - 1
    hi_i = end.year * 12 + end.month - 1
    emps = employments.filter(
        pl.col("employment_form").is_in(list(MONTHLY_PAID_FORMS))
        & (pl.col("start_date") <= end)
        & (pl.col("end_date").is_null() | (pl.col("end_date") >= first))
    )
    rows = emps.select(
        "org_id",
        "employment_id",
        *carry,
        pl.col("start_date").cast(pl.Int32).alias("_start"),
        pl.col("end_date").fill_null(end).cast(pl.Int32).alias("_end"),
        (pl.col("monthly_pay").fill_null(0.0) * pl.col("rate").fill_null(0.0) / 100.0).alias(
            "_full_month"
        ),
        _m=pl.int_ranges(
            pl.max_horizontal(_month_index(pl.col("start_date")), pl.lit(lo_i, pl.Int32)),
            pl.min_horizontal(
                _month_index(pl.col("end_date").fill_null(end)), pl.lit(hi_i, pl.Int32)
            )
            + 1,
            dtype=pl.Int32,
        ),
    )
    rows = rows.explode("_m").filter(pl.col("_m").is_not_null())
    rows = rows.join(_months(lo_i, hi_i), on="_m", how="inner")
    m_first, m_last = pl.col("_m_first"), pl.col("_m_last")
    covered = (
        pl.min_horizontal(pl.col("_end"), m_last) - pl.max_horizontal(pl.col("_start"), m_first) + 1
    ).clip(lower_bound=0)
    return rows.select(
        *_KEYS,
        *carry,
        contracted_pay=pl.col("_full_month") * covered / (m_last - m_first + 1),
    )


_CONTRACT = "_avtal"  # the kind of a pay row that is contracted pay, not a pay component


def _pay_rows(data: HRData, start: date, end: date, labels: pl.LazyFrame | None) -> pl.LazyFrame:
    """Every amount of pay paid in ``[start, end]``, one row each: the pay components
    (kind fast, tillägg, rörlig) and the contracted pay of each employment period and
    month (kind ``_CONTRACT``) of the months without a ``fast`` component: the rule of
    this module. Columns: org_id, employment_id, month, kind, amount, and the columns
    of ``labels`` (keyed by org_id and employment_id; null for an employment without a
    row), joined to the employment periods before they are cut into months."""
    keys = ["org_id", "employment_id"]
    carry = (
        () if labels is None else tuple(c for c in labels.collect_schema().names() if c not in keys)
    )
    comps = (
        data.pay_components.lazy()
        .filter((pl.col("month") >= start.replace(day=1)) & (pl.col("month") <= end))
        .select(*_KEYS, "kind", "amount")
    )
    employments = data.employments.lazy()
    if labels is not None:
        comps = comps.join(labels, on=keys, how="left")
        employments = employments.join(labels, on=keys, how="left")
    fixed_months = comps.filter(pl.col("kind") == PayKind.FIXED.value).select(_KEYS).unique()
    contract = (
        _contract_pieces(employments, start, end, carry)
        .join(fixed_months, on=_KEYS, how="anti")
        .select(
            *_KEYS,
            pl.lit(_CONTRACT).alias("kind"),
            pl.col("contracted_pay").alias("amount"),
            *carry,
        )
    )
    return pl.concat([comps.select(*_KEYS, "kind", "amount", *carry), contract])


def paid_monthly(data: HRData, start: date, end: date) -> pl.DataFrame:
    """Pay paid per employment and month in ``[start, end]`` (the rule above).

    Columns: org_id, employment_id, month, fixed_pay, supplements, variable_pay,
    pay (their sum) and ``fixed_from_contract`` (True when the fixed pay is the
    contracted pay, not a pay component). Sorted by employment and month.
    """
    return paid_monthly_lazy(data, start, end).sort(_KEYS).collect()


def paid_monthly_lazy(data: HRData, start: date, end: date) -> pl.LazyFrame:
    """``paid_monthly`` as a query in no particular order, for a caller that aggregates
    it anyway: sorting millions of rows by string keys costs more than computing them."""
    kind, amount = pl.col("kind"), pl.col("amount")
    return (
        _pay_rows(data, start, end, None)
        .group_by(_KEYS)
        .agg(
            amount.filter(kind.is_in([PayKind.FIXED.value, _CONTRACT])).sum().alias("fixed_pay"),
            amount.filter(kind == PayKind.SUPPLEMENT.value).sum().alias("supplements"),
            amount.filter(kind == PayKind.VARIABLE.value).sum().alias("variable_pay"),
            (kind == _CONTRACT).any().alias("fixed_from_contract"),
        )
        .with_columns(pay=pl.col("fixed_pay") + pl.col("supplements") + pl.col("variable_pay"))
        .select(*_KEYS, "fixed_pay", "supplements", "variable_pay", "pay", "fixed_from_contract")
    )


def paid_by(
    data: HRData, start: date, end: date, labels: pl.LazyFrame, by: list[str]
) -> pl.LazyFrame:
    """Pay paid in ``[start, end]`` summed per org_id, month and the ``by`` columns of
    ``labels`` (keyed by org_id and employment_id): the kronor of ``paid_monthly``
    summed by them, without building every employment's months first (the amounts are
    added in another order, so a sum can differ from that one in the last bits).
    Columns: org_id, month, the ``by`` columns, pay."""
    return (
        _pay_rows(data, start, end, labels)
        .group_by(["org_id", "month", *by])
        .agg(pl.col("amount").sum().alias("pay"))
    )
