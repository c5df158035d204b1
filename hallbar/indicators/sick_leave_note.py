"""The statutory sick-leave note in the annual report (SKR's seven key figures).

Lag (2018:597) om kommunal bokföring och redovisning requires municipalities and
regions to report sick leave; SKR defines the seven key figures (domain-rules §1):

1. total sick leave: all sick hours / all ordinary hours
2. long-term share: sick hours in continuous spells of ≥ 60 days / **all sick hours**
3–4. women, men: the group's sick hours / the group's ordinary hours
5–7. ages ≤29, 30–49, ≥50 (age attained during the year), as above.

Population: every employee with ordinary scheduled hours in the calendar year.
A group with ten or fewer persons is not shown (``suppressed``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from hallbar.core.codes import Gender
from hallbar.core.dataset import HRData
from hallbar.core.describe import Description, FigureTable
from hallbar.core.errors import InsufficientData
from hallbar.core.population import ORDINARY_HOURS
from hallbar.indicators import kolada_ids
from hallbar.indicators.cache import memoised
from hallbar.indicators.params import SKR_NOTE_MIN_GROUP, Params
from hallbar.indicators.sickness import sick_leave_by_employment
from hallbar.indicators.views import AGE_BANDS, persons_with_age


@dataclass(frozen=True)
class NoteRow:
    key: str  # total, long_term_share, women, men, age_29, age_30_49, age_50
    label_sv: str
    kolada_id: str
    n: int  # persons in the group
    numerator: float  # sick hours (long-term: hours in spells ≥ 60 days)
    denominator: float  # ordinary hours (long-term: all sick hours)
    value: float | None  # percent; None when suppressed or the denominator is zero
    suppressed: bool


@dataclass(frozen=True)
class NoteFigure:
    """One of SKR's seven figures: the one home of its label, Kolada ids and group.

    The note's rows and the registry's sick-leave figures (``indicators.health``)
    are both built from ``NOTE_FIGURES``, so they cannot drift apart.
    """

    key: str  # the note's row key
    figure_id: str  # the registry id of the same figure
    label_sv: str
    kolada: kolada_ids.KoladaIds
    cut: str  # the gender cut of the Kolada id ("K", "M") or ""
    column: str | None  # the group's filter column (gender, age band) or None
    value: str | None
    long_term: bool = False  # long-term share: of all sick hours, not of ordinary hours

    @property
    def population_suffix_sv(self) -> str:
        """The group in words after the note's population ('Kvinnor.'), or ''."""
        words = {
            Gender.WOMAN.value: "Kvinnor.",
            Gender.MAN.value: "Män.",
            AGE_BANDS[0]: "29 år och yngre.",
            AGE_BANDS[1]: "30–49 år.",
            AGE_BANDS[2]: "50 år och äldre.",
        }
        return "" if self.value is None else f" {words[self.value]}"


NOTE_FIGURES: tuple[NoteFigure, ...] = (
    NoteFigure(
        "total",
        "sick_leave_total",
        "Total sjukfrånvaro",
        kolada_ids.SICK_LEAVE_TOTAL,
        "",
        None,
        None,
    ),
    NoteFigure(
        "long_term_share",
        "sick_leave_long_term_share",
        "Andel långtidssjukfrånvaro (60 dagar eller mer)",
        kolada_ids.SICK_LEAVE_LONG_TERM_SHARE,
        "",
        None,
        None,
        long_term=True,
    ),
    NoteFigure(
        "women",
        "sick_leave_women",
        "Sjukfrånvaro kvinnor",
        kolada_ids.SICK_LEAVE_TOTAL,
        "K",
        "gender",
        Gender.WOMAN.value,
    ),
    NoteFigure(
        "men",
        "sick_leave_men",
        "Sjukfrånvaro män",
        kolada_ids.SICK_LEAVE_TOTAL,
        "M",
        "gender",
        Gender.MAN.value,
    ),
    NoteFigure(
        "age_29",
        "sick_leave_age_29",
        "Sjukfrånvaro 29 år och yngre",
        kolada_ids.SICK_LEAVE_AGE_29,
        "",
        "age_band",
        AGE_BANDS[0],
    ),
    NoteFigure(
        "age_30_49",
        "sick_leave_age_30_49",
        "Sjukfrånvaro 30–49 år",
        kolada_ids.SICK_LEAVE_AGE_30_49,
        "",
        "age_band",
        AGE_BANDS[1],
    ),
    NoteFigure(
        "age_50",
        "sick_leave_age_50",
        "Sjukfrånvaro 50 år och äldre",
        kolada_ids.SICK_LEAVE_AGE_50,
        "",
        "age_band",
        AGE_BANDS[2],
    ),
)

# An employer whose average number of employees over the two years is ten or fewer
# does not report the note (domain-rules §1).
EXEMPTION_MAX_AVERAGE = 10


def note_kolada_id(ids: kolada_ids.KoladaIds, cut: str, kind: str | None) -> str:
    """'N60029', or 'N00090 (K)' for a gender cut: the note's id for the organisation's kind."""
    kpi = kolada_ids.for_kind(ids, kind)
    return f"{kpi} ({cut})" if cut else kpi


NOTE_DESCRIPTION = Description(
    id="sick_leave_note",
    name_sv="Sjukfrånvaro enligt lag (årsredovisningen)",
    definition_sv=(
        "Sjukfrånvarotimmar i procent av ordinarie arbetstid, totalt, för kvinnor och män och för "
        "åldersgrupperna 29 år och yngre, 30–49 år och 50 år och äldre. Långtidssjukfrånvaron är "
        "sjukfrånvaro under en sammanhängande period av 60 dagar eller mer, i procent av all sjukfrånvaro."
    ),
    population_sv=(
        "Anställda med ordinarie arbetstid under året. Timavlönade utan schema ingår inte. Hel "
        "ledighet (föräldraledighet, tjänstledighet, ledighet utan lön) räknas inte som ordinarie "
        "arbetstid."
    ),
    unit="%",
    source=(
        "Lag (2018:597) om kommunal bokföring och redovisning; SKR:s definition; "
        "Kolada N00090–N00094 / N60027–N60031"
    ),
    min_group_size=SKR_NOTE_MIN_GROUP,
    higher_is_better=False,
)


@dataclass(frozen=True)
class NoteExemption:
    """Why an employer does not report the note: its average headcount over two years.

    ``counts``: (year, persons with ordinary working time that year) for the years
    averaged (the reporting year and the year before, when the data has it).
    """

    average: float
    counts: tuple[tuple[int, int], ...]

    @property
    def text_sv(self) -> str:
        years = " och ".join(str(y) for y, _ in self.counts)
        average = f"{self.average:.1f}".replace(".", ",").removesuffix(",0")
        return (
            f"Arbetsgivaren har i genomsnitt haft {average} anställda med ordinarie arbetstid "
            f"under {years}, alltså tio eller färre. Då behöver sjukfrånvaron inte redovisas i "
            "årsredovisningen, och ingen tabell visas."
        )


@dataclass(frozen=True)
class SickLeaveNote:
    org_id: str
    year: int
    rows: tuple[NoteRow, ...]
    # Set when the employer is exempt (average headcount over two years ten or fewer):
    # every row is then suppressed and the note says so instead of a table.
    exemption: NoteExemption | None = None

    @property
    def exempt(self) -> bool:
        return self.exemption is not None

    def row(self, key: str) -> NoteRow:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)

    def to_table(self) -> FigureTable:
        frame = pl.DataFrame(
            {
                "nyckeltal": [r.label_sv for r in self.rows],
                "kolada_id": [r.kolada_id for r in self.rows],
                "antal_personer": [r.n for r in self.rows],
                "taljare_timmar": [None if r.suppressed else r.numerator for r in self.rows],
                "namnare_timmar": [None if r.suppressed else r.denominator for r in self.rows],
                "procent": [None if r.suppressed else r.value for r in self.rows],
                "visas_ej": [r.suppressed for r in self.rows],
            },
            schema={
                "nyckeltal": pl.String,
                "kolada_id": pl.String,
                "antal_personer": pl.Int64,
                "taljare_timmar": pl.Float64,
                "namnare_timmar": pl.Float64,
                "procent": pl.Float64,
                "visas_ej": pl.Boolean,
            },
        )
        notes = ["Grupper med tio eller färre anställda redovisas inte (SKR)."]
        if self.exemption is not None:
            frame = frame.clear()
            notes = [self.exemption.text_sv]
        return FigureTable(
            id=f"sick_leave_note_{self.org_id}_{self.year}",
            title_sv=f"Sjukfrånvaro {self.year}",
            frame=frame,
            descriptions=(NOTE_DESCRIPTION,),
            notes_sv=tuple(notes),
        )


def person_hours(
    data: HRData,
    year: int,
    short_term_days: int = 14,
    *,
    ordinary_hours_exclude_leave: bool = False,
) -> pl.DataFrame:
    """Per person in the population: ordinary, sick and long-term sick hours in ``year``
    with gender and age band. Raises ``InsufficientData`` without working-time data.

    The population is ``ORDINARY_HOURS`` (exported schedule in the year);
    ``scheduled_hours`` is the note's denominator: full leave deducted unless the
    export already left it out."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    base = sick_leave_by_employment(data, start, end, short_term_days, ordinary_hours_exclude_leave)
    if base.height == 0 or base["scheduled_hours"].sum() <= 0:
        raise InsufficientData(
            f"Det finns ingen ordinarie arbetstid för {year} i underlaget, så sjukfrånvaron kan inte "
            "beräknas. Importera filen arbetstid (ordinarie timmar per anställning och månad)."
        )
    per_person = base.group_by(["org_id", "person_id"]).agg(
        pl.col("scheduled_hours").sum(), pl.col("sick_hours").sum(), pl.col("long_hours").sum()
    )
    # Count through the population layer, so the note's head counts are the same
    # number as every other count of persons with ordinary working time.
    per_person = per_person.join(
        ordinary_hours_persons(data, year), on=["org_id", "person_id"], how="semi"
    )
    return per_person.join(
        persons_with_age(data.persons, year), on=["org_id", "person_id"], how="left"
    )


def _row(
    key: str, label: str, kolada: str, group: pl.DataFrame, min_n: int, long_term: bool
) -> NoteRow:
    n = group.height
    sick = float(group["sick_hours"].sum()) if n else 0.0
    if long_term:
        num, den = float(group["long_hours"].sum()) if n else 0.0, sick
    else:
        num, den = sick, float(group["scheduled_hours"].sum()) if n else 0.0
    suppressed = n < min_n
    value = None if suppressed or den <= 0 else 100.0 * num / den
    return NoteRow(key, label, kolada, n, num, den, value, suppressed)


def is_unit_subtree(data: HRData, org_id: str) -> bool:
    """True when ``data`` holds only part of the organisation's unit tree (a unit whose
    parent is not in the data), as after ``restrict_to_subtree``."""
    units = data.units.filter(pl.col("org_id") == org_id)
    parents = units["parent_id"].drop_nulls()
    return bool((~parents.is_in(units["unit_id"].implode())).any()) if parents.len() else False


@memoised(lasting=True)
def ordinary_hours_persons(data: HRData, year: int) -> pl.DataFrame:
    """``ORDINARY_HOURS.persons`` for ``year``, once per pack: the note counts its
    population, and the exemption the population of the year and the one before."""
    return ORDINARY_HOURS.persons(data, year)


@memoised(lasting=True)
def working_time_years(data: HRData, org_id: str) -> tuple[int, ...]:
    """The years the organisation's working time covers (computed in Polars: the
    months of a national employer are tens of millions of rows)."""
    years = (
        data.working_time.lazy()
        .filter(pl.col("org_id") == org_id)
        .select(pl.col("month").dt.year().unique().drop_nulls())
        .collect()
        .to_series()
    )
    return tuple(sorted(years.to_list()))


def exemption(data: HRData, org_id: str, year: int) -> NoteExemption | None:
    """The exemption when the average of the persons with ordinary working time in
    ``year`` and ``year − 1`` is ten or fewer (a year the data has no working time
    for is left out of the average rather than counted as zero).

    The exemption concerns the employer, so it is never judged on a unit subtree
    (``is_unit_subtree``): a small unit's groups are simply suppressed."""
    if is_unit_subtree(data, org_id):
        return None
    years_with_data = set(working_time_years(data, org_id))
    counts = []
    for y in (year - 1, year):
        if y in years_with_data:
            persons = ordinary_hours_persons(data, y).filter(pl.col("org_id") == org_id)
            counts.append((y, persons.height))
    if not counts:
        return None
    average = sum(n for _, n in counts) / len(counts)
    if average > EXEMPTION_MAX_AVERAGE:
        return None
    return NoteExemption(average, tuple(counts))


def sick_leave_notes(data: HRData, params: Params) -> tuple[SickLeaveNote, ...]:
    """The note for every organisation in ``data`` (restrict to a subtree first if wanted).

    An exempt employer's note has ``exemption`` set and every row suppressed. The
    exemption is judged on the whole organisation only, never on a unit subtree.
    """
    people = person_hours(
        data,
        params.year,
        params.short_term_days,
        ordinary_hours_exclude_leave=params.ordinary_hours_exclude_leave,
    )
    kinds = (
        dict(data.organisations.select("org_id", "kind").iter_rows())
        if data.organisations.height
        else {}
    )
    min_n = max(params.sick_leave_min_group, SKR_NOTE_MIN_GROUP)
    notes = []
    for org_id in sorted(people["org_id"].unique().to_list()):
        org_people = people.filter(pl.col("org_id") == org_id)
        kind = kinds.get(org_id)
        exempt = exemption(data, org_id, params.year)
        rows = []
        for figure in NOTE_FIGURES:
            group = (
                org_people
                if figure.column is None
                else org_people.filter(pl.col(figure.column) == figure.value)
            )
            row = _row(
                figure.key,
                figure.label_sv,
                note_kolada_id(figure.kolada, figure.cut, kind),
                group,
                min_n,
                figure.long_term,
            )
            if exempt is not None:
                row = NoteRow(
                    row.key,
                    row.label_sv,
                    row.kolada_id,
                    row.n,
                    row.numerator,
                    row.denominator,
                    None,
                    True,
                )
            rows.append(row)
        notes.append(SickLeaveNote(org_id, params.year, tuple(rows), exempt))
    return tuple(notes)


def sick_leave_note(data: HRData, params: Params, org_id: str | None = None) -> SickLeaveNote:
    """The note for one organisation (the only one in ``data`` when ``org_id`` is None)."""
    notes = sick_leave_notes(data, params)
    if org_id is None:
        if len(notes) != 1:
            raise InsufficientData(
                "Underlaget innehåller flera organisationer. Välj vilken organisations sjukfrånvaro som ska visas."
            )
        return notes[0]
    for note in notes:
        if note.org_id == org_id:
            return note
    raise InsufficientData(
        f"Det finns ingen ordinarie arbetstid för organisation {org_id} år {params.year}. "
        "Importera filen arbetstid för organisationen."
    )
