"""Pay-survey aggregates across a network's members (consent dataset "lonekartlaggning").

Each consenting member's aggregates (``hallbar.regional.pay_aggregates``) are computed on
its own data, through the one opener (``services.regional.scope.member_data``), and pass
the one network rule (``hallbar.regional.disclosure.admit``) before they are pooled:
women's pay as a share of men's, and the share of equal-work jobs with a significant
difference. Never a person's pay, never a job's pay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from hallbar.core.access import Principal
from hallbar.core.errors import InputError, NotFound
from hallbar.paysurvey.payframe import check_pay_frame, pay_frame_from_hrdata
from hallbar.privacy.suppression import SuppressionRule
from hallbar.regional.across import Across, across
from hallbar.regional.consent import DatasetKind, RecipientKind, valid_members
from hallbar.regional.disclosure import MemberCell, admit
from hallbar.regional.pay_aggregates import (
    JOBS,
    RATIO,
    SIGNIFICANCE,
    MemberPay,
    jobs_cell,
    member_pay,
    pooled_ratio,
    ratio_cells,
)
from hallbar.services import audit
from hallbar.services.audit import Action
from hallbar.services.context import Hallbar
from hallbar.services.memo import HbCache
from hallbar.services.regional.charts import member_bars
from hallbar.services.regional.figures import ended_notices
from hallbar.services.regional.scope import NetworkScope, member_data, open_network
from hallbar.store import regional

COUNTED_SV = (
    "månadsavlönade med heltidslön, juridiskt kön och befattning hos varje medlem på dess "
    "senaste importdatum (lönekartläggningens underlag)"
)
_members: HbCache[MemberPay | None] = HbCache(200)


@dataclass(frozen=True)
class PayAggregates:
    scope: NetworkScope
    ratio: Across  # women's mean pay in % of men's, per member
    jobs: Across  # share of equal-work jobs with a significant difference, per member
    pooled_ratio: float | None  # all admitted members' women against all their men
    min_n: int
    notices: tuple[str, ...]
    ratio_svg: str
    as_of: dict[str, date]  # member -> the date its aggregates refer to


def _member_pay(hb: Hallbar, code: str, rule: SuppressionRule) -> MemberPay | None:
    key = (code, hb.store.active_import_id(code), rule.min_n)

    def compute() -> MemberPay | None:
        try:
            data = member_data(hb, code)
            frame, _ = check_pay_frame(pay_frame_from_hrdata(data))
        except (NotFound, InputError):
            return None  # no data, or no pay in it
        if frame.height == 0:
            return None
        return member_pay(code, frame, rule)

    return _members.get_or_compute(hb, key, compute)


def pay_aggregates(
    hb: Hallbar,
    principal: Principal,
    network_id: str,
    *,
    on: date | None = None,
    client: str = "",
) -> PayAggregates:
    scope = open_network(hb, principal, network_id)
    day = on or date.today()
    grants = regional.grants(hb.store, recipient=network_id)
    consenting = valid_members(
        grants,
        recipient_kind=RecipientKind.NETWORK,
        recipient=network_id,
        dataset=DatasetKind.PAY_SURVEY,
        on=day,
    ) & set(scope.network.members)
    rule = SuppressionRule(hb.settings.min_group_size)
    found = {c: _member_pay(hb, c, rule) for c in sorted(consenting)}
    pays = [m for m in found.values() if m is not None]
    codes = [code for code, _ in scope.member_pairs]
    # One table for the rule: women, men and the ratio over both (a member whose men are
    # a small group is out of every aggregate, and so out of the jobs share too).
    table = [c for m in pays for c in ratio_cells(m)]
    decided = admit(table, members=codes, consenting=frozenset(consenting), rule=rule)

    def view(cells: list[MemberCell], key: str, higher_is_better: bool) -> Across:
        return across(
            cells, key=(key,), members=scope.member_pairs, consenting=frozenset(consenting),
            rule=rule, own_code=scope.own_code, higher_is_better=higher_is_better,
            admission=decided, on=day,
        )  # fmt: skip

    ratio = view(table, RATIO, True)
    jobs = view([jobs_cell(m) for m in pays if m.code in decided.admitted], JOBS, False)
    admitted = [m for m in pays if m.code in ratio.included]
    audit.record(
        hb,
        principal.username,
        Action.REGIONAL_VIEW,
        target=network_id,
        detail=f"lönekartläggning: {', '.join(ratio.included) or 'inga medlemmar'}",
        client=client,
    )
    as_of = {code: member_data(hb, code).as_of for code in ratio.included}
    return PayAggregates(
        scope,
        ratio,
        jobs,
        pooled_ratio(admitted),
        rule.min_n,
        ended_notices(grants, scope, day, DatasetKind.PAY_SURVEY),
        member_bars(ratio, title="Kvinnors lön i procent av mäns", unit="%"),
        as_of,
    )


def pay_aggregates_json(view: PayAggregates) -> dict[str, Any]:
    jobs = {r.code: r for r in view.jobs.rows}
    return {
        "natverk": {"id": view.scope.network.id, "namn": view.scope.network.name},
        "egen_organisation": view.scope.own_code,
        "minsta_grupp": view.min_n,
        "signifikansniva": SIGNIFICANCE,
        "raknas": COUNTED_SV,
        "medlemmar": [
            {
                "kod": r.code,
                "namn": r.name,
                "kvinnors_lon_procent_av_mans": r.value,
                "personer": r.n,
                "andel_befattningar_med_skillnad": jobs[r.code].value,
                "ingar": r.included,
                "skal": r.reason or None,
                "egen": r.own,
                "datum": view.as_of[r.code].isoformat() if r.code in view.as_of else None,
            }
            for r in view.ratio.rows
        ],
        "ingar_i_medel": list(view.ratio.included),
        "kvinnors_lon_procent_av_mans": {
            "ovagt_medel": view.ratio.unweighted_mean,
            "alla_medlemmar": view.pooled_ratio,
        },
        "andel_befattningar_med_skillnad": {
            "ovagt_medel": view.jobs.unweighted_mean,
            "alla_medlemmar": view.jobs.weighted_mean,
        },
        "meddelanden": list(view.notices),
    }
