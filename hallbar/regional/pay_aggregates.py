"""Pay-survey aggregates shared across a network (the consent dataset "lonekartlaggning").

Two aggregates per member, computed from its pay frame (``hallbar.paysurvey``: the
monthly-paid on the member's snapshot date, full-time monthly pay, the member's own
jobs) and never a person's pay:

* **women's pay as a share of men's**: women's mean full-time monthly pay in percent
  of men's (100 = equal; the domain rules' "useful figure without a Kolada id");
* **share of jobs with a difference to explain**: of the jobs where women and men do
  equal work (lika arbete) and both groups are large enough to test, the share where
  their mean pay differs significantly (Welch's t-test, p < 0.05): differences the
  member's pay survey must explain (Diskrimineringslagen 3 kap. 10 §).

Both pass the one network rule (``hallbar.regional.disclosure``): a member enters
only when its women and its men (the ratio's two groups) are each not a small group;
jobs enter the test only when both of their groups are at least the smallest group.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hallbar.paysurvey.comparisons import equal_work
from hallbar.privacy.suppression import SuppressionRule
from hallbar.regional.disclosure import MemberCell

SIGNIFICANCE = 0.05
RATIO = "kvinnors_lon_andel"  # cell keys of the two tables
JOBS = "befattningar_med_skillnad"


@dataclass(frozen=True)
class MemberPay:
    code: str
    women: int
    men: int
    women_pay: float  # sum of women's full-time monthly pay (kr), never shown
    men_pay: float
    jobs_tested: int  # jobs with both women and men, each at least the smallest group
    jobs_with_difference: int  # of them, those with p < SIGNIFICANCE

    @property
    def ratio(self) -> float | None:
        if not self.women or not self.men or not self.men_pay:
            return None
        return 100.0 * (self.women_pay / self.women) / (self.men_pay / self.men)

    @property
    def jobs_share(self) -> float | None:
        if not self.jobs_tested:
            return None
        return 100.0 * self.jobs_with_difference / self.jobs_tested


def member_pay(code: str, frame: pl.DataFrame, rule: SuppressionRule) -> MemberPay:
    """A member's aggregates from its checked pay frame (columns job, gender, pay)."""
    women = frame.filter(pl.col("gender") == "K")["pay"]
    men = frame.filter(pl.col("gender") == "M")["pay"]
    table = equal_work(frame, min_group=rule.min_n).table.frame
    tested = table.filter(pl.col("tested"))
    flagged = tested.filter(pl.col("p_value") < SIGNIFICANCE)
    return MemberPay(
        code,
        women.len(),
        men.len(),
        float(women.sum()),
        float(men.sum()),
        tested.height,
        flagged.height,
    )


def ratio_cells(m: MemberPay) -> list[MemberCell]:
    """The ratio's table: women, men and the ratio over both (one table for the rule)."""
    return [
        MemberCell(m.code, ("K",), m.women_pay / m.women if m.women else None, m.women),
        MemberCell(m.code, ("M",), m.men_pay / m.men if m.men else None, m.men),
        MemberCell(m.code, (RATIO,), m.ratio, m.women + m.men),
    ]


def jobs_cell(m: MemberPay) -> MemberCell:
    """The jobs share, pooled as jobs flagged over jobs tested (in percent)."""
    return MemberCell(
        m.code,
        (JOBS,),
        m.jobs_share,
        m.women + m.men,
        numerator=100.0 * m.jobs_with_difference,
        denominator=float(m.jobs_tested),
    )


def pooled_ratio(members: list[MemberPay]) -> float | None:
    """All members' women against all members' men: women's mean pay in % of men's."""
    women = sum(m.women for m in members)
    men = sum(m.men for m in members)
    men_pay = sum(m.men_pay for m in members)
    if not women or not men or not men_pay:
        return None
    return 100.0 * (sum(m.women_pay for m in members) / women) / (men_pay / men)
