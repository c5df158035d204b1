"""Kolada side by side: the own value beside Kolada's published values.

For one KPI, municipality, year and gender cut: the own value computed by
Hållbar, Kolada's published value for the same municipality, the unweighted mean
of Skåne's municipalities (Kolada's group "Skåne läns kommuner (ovägt medel)")
and of the organisation's group of similar municipalities ("Liknande kommuner …").
Kolada publishes a value for each municipality group, the unweighted average of
its members (Kolada API documentation, "municipal groups"); when a file holds the
members' values but not the group's, the mean is computed here and labelled so.

Kolada data arrive as a long frame (``KOLADA_FRAME``: kpi, municipality, period,
gender, value, status), produced by ``hallbar.ingest.kolada_api``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

SKANE_GROUP_TITLE = "Skåne läns kommuner (ovägt medel)"
SIMILAR_PREFIX = "Liknande kommuner"
KOLADA_FRAME = {
    "kpi": pl.String,
    "municipality": pl.String,
    "period": pl.Int64,
    "gender": pl.String,
    "value": pl.Float64,
    "status": pl.String,
}

# Where Hållbar's figure and Kolada's differ by definition, in words (domain-rules §1–2).
DEFINITION_NOTES_SV: dict[str, str] = {
    "N00090": "Kolada hämtar sjukfrånvaron ur kommunens årsredovisning (SKR:s definition). "
    "Hållbar räknar samma definition på importerade timmar; skillnader beror på rättelser "
    "efter bokslutet och på vilka ledigheter som räknats bort från ordinarie arbetstid.",
    "N00091": "Andelen långtidssjukfrånvaro är sjukfrånvaro i sammanhängande perioder om 60 "
    "dagar eller mer som andel av all sjukfrånvaro (inte av arbetstiden), som i Kolada.",
    "N00200": "Kolada bygger på SKR:s personalstatistik i november (månadsavlönade). Hållbar "
    "räknar på importens datum; personal som slutat eller börjat däremellan ger skillnader.",
    "N00206": "Kolada avser tillsvidareanställda månadsavlönade i november, med flera "
    "anställningars sysselsättningsgrad summerade och högst 100 %. Hållbar räknar på "
    "importens datum.",
    "N00209": "Faktiskt arbetad tid (efter partiell ledighet) i SKR:s novemberstatistik; "
    "Hållbar använder importens frånvaro och kan skilja sig när frånvaron registreras sent.",
    "N00215": "Kolada och SKR räknar nyanställda tillsvidare under året i novemberstatistiken; "
    "Hållbar räknar anställningar som börjat under kalenderåret.",
    "N00216": "Kolada och SKR räknar tillsvidareanställda som slutat mellan två "
    "novembermätningar; Hållbar räknar avslut under kalenderåret.",
    "N00951": "Kolada redovisar kvinnors medianlön minus mäns medianlön i kronor (SKR:s "
    "lönestatistik, heltidslön i november). Hållbar räknar på importens månadslöner omräknade "
    "till heltid.",
}


@dataclass(frozen=True)
class ComparisonLine:
    label_sv: str
    value: float | None
    source_sv: str
    difference: float | None  # own value minus this value


@dataclass(frozen=True)
class Comparison:
    kpi: str
    municipality: str
    period: int
    gender: str
    lines: tuple[ComparisonLine, ...]
    note_sv: str  # why the definitions differ, or "" when they do not
    messages_sv: tuple[str, ...]  # values Kolada does not have


def published_value(
    frame: pl.DataFrame, kpi: str, muni: str, period: int, gender: str
) -> float | None:
    """Kolada's value of ``kpi`` for one municipality (or group), year and gender cut."""
    hit = frame.filter(
        (pl.col("kpi") == kpi)
        & (pl.col("municipality") == muni)
        & (pl.col("period") == period)
        & (pl.col("gender") == gender)
    )
    if hit.height == 0:
        return None
    value = hit["value"][0]
    return None if value is None else float(value)


def group_mean(
    frame: pl.DataFrame,
    *,
    kpi: str,
    group_id: str,
    members: Sequence[str],
    period: int,
    gender: str = "T",
) -> tuple[float | None, str]:
    """The group's published value, or the unweighted mean of its members' values."""
    published = published_value(frame, kpi, group_id, period, gender)
    if published is not None:
        return published, "Kolada"
    values = [
        v for m in members if (v := published_value(frame, kpi, m, period, gender)) is not None
    ]
    if not values:
        return None, ""
    return (
        sum(values) / len(values),
        f"Egen bearbetning av data från Kolada: medel av {len(values)} kommuner",
    )


def similar_group(groups: Sequence[tuple[str, str, tuple[str, ...]]], name: str) -> str | None:
    """The id of ``name``'s group of similar municipalities (the newest, 'övergripande' first).

    ``groups`` are (id, title, members). Kolada titles them "Liknande kommuner …, NAME, YEAR"
    and leaves the municipality itself out of the members.
    """
    candidates = []
    for group_id, title, _ in groups:
        parts = [p.strip() for p in title.split(",")]
        if title.startswith(SIMILAR_PREFIX) and name in parts:
            year = next((int(p) for p in reversed(parts) if p.isdigit()), 0)
            candidates.append(("övergripande" in title, year, group_id))
    return max(candidates)[2] if candidates else None


def compare(
    own_value: float | None,
    *,
    kolada: pl.DataFrame,
    kpi: str,
    municipality: str,
    period: int,
    gender: str = "T",
    skane: tuple[str, Sequence[str]] | None = None,
    similar: tuple[str, Sequence[str]] | None = None,
) -> Comparison:
    """Own value, Kolada's value, Skåne's mean and the similar group's mean, with differences."""

    def line(label: str, value: float | None, source: str) -> ComparisonLine:
        diff = own_value - value if own_value is not None and value is not None else None
        return ComparisonLine(label, value, source, diff)

    messages: list[str] = []
    published = published_value(kolada, kpi, municipality, period, gender)
    if published is None:
        messages.append(
            f"Kolada har inget värde för {kpi} ({gender}) år {period} för {municipality}."
        )
    lines = [
        ComparisonLine("Egen beräkning", own_value, "Hållbar", None),
        line("Koladas publicerade värde", published, "Kolada" if published is not None else ""),
    ]
    for label, group in (("Skånes kommuner (ovägt medel)", skane), ("Liknande kommuner", similar)):
        if group is None:
            messages.append(f"Gruppen {label.lower()} finns inte i Kolada-underlaget.")
            continue
        mean, source = group_mean(
            kolada, kpi=kpi, group_id=group[0], members=group[1], period=period, gender=gender
        )
        lines.append(line(label, mean, source))
    return Comparison(
        kpi,
        municipality,
        period,
        gender,
        tuple(lines),
        DEFINITION_NOTES_SV.get(kpi, ""),
        tuple(messages),
    )
