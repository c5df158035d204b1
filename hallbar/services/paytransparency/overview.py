"""The workflows on one page: the clocks (requests due and overdue, the next report, the six
months after a flagged report) and the next due date for the start page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from hallbar.core.access import Principal, Resource, may
from hallbar.core.errors import NotFound
from hallbar.core.population import EMPLOYED, PopulationCount
from hallbar.paysurvey.transparency import reporting_cycle
from hallbar.paytransparency import next_report_due
from hallbar.services import scope
from hallbar.services.memo import ByIdentity
from hallbar.services.paytransparency import joint, report, requests
from hallbar.services.paytransparency.common import Actions, org_name, record, today
from hallbar.services.twin import ScopedCount

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar


@dataclass(frozen=True)
class Overview:
    org_id: str
    org_name: str
    as_of: date
    headcount: int  # everyone employed on ``as_of``: the Art. 9 headcount, hourly-paid included
    reporting_sv: str
    next_due: date | None
    requests: tuple[requests.RequestView, ...]  # HR only, else empty
    n_due_soon: int
    n_overdue: int
    reports: tuple[report.ReportView, ...]
    assessments: tuple[joint.AssessmentView, ...]
    may_edit: bool
    counts: tuple[ScopedCount, ...] = ()  # whom ``headcount`` counts


def overview(hb: Hallbar, principal: Principal, org_id: str) -> Overview:
    data = scope.load(hb, principal, org_id, Resource.PT_REPORT)
    count = EMPLOYED.count(data, data.as_of)
    edit = may(principal, Resource.PT_WORKFLOWS)
    reqs = tuple(requests.list_requests(hb, principal, org_id)) if edit else ()
    record(hb, principal, Actions.VIEW, org_id, "översikt", f"{len(reqs)} begäranden i listan")
    return Overview(
        org_id,
        org_name(data, org_id),
        data.as_of,
        count.n,
        reporting_cycle(count.n),
        next_report_due(count.n, today()),
        reqs,
        sum(1 for r in reqs if r.clock.status == "snart"),
        sum(1 for r in reqs if r.clock.status == "förfallen"),
        tuple(report.list_reports(hb, principal, org_id)),
        tuple(joint.list_assessments(hb, principal, org_id)),
        edit,
        (ScopedCount(count),),
    )


@dataclass(frozen=True)
class DueDate:
    org_id: str
    org_name: str
    next_due: date | None
    n_overdue: int  # requests past their two months (HR only, else 0)


_employed: ByIdentity[PopulationCount] = ByIdentity(16)


def start_page_due(hb: Hallbar, principal: Principal) -> list[DueDate]:
    """For the start page: the next report date per organisation the user may report for."""
    if not may(principal, Resource.PT_REPORT):
        return []
    out: list[DueDate] = []
    for org_id in sorted(principal.org_ids):
        try:
            data = scope.load(hb, principal, org_id, Resource.PT_REPORT)
        except NotFound:  # an organisation without an import has no due date
            continue
        # Once per loaded dataset: the start page asks on every visit.
        count = _employed.get_or_compute(
            data, "employed", partial(EMPLOYED.count, data, data.as_of)
        )
        overdue = 0
        if may(principal, Resource.PT_WORKFLOWS):
            overdue = sum(
                1
                for r in requests.list_requests(hb, principal, org_id)
                if r.clock.status == "förfallen"
            )
        out.append(
            DueDate(org_id, org_name(data, org_id), next_report_due(count.n, today()), overdue)
        )
    return out
