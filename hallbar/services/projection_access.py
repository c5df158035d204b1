"""Who may do what with the workforce projection (personalframskrivning).

The projection adds its own resources to the role matrix of
``hallbar.core.access`` and reuses the scope checks of ``hallbar.services.access``:

* HR of the organisation and administrators do everything: run projections,
  upload the population forecast, save and delete scenarios, plan activities
  and export the competence-supply plan.
* Analysts (and elected members) and managers see results: aggregates per
  occupation with small groups suppressed, saved scenarios, comparisons and
  the plan. A manager's projection covers only the units they manage and the
  units below them.
* Regional analysts see the same aggregates for organisations that share.
"""

from __future__ import annotations

from enum import StrEnum

from hallbar.core.access import Principal, Role
from hallbar.core.errors import AccessDenied, NotFound
from hallbar.services import access


class ProjResource(StrEnum):
    RESULTS = "projection_results"  # run a projection and see aggregates
    SCENARIOS = "projection_scenarios"  # list, open and compare saved scenarios
    EDIT = "projection_edit"  # save/delete scenarios, upload forecasts, plan activities
    PLAN = "projection_plan"  # the competence-supply plan (page, HTML, Excel)


_EVERYONE = frozenset(Role)
_HR = frozenset({Role.ADMIN, Role.HR})

PERMISSIONS: dict[ProjResource, frozenset[Role]] = {
    ProjResource.RESULTS: _EVERYONE,
    ProjResource.SCENARIOS: _EVERYONE,
    ProjResource.EDIT: _HR,
    ProjResource.PLAN: _EVERYONE,
}


def may(principal: Principal, resource: ProjResource) -> bool:
    return principal.role in PERMISSIONS[resource]


def require(principal: Principal, resource: ProjResource) -> None:
    if not may(principal, resource):
        raise AccessDenied(access.DENIED)


def require_org(principal: Principal, org_id: str, resource: ProjResource) -> None:
    """Role check, then organisation scope (administrators reach every organisation)."""
    require(principal, resource)
    if principal.role is not Role.ADMIN and org_id not in principal.org_ids:
        raise NotFound(access.ORG_NOT_FOUND)


def may_edit(principal: Principal) -> bool:
    return may(principal, ProjResource.EDIT)
