"""Agency staff (inhyrd personal): per occupation for the year and per occupation and
month, with the organisation's monthly line beside a chosen occupation's — the
regions' 'hyrstopp' follow-up.

Agency hours and cost describe a supplier's invoices and are shown as they are.
The own personnel cost of a small occupation would reveal pay, so it (and the
share computed from it) is protected exactly as in the yearly table: hidden when
the occupation has fewer own monthly-paid staff than the smallest group, with
secondary suppression against the total row. The monthly tables hide the very
occupations the yearly table hides, in every month, so neither a month nor the
year can be recovered from the other (a hidden occupation is never shown in one
month and hidden in the next).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from hallbar.core.access import Principal
from hallbar.core.describe import ChartSpec, Description, FigureTable
from hallbar.core.errors import HallbarError
from hallbar.indicators import registry
from hallbar.indicators.agency import AgencyMonthly, agency_staff_monthly
from hallbar.indicators.registry import FigureResult
from hallbar.privacy.suppression import (
    REASON_COL,
    SECONDARY_REASON_SV,
    SUPPRESSED_COL,
    Dimension,
    SuppressionRule,
    suppress,
)
from hallbar.services.figures import charts
from hallbar.services.figures.overview import ScopeInfo, info_of
from hallbar.services.figures.request import (
    TOTAL,
    FigureInputError,
    FigureRequest,
    Selection,
    dimension_labels,
    label_column,
    open_selection,
    pack_for,
)
from hallbar.services.figures.tables import COUNT_LABEL, min_group

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

FIGURE = "agency_staff"
MONTH = "Månad"
OCCUPATION = "Yrke"
WHOLE = "Hela urvalet"
OWN_NOTE = "Antal personer = egen månadsavlönad personal i yrket på mätdagen."
HIDDEN_NOTE = (
    "Egen personalkostnad och andel döljs för yrken med färre egna anställda än minsta "
    "gruppstorlek, och för de yrken som annars skulle avslöja dem – samma yrken varje månad."
)


def _desc(col: str, name: str, unit: str, definition: str) -> Description:
    base = registry.get(FIGURE).description
    return Description(
        id=col,
        name_sv=name,
        definition_sv=definition,
        population_sv=base.population_sv,
        unit=unit,
        source=base.source,
        min_group_size=base.min_group_size,
        higher_is_better=False,
    )


HOURS = _desc("inhyrda_timmar", "Inhyrd tid", "timmar", "Timmar fakturerade av bemanningsföretag.")
COST = _desc(
    "inhyrd_kostnad",
    "Kostnad inhyrd",
    "kr",
    "Kostnad fakturerad av bemanningsföretag.",
)
OWN = _desc(
    "egen_personalkostnad",
    "Egen personalkostnad",
    "kr",
    "Fast lön + tillägg + rörlig lön för egen personal, plus personalomkostnadspålägg.",
)
SHARE = _desc(
    "andel",
    "Andel av personalkostnad",
    "%",
    registry.get(FIGURE).description.definition_sv,
)
SHARE_WHOLE = _desc(
    "andel_hela",
    "Andel, hela urvalet",
    "%",
    "Kostnad för inhyrd personal i procent av den egna personalkostnaden, alla yrken.",
)
SHARE_CHOSEN = _desc(
    "andel_yrke",
    "Andel, valt yrke",
    "%",
    "Kostnad för inhyrd personal i yrket i procent av yrkets egen personalkostnad.",
)
RENAMES = {
    "agency_hours": HOURS.id,
    "agency_cost": COST.id,
    "personnel_cost": OWN.id,
    "value": SHARE.id,
}
DESCRIPTIONS = (HOURS, COST, OWN, SHARE, registry.get(FIGURE).description)


# --- the yearly table (one row per occupation) ------------------------------------------


def yearly_protected(scope: Selection, frame: pl.DataFrame, min_n: int) -> pl.DataFrame:
    """Per occupation for the year, with a total row; own cost and share protected.

    Columns: occupation (code or TOTAL), n, agency_hours, agency_cost,
    personnel_cost, value, suppressed, suppression_reason.
    """
    key = scope.params.occupation_key
    yearly = frame.group_by("occupation").agg(
        pl.col("agency_hours").sum(), pl.col("agency_cost").sum(), pl.col("personnel_cost").sum()
    )
    try:
        heads = registry.compute("headcount", scope.data, scope.params.with_(by=(key,))).frame
        counts = heads.select(pl.col(key).cast(pl.String).alias("occupation"), "n")
    except HallbarError:
        counts = pl.DataFrame(schema={"occupation": pl.String, "n": pl.Int64})
    yearly = yearly.join(counts, on="occupation", how="left").with_columns(
        pl.col("n").fill_null(0).cast(pl.Int64)
    )
    total = yearly.select(
        pl.lit(TOTAL).alias("occupation"),
        pl.col("agency_hours").sum(),
        pl.col("agency_cost").sum(),
        pl.col("personnel_cost").sum(),
        pl.col("n").sum(),
    )
    both = pl.concat([yearly, total.select(yearly.columns)]).with_columns(
        value=pl.when(pl.col("personnel_cost") > 0).then(
            100.0 * pl.col("agency_cost") / pl.col("personnel_cost")
        )
    )
    safe = suppress(
        both,
        count_col="n",
        value_cols=["personnel_cost", "value"],
        rule=SuppressionRule(min_n),
        dimensions=[Dimension("occupation", total=TOTAL)],
        hide_count=True,
    ).frame
    return (
        safe.with_columns((pl.col("occupation") == TOTAL).alias("_t"))
        # Occupation breaks ties (many have no agency cost), so every process and
        # worker lists the rows in one order.
        .sort(["_t", "agency_cost", "occupation"], descending=[False, True, False])
        .drop("_t")
    )


def agency_table(
    scope: Selection,
    totals: dict[str, FigureResult],
    settings_min: int,
    safe: pl.DataFrame | None = None,
) -> FigureTable:
    """Agency hours and cost per occupation for the year, beside the own personnel cost
    (``safe``: the protected frame when the caller has it already)."""
    figure = registry.get(FIGURE)
    min_n = min_group(FIGURE, settings_min)
    if safe is None:
        safe = yearly_protected(scope, totals[FIGURE].frame, min_n)
    labels = dimension_labels(scope, scope.params.occupation_key)
    frame = _renamed(
        safe.select(
            label_column(safe, "occupation", labels).alias(OCCUPATION),
            pl.col("n").alias(COUNT_LABEL),
            "agency_hours",
            "agency_cost",
            "personnel_cost",
            "value",
            SUPPRESSED_COL,
            REASON_COL,
        )
    )
    return FigureTable(
        FIGURE,
        f"{figure.description.name_sv} {scope.year}",
        frame,
        DESCRIPTIONS,
        (OWN_NOTE, f"Grupper med färre än {min_n} personer visas inte."),
        ChartSpec(OCCUPATION, (SHARE.id,), "bar", SHARE.name_sv),
    )


# --- per month ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyView:
    info: ScopeInfo
    occupation: str | None  # the occupation drawn beside the whole selection
    occupation_label: str | None
    occupation_choices: tuple[tuple[str, str], ...]  # occupations with agency or own cost
    monthly_total: FigureTable | None  # the selection per month (chart: cost)
    shares: FigureTable | None  # share per month: the selection and the occupation (chart)
    monthly: FigureTable | None  # occupation × month
    yearly: FigureTable | None  # occupation for the year
    svg_cost: str
    svg_share: str
    message_sv: str | None

    def tables(self) -> list[FigureTable]:
        return [
            t for t in (self.monthly_total, self.shares, self.monthly, self.yearly) if t is not None
        ]


def _month() -> pl.Expr:
    return pl.col("month").dt.strftime("%Y-%m").alias(MONTH)


def _hide(frame: pl.DataFrame, hidden: dict[str, str]) -> pl.DataFrame:
    """Null own cost and share of the occupations (or TOTAL) the yearly table hides."""
    is_hidden = pl.col("occupation").is_in(list(hidden))
    reason = pl.col("occupation").replace_strict(hidden, default=None, return_dtype=pl.String)
    return frame.with_columns(
        pl.when(is_hidden).then(None).otherwise(pl.col("personnel_cost")).alias("personnel_cost"),
        pl.when(is_hidden).then(None).otherwise(pl.col("value")).alias("value"),
        is_hidden.alias(SUPPRESSED_COL),
        pl.when(is_hidden).then(reason).otherwise(None).alias(REASON_COL),
    )


def _renamed(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.rename({k: v for k, v in RENAMES.items() if k in frame.columns})


def _monthly_frames(
    monthly: AgencyMonthly, hidden: dict[str, str]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(whole selection per month, occupation × month with TOTAL rows), both protected."""
    cols = ["month", "agency_hours", "agency_cost", "personnel_cost", "value"]
    total = _hide(
        monthly.total.select(cols).with_columns(pl.lit(TOTAL).alias("occupation")), hidden
    )
    occ = _hide(monthly.by_occupation.select("occupation", *cols), hidden)
    long = pl.concat([occ, total.select(occ.columns)]).with_columns(
        (pl.col("occupation") == TOTAL).alias("_t")
    )
    long = long.sort(["_t", "occupation", "month"]).drop("_t")
    return total.drop("occupation"), long


def _line(frame: pl.DataFrame, col: str, months: list[str]) -> list[float | None]:
    got = dict(zip(frame[MONTH].to_list(), frame[col].to_list(), strict=True))
    return [None if got.get(m) is None else float(got[m]) for m in months]


def agency_view(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    request: FigureRequest,
    occupation: str | None = None,
) -> AgencyView:
    """Agency staff per month for the selection and per occupation (``occupation``: the
    occupation drawn beside the whole selection; default the costliest)."""
    scope = open_selection(hb, principal, org_id, request)
    info = info_of(hb, scope)

    def empty(message: str, choices: tuple[tuple[str, str], ...] = ()) -> AgencyView:
        return AgencyView(info, None, None, choices, None, None, None, None, "", "", message)

    if FIGURE in scope.inapplicable:
        return empty(scope.inapplicable[FIGURE])
    pack = pack_for(hb, scope)
    if FIGURE not in pack.results:
        return empty(pack.missing.get(FIGURE, "Uppgifter om inhyrd personal saknas."))
    monthly = agency_staff_monthly(scope.data, scope.params)
    min_n = min_group(FIGURE, hb.settings.min_group_size)
    yearly = yearly_protected(scope, pack.results[FIGURE].frame, min_n)
    hidden = {
        str(o): r or SECONDARY_REASON_SV
        for o, s, r in yearly.select("occupation", SUPPRESSED_COL, REASON_COL).iter_rows()
        if s
    }
    labels = dimension_labels(scope, scope.params.occupation_key)
    order = [o for o in yearly["occupation"].to_list() if o != TOTAL]
    choices = tuple((str(o), labels.get(str(o), str(o))) for o in order)
    if occupation is not None and occupation not in dict(choices):
        raise FigureInputError(
            f"Yrket '{occupation}' har ingen inhyrd personal eller egen personalkostnad i urvalet. "
            "Välj ett yrke i listan."
        )
    chosen = occupation or (order[0] if order else None)
    whole, long = _monthly_frames(monthly, hidden)
    months = [d.strftime("%Y-%m") for d in monthly.months]
    whole = _renamed(whole.with_columns(_month()).drop("month"))
    long = long.with_columns(_month()).drop("month")
    long_table = FigureTable(
        "inhyrd_yrke_manad",
        f"Inhyrd personal per yrke och månad {scope.year}",
        _renamed(long).select(
            label_column(long, "occupation", labels).alias(OCCUPATION),
            MONTH,
            HOURS.id,
            COST.id,
            OWN.id,
            SHARE.id,
            SUPPRESSED_COL,
            REASON_COL,
        ),
        DESCRIPTIONS,
        (HIDDEN_NOTE, f"Grupper med färre än {min_n} personer visas inte."),
    )
    total_table = FigureTable(
        "inhyrd_manad",
        f"Inhyrd personal per månad {scope.year} – {scope.label}",
        whole.select(MONTH, HOURS.id, COST.id, OWN.id, SHARE.id, SUPPRESSED_COL, REASON_COL),
        DESCRIPTIONS,
        (HIDDEN_NOTE,),
        ChartSpec(MONTH, (COST.id,), "line", "Kostnad för inhyrd personal per månad (kr)"),
    )
    chosen_label = labels.get(chosen, chosen) if chosen else None
    share_frame = whole.select(MONTH, pl.col(SHARE.id).alias(SHARE_WHOLE.id))
    if chosen is not None:
        mine = long.filter(pl.col("occupation") == chosen)
        share_frame = share_frame.join(
            mine.select(MONTH, pl.col("value").alias(SHARE_CHOSEN.id)), on=MONTH, how="left"
        )
    share_descs = (SHARE_WHOLE, SHARE_CHOSEN) if chosen is not None else (SHARE_WHOLE,)
    shares = FigureTable(
        "inhyrd_andel",
        f"Andel av personalkostnaden per månad: hela urvalet och {chosen_label or 'yrket'}",
        share_frame,
        share_descs,
        (f"Valt yrke: {chosen_label}." if chosen_label else "Inget yrke valt.", HIDDEN_NOTE),
        ChartSpec(
            MONTH,
            tuple(d.id for d in share_descs),
            "line",
            "Andel av personalkostnaden per månad (%)",
        ),
    )
    svg_cost, svg_share = _charts(scope, whole, long, chosen, chosen_label, months)
    return AgencyView(
        info,
        chosen,
        chosen_label,
        choices,
        total_table,
        shares,
        long_table,
        agency_table(scope, pack.results, hb.settings.min_group_size, yearly),
        svg_cost,
        svg_share,
        None,
    )


def _charts(
    scope: Selection,
    whole: pl.DataFrame,
    long: pl.DataFrame,
    chosen: str | None,
    chosen_label: str | None,
    months: list[str],
) -> tuple[str, str]:
    mine = long.filter(pl.col("occupation") == chosen) if chosen is not None else None
    cost = [(WHOLE, _line(whole, COST.id, months))]
    share = [(WHOLE, _line(whole, SHARE.id, months))]
    if mine is not None and chosen_label:
        cost.append((chosen_label, _line(mine, "agency_cost", months)))
        share.append((chosen_label, _line(mine, "value", months)))
    gap = "Dolda värden (små grupper) och månader utan egen personalkostnad visas som avbrott."
    svg_cost = charts.line_chart(
        "agency-cost",
        months,
        cost,
        title=f"Kostnad för inhyrd personal per månad – {scope.label}",
        desc="Linjediagram i kronor: hela urvalet och det valda yrket.",
        unit="kr",
        decimals=0,
    )
    svg_share = charts.line_chart(
        "agency-share",
        months,
        share,
        title=f"Inhyrd personal i procent av personalkostnaden per månad – {scope.label}",
        desc=f"Linjediagram i procent: hela urvalet och det valda yrket. {gap}",
        unit="%",
    )
    return svg_cost, svg_share
