"""Equal work, equivalent work and women-dominated work (DiskL 3 kap. 10 §).

Every comparison table lists, per group: number of women and men, mean and
median pay by gender, women's mean (and median) pay as a percentage of men's,
and the difference in kronor (men's mean − women's mean). Groups with fewer
than ``min_gender_group`` women or men get no statistical test (Welch's t-test
of mean pay) but an individual comparison: each person's pay against the
group median.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
from scipy import stats

from hallbar.core.describe import Description, FigureTable
from hallbar.paysurvey.notices import Notice

W, M = "K", "M"

STATS_DESCRIPTION = Description(
    id="pay_by_gender",
    name_sv="Lön för kvinnor och män",
    definition_sv=(
        "Antal, medel- och medianlön för kvinnor och män; kvinnors lön i procent av mäns "
        "(medelvärde och median); skillnad i kronor = mäns medellön − kvinnors medellön. "
        "Lön = månadslön omräknad till heltid (med fasta tillägg om det valts). Welch t-test "
        "görs bara när båda könen har minst det minsta antalet."
    ),
    population_sv="Anställda med månadslön i befattningen eller värdenivån.",
    unit="kr",
    source="Diskrimineringslagen 3 kap. 8–10 §; DO:s vägledning om lönekartläggning",
)
JOB_PAIR_DESCRIPTION = Description(
    id="women_dominated_pairs",
    name_sv="Kvinnodominerade arbeten jämförda med andra arbeten",
    definition_sv=(
        "Ett arbete är kvinnodominerat när andelen kvinnor är minst gränsen (normalt 60 %). "
        "Det jämförs med icke kvinnodominerade arbeten i samma värdenivå (likvärdiga) och med "
        "icke kvinnodominerade arbeten med lägre arbetsvärde men högre medellön. Andel = det "
        "kvinnodominerade arbetets medellön i procent av det andra arbetets; skillnad i kronor = "
        "det andra arbetets medellön − det kvinnodominerade arbetets."
    ),
    population_sv="Värderade befattningar med månadsavlönade anställda.",
    unit="kr",
    source="Diskrimineringslagen 3 kap. 10 § andra stycket; DO:s vägledning (60 %)",
)


@dataclass(frozen=True)
class Comparison:
    table: FigureTable
    individuals: pl.DataFrame  # person-level rows for groups under the small-group rule
    notices: tuple[Notice, ...] = field(default=())


def gender_stats(frame: pl.DataFrame, by: list[str]) -> pl.DataFrame:
    """Per group in ``by``: counts, mean and median pay by gender, share and difference."""
    pay, g = pl.col("pay"), pl.col("gender")
    out = frame.group_by(by, maintain_order=True).agg(
        (g == W).sum().cast(pl.Int64).alias("n_women"),
        (g == M).sum().cast(pl.Int64).alias("n_men"),
        pay.filter(g == W).mean().alias("mean_women"),
        pay.filter(g == M).mean().alias("mean_men"),
        pay.filter(g == W).median().alias("median_women"),
        pay.filter(g == M).median().alias("median_men"),
    )
    return out.with_columns(
        (100.0 * pl.col("mean_women") / pl.col("mean_men")).alias("women_pct_of_men_mean"),
        (100.0 * pl.col("median_women") / pl.col("median_men")).alias("women_pct_of_men_median"),
        (pl.col("mean_men") - pl.col("mean_women")).alias("diff_kr"),
    ).sort(by)


def _welch_p(frame: pl.DataFrame, by: list[str], eligible: pl.DataFrame) -> pl.DataFrame:
    keys, pvals = [], []
    if eligible.height:
        sub = frame.join(eligible.select(by), on=by, how="semi")
        for key, rows in sub.group_by(by, maintain_order=True):
            women = rows.filter(pl.col("gender") == W)["pay"].to_numpy()
            men = rows.filter(pl.col("gender") == M)["pay"].to_numpy()
            res = stats.ttest_ind(women, men, equal_var=False)
            keys.append(key)
            p = float(res.pvalue)
            pvals.append(
                p if p == p else 1.0
            )  # identical pay in both groups gives nan: no difference
    data: dict[str, list[object]] = {c: [k[i] for k in keys] for i, c in enumerate(by)}
    data["p_value"] = list(pvals)
    schema = {c: frame.schema[c] for c in by} | {"p_value": pl.Float64()}
    return pl.DataFrame(data, schema=schema)


def _with_tests(
    frame: pl.DataFrame, by: list[str], min_group: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    table = gender_stats(frame, by).with_columns(
        ((pl.col("n_women") >= min_group) & (pl.col("n_men") >= min_group)).alias("tested")
    )
    table = table.join(_welch_p(frame, by, table.filter(pl.col("tested"))), on=by, how="left")
    small = table.filter(~pl.col("tested") & (pl.col("n_women") > 0) & (pl.col("n_men") > 0))
    individuals = (
        frame.join(small.select(by), on=by, how="semi")
        .with_columns(pl.col("pay").median().over(by).alias("group_median"))
        .select(
            *by,
            "person_id",
            "gender",
            "age",
            "pay",
            "group_median",
            (pl.col("pay") - pl.col("group_median")).alias("diff_from_median_kr"),
        )
        .sort([*by, "gender", "pay"])
    )
    return table, individuals


def _small_and_one_gender_notices(
    table: pl.DataFrame, key: str, label: str, step: str, min_group: int
) -> list[Notice]:
    notices = []
    one = table.filter((pl.col("n_women") == 0) | (pl.col("n_men") == 0))
    if one.height:
        names = ", ".join(str(v) for v in one[key].to_list()[:10])
        notices.append(
            Notice(
                "one_gender",
                f"{one.height} {label} har bara kvinnor eller bara män och kan inte jämföras inom "
                f"gruppen ({names}{' …' if one.height > 10 else ''}). De jämförs i stället med "
                "andra arbeten i analysen av likvärdigt arbete.",
                level="information",
                step=step,
            )
        )
    small = table.filter(~pl.col("tested") & (pl.col("n_women") > 0) & (pl.col("n_men") > 0))
    if small.height:
        notices.append(
            Notice(
                "small_group",
                f"{small.height} {label} har färre än {min_group} kvinnor eller {min_group} män. "
                "Där görs ingen statistisk prövning, bara en jämförelse av varje persons lön mot "
                "gruppens median.",
                level="information",
                step=step,
            )
        )
    return notices


def equal_work(frame: pl.DataFrame, min_group: int = 5) -> Comparison:
    """Women and men in the same job (lika arbete)."""
    table, individuals = _with_tests(frame, ["job"], min_group)
    notices = _small_and_one_gender_notices(table, "job", "befattningar", "lika_arbete", min_group)
    return Comparison(
        FigureTable(
            "equal_work",
            "Lika arbete: kvinnor och män i samma befattning",
            table,
            (STATS_DESCRIPTION,),
        ),
        individuals,
        tuple(notices),
    )


def job_table(frame: pl.DataFrame, job_values: pl.DataFrame, threshold: float) -> pl.DataFrame:
    """One row per evaluated job: value, band, counts, women's share, dominance, pay."""
    stats_ = gender_stats(frame, ["job"])
    overall = frame.group_by("job").agg(
        pl.len().cast(pl.Int64).alias("n"),
        pl.col("pay").mean().alias("mean_pay"),
        pl.col("pay").median().alias("median_pay"),
    )
    return (
        job_values.join(overall, on="job", how="inner")
        .join(stats_, on="job", how="left")
        .with_columns((pl.col("n_women") / pl.col("n")).alias("share_women"))
        .with_columns((pl.col("share_women") >= threshold).alias("women_dominated"))
        .sort(["band", "value", "job"])
    )


def equivalent_work(
    frame: pl.DataFrame, job_values: pl.DataFrame, min_group: int = 5
) -> Comparison:
    """Women and men in jobs of the same value band (likvärdigt arbete)."""
    banded = frame.join(job_values.select("job", "band", "band_label"), on="job", how="inner")
    table, individuals = _with_tests(banded, ["band"], min_group)
    table = table.join(job_values.select("band", "band_label").unique(), on="band", how="left")
    notices = _small_and_one_gender_notices(
        table, "band", "värdenivåer", "likvardigt_arbete", min_group
    )
    # Differences in both directions: within-job gender gaps of opposite sign in one band.
    job_gaps = gender_stats(banded, ["band", "job"]).filter(pl.col("diff_kr").is_not_null())
    mixed = (
        job_gaps.group_by("band")
        .agg(
            (pl.col("diff_kr") > 0).any().alias("men_higher"),
            (pl.col("diff_kr") < 0).any().alias("women_higher"),
            pl.col("job").filter(pl.col("diff_kr") > 0).first().alias("job_men_higher"),
            pl.col("job").filter(pl.col("diff_kr") < 0).first().alias("job_women_higher"),
        )
        .filter(pl.col("men_higher") & pl.col("women_higher"))
        .sort("band")
    )
    for r in mixed.iter_rows(named=True):
        notices.append(
            Notice(
                "both_directions",
                f"I värdenivå {r['band']} går skillnaderna åt båda hållen: kvinnor har högre "
                f"medellön än män i '{r['job_women_higher']}' men lägre i '{r['job_men_higher']}'. "
                "Analysera befattningarna var för sig innan ni drar slutsatser om nivån som helhet.",
                step="likvardigt_arbete",
                subject=str(r["band"]),
            )
        )
    return Comparison(
        FigureTable(
            "equivalent_work",
            "Likvärdigt arbete: kvinnor och män i samma värdenivå",
            table,
            (STATS_DESCRIPTION,),
        ),
        individuals,
        tuple(notices),
    )


def women_dominated(
    frame: pl.DataFrame, job_values: pl.DataFrame, threshold: float = 0.60
) -> Comparison:
    """Women-dominated jobs vs non-women-dominated jobs of equal value and of lower value but higher pay."""
    jobs = job_table(frame, job_values, threshold)
    cols = [
        "job",
        "value",
        "band",
        "n",
        "n_women",
        "n_men",
        "mean_pay",
        "median_pay",
        "share_women",
    ]
    wd = jobs.filter(pl.col("women_dominated")).select(cols)
    other = jobs.filter(~pl.col("women_dominated")).select(cols)
    pairs = wd.join(other, how="cross", suffix="_other")
    same_band = pairs.filter(pl.col("band") == pl.col("band_other")).with_columns(
        pl.lit("likvärdigt arbete").alias("comparison")
    )
    lower = pairs.filter(
        (pl.col("value_other") < pl.col("value")) & (pl.col("mean_pay_other") > pl.col("mean_pay"))
    ).with_columns(pl.lit("lägre krav men högre lön").alias("comparison"))
    result = (
        pl.concat([same_band, lower])
        .with_columns(
            (100.0 * pl.col("mean_pay") / pl.col("mean_pay_other")).alias("pct_of_other_mean"),
            (pl.col("mean_pay_other") - pl.col("mean_pay")).alias("diff_kr"),
        )
        .sort(["comparison", "band", "job", "job_other"])
    )
    notices: list[Notice] = []
    signs = same_band.with_columns((pl.col("mean_pay_other") - pl.col("mean_pay")).alias("d"))
    mixed = (
        signs.group_by("band")
        .agg((pl.col("d") > 0).any().alias("up"), (pl.col("d") < 0).any().alias("down"))
        .filter(pl.col("up") & pl.col("down"))
        .sort("band")
    )
    for band in mixed["band"].to_list():
        notices.append(
            Notice(
                "both_directions",
                f"I värdenivå {band} har kvinnodominerade arbeten ibland högre och ibland lägre "
                "medellön än likvärdiga icke kvinnodominerade arbeten. Bedöm varje par för sig.",
                step="kvinnodominerat",
                subject=str(band),
            )
        )
    if wd.height == 0:
        notices.append(
            Notice(
                "no_women_dominated",
                f"Inget värderat arbete har minst {threshold * 100:.0f} % kvinnor, så inga "
                "jämförelser av kvinnodominerade arbeten görs.",
                level="information",
                step="kvinnodominerat",
            )
        )
    return Comparison(
        FigureTable(
            "women_dominated",
            "Kvinnodominerade arbeten jämförda med likvärdiga arbeten och arbeten med lägre krav men högre lön",
            result,
            (JOB_PAIR_DESCRIPTION,),
        ),
        pl.DataFrame(),
        tuple(notices),
    )
