"""Article 7: a worker's own pay level and the average pay levels of women and men doing
the same work or work of equal value.

Pay (``PAY_INCLUDED_SV``) is the pay survey's monthly pay at full time with the
fixed supplements (``check_pay_frame(include_supplements=True)``): the same
pay frame, not a second pay model. The comparison category is tried in order:

1. **equal work** (lika arbete): everyone with the same job;
2. **work of equal value** (likvärdigt arbete): everyone whose job lies in the
   same value band of the pay survey's job evaluation.

A category is used only if it has at least ``min_per_sex`` women *and* men
(never fewer than two, so no figure is ever one person's pay). When neither
holds, ``SmallCategory`` refuses with a message HR can act on; a job without
job evaluation cannot be widened and raises ``NoJobEvaluation``.
Averages are arithmetic means; medians take the mean of the two middle values
when the count is even. The requesting worker is part of the category.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import polars as pl

from hallbar.paytransparency.errors import NoJobEvaluation, NoPayOnDate, SmallCategory

PAY_INCLUDED_SV = (
    "Lönen är månadslönen omräknad till heltid: grundlön och fasta lönetillägg (genomsnitt per "
    "månad under de senaste tolv månaderna). Rörliga ersättningar som övertid och OB-tillägg som "
    "varierar från månad till månad ingår inte. Alla belopp är bruttobelopp i kronor."
)
NEVER_BELOW = 2  # a "group" of one is one person's pay

Basis = Literal["lika arbete", "likvärdigt arbete"]


@dataclass(frozen=True)
class CategoryPay:
    basis: Basis
    label: str  # the job, or the value band's label
    n_women: int
    n_men: int
    mean_women: float
    mean_men: float
    median_women: float
    median_men: float


@dataclass(frozen=True)
class InformationAnswer:
    person_id: str
    at: date
    job: str
    own_pay: float
    category: CategoryPay
    fallback_sv: str  # why a wider category was used, "" when equal work sufficed
    pay_included_sv: str = PAY_INCLUDED_SV


def _category(rows: pl.DataFrame, basis: Basis, label: str) -> CategoryPay:
    def stat(gender: str, how: str) -> float:
        s = rows.filter(pl.col("gender") == gender)["pay"]
        value = s.mean() if how == "mean" else s.median()
        return float(value)  # type: ignore[arg-type]  # never empty: counts checked first

    return CategoryPay(
        basis,
        label,
        rows.filter(pl.col("gender") == "K").height,
        rows.filter(pl.col("gender") == "M").height,
        stat("K", "mean"),
        stat("M", "mean"),
        stat("K", "median"),
        stat("M", "median"),
    )


def _enough(rows: pl.DataFrame, minimum: int) -> bool:
    counts = rows["gender"].value_counts()
    got = dict(zip(counts["gender"].to_list(), counts["count"].to_list(), strict=True))
    return got.get("K", 0) >= minimum and got.get("M", 0) >= minimum


def answer_request(
    frame: pl.DataFrame,
    person_id: str,
    at: date,
    *,
    job: str | None = None,
    job_values: pl.DataFrame | None = None,
    min_per_sex: int = 5,
) -> InformationAnswer:
    """Draft the answer for ``person_id`` from a checked pay frame (column ``pay``).

    ``job`` is the category the request names (default: the worker's own job);
    ``job_values`` the pay survey's ``JobEvaluation.job_values()`` (job, band,
    band_label), needed for the fallback to work of equal value.
    """
    minimum = max(min_per_sex, NEVER_BELOW)
    own = frame.filter(pl.col("person_id") == person_id)
    if own.height == 0:
        raise NoPayOnDate(
            f"Arbetstagaren har ingen månadslön i löneunderlaget den {at.isoformat()}. Kontrollera "
            "att arbetstagaren hade en månadsavlönad anställning den dagen, eller välj det datum då "
            "begäran kom in. Inget svarsbrev har skapats."
        )
    own_row = own.row(0, named=True)
    job = job or str(own_row["job"])
    same = frame.filter(pl.col("job") == job)
    if _enough(same, minimum):
        return InformationAnswer(
            person_id, at, job, float(own_row["pay"]), _category(same, "lika arbete", job), ""
        )
    band_row = job_values.filter(pl.col("job") == job) if job_values is not None else pl.DataFrame()
    if band_row.height == 0:
        raise NoJobEvaluation(
            f"Befattningen '{job}' har färre än {minimum} kvinnor eller män, och den saknar "
            "arbetsvärdering, så ingen bredare kategori av likvärdigt arbete kan bildas. Värdera "
            "befattningen i lönekartläggningens arbetsvärdering och skapa utkastet igen. Inget "
            "svarsbrev har skapats."
        )
    band, band_label = int(band_row["band"][0]), str(band_row["band_label"][0])
    assert job_values is not None
    band_jobs = job_values.filter(pl.col("band") == band)["job"]
    wider = frame.filter(pl.col("job").is_in(band_jobs.implode()))
    if _enough(wider, minimum):
        return InformationAnswer(
            person_id,
            at,
            job,
            float(own_row["pay"]),
            _category(wider, "likvärdigt arbete", band_label),
            f"Befattningen '{job}' har färre än {minimum} kvinnor eller män. Därför redovisas "
            f"genomsnittet för alla befattningar med likvärdigt arbete enligt arbetsvärderingen "
            f"({band_label}).",
        )
    raise SmallCategory(
        f"Både befattningen '{job}' och kategorin likvärdigt arbete ({band_label}) har färre än "
        f"{minimum} kvinnor eller män. Ett svar skulle kunna röja enskildas löner, så inget "
        "svarsbrev har skapats. Kontakta arbetstagaren, förklara skälet skriftligen och erbjud "
        "ett samtal om hur lönen har satts; se över arbetsvärderingen om fler befattningar bör "
        "räknas som likvärdiga."
    )
