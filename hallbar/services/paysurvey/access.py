"""Who may do what in the pay survey (lönekartläggning).

The pay-survey resources (``Resource.PAY_*``) live in the one role matrix of
``hallbar.core.access``; scope checks are ``hallbar.services.access``'s. This
module adds the pay-specific rule of who sees individual points:

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

from hallbar.core.access import Principal, Role


def sees_everyone(principal: Principal) -> bool:
    """HR sees individual pay for the whole organisation."""
    return principal.role is Role.HR


def point_units(principal: Principal) -> frozenset[str] | None:
    """Units whose staff a principal may see as points: None = all, empty = none."""
    if sees_everyone(principal):
        return None
    if principal.role is Role.MANAGER:
        return frozenset(principal.unit_ids)
    return frozenset()
