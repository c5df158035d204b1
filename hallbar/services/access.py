"""Access checks every data function makes before it touches data.

Two questions, answered in this order:

1. May the role use the resource at all? (``hallbar.core.access.PERMISSIONS``)
2. Is the organisation / unit inside the user's scope?

Anything outside the scope raises ``NotFound`` with the same message as an
object that does not exist, so a user cannot probe ids to learn what exists.
"""

from __future__ import annotations

from collections.abc import Iterable

from hallbar.core.access import Principal, Resource, Role, may
from hallbar.core.errors import AccessDenied, NotFound

ORG_NOT_FOUND = "Organisationen finns inte eller så saknar du behörighet. Välj en organisation i listan på startsidan."
UNIT_NOT_FOUND = (
    "Enheten finns inte eller så saknar du behörighet. Välj en enhet i organisationsträdet."
)
DENIED = (
    "Din roll ger inte tillgång till den här sidan. Kontakta en administratör om du behöver den."
)


def require(principal: Principal, resource: Resource) -> None:
    """Raise ``AccessDenied`` unless the role may use ``resource``."""
    if not may(principal, resource):
        raise AccessDenied(DENIED)


def in_org_scope(principal: Principal, org_id: str) -> bool:
    """Whether the organisation is in the principal's scope.

    Admins pass: their role only reaches administrative resources (imports,
    history, users), never HR data, so no scope is needed.
    """
    return principal.local_operator or principal.role is Role.ADMIN or org_id in principal.org_ids


def require_org(principal: Principal, org_id: str, resource: Resource) -> None:
    """Role check plus organisation scope; an out-of-scope organisation looks non-existent."""
    require(principal, resource)
    if not in_org_scope(principal, org_id):
        raise NotFound(ORG_NOT_FOUND)


def visible_units(
    principal: Principal, all_units: Iterable[str], subtree: dict[str, frozenset[str]]
) -> frozenset[str]:
    """The units a principal may see aggregates for.

    Managers see the units they manage and every unit below them; every other
    data role sees the whole organisation (their organisation scope was checked
    by ``require_org``).
    """
    if principal.role is Role.MANAGER:
        out: set[str] = set()
        for unit_id in principal.unit_ids:
            out |= subtree.get(unit_id, frozenset())
        return frozenset(out)
    return frozenset(all_units)


def require_unit(principal: Principal, unit_id: str, visible: frozenset[str]) -> None:
    if unit_id not in visible:
        raise NotFound(UNIT_NOT_FOUND)


def may_list_individuals(principal: Principal, unit_id: str) -> bool:
    """Individual-level lists: HR for its whole organisation, a manager for own staff only.

    "Own staff" are the people employed directly in a unit the manager is
    responsible for; staff of sub-units belong to the sub-unit's manager.
    """
    if principal.role is Role.HR:
        return True
    return principal.role is Role.MANAGER and unit_id in principal.unit_ids
