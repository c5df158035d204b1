"""The canonical HR data model.

Every importer produces, every store keeps and every computation consumes these
tables as Polars frames. Each column has an English canonical name (used in
code), the Swedish column header of the *generic import layout* (what a user
writes in a CSV/XLSX file), a dtype and a description in both languages.
``docs/data-format.md`` documents the same tables and a test keeps the two in step.

Raw personnummer never appear here: ingest replaces them with a keyed pseudonym
(``person_id``) and derives ``birth_date`` and ``gender``.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Column:
    name: str  # canonical name in code
    sv: str  # header in the generic Swedish import layout
    dtype: type[pl.DataType] | pl.DataType
    required: bool
    sv_text: str  # Swedish description
    en_text: str  # English description


@dataclass(frozen=True)
class Table:
    name: str  # canonical table name
    sv: str  # Swedish name, also the generic file stem (e.g. anstallningar.csv)
    sv_text: str
    en_text: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()

    @property
    def polars_schema(self) -> dict[str, pl.DataType]:
        return {
            c.name: c.dtype if isinstance(c.dtype, pl.DataType) else c.dtype() for c in self.columns
        }

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def empty(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.polars_schema)


S, F, D, B, INT = pl.String, pl.Float64, pl.Date, pl.Boolean, pl.Int64

ORGANISATIONS = Table(
    "organisations",
    "organisationer",
    "Arbetsgivare (kommun, region, kommunalförbund).",
    "Employers (municipality, region, association).",
    (
        Column(
            "org_id",
            "organisations_id",
            S,
            True,
            "Kommun- eller regionkod (t.ex. 1280)",
            "Municipality or region code (e.g. 1280)",
        ),
        Column("name", "namn", S, True, "Namn", "Name"),
        Column(
            "kind",
            "typ",
            S,
            True,
            "kommun, region eller förbund",
            "municipality, region or association",
        ),
    ),
    key=("org_id",),
)

UNITS = Table(
    "units",
    "enheter",
    "Organisationsenheter som ett träd (förvaltning, verksamhet, enhet).",
    "Organisation units as a tree (department, operation, unit).",
    (
        Column("org_id", "organisations_id", S, True, "Arbetsgivare", "Employer"),
        Column(
            "unit_id", "enhet_id", S, True, "Enhetens id i HR-systemet", "Unit id in the HR system"
        ),
        Column(
            "parent_id",
            "overordnad_enhet_id",
            S,
            False,
            "Överordnad enhet (tom för toppen)",
            "Parent unit (empty at the top)",
        ),
        Column("name", "enhetsnamn", S, True, "Enhetens namn", "Unit name"),
        Column(
            "manager_person_id",
            "chef_personnummer",
            S,
            False,
            "Enhetens chef (personnummer i filen, pseudonym i lagret)",
            "Unit manager (personnummer in the file, pseudonym in the store)",
        ),
    ),
    key=("org_id", "unit_id"),
)

PERSONS = Table(
    "persons",
    "personer",
    "Personer, härledda ur personnumret: pseudonym, födelsedatum och juridiskt kön. Personnumret sparas aldrig.",
    "Persons derived from the personnummer: pseudonym, birth date and legal gender. The personnummer is never stored.",
    (
        Column("org_id", "organisations_id", S, True, "Arbetsgivare", "Employer"),
        Column(
            "person_id",
            "personnummer",
            S,
            True,
            "Nyckelad pseudonym (HMAC) av personnumret",
            "Keyed pseudonym (HMAC) of the personnummer",
        ),
        Column("birth_date", "fodelsedatum", D, True, "Födelsedatum", "Birth date"),
        Column(
            "gender",
            "kon",
            S,
            True,
            "Juridiskt kön: K eller M",
            "Legal gender: K (woman) or M (man)",
        ),
    ),
    key=("org_id", "person_id"),
)

EMPLOYMENTS = Table(
    "employments",
    "anstallningar",
    "Anställningar: en rad per anställning och period med oförändrade villkor.",
    "Employments: one row per employment and period with unchanged terms.",
    (
        Column("org_id", "organisations_id", S, True, "Arbetsgivare", "Employer"),
        Column("employment_id", "anstallnings_id", S, True, "Anställningens id", "Employment id"),
        Column(
            "person_id",
            "personnummer",
            S,
            True,
            "Personnummer (pseudonym i lagret)",
            "Personnummer (pseudonym in the store)",
        ),
        Column("unit_id", "enhet_id", S, True, "Enhet", "Unit"),
        Column(
            "aid_code",
            "aid_kod",
            S,
            False,
            "AID-etikett (sexsiffrig kod enligt SKR)",
            "AID label (SKR six-digit job code)",
        ),
        Column(
            "ssyk", "ssyk", S, False, "SSYK 2012-kod (fyra siffror)", "SSYK 2012 code (four digits)"
        ),
        Column("title", "befattning", S, False, "Lokal befattningsbenämning", "Local job title"),
        Column(
            "employment_form",
            "anstallningsform",
            S,
            True,
            "tillsvidare, visstid eller timavlönad",
            "permanent, fixed-term or hourly-paid",
        ),
        Column(
            "rate",
            "sysselsattningsgrad",
            F,
            True,
            "Avtalad sysselsättningsgrad i procent (0–100)",
            "Contracted employment rate in percent (0–100)",
        ),
        Column(
            "monthly_pay",
            "manadslon",
            F,
            False,
            "Månadslön omräknad till heltid, kronor",
            "Monthly pay at full time, SEK",
        ),
        Column("start_date", "startdatum", D, True, "Första dag", "First day"),
        Column(
            "end_date",
            "slutdatum",
            D,
            False,
            "Sista dag (tom om pågående)",
            "Last day (empty if ongoing)",
        ),
        Column(
            "is_manager",
            "chefsansvar",
            B,
            True,
            "Har chefsansvar (personal-, budget- och verksamhetsansvar)",
            "Has manager responsibility",
        ),
        Column(
            "end_reason",
            "avgangsorsak",
            S,
            False,
            "Orsak till att anställningen upphörde",
            "Why the employment ended",
        ),
    ),
    key=("org_id", "employment_id", "start_date"),
)

ABSENCES = Table(
    "absences",
    "franvaro",
    "Frånvaroperioder (sjukdom och andra orsaker).",
    "Absence spells (sickness and other causes).",
    (
        Column("org_id", "organisations_id", S, True, "Arbetsgivare", "Employer"),
        Column(
            "person_id",
            "personnummer",
            S,
            True,
            "Personnummer (pseudonym i lagret)",
            "Personnummer (pseudonym in the store)",
        ),
        Column(
            "employment_id",
            "anstallnings_id",
            S,
            False,
            "Anställning, om exporten anger den",
            "Employment, when the export has it",
        ),
        Column(
            "cause",
            "orsak",
            S,
            True,
            "sjuk, föräldraledig, vab, tjänstledig, semester, övrigt",
            "sick, parental, child care, leave, vacation, other",
        ),
        Column("from_date", "from_datum", D, True, "Första frånvarodag", "First day of absence"),
        Column("to_date", "tom_datum", D, True, "Sista frånvarodag", "Last day of absence"),
        Column(
            "extent",
            "omfattning",
            F,
            True,
            "Omfattning i procent av arbetstiden (1–100)",
            "Extent in percent of working time (1–100)",
        ),
        Column(
            "hours",
            "timmar",
            F,
            False,
            "Frånvarotimmar, om exporten har dem",
            "Absence hours, when the export has them",
        ),
    ),
)

WORKING_TIME = Table(
    "working_time",
    "arbetstid",
    "Arbetstid per anställning och månad.",
    "Working time per employment and month.",
    (
        Column("org_id", "organisations_id", S, True, "Arbetsgivare", "Employer"),
        Column("employment_id", "anstallnings_id", S, True, "Anställning", "Employment"),
        Column(
            "month",
            "manad",
            D,
            True,
            "Månad (första dagen, i filen ÅÅÅÅ-MM)",
            "Month (first day; YYYY-MM in the file)",
        ),
        Column(
            "scheduled_hours",
            "ordinarie_timmar",
            F,
            True,
            "Ordinarie (schemalagd) arbetstid, timmar",
            "Ordinary scheduled hours",
        ),
        Column("overtime_hours", "overtid_timmar", F, False, "Övertid, timmar", "Overtime hours"),
        Column(
            "additional_hours",
            "mertid_timmar",
            F,
            False,
            "Mertid (deltidsanställdas extra timmar)",
            "Additional hours of part-timers (mertid)",
        ),
        Column(
            "unsocial_hours",
            "ob_timmar",
            F,
            False,
            "Timmar med OB-tillägg (kväll, natt, helg)",
            "Unsocial hours (evening, night, weekend)",
        ),
        Column(
            "split_shifts",
            "delade_turer",
            INT,
            False,
            "Antal delade turer",
            "Number of split shifts",
        ),
    ),
    key=("org_id", "employment_id", "month"),
)

PAY_COMPONENTS = Table(
    "pay_components",
    "lonedelar",
    "Lönedelar per anställning och månad: fast lön, tillägg och rörlig lön.",
    "Pay components per employment and month: fixed, supplements and variable pay.",
    (
        Column("org_id", "organisations_id", S, True, "Arbetsgivare", "Employer"),
        Column("employment_id", "anstallnings_id", S, True, "Anställning", "Employment"),
        Column("month", "manad", D, True, "Månad (ÅÅÅÅ-MM i filen)", "Month (YYYY-MM in the file)"),
        Column(
            "kind", "typ", S, True, "fast, tillägg eller rörlig", "fixed, supplement or variable"
        ),
        Column(
            "code", "lonart", S, False, "Löneart i lönesystemet", "Pay code in the payroll system"
        ),
        Column("amount", "belopp", F, True, "Belopp i kronor", "Amount in SEK"),
    ),
)

AGENCY_STAFF = Table(
    "agency_staff",
    "inhyrd_personal",
    "Inhyrd personal (bemanningsföretag): timmar och kostnad per enhet, yrke och månad.",
    "Agency staff: hours and cost per unit, occupation and month.",
    (
        Column("org_id", "organisations_id", S, True, "Arbetsgivare", "Employer"),
        Column("unit_id", "enhet_id", S, True, "Enhet", "Unit"),
        Column(
            "occupation",
            "yrke",
            S,
            True,
            "Yrke (AID-etikett, SSYK eller benämning)",
            "Occupation (AID, SSYK or name)",
        ),
        Column("month", "manad", D, True, "Månad (ÅÅÅÅ-MM i filen)", "Month (YYYY-MM in the file)"),
        Column("hours", "timmar", F, True, "Inhyrda timmar", "Hired hours"),
        Column("cost", "kostnad", F, True, "Kostnad i kronor", "Cost in SEK"),
    ),
)

# Tables a user imports (persons and organisations are derived, not imported as files).
IMPORT_TABLES: tuple[Table, ...] = (
    UNITS,
    EMPLOYMENTS,
    ABSENCES,
    WORKING_TIME,
    PAY_COMPONENTS,
    AGENCY_STAFF,
)
ALL_TABLES: tuple[Table, ...] = (ORGANISATIONS, UNITS, PERSONS, *IMPORT_TABLES[1:])
TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in ALL_TABLES}
