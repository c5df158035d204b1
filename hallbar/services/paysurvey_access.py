"""Who may do what in the pay survey (lönekartläggning).

The pay survey adds its own resources to the role matrix of
``hallbar.core.access`` and reuses the scope checks of
``hallbar.services.access``:

* HR of the organisation does everything (create, evaluate, record actions,
  see individual comparisons, read the written documentation). Administrators
  manage users and settings but see no HR data, pay least of all.
* Managers see the survey list and the pay-structure pictures of the jobs in
  their own units; points (individual pay) only for staff employed directly in
  a unit they manage. Every view of points is audited.
* Analysts (and elected members) and regional analysts see aggregates only,
  small groups suppressed: comparisons, statistics, structure summaries and the
  EU report. Regional analysts only for organisations that share.
"""

from __future__ import annotations

from enum import StrEnum

from hallbar.core.access import Principal, Role
from hallbar.core.errors import AccessDenied, NotFound
from hallbar.services import access


class PayResource(StrEnum):
    SURVEYS = "paysurvey_surveys"  # list and open a survey (metadata)
    EDIT = "paysurvey_edit"  # create/change a survey, evaluation, actions
    EVALUATION = "paysurvey_evaluation"  # the model, the grid and job values
    COMPARISONS = "paysurvey_comparisons"  # aggregate comparison tables
    INDIVIDUALS = "paysurvey_individuals"  # person-level comparisons (small groups)
    STATISTICS = "paysurvey_statistics"  # regression and decomposition
    STRUCTURE = "paysurvey_structure"  # pay-structure pictures
    ACTIONS = "paysurvey_actions"  # flagged differences, explanations, adjustments
    TRANSPARENCY = "paysurvey_transparency"  # EU Article 9 report
    DOCUMENT = "paysurvey_document"  # the written documentation (HTML, Excel)


_ALL_DATA = frozenset({Role.HR, Role.ANALYST, Role.REGIONAL})
_HR = frozenset({Role.HR})
_ANY_DATA_ROLE = frozenset(Role) - {Role.ADMIN}

PERMISSIONS: dict[PayResource, frozenset[Role]] = {
    PayResource.SURVEYS: _ANY_DATA_ROLE,
    PayResource.EDIT: _HR,
    PayResource.EVALUATION: _ALL_DATA,
    PayResource.COMPARISONS: _ALL_DATA,
    PayResource.INDIVIDUALS: _HR,
    PayResource.STATISTICS: _ALL_DATA,
    PayResource.STRUCTURE: _ANY_DATA_ROLE,
    PayResource.ACTIONS: _HR,
    PayResource.TRANSPARENCY: _ALL_DATA,
    PayResource.DOCUMENT: _HR,
}


def may(principal: Principal, resource: PayResource) -> bool:
    return principal.role in PERMISSIONS[resource]


def require(principal: Principal, resource: PayResource) -> None:
    if not may(principal, resource):
        raise AccessDenied(access.DENIED)


def require_org(principal: Principal, org_id: str, resource: PayResource) -> None:
    """Role check, then organisation scope (administrators reach every organisation)."""
    require(principal, resource)
    if principal.role is not Role.ADMIN and org_id not in principal.org_ids:
        raise NotFound(access.ORG_NOT_FOUND)


def sees_everyone(principal: Principal) -> bool:
    """HR sees individual pay for the whole organisation."""
    return principal.role in _HR


def point_units(principal: Principal) -> frozenset[str] | None:
    """Units whose staff a principal may see as points: None = all, empty = none."""
    if sees_everyone(principal):
        return None
    if principal.role is Role.MANAGER:
        return frozenset(principal.unit_ids)
    return frozenset()
