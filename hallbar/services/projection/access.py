"""Who may do what with the workforce projection (personalframskrivning).

The projection's resources (``Resource.PROJ_*``) live in the one role matrix of
``hallbar.core.access``; scope checks are ``hallbar.services.access``'s:

* HR of the organisation does everything (administrators see no HR data): run projections,
  upload the population forecast, save and delete scenarios, plan activities
  and export the competence-supply plan.
* Analysts (and elected members) and managers see results: aggregates per
  occupation with small groups suppressed, saved scenarios, comparisons and
  the plan. A manager's projection covers only the units they manage and the
  units below them.
* Regional analysts see the same aggregates for organisations that share.
"""

from __future__ import annotations

from hallbar.core.access import Principal, Resource, may


def may_edit(principal: Principal) -> bool:
    return may(principal, Resource.PROJ_EDIT)
