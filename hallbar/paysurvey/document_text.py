"""The sentences of the written pay-survey documentation, generated from the survey's state.

A document under Diskrimineringslagen 3 kap. 13 § must tell the truth: with none of
43 jobs evaluated it may not say that the jobs have been evaluated, and with 21
of 21 differences unanalysed it may not say that each was examined. Every
sentence here is chosen by the counts it is given and says what is missing and
what to do. The service layer passes the counts; the report renders the text.
"""

from __future__ import annotations

import polars as pl

from hallbar.core.describe import Description

CRITERIA_SENTENCE_SV = (
    "lagens fyra kriterier: kunskaper och färdigheter, ansvar, ansträngning och "
    "arbetsförhållanden (3 kap. 9 §)"
)


def count_sv(n: int, singular: str, plural: str) -> str:
    """'1 befattning', '43 befattningar': the number with the noun in the right form."""
    return f"{n} {singular if n == 1 else plural}"


def evaluation_text_sv(n_jobs: int, n_evaluated: int) -> str:
    """What the job evaluation covers: all, some or none of the survey's jobs."""
    if n_jobs == 0:
        return "Löneunderlaget har inga befattningar att värdera. Kontrollera underlaget."
    if n_evaluated <= 0:
        return (
            (
                "Befattningen har inte värderats ännu. "
                if n_jobs == 1
                else f"Ingen av de {n_jobs} befattningarna har värderats ännu. "
            )
            + "Därför kan likvärdigt arbete och kvinnodominerade arbeten inte jämföras. Värdera "
            + ("befattningen" if n_jobs == 1 else "befattningarna")
            + f" efter {CRITERIA_SENTENCE_SV} i arbetsvärderingen."
        )
    if n_evaluated < n_jobs:
        left = n_jobs - n_evaluated
        return (
            f"{n_evaluated} av {n_jobs} befattningar har värderats efter {CRITERIA_SENTENCE_SV}. "
            f"{count_sv(left, 'befattning', 'befattningar')} återstår och är inte med i "
            "jämförelserna av likvärdigt arbete. Värdera dem i arbetsvärderingen."
        )
    every = "Befattningen har" if n_jobs == 1 else f"Alla {n_jobs} befattningar har"
    return f"{every} värderats efter {CRITERIA_SENTENCE_SV}."


def analysis_text_sv(n_flagged: int, n_unanalysed: int) -> str:
    """Whether each flagged difference has been analysed with the unions, or what remains."""
    if n_flagged == 0:
        return "Inga skillnader till kvinnors nackdel flaggades i jämförelserna."
    flagged = f"{count_sv(n_flagged, 'skillnad', 'skillnader')} till kvinnors nackdel flaggades."
    how = (
        "HR prövar tillsammans med arbetstagarorganisationerna om varje skillnad har en saklig, "
        "könsneutral förklaring eller behöver justeras."
    )
    if n_unanalysed >= n_flagged:
        none = "Den har inte" if n_flagged == 1 else "Ingen av dem har"
        return (
            f"{flagged} {none} analyserats ännu. {how} Analysera skillnaderna innan "
            "dokumentationen fastställs."
        )
    if n_unanalysed > 0:
        done = n_flagged - n_unanalysed
        return (
            f"{flagged} {done} av dem har analyserats; {n_unanalysed} återstår att analysera. {how}"
        )
    every = "Skillnaden har" if n_flagged == 1 else "Varje skillnad har"
    return (
        f"{flagged} {every} analyserats av HR tillsammans med arbetstagarorganisationerna: "
        "har den en saklig, könsneutral förklaring eller behöver den justeras."
    )


def adjustments_text_sv(n_adjustments: int, total_cost_sv: str, overhead_sv: str) -> str:
    """The decided pay adjustments and their cost, or that none has been decided."""
    if n_adjustments == 0:
        return (
            "Inga lönejusteringar har beslutats. Om analysen visar osakliga skillnader ska "
            "lönerna justeras så snart som möjligt och senast inom tre år."
        )
    return (
        f"{count_sv(n_adjustments, 'lönejustering', 'lönejusteringar')} har beslutats. Total "
        f"kostnad per år inklusive personalomkostnader ({overhead_sv}): {total_cost_sv}. "
        "Justeringarna ska genomföras så snart som möjligt och senast inom tre år."
    )


def follow_up_text_sv(n_last_year: int) -> str:
    """The evaluation of last year's measures."""
    if n_last_year == 0:
        return (
            "Det finns inga registrerade åtgärder från förra årets kartläggning att utvärdera. "
            "Har förra årets åtgärder dokumenterats någon annanstans ska de utvärderas här."
        )
    return (
        f"Förra årets {count_sv(n_last_year, 'åtgärd', 'åtgärder')} utvärderas mot årets "
        "löner: om skillnaden har stängts, minskat eller kvarstår."
    )


def written_section_text_sv(text: str | None, what_sv: str) -> str:
    """A section HR writes with the unions (pay rules and practice, other measures,
    cooperation): the written text, or a sentence saying it is missing and who writes it."""
    if text and text.strip():
        return text.strip()
    return (
        f"Avsnittet om {what_sv} är inte ifyllt. HR skriver det tillsammans med "
        "arbetstagarorganisationerna innan dokumentationen fastställs."
    )


AVERAGES_DESCRIPTION = Description(
    id="pay_averages_by_gender",
    name_sv="Genomsnittlig lön och genomsnittliga tillägg per kategori och kön",
    definition_sv=(
        "Medelvärdet av månadslön omräknad till heltid och av tillägg per månad omräknade till "
        "heltid, i kronor, för kvinnor och män i varje kategori (befattning eller värdenivå)."
    ),
    population_sv="Anställda i lönekartläggningen (månadsavlönade med månadslön).",
    unit="kr",
    source="Diskrimineringslagen 3 kap. 13 §; direktiv (EU) 2023/970 artikel 10.1 b",
)


def pay_averages_by_gender(data: pl.DataFrame, category: str = "job") -> pl.DataFrame:
    """Average pay and average supplements in kronor per category and gender.

    Columns: category, gender, n, mean_pay (``monthly_pay``), mean_supplements.
    Small groups are the caller's to suppress (``n``).
    """
    supplements = (
        pl.col("supplements").fill_null(0.0) if "supplements" in data.columns else pl.lit(0.0)
    )
    return (
        data.filter(pl.col(category).is_not_null())
        .group_by(category, "gender")
        .agg(
            pl.len().cast(pl.Int64).alias("n"),
            pl.col("monthly_pay").mean().alias("mean_pay"),
            supplements.mean().alias("mean_supplements"),
        )
        .rename({category: "category"})
        .sort("category", "gender")
    )
