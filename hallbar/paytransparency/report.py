"""Article 9: the report's values keyed by article point (a)–(g) and category.

The figures themselves come from ``hallbar.paysurvey.transparency.article9_report``
(one computation for the pay survey page and the report to DO); this module
only names each value by the point of Art. 9(1) it answers, so an export can
be checked point by point:

(a) gender pay gap (mean); (b) gap in complementary or variable components
(mean); (c) median gender pay gap; (d) median gap in complementary or variable
components; (e) share of women and men receiving complementary or variable
components; (f) share of women and men in each quartile pay band; (g) gap per
category of workers, split into ordinary basic pay and complementary or
variable components. Category "" means the whole organisation; quartile
bands are categories "Q1".."Q4".
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from hallbar.paysurvey.transparency import TransparencyReport

POINTS_SV: dict[str, str] = {
    "a": "Löneskillnad mellan kvinnor och män (medelvärde)",
    "b": "Löneskillnad i kompletterande eller rörliga delar (medelvärde)",
    "c": "Löneskillnad mellan kvinnor och män (median)",
    "d": "Löneskillnad i kompletterande eller rörliga delar (median)",
    "e": "Andel kvinnor och män som får kompletterande eller rörliga delar",
    "f": "Andel kvinnor och män i varje kvartil",
    "g": "Löneskillnad per kategori av arbetstagare, grundlön och kompletterande delar",
}
MEASURES_SV: dict[str, str] = {
    "gap_annual": "Skillnad i årslön, %",
    "gap_hourly": "Skillnad i timlön, %",
    "gap_complementary": "Skillnad i kompletterande/rörlig lön per år, %",
    "share_women": "Andel kvinnor, %",
    "share_men": "Andel män, %",
    "gap_total_hourly": "Skillnad i timlön, totalt, %",
    "gap_base_hourly": "Skillnad i timlön, grundlön, %",
    "gap_complementary_hourly": "Skillnad i timlön, kompletterande delar, %",
}
# (point, measure, figure id of the Article 9 report) for the organisation-wide points.
_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("a", "gap_annual", "gap_mean_annual"),
    ("a", "gap_hourly", "gap_mean_hourly"),
    ("b", "gap_complementary", "variable_gap_mean"),
    ("c", "gap_annual", "gap_median_annual"),
    ("c", "gap_hourly", "gap_median_hourly"),
    ("d", "gap_complementary", "variable_gap_median"),
    ("e", "share_women", "share_variable_women"),
    ("e", "share_men", "share_variable_men"),
)
_CATEGORY_COLUMNS = (
    ("gap_total_hourly", "gap_pct"),
    ("gap_base_hourly", "base_gap_pct"),
    ("gap_complementary_hourly", "variable_gap_pct"),
)


@dataclass(frozen=True)
class ReportValue:
    point: str  # a..g
    category: str  # "" = whole organisation; "Q1".."Q4"; a category of workers
    measure: str  # a key of MEASURES_SV
    value: float | None
    unit: str = "%"

    @property
    def point_sv(self) -> str:
        return POINTS_SV[self.point]

    @property
    def measure_sv(self) -> str:
        return MEASURES_SV[self.measure]


def _num(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def keyed_values(report: TransparencyReport) -> list[ReportValue]:
    out = [ReportValue(p, "", m, report.figure(fid)) for p, m, fid in _FIGURES]
    for q in report.quartiles.iter_rows(named=True):
        for measure in ("share_women", "share_men"):
            out.append(ReportValue("f", f"Q{q['band']}", measure, _num(q[measure])))
    for c in report.categories.iter_rows(named=True):
        for measure, col in _CATEGORY_COLUMNS:
            out.append(ReportValue("g", str(c["category"]), measure, _num(c[col])))
    return out


def flagged_categories(report: TransparencyReport) -> pl.DataFrame:
    """Categories with a gap of at least the threshold (Art. 10): category, gap_pct."""
    return report.categories.filter(pl.col("joint_assessment")).select("category", "gap_pct")
