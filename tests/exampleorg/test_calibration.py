"""The generated organisation meets its calibration targets (docs/example-organisation.md).

Every figure is computed here with plain Polars arithmetic from the exported
frames; targets and tolerances are the ones documented, with their sources.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from conftest import AS_OF, SIZE, active_on

from hallbar.exampleorg import ExampleExport

YEAR = 2025
Y0, Y1 = date(YEAR, 1, 1), date(YEAR, 12, 31)
NOVEMBER = date(YEAR, 11, 1)


def _share(frame: pl.DataFrame, condition: pl.Expr) -> float:
    return float(frame.select(condition.cast(pl.Float64).mean()).item())


# --- headcount, gender, age ------------------------------------------------------


def test_headcount_at_as_of_is_the_requested_size(monthly_paid_now: pl.DataFrame) -> None:
    assert monthly_paid_now["personnummer"].n_unique() == SIZE
    assert monthly_paid_now["anstallnings_id"].n_unique() == SIZE  # one row each in force


def test_women_share_overall_and_by_occupation(monthly_paid_now: pl.DataFrame) -> None:
    # SKR personalstatistik: about 78–80 % women in municipalities.
    assert 0.76 <= _share(monthly_paid_now, pl.col("woman")) <= 0.82
    by_title = monthly_paid_now.group_by("befattning").agg(
        pl.col("woman").mean().alias("women"), pl.len().alias("n")
    )
    women = dict(zip(by_title["befattning"], by_title["women"], strict=True))
    assert women["Undersköterska"] >= 0.85  # SCB: ~90 % women
    assert women["Förskollärare"] >= 0.92  # SCB: ~95–96 % women
    assert women["Barnskötare"] >= 0.85
    assert women["Fastighetsskötare"] <= 0.30  # SCB: ~85 % men
    assert women["Tekniker"] <= 0.40


def test_age_distribution(monthly_paid_now: pl.DataFrame) -> None:
    # Age in whole years on as_of from the birth date in the personnummer.
    ages = monthly_paid_now.select(
        ((pl.lit(AS_OF) - pl.col("birth")).dt.total_days() / 365.25).alias("age")
    )["age"]
    assert 43.0 <= float(ages.mean()) <= 47.0  # SKR: mean age ≈ 45
    assert float(ages.min()) >= 19.0
    assert float(ages.max()) < 70.0  # LAS age 69
    old = float((ages >= 67).mean())
    assert 0.0 < old < 0.02  # a few work past 67


# --- occupational mix and structure -----------------------------------------------


def test_occupational_mix(monthly_paid_now: pl.DataFrame) -> None:
    ssyk = monthly_paid_now["ssyk"]
    n = ssyk.len()
    care = ssyk.is_in(["5321", "5330", "5342", "5343", "2221", "2272", "2273", "3353"]).sum() / n
    preschool = ssyk.is_in(["2343", "5311"]).sum() / n
    school = ssyk.is_in(["2341", "2342", "2352", "5312", "2330", "2662"]).sum() / n
    # SKR personalstatistik: ≈30 % elderly care/LSS, ≈20 % preschool, ≈20 % school.
    assert 0.26 <= care <= 0.36
    assert 0.15 <= preschool <= 0.22
    assert 0.17 <= school <= 0.26


def test_every_unit_has_a_manager_employed_in_it(
    export: ExampleExport, monthly_paid_now: pl.DataFrame
) -> None:
    units = export.tables["units"]
    assert units["chef_personnummer"].null_count() == 0
    managers = monthly_paid_now.filter(pl.col("chefsansvar") == "ja").select(
        "personnummer", "enhet_id"
    )
    joined = units.join(
        managers,
        left_on=["chef_personnummer", "enhet_id"],
        right_on=["personnummer", "enhet_id"],
        how="inner",
    )
    assert joined.height == units.height


def test_staff_per_first_line_manager(
    export: ExampleExport, monthly_paid_now: pl.DataFrame
) -> None:
    units = export.tables["units"]
    leaves = units.filter(
        ~pl.col("enhet_id").is_in(units["overordnad_enhet_id"].drop_nulls().implode())
    )
    per_unit = (
        monthly_paid_now.filter(pl.col("enhet_id").is_in(leaves["enhet_id"].implode()))
        .group_by("enhet_id")
        .len()
    )
    mean = float(per_unit["len"].mean())
    assert 15 <= mean <= 45  # domain-rules §8: typically 10–60, elderly care 40–60
    elderly = per_unit.join(leaves, on="enhet_id").filter(
        pl.col("enhetsnamn").str.starts_with("Äldreboende")
    )
    assert 35 <= float(elderly["len"].median()) <= 65


# --- employment form, full time, turnover -----------------------------------------


def test_permanent_share(monthly_paid_now: pl.DataFrame) -> None:
    # Kolada N00200: about 85–88 % of monthly-paid staff are permanent.
    assert 0.84 <= _share(monthly_paid_now, pl.col("anstallningsform") == "tillsvidare") <= 0.89


def test_full_time_employed_and_working(employments: pl.DataFrame, absences: pl.DataFrame) -> None:
    # Kolada N00206 / N00209 (November, permanent monthly-paid): 86 % and 74 % nationally 2022.
    permanent = active_on(employments, NOVEMBER).filter(pl.col("anstallningsform") == "tillsvidare")
    employed_full = permanent.filter(pl.col("sysselsattningsgrad") == 100)
    on_leave = absences.filter(
        pl.col("orsak").is_in(["föräldraledig", "tjänstledig"])
        & (pl.col("from_datum") <= NOVEMBER)
        & (pl.col("tom_datum") >= NOVEMBER)
    )["anstallnings_id"]
    working_full = employed_full.filter(~pl.col("anstallnings_id").is_in(on_leave.implode()))
    assert 0.83 <= employed_full.height / permanent.height <= 0.89
    assert 0.71 <= working_full.height / permanent.height <= 0.77


def test_turnover_of_permanent_staff(employments: pl.DataFrame) -> None:
    # Kolada N00216: 8.4 % of permanent staff left (municipalities, 2022).
    last_rows = employments.filter(pl.col("avgangsorsak").is_not_null())
    leavers = last_rows.filter(
        (pl.col("anstallningsform") == "tillsvidare") & pl.col("slutdatum").is_between(Y0, Y1)
    )
    at_start = active_on(employments, Y0).filter(pl.col("anstallningsform") == "tillsvidare")
    turnover = leavers.height / at_start.height
    assert 0.065 <= turnover <= 0.10
    reasons = leavers["avgangsorsak"].value_counts()
    shares = dict(zip(reasons["avgangsorsak"], reasons["count"] / leavers.height, strict=True))
    assert 0.45 <= shares["egen begäran"] <= 0.75
    assert 0.18 <= shares["pension"] <= 0.40
    pension_ages = leavers.filter(pl.col("avgangsorsak") == "pension").select(
        ((pl.col("slutdatum") - pl.col("birth")).dt.total_days() / 365.25).alias("age")
    )["age"]
    assert float(pension_ages.min()) >= 65.0
    assert float(pension_ages.max()) < 69.5


def test_new_hires_replace_leavers(employments: pl.DataFrame) -> None:
    first_start = employments.group_by("anstallnings_id").agg(pl.col("startdatum").min())
    hires = first_start.filter(pl.col("startdatum").is_between(Y0, Y1)).height
    leavers = employments.filter(
        pl.col("avgangsorsak").is_not_null() & pl.col("slutdatum").is_between(Y0, Y1)
    ).height
    # Growth about 1 % a year: hires slightly exceed leavers.
    assert 0.95 <= hires / leavers <= 1.25


# --- pay ------------------------------------------------------------------------------


def test_median_pay_per_occupation(monthly_paid_now: pl.DataFrame) -> None:
    # SCB lönestrukturstatistik, municipal sector 2024 (approximate public levels), ±6 %.
    targets = {
        "Undersköterska": 31500,
        "Förskollärare": 39000,
        "Grundskollärare": 43000,
        "Barnskötare": 29000,
        "Socialsekreterare": 42000,
        "Enhetschef äldreomsorg": 55000,
    }
    medians = monthly_paid_now.group_by("befattning").agg(pl.col("manadslon").median())
    got = dict(zip(medians["befattning"], medians["manadslon"], strict=True))
    for title, target in targets.items():
        assert abs(got[title] / target - 1) <= 0.06, (title, got[title], target)


def test_some_unexplained_gender_gap_within_occupations(monthly_paid_now: pl.DataFrame) -> None:
    usk = monthly_paid_now.filter(pl.col("befattning") == "Undersköterska")
    men = float(usk.filter(~pl.col("woman"))["manadslon"].mean())
    women = float(usk.filter(pl.col("woman"))["manadslon"].mean())
    assert 0.0 < men / women - 1 < 0.06


# --- sick leave (SKR's key figures, domain-rules §1) ------------------------------------


def _sick_leave_frames(
    employments: pl.DataFrame, absences: pl.DataFrame, working_time: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Sick hours in YEAR (spell hours prorated by days in the year) and ordinary hours."""
    people = (
        employments.group_by("anstallnings_id")
        .agg(pl.col("woman").first(), pl.col("birth").first())
        .with_columns(
            ((pl.lit(Y1) - pl.col("birth")).dt.total_days() / 365.25).floor().alias("age")
        )
    )
    sick = (
        absences.filter(
            (pl.col("orsak") == "sjuk") & (pl.col("from_datum") <= Y1) & (pl.col("tom_datum") >= Y0)
        )
        .with_columns(
            ((pl.col("tom_datum") - pl.col("from_datum")).dt.total_days() + 1).alias("days"),
            (
                (
                    pl.min_horizontal(pl.col("tom_datum"), pl.lit(Y1))
                    - pl.max_horizontal(pl.col("from_datum"), pl.lit(Y0))
                ).dt.total_days()
                + 1
            ).alias("in_year"),
        )
        .with_columns((pl.col("timmar") * pl.col("in_year") / pl.col("days")).alias("h"))
        .join(people, on="anstallnings_id")
    )
    hours = working_time.filter(pl.col("month_start").dt.year() == YEAR).join(
        people, on="anstallnings_id"
    )
    return sick, hours


def test_sick_leave_key_figures(
    employments: pl.DataFrame, absences: pl.DataFrame, working_time: pl.DataFrame
) -> None:
    sick, hours = _sick_leave_frames(employments, absences, working_time)

    def rate(cond: pl.Expr) -> float:
        return float(sick.filter(cond)["h"].sum() / hours.filter(cond)["ordinarie_timmar"].sum())

    total = rate(pl.lit(True))
    women, men = rate(pl.col("woman")), rate(~pl.col("woman"))
    young, middle, old = (
        rate(pl.col("age") <= 29),
        rate(pl.col("age").is_between(30, 49)),
        rate(pl.col("age") >= 50),
    )
    # SKR: municipalities ≈ 7 % (women ≈ 8 %, men ≈ 5 %), higher with age.
    assert 0.06 <= total <= 0.08, total
    assert 0.068 <= women <= 0.092, women
    assert 0.038 <= men <= 0.062, men
    assert young < old and middle < old, (young, middle, old)
    long_share = float(sick.filter(pl.col("days") >= 60)["h"].sum() / sick["h"].sum())
    assert 0.35 <= long_share <= 0.50, long_share  # SKR: ≈ 40–45 % of sick hours


def test_repeated_short_spells_for_some(absences: pl.DataFrame) -> None:
    # domain-rules §3: 6 or more spells in 12 months flags repeated short-term absence.
    spells = (
        absences.filter((pl.col("orsak") == "sjuk") & (pl.col("from_datum").dt.year() == YEAR))
        .group_by("personnummer")
        .len()
    )
    repeated = spells.filter(pl.col("len") >= 6).height
    assert repeated / SIZE >= 0.03


# --- working time, agency staff --------------------------------------------------------


def test_overtime_ob_split_shifts_and_agency(
    export: ExampleExport, working_time: pl.DataFrame, employments: pl.DataFrame
) -> None:
    wt = working_time.filter(pl.col("month_start").dt.year() == YEAR)
    titles = employments.group_by("anstallnings_id").agg(pl.col("befattning").last())
    wt = wt.join(titles, on="anstallnings_id")
    usk = wt.filter(pl.col("befattning") == "Undersköterska")
    ob_share = float(usk["ob_timmar"].sum() / usk["ordinarie_timmar"].sum())
    assert 0.2 <= ob_share <= 0.4
    assert usk["delade_turer"].sum() > 0
    assert wt["overtid_timmar"].sum() > 0
    assert wt["mertid_timmar"].sum() > 0
    agency = export.tables["agency_staff"]
    assert set(agency["yrke"].unique()) == {"2661", "2221"}
    assert (agency["kostnad"] / agency["timmar"]).is_between(800, 1200).all()
