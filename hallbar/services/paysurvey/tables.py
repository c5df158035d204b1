"""Presentation of pay-survey results: Swedish column names, a definition for every
figure, and small-group suppression, so pages, JSON and exports show the same table.

Suppression rule for tables by gender: a row whose women or men number 1 to
``min_n − 1`` shows no pay figures, and the small count itself is hidden
(``hallbar.privacy.suppression.is_small``). A gender with no one at all (0) is
not hidden: an empty group says nothing about anyone.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from hallbar.core.describe import Description, FigureTable
from hallbar.privacy.suppression import REASON_COL, SUPPRESSED_COL, SuppressionRule

SOURCE = "Hållbars lönekartläggning (Diskrimineringslagen 3 kap. 8–13 §)"

# source column -> (Swedish label, unit, definition)
COLUMNS: dict[str, tuple[str, str, str]] = {
    "job": ("Befattning", "", "Lokal befattning eller AID-etikett."),
    "job_other": ("Jämförs med", "", "Det icke kvinnodominerade arbete som jämförs."),
    "comparison": ("Jämförelse", "", "Likvärdigt arbete eller lägre krav men högre lön."),
    "band": ("Värdenivå", "", "Värdenivå enligt arbetsvärderingen."),
    "band_label": ("Värdenivå", "", "Värdenivå enligt arbetsvärderingen (poängintervall)."),
    "value": ("Arbetsvärde", "poäng", "Arbetsvärde 0–1000 enligt arbetsvärderingen."),
    "value_other": ("Arbetsvärde, jämfört arbete", "poäng", "Det jämförda arbetets värde."),
    "n": ("Antal", "personer", "Antal anställda i gruppen."),
    "n_other": ("Antal, jämfört arbete", "personer", "Antal anställda i det jämförda arbetet."),
    "n_women": ("Antal kvinnor", "personer", "Antal kvinnor i gruppen."),
    "n_men": ("Antal män", "personer", "Antal män i gruppen."),
    "share_women": ("Andel kvinnor", "%", "Antal kvinnor / alla i gruppen × 100."),
    "mean_women": ("Medellön kvinnor", "kr", "Kvinnornas genomsnittliga månadslön (heltid)."),
    "mean_men": ("Medellön män", "kr", "Männens genomsnittliga månadslön (heltid)."),
    "median_women": ("Medianlön kvinnor", "kr", "Mittersta månadslönen bland kvinnorna."),
    "median_men": ("Medianlön män", "kr", "Mittersta månadslönen bland männen."),
    "women_pct_of_men_mean": (
        "Kvinnors lön i % av mäns",
        "%",
        "Kvinnornas medellön / männens medellön × 100.",
    ),
    "women_pct_of_men_median": (
        "Kvinnors medianlön i % av mäns",
        "%",
        "Kvinnornas medianlön / männens medianlön × 100.",
    ),
    "diff_kr": (
        "Skillnad (kr)",
        "kr",
        "Mäns medellön − kvinnors medellön; för kvinnodominerade arbeten: det jämförda "
        "arbetets medellön − det kvinnodominerade arbetets. Positivt = kvinnor lägre.",
    ),
    "p_value": (
        "p-värde",
        "kvot",
        "Welch t-test av skillnaden i medellön; görs bara när båda könen har minst det "
        "minsta antalet.",
    ),
    "mean_pay": ("Medellön", "kr", "Genomsnittlig månadslön (heltid) i arbetet."),
    "mean_pay_other": ("Medellön, jämfört arbete", "kr", "Det jämförda arbetets medellön."),
    "pct_of_other_mean": (
        "Lön i % av jämfört arbete",
        "%",
        "Det kvinnodominerade arbetets medellön / det jämförda arbetets × 100.",
    ),
    "p10": ("P10", "kr", "10:e percentilen av månadslönen (linjär interpolation)."),
    "p50": ("Median (P50)", "kr", "50:e percentilen av månadslönen."),
    "p90": ("P90", "kr", "90:e percentilen av månadslönen."),
    "p90_p10": ("Lönespridning P90/P10", "kvot", "P90 delat med P10."),
}


def column_description(col: str) -> Description:
    label, unit, definition = COLUMNS[col]
    return Description(
        id=label,
        name_sv=label,
        definition_sv=definition,
        population_sv="Anställda med månadslön i gruppen.",
        unit=unit,
        source=SOURCE,
    )


def suppress_small(
    frame: pl.DataFrame,
    rule: SuppressionRule,
    count_cols: Sequence[str] = ("n_women", "n_men"),
    value_cols: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Null the value columns of rows with a small (1..min_n−1) count, and the small counts.

    (A job's women and men beside its total are not for this rule: hiding only the small
    one gives it by subtraction. The pay structure asks ``services.disclosure``.)
    """
    if value_cols is None:
        value_cols = [c for c, t in frame.schema.items() if t.is_numeric() and c not in count_cols]
    keys = {"band", "value", "value_other"}
    value_cols = [c for c in value_cols if c not in keys]

    def small(c: str) -> pl.Expr:
        return pl.col(c).is_not_null() & (pl.col(c) > 0) & (pl.col(c) < rule.min_n)

    row_small = pl.lit(False)
    for c in count_cols:
        row_small = row_small | small(c)
    flagged = frame.with_columns(
        row_small.fill_null(False).alias(SUPPRESSED_COL),
        *[small(c).fill_null(False).alias(f"_small_{c}") for c in count_cols],
    )
    out = flagged.with_columns(
        *[
            pl.when(pl.col(SUPPRESSED_COL)).then(None).otherwise(pl.col(c)).alias(c)
            for c in value_cols
        ],
        *[
            pl.when(pl.col(f"_small_{c}")).then(None).otherwise(pl.col(c)).alias(c)
            for c in count_cols
        ],
        pl.when(pl.col(SUPPRESSED_COL))
        .then(pl.lit(rule.reason_sv))
        .otherwise(pl.lit(None, pl.String))
        .alias(REASON_COL),
    )
    return out.drop([f"_small_{c}" for c in count_cols])


def present(
    frame: pl.DataFrame,
    cols: Sequence[str],
    *,
    id: str,
    title: str,
    main: Sequence[Description] = (),
    notes: Sequence[str] = (),
) -> FigureTable:
    """Select ``cols`` under their Swedish labels, each with its own Description."""
    keep = [c for c in cols if c in frame.columns]
    extra = [c for c in (SUPPRESSED_COL, REASON_COL) if c in frame.columns]
    labels = {c: COLUMNS[c][0] for c in keep}
    out = frame.select(*keep, *extra).rename(labels)
    descs = [column_description(c) for c in keep if COLUMNS[c][1]]
    return FigureTable(id, title, out, (*main, *descs), tuple(notes))


def page_of(frame: pl.DataFrame, page: int, per_page: int) -> tuple[pl.DataFrame, int, int]:
    """(rows of the page, the page actually shown (1-based), number of pages)."""
    pages = max(1, -(-frame.height // per_page))
    page = min(max(1, page), pages)
    return frame.slice((page - 1) * per_page, per_page), page, pages
