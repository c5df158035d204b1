"""Who is counted: the named populations every count in Hållbar declares.

A count without its population is ambiguous: on one organisation and one date,
"employees" can mean everyone with an employment that day (the organisation
page, the EU Art. 9 report), monthly-paid staff on 1 November (SKR's and
Kolada's personnel statistics), or everyone with ordinary working time during
the year (the statutory sick-leave note). Each is right for its purpose; the
user must see which one a number counts. So every key figure, page table,
export, pay-survey population and projection stock names one ``Population``
from this module, and shows ``PopulationCount.caption_sv`` under its counts.

The rule that makes the cross-page guarantee possible: the same population,
scope (organisation and unit subtree) and reference (date or year) gives the
same number everywhere, because every caller counts through ``persons`` here.

A person is counted once, however many employments they hold. An employment
period is active on a date when ``start_date <= d`` and ``end_date`` is empty or
``>= d`` (docs/key-figures.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import polars as pl

from hallbar.core.codes import EmploymentForm
from hallbar.core.dataset import HRData

# Monthly-paid: permanent or fixed-term; hourly-paid staff have no schedule.
MONTHLY_PAID_FORMS: tuple[str, ...] = (
    EmploymentForm.PERMANENT.value,
    EmploymentForm.FIXED_TERM.value,
)
ALL_FORMS: tuple[str, ...] = tuple(form.value for form in EmploymentForm)

_PERSON_KEYS = ["org_id", "person_id"]


def active_on(employments: pl.DataFrame, on: date) -> pl.DataFrame:
    """Employment periods active on ``on``: started on or before it, not ended before it."""
    return employments.filter(
        (pl.col("start_date") <= on) & (pl.col("end_date").is_null() | (pl.col("end_date") >= on))
    )


class PopulationId(StrEnum):
    """Stable ids (JSON keys, export columns); the Swedish words live on ``Population``."""

    EMPLOYED = "employed"  # every employment form, on a date
    MONTHLY_PAID = "monthly_paid"  # permanent or fixed-term, on a date
    PERMANENT = "permanent"  # permanent (tillsvidare), on a date
    ORDINARY_HOURS = "ordinary_hours"  # ordinary (scheduled) hours during a calendar year


@dataclass(frozen=True)
class Population:
    """A named group of persons; ``forms`` for date populations, hours for the year one."""

    id: PopulationId
    noun_sv: str  # "månadsavlönade anställda": follows a number in captions
    definition_sv: str  # the rule in words, for definitions sheets and help texts
    forms: tuple[str, ...] = ALL_FORMS
    by_year: bool = False  # True: counted over a calendar year, not on a date

    def employments(self, data: HRData, on: date) -> pl.DataFrame:
        """The employment periods that make a person part of a date population on ``on``."""
        if self.by_year:
            raise ValueError(f"{self.id} is counted over a year, not on a date")
        return active_on(data.employments, on).filter(
            pl.col("employment_form").is_in(list(self.forms))
        )

    def persons(self, data: HRData, reference: date | int) -> pl.DataFrame:
        """One row per counted person: ``org_id``, ``person_id`` (sorted, unique)."""
        if self.by_year:
            year = reference if isinstance(reference, int) else reference.year
            return _with_ordinary_hours(data, year)
        if not isinstance(reference, date):
            raise TypeError(f"{self.id} needs a date, got {reference!r}")
        return self.employments(data, reference).select(_PERSON_KEYS).unique().sort(_PERSON_KEYS)

    def count(self, data: HRData, reference: date | int) -> PopulationCount:
        """How many persons the population holds in ``data`` (already cut to a scope)."""
        return PopulationCount(self, reference, self.persons(data, reference).height)


@dataclass(frozen=True)
class PopulationCount:
    """A count that says whom it counts and when: the unit of the cross-page guarantee."""

    population: Population
    reference: date | int  # a date, or a calendar year for year populations
    n: int

    @property
    def reference_sv(self) -> str:
        if isinstance(self.reference, date):
            return self.reference.isoformat()
        return f"under {self.reference}"

    def caption_sv(self, formatted_n: str | None = None) -> str:
        """'6 000 anställda 2025-12-31'; the caller passes its own number formatting."""
        number = formatted_n if formatted_n is not None else str(self.n)
        return f"{number} {self.population.noun_sv} {self.reference_sv}"

    def as_json(self) -> dict[str, object]:
        """The JSON shape of a count, the same in every JSON twin and export."""
        return {
            "population": self.population.id.value,
            "population_sv": self.population.noun_sv,
            "reference": (
                self.reference.isoformat()
                if isinstance(self.reference, date)
                else str(self.reference)
            ),
            "n": self.n,
        }


def _with_ordinary_hours(data: HRData, year: int) -> pl.DataFrame:
    # SKR's note counts everyone with ordinary (scheduled) working time in the year;
    # hourly-paid staff without a schedule have no ordinary hours and fall outside.
    start, end = date(year, 1, 1), date(year, 12, 31)
    # Lazy, so only the four columns used are read from the (largest) working-time table.
    hours = (
        data.working_time.lazy()
        .select("org_id", "employment_id", "month", "scheduled_hours")
        .filter(
            (pl.col("month") >= start)
            & (pl.col("month") <= end)
            & (pl.col("scheduled_hours").fill_null(0.0) > 0)
        )
        .select("org_id", "employment_id")
        .unique()
    )
    owners = (
        data.employments.lazy()
        .select("org_id", "employment_id", "person_id")
        .unique(["org_id", "employment_id"])
    )
    return (
        hours.join(owners, on=["org_id", "employment_id"], how="inner")
        .select(_PERSON_KEYS)
        .unique()
        .sort(_PERSON_KEYS)
        .collect()
    )


EMPLOYED = Population(
    PopulationId.EMPLOYED,
    "anställda",
    "Personer med minst en pågående anställning på dagen, alla anställningsformer "
    "(tillsvidare, visstid och timavlönade). Varje person räknas en gång.",
)
MONTHLY_PAID = Population(
    PopulationId.MONTHLY_PAID,
    "månadsavlönade anställda",
    "Personer med minst en pågående tillsvidare- eller visstidsanställning på dagen "
    "(SKR:s och Koladas personalstatistik mäter 1 november). Timavlönade ingår inte. "
    "Varje person räknas en gång.",
    MONTHLY_PAID_FORMS,
)
PERMANENT = Population(
    PopulationId.PERMANENT,
    "tillsvidareanställda",
    "Personer med minst en pågående tillsvidareanställning på dagen. Varje person räknas en gång.",
    (EmploymentForm.PERMANENT.value,),
)
ORDINARY_HOURS = Population(
    PopulationId.ORDINARY_HOURS,
    "med ordinarie arbetstid",
    "Personer med ordinarie (schemalagd) arbetstid någon gång under kalenderåret, som i den "
    "obligatoriska redovisningen av sjukfrånvaro. Timavlönade utan schema ingår inte.",
    by_year=True,
)

POPULATIONS: dict[PopulationId, Population] = {
    p.id: p for p in (EMPLOYED, MONTHLY_PAID, PERMANENT, ORDINARY_HOURS)
}
