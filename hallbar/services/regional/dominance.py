"""Women- vs men-dominated working conditions per member of a network (seed 000; the
county boards' report "Hur jämställda är arbetsvillkoren?").

Each consenting member's own comparison (``hallbar.indicators.dominance``: its most
women-dominated and most men-dominated occupation, each at least ten persons, with
values hidden for small groups by the member's own rule) is shown side by side.
No network sums are formed here, so nothing can be differenced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hallbar.core.access import Principal
from hallbar.core.errors import HallbarError, NotFound
from hallbar.indicators.dominance import DominanceComparison, compare_dominated_groups
from hallbar.indicators.params import Params
from hallbar.regional.consent import DatasetKind, RecipientKind, valid_members
from hallbar.regional.disclosure import REASON_NO_CONSENT, REASON_NO_DATA
from hallbar.services import audit
from hallbar.services.audit import Action
from hallbar.services.context import Hallbar
from hallbar.services.regional.figures import default_year
from hallbar.services.regional.scope import NetworkScope, member_data, open_network
from hallbar.store import regional


@dataclass(frozen=True)
class MemberConditions:
    code: str
    name: str
    own: bool
    comparison: DominanceComparison | None
    reason: str  # why there is no comparison


@dataclass(frozen=True)
class DominanceAcross:
    scope: NetworkScope
    year: int
    metrics: tuple[tuple[str, str, str], ...]  # (metric, Swedish label, unit)
    members: tuple[MemberConditions, ...]


def dominance_across(
    hb: Hallbar,
    principal: Principal,
    network_id: str,
    *,
    year: int | None = None,
    on: date | None = None,
    client: str = "",
) -> DominanceAcross:
    scope = open_network(hb, principal, network_id)
    consenting = valid_members(
        regional.grants(hb.store, recipient=network_id),
        recipient_kind=RecipientKind.NETWORK,
        recipient=network_id,
        dataset=DatasetKind.KEY_FIGURES,
        on=on or date.today(),
    ) & set(scope.network.members)
    chosen = year or default_year(hb, consenting)
    members = []
    metrics: tuple[tuple[str, str, str], ...] = ()
    for org in scope.members:
        if org.code not in consenting:
            members.append(MemberConditions(org.code, org.name, False, None, REASON_NO_CONSENT))
            continue
        try:
            data = member_data(hb, org.code)
            if data.as_of < date(chosen, 12, 31):
                raise NotFound(REASON_NO_DATA)
            comparison = compare_dominated_groups(data, Params.from_settings(hb.settings, chosen))[
                0
            ]
        except (NotFound, HallbarError):
            members.append(MemberConditions(org.code, org.name, False, None, REASON_NO_DATA))
            continue
        metrics = metrics or tuple((r.metric, r.label_sv, r.unit) for r in comparison.rows)
        members.append(
            MemberConditions(org.code, org.name, org.code == scope.own_code, comparison, "")
        )
    audit.record(
        hb, principal.username, Action.REGIONAL_VIEW, target=network_id,
        detail=f"kvinno- och mansdominerade yrken {chosen}", client=client,
    )  # fmt: skip
    return DominanceAcross(scope, chosen, metrics, tuple(members))


def dominance_json(view: DominanceAcross) -> dict[str, Any]:
    out = []
    for m in view.members:
        c = m.comparison
        out.append(
            {
                "kod": m.code,
                "namn": m.name,
                "skal": m.reason or None,
                "kvinnodominerat_yrke": c.women_group.occupation if c and c.women_group else None,
                "mansdominerat_yrke": c.men_group.occupation if c and c.men_group else None,
                "villkor": {
                    r.metric: {
                        "kvinnodominerat": r.women_dominated,
                        "mansdominerat": r.men_dominated,
                    }
                    for r in (c.rows if c else ())
                },
            }
        )
    return {"natverk": view.scope.network.id, "ar": view.year, "medlemmar": out}
