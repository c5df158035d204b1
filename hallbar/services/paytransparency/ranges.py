"""Article 5: starting-pay ranges per job and the record of which range was given for which
recruitment. HR only (the computed range rests on a few newcomers' pay)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from hallbar.core.access import Principal, Resource
from hallbar.paytransparency.errors import InvalidInput
from hallbar.paytransparency.starting_pay import (
    StartingRange,
    adjust_range,
    computed_range,
    starting_ranges,
)
from hallbar.services import scope
from hallbar.services.access import require_org
from hallbar.services.paytransparency.common import (
    Actions,
    now,
    parse_date,
    pay_basis,
    record,
    required,
)
from hallbar.store import paytransparency

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

RECENT_YEARS = 2.0  # "recent starters": first employment less than two years ago
DEFAULT_AGREEMENT = "Allmänna bestämmelser (AB) och gällande huvudöverenskommelse (HÖK)"


@dataclass(frozen=True)
class RangeLine:
    job: str
    computed: StartingRange
    current: paytransparency.RangeRow | None


@dataclass(frozen=True)
class RangesView:
    org_id: str
    org_name: str
    at: date
    lines: tuple[RangeLine, ...]
    recruitments: tuple[paytransparency.RecruitmentRow, ...]
    recent_years: float
    min_starters: int


def ranges_view(hb: Hallbar, principal: Principal, org_id: str) -> RangesView:
    data = scope.load(hb, principal, org_id, Resource.PT_WORKFLOWS)
    at = data.as_of
    basis = pay_basis(hb, data, org_id, at)
    minimum = hb.settings.min_group_size
    computed = starting_ranges(basis.raw, recent_years=RECENT_YEARS, min_starters=minimum)
    current = paytransparency.current_ranges(hb.store.engine, org_id)
    jobs = sorted(set(basis.raw["job"].drop_nulls().to_list()) | set(current), key=str.casefold)
    lines = tuple(RangeLine(j, computed_range(computed, j), current.get(j)) for j in jobs)
    record(hb, principal, Actions.VIEW, org_id, "ingångslöner", "intervall visade")
    return RangesView(
        org_id,
        basis.org_name,
        at,
        lines,
        tuple(paytransparency.list_recruitments(hb.store.engine, org_id)),
        RECENT_YEARS,
        minimum,
    )


def save_range(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    *,
    job: str,
    low: str,
    high: str,
    reason: str = "",
    agreement: str = "",
) -> paytransparency.RangeRow:
    """Store HR's range for a job; a range that differs from the computed one needs a reason."""
    data = scope.load(hb, principal, org_id, Resource.PT_WORKFLOWS)
    job = required(job, "befattning", "Undersköterska")
    basis = pay_basis(hb, data, org_id, data.as_of)
    computed = computed_range(
        starting_ranges(
            basis.raw, recent_years=RECENT_YEARS, min_starters=hb.settings.min_group_size
        ),
        job,
    )
    chosen = adjust_range(computed, low, high, reason)
    row = paytransparency.add_range(
        hb.store.engine,
        org_id=org_id,
        job=job,
        low=float(chosen.low or 0.0),
        high=float(chosen.high or 0.0),
        p10=chosen.p10,
        p90=chosen.p90,
        n_starters=chosen.n_starters,
        agreement=agreement.strip() or DEFAULT_AGREEMENT,
        reason=chosen.reason,
        created_by=principal.username,
        at=now(),
    )
    record(hb, principal, Actions.CHANGE, org_id, f"ingångslön/{job}", "intervall sparat")
    return row


def record_recruitment(
    hb: Hallbar, principal: Principal, org_id: str, *, job: str, reference: str, given_on: str
) -> paytransparency.RecruitmentRow:
    """Record that the job's current range was given to the applicants of a recruitment."""
    require_org(principal, org_id, Resource.PT_WORKFLOWS)
    current = paytransparency.current_ranges(hb.store.engine, org_id).get(job.strip())
    if current is None:
        raise InvalidInput(
            f"Befattningen '{job}' har inget sparat löneintervall. Spara intervallet först."
        )
    row = paytransparency.add_recruitment(
        hb.store.engine,
        org_id=org_id,
        range_id=current.id,
        reference=required(reference, "rekryteringens referens", "annons 2026-17"),
        given_on=parse_date(given_on, "Datum då intervallet lämnades"),
        created_by=principal.username,
        at=now(),
    )
    record(hb, principal, Actions.CHANGE, org_id, f"rekrytering/{row.id}", "intervall lämnat")
    return row
