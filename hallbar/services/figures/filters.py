"""Population filters of the key-figure pages: restrict the staff before computing.

A filter narrows *who* is counted (women only, one age band, one employment form,
one occupation, one occupation type); a breakdown (``dela``) only splits the
result. Filters are applied after the unit scope, so a manager's filter can
never reach outside the manager's subtree.

Conventions (docs/key-figures.md, "Urval"):

* gender and age band select persons (age attained during the reporting year,
  as everywhere in the figures) with all their employments;
* employment form, occupation and occupation type select employments by their
  terms on the snapshot date (1 November), the same terms a breakdown uses; a
  person with two employments is counted with those that match;
* an occupation's type (women-dominated, men-dominated, mixed) is decided on the
  unfiltered staff of the chosen units, so filtering to a type keeps whole
  occupations;
* absences, working time and pay follow the employments kept; agency staff
  (no persons in the data) follow the occupation and occupation-type filters.

Some figures lose their meaning under a filter (the share of women among women,
the women/men comparison among women). ``inapplicable`` names them with a
Swedish reason, and the pages show the reason instead of the number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from hallbar.core.codes import EmploymentForm, Gender
from hallbar.core.dataset import HRData
from hallbar.core.errors import InputError, InsufficientData
from hallbar.indicators.params import Params
from hallbar.indicators.units import restrict_to_employments
from hallbar.indicators.views import (
    AGE_BANDS,
    MEN_DOMINATED,
    MIXED,
    WOMEN_DOMINATED,
    employment_terms,
    occupation_types,
    person_view,
    persons_with_age,
)


class FilterInputError(InputError):
    """A filter value the user can correct."""


# Query value -> canonical value, with the Swedish label shown in forms and exports.
GENDERS: dict[str, tuple[str, str]] = {
    Gender.WOMAN.value: (Gender.WOMAN.value, "Kvinnor"),
    Gender.MAN.value: (Gender.MAN.value, "Män"),
}
AGES: dict[str, tuple[str, str]] = {
    "29": (AGE_BANDS[0], "29 år och yngre"),
    "30-49": (AGE_BANDS[1], "30–49 år"),
    "50": (AGE_BANDS[2], "50 år och äldre"),
}
FORMS: dict[str, tuple[str, str]] = {
    EmploymentForm.PERMANENT.value: (EmploymentForm.PERMANENT.value, "Tillsvidareanställda"),
    EmploymentForm.FIXED_TERM.value: (EmploymentForm.FIXED_TERM.value, "Visstidsanställda"),
    "timavlonad": (EmploymentForm.HOURLY.value, "Timavlönade"),
}
TYPES: dict[str, tuple[str, str]] = {
    "kvinnodominerat": (WOMEN_DOMINATED, "Kvinnodominerade yrken"),
    "mansdominerat": (MEN_DOMINATED, "Mansdominerade yrken"),
    "konsblandat": (MIXED, "Könsblandade yrken"),
}
# Query field names (the pages' GET form).
FIELDS = ("kon", "alder", "anstallning", "yrkeskod", "yrkestyp")
_MAX_CODE = 40


@dataclass(frozen=True)
class PopulationFilter:
    """Who is counted. Each field holds a query value (a key of the tables above)."""

    gender: str | None = None  # key of GENDERS
    age_band: str | None = None  # key of AGES
    employment_form: str | None = None  # key of FORMS
    occupation: str | None = None  # an SSYK or AID code, in the request's classification
    occupation_type: str | None = None  # key of TYPES

    @property
    def active(self) -> bool:
        return any(
            (
                self.gender,
                self.age_band,
                self.employment_form,
                self.occupation,
                self.occupation_type,
            )
        )

    @property
    def changes_composition(self) -> bool:
        """True when the filter changes who is in an occupation (gender, age, form),
        so an occupation's gender mix in the filtered data is not the occupation's."""
        return bool(self.gender or self.age_band or self.employment_form)

    def query(self) -> dict[str, str]:
        values = (
            self.gender,
            self.age_band,
            self.employment_form,
            self.occupation,
            self.occupation_type,
        )
        return {k: v for k, v in zip(FIELDS, values, strict=True) if v}

    def parts_sv(self, occupation_labels: Mapping[str, str] | None = None) -> list[str]:
        """The active filters in Swedish, e.g. ["Kvinnor", "30–49 år"]."""
        out: list[str] = []
        if self.gender:
            out.append(GENDERS[self.gender][1])
        if self.age_band:
            out.append(AGES[self.age_band][1])
        if self.employment_form:
            out.append(FORMS[self.employment_form][1])
        if self.occupation:
            name = (occupation_labels or {}).get(self.occupation, self.occupation)
            out.append(f"Yrke {name}")
        if self.occupation_type:
            out.append(TYPES[self.occupation_type][1])
        return out

    def label_sv(self, occupation_labels: Mapping[str, str] | None = None) -> str:
        """One line for page headers and exports; empty when no filter is active."""
        parts = self.parts_sv(occupation_labels)
        return "Urval: " + ", ".join(parts) if parts else ""


def _pick(
    values: Mapping[str, str | None], field: str, allowed: Mapping[str, object]
) -> str | None:
    raw = (values.get(field) or "").strip()
    if not raw:
        return None
    # Accept the canonical values too (e.g. "timavlönad", "≤29"), not only the query codes.
    for key, entry in allowed.items():
        if raw.lower() == key or (isinstance(entry, tuple) and raw == entry[0]):
            return key
    raise FilterInputError(f"Okänt värde '{raw}' för {field}. Välj ett av: {', '.join(allowed)}.")


def parse_filter(values: Mapping[str, str | None]) -> PopulationFilter:
    """The filter from query fields ``kon``, ``alder``, ``anstallning``, ``yrkeskod``, ``yrkestyp``."""
    code = (values.get("yrkeskod") or "").strip() or None
    if code is not None and (
        len(code) > _MAX_CODE or not all(ch.isalnum() or ch in " .-_" for ch in code)
    ):
        raise FilterInputError(
            f"Yrkeskoden '{code[:_MAX_CODE]}' är ogiltig. Ange en SSYK-kod (t.ex. 5321) eller en AID-kod."
        )
    return PopulationFilter(
        _pick(values, "kon", GENDERS),
        _pick(values, "alder", AGES),
        _pick(values, "anstallning", FORMS),
        code,
        _pick(values, "yrkestyp", TYPES),
    )


def occupation_type_map(data: HRData, params: Params) -> pl.DataFrame:
    """org_id, <occupation key>, occupation_type on the snapshot date (monthly-paid staff)."""
    key = params.occupation_key
    view = person_view(data, params.snapshot, params.year, monthly_paid_only=True)
    return occupation_types(view, key, params.gender_dominance_threshold).select(
        "org_id", key, "occupation_type"
    )


def apply_filter(data: HRData, f: PopulationFilter, params: Params) -> HRData:
    """``data`` restricted to the filtered population (see the module docstring)."""
    if not f.active:
        return data
    key = params.occupation_key
    emps = data.employments
    if f.gender or f.age_band:
        people = persons_with_age(data.persons, params.year)
        if f.gender:
            people = people.filter(pl.col("gender") == GENDERS[f.gender][0])
        if f.age_band:
            people = people.filter(pl.col("age_band") == AGES[f.age_band][0])
        emps = emps.join(
            people.select("org_id", "person_id"), on=["org_id", "person_id"], how="semi"
        )
    types: pl.DataFrame | None = None
    if f.employment_form or f.occupation or f.occupation_type:
        terms = employment_terms(data.employments, params.snapshot)
        if f.employment_form:
            terms = terms.filter(pl.col("employment_form") == FORMS[f.employment_form][0])
        if f.occupation:
            terms = terms.filter(pl.col(key) == f.occupation)
        if f.occupation_type:
            types = occupation_type_map(data, params).filter(
                pl.col("occupation_type") == TYPES[f.occupation_type][0]
            )
            terms = terms.join(types, on=["org_id", key], how="semi")
        emps = emps.join(
            terms.select("org_id", "employment_id"), on=["org_id", "employment_id"], how="semi"
        )
    if emps.height == 0:
        raise InsufficientData(
            f"Ingen personal i urvalet ({', '.join(f.parts_sv())}). "
            "Ändra eller ta bort filtren, eller välj en annan enhet."
        )
    agency = data.agency_staff
    if f.occupation:
        agency = agency.filter(pl.col("occupation") == f.occupation)
    if types is not None:
        codes = types[key].drop_nulls().cast(pl.String).to_list()
        agency = agency.filter(pl.col("occupation").is_in(codes))
    # The kept employments and what hangs on them, in the one place that cuts data to
    # employments; agency staff follow the occupation filter, not the employments.
    return restrict_to_employments(data, emps).with_frames(agency_staff=agency)


def apply_filter_or_empty(data: HRData, f: PopulationFilter, params: Params) -> HRData:
    """``apply_filter``, but nobody in the filtered population gives data without
    employments instead of the message: a trend decides every period's zero with that
    period's disclosure model, and "Ingen personal i urvalet" would say on its own that
    every period is empty, also where a period's model hides a zero."""
    try:
        return apply_filter(data, f, params)
    except InsufficientData:
        return restrict_to_employments(data, data.employments.clear())


# Figures whose population is permanent (or monthly-paid) staff by definition.
_PERMANENT_ONLY = (
    "fulltime_employed",
    "fulltime_working",
    "average_rate",
    "turnover",
    "new_permanent_hires",
)
_MONTHLY_PAID = (
    "headcount",
    "fte",
    "gender_structure",
    "age_structure",
    "permanent_share",
    "internal_moves",
    "expected_retirements",
    "span_of_control",
    "pay_ratio_women_men",
    "median_pay_gap_women_men",
    "pay_percentiles",
    "sick_leave_total",
    "sick_leave_long_term_share",
    "sick_leave_women",
    "sick_leave_men",
    "sick_leave_age_29",
    "sick_leave_age_30_49",
    "sick_leave_age_50",
    "sick_leave_short_term",
    "frisknarvaro",
    "sick_leave_unit",
)
_AGE_FIGURES = {
    "29": "sick_leave_age_29",
    "30-49": "sick_leave_age_30_49",
    "50": "sick_leave_age_50",
}
# The statutory note's lines (sick_leave_note row keys) by the figure they repeat.
NOTE_LINES = {
    "sick_leave_women": "women",
    "sick_leave_men": "men",
    "sick_leave_age_29": "age_29",
    "sick_leave_age_30_49": "age_30_49",
    "sick_leave_age_50": "age_50",
}


def inapplicable(f: PopulationFilter) -> dict[str, str]:
    """Figure id -> why the figure means nothing for the filtered population."""
    out: dict[str, str] = {}
    if f.gender:
        who = GENDERS[f.gender][1].lower()
        for fid in ("gender_structure", "pay_ratio_women_men", "median_pay_gap_women_men"):
            out[fid] = f"Visas inte: urvalet omfattar bara {who}. Ta bort filtret på kön."
        other = "sick_leave_men" if f.gender == Gender.WOMAN.value else "sick_leave_women"
        out[other] = f"Ingår inte i urvalet: urvalet omfattar bara {who}."
    if f.age_band:
        band = AGES[f.age_band][1]
        out["age_structure"] = f"Visas inte: urvalet omfattar bara åldersgruppen {band}."
        for key, fid in _AGE_FIGURES.items():
            if key != f.age_band:
                out[fid] = f"Ingår inte i urvalet: urvalet omfattar bara åldersgruppen {band}."
    if f.employment_form:
        form = FORMS[f.employment_form][1].lower()
        for fid in ("employment_forms", "permanent_share"):
            out[fid] = f"Visas inte: urvalet omfattar bara {form}."
        if f.employment_form != EmploymentForm.PERMANENT.value:
            for fid in _PERMANENT_ONLY:
                out[fid] = f"Avser tillsvidareanställda och kan inte visas för urvalet {form}."
        if f.employment_form == "timavlonad":
            for fid in _MONTHLY_PAID:
                out.setdefault(
                    fid, "Avser månadsavlönade och kan inte visas för urvalet timavlönade."
                )
    if f.changes_composition:
        out["agency_staff"] = (
            "Inhyrd personal har inget kön, ingen ålder och ingen anställningsform i underlaget, så "
            "andelen av personalkostnaden kan inte räknas för urvalet. Ta bort de filtren; filter på "
            "yrke och yrkestyp går bra."
        )
    return out


def note_inapplicable(f: PopulationFilter) -> dict[str, str]:
    """Statutory-note line key -> why the line means nothing for the filter."""
    return {NOTE_LINES[fid]: why for fid, why in inapplicable(f).items() if fid in NOTE_LINES}


DOMINANCE_FILTERED_SV = (
    "Jämförelsen mellan det mest kvinnodominerade och det mest mansdominerade yrket görs på hela "
    "personalen i de valda enheterna: med filter på kön, ålder, anställningsform, yrke eller yrkestyp "
    "skulle yrkenas könsfördelning bestämmas av filtret. Ta bort filtren för att se jämförelsen."
)
BY_TYPE_FILTERED_SV = (
    "Uppdelningen efter kvinno-/mansdominerat yrke visas inte med filter på kön, ålder eller "
    "anställningsform: yrkets typ skulle då räknas på urvalet i stället för på hela yrket. "
    "Filtrera på yrkestyp i stället, eller dela upp efter yrke."
)
FILTERED_NOTE_SV = (
    "Sjukfrånvaron är beräknad för ett filtrerat urval och är inte den lagstadgade redovisningen "
    "för hela personalen. Ta bort filtren för årsredovisningens tabell."
)
