"""Exports of the key-figure tables: Excel, CSV, JSON, Kolada long format and the
annual report's HTML table. Every export is built from the same protected view
objects as the pages (small groups already hidden, definitions attached) and
is written to the audit log."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from hallbar.core.access import Principal, Resource
from hallbar.core.describe import FigureTable
from hallbar.core.errors import HallbarError
from hallbar.indicators import registry
from hallbar.indicators.cache import shared_cache
from hallbar.reports.csv_export import write_csv
from hallbar.reports.excel import write_excel
from hallbar.reports.html import render_html_table
from hallbar.reports.json_export import to_json
from hallbar.reports.kolada import to_kolada_long, write_kolada_csv
from hallbar.services import audit
from hallbar.services.figures.overview import (
    NoteView,
    Overview,
    ScopeInfo,
    overview,
    sick_leave_note_view,
)
from hallbar.services.figures.people import people_list
from hallbar.services.figures.request import (
    FigureInputError,
    FigureRequest,
    open_selection,
)
from hallbar.services.figures.views import dashboard_view, dominance_view, trend_view

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

FORMATS: dict[str, tuple[str, str]] = {
    # format -> (media type, file suffix)
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "zip": ("application/zip", "zip"),
    "json": ("application/json", "json"),
    "kolada": ("text/csv; charset=utf-8", "kolada.csv"),
    "html": ("text/html; charset=utf-8", "html"),
}
VIEWS: dict[str, str] = {
    # export name -> Swedish title
    "nyckeltal": "Nyckeltal",
    "sjukfranvaro": "Sjukfrånvaro enligt lag",
    "trend": "Tidsserie",
    "prioriterat": "Fyra prioriterade områden",
    "kvinnor-man": "Kvinno- och mansdominerade yrken",
    "inhyrd": "Inhyrd personal per yrke och månad",
    "rehab": "Sjukperioder som passerat dag 30",
    "upprepad": "Upprepad korttidsfrånvaro",
}
# Short Excel sheet names (at most 31 characters) by table id, where the table's title
# is longer and its head would not tell the sheets apart (the four areas' three tables).
_AREA_SHEETS = {"fulltime": "Heltid", "health": "Hälsa", "managers": "Chefer", "pay": "Lön"}
SHEET_NAMES: dict[str, str] = {
    **{f"area_{k}": v for k, v in _AREA_SHEETS.items()},
    **{f"trend_{k}": f"{v} per år" for k, v in _AREA_SHEETS.items()},
    **{f"standouts_{k}": f"{v} sticker ut" for k, v in _AREA_SHEETS.items()},
    "kvinnor_man": "Kvinno- och mansdominerat",
    "rehab_day30": "Passerat dag 30",
}
# Registered figure -> (Kolada id for municipalities, for regions); gender as a cut (T/K/M).
# The registry is the one home of the ids (``Description.kolada_ids``).
KOLADA_FIGURES: dict[str, tuple[str, str]] = registry.kolada_figures()
# Figures whose Kolada value has no gender cut: the women-minus-men median pay gap
# (N00951 / N60953, kronor) compares the two genders, so K and M mean nothing.
_NO_GENDER_CUT = frozenset({"median_pay_gap_women_men"})


@dataclass(frozen=True)
class Export:
    content: bytes
    media_type: str
    filename: str


@dataclass(frozen=True)
class Collected:
    title: str
    info: ScopeInfo
    tables: list[FigureTable]
    kolada: pl.DataFrame | None  # long format, when the view has Kolada figures
    note: NoteView | None = None


def _kolada_frame(
    rows: list[tuple[str, str, int, float | None]], municipality: str
) -> pl.DataFrame:
    frames = []
    for kpi, gender, year, value in rows:
        frame = pl.DataFrame(
            {"gender": [gender], "v": [value]}, schema={"gender": pl.String, "v": pl.Float64}
        )
        frames.append(
            to_kolada_long(
                frame,
                kpi_ids={"v": kpi},
                municipality=municipality,
                period=year,
                gender_col="gender",
            )
        )
    if not frames:
        return to_kolada_long(
            pl.DataFrame({"v": []}, schema={"v": pl.Float64}),
            kpi_ids={},
            municipality=municipality,
            period=2000,
        )
    return pl.concat(frames).sort(["kpi", "period", "gender"])


def _pack_kolada(
    hb: Hallbar, principal: Principal, org_id: str, request: FigureRequest, view: Overview
) -> list[tuple[str, str, int, float | None]]:
    """Kolada rows of the overview's figures: total from the view, K/M from a gender cut."""
    region = view.info.kind == "region"
    cards = {c.id: c for a in view.areas for c in a.cards}
    out: list[tuple[str, str, int, float | None]] = []
    gender_view = overview(hb, principal, org_id, replace(request, by="gender"))
    gender_cards = {c.id: c for a in gender_view.areas for c in a.cards}
    for fid, (kommun, reg) in KOLADA_FIGURES.items():
        kpi = reg if region else kommun
        card = cards.get(fid)
        if card is None:
            continue
        out.append((kpi, "T", view.info.year, card.headline))
        table = gender_cards[fid].table if fid in gender_cards else None
        if table is None or fid in _NO_GENDER_CUT or "Kön" not in table.frame.columns:
            continue
        for label, code in (("Kvinnor", "K"), ("Män", "M")):
            hit = table.frame.filter(pl.col("Kön") == label)
            value = hit[fid][0] if hit.height and fid in hit.columns else None
            out.append((kpi, code, view.info.year, None if value is None else float(value)))
    return out


def collect(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    request: FigureRequest,
    view: str,
    *,
    figure_id: str = "sick_leave_total",
    freq: str = "month",
    occupation: str | None = None,
    client: str = "",
) -> Collected:
    """The protected tables of one page, each carrying the active filter in its notes."""
    c = _collect(
        hb,
        principal,
        org_id,
        request,
        view,
        figure_id=figure_id,
        freq=freq,
        occupation=occupation,
        client=client,
    )
    if not c.info.filter_label_sv:
        return c
    # The filter travels with every table (CSV's definitions, JSON's notes, Excel's notes).
    stamp = (c.info.filter_label_sv + ". Populationen är filtrerad; se definitionerna.",)
    tables = [
        FigureTable(t.id, t.title_sv, t.frame, t.descriptions, (*stamp, *t.notes_sv), t.chart)
        for t in c.tables
    ]
    return replace(c, tables=tables)


def _collect(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    request: FigureRequest,
    view: str,
    *,
    figure_id: str,
    freq: str,
    occupation: str | None,
    client: str,
) -> Collected:
    """The protected tables of one page (access checked by the page's own data function)."""
    # The access check only: each view opens (and protects) its own selection.
    open_selection(hb, principal, org_id, request, Resource.FIG_EXPORT, hidden_ok=True)
    # Kolada's figures are for the whole staff: a filtered population has none.
    kolada_ok = not request.population.active
    if view == "nyckeltal":
        ov = overview(hb, principal, org_id, request)
        rows = (
            _pack_kolada(hb, principal, org_id, request, ov)
            if request.by is None and kolada_ok
            else []
        )
        return Collected(
            VIEWS[view], ov.info, ov.tables(), _kolada_frame(rows, org_id) if rows else None
        )
    if view == "sjukfranvaro":
        note = sick_leave_note_view(hb, principal, org_id, request)
        from hallbar.services.figures.overview import note_kolada_rows

        rows = note_kolada_rows(note) if kolada_ok else []
        return Collected(
            VIEWS[view],
            note.info,
            note.tables(),
            _kolada_frame(rows, org_id) if rows else None,
            note,
        )
    if view == "trend":
        t = trend_view(hb, principal, org_id, request, figure_id, freq)
        if t.table is None:
            raise HallbarError(t.message_sv or "Tidsserien kan inte beräknas för urvalet.")
        return Collected(VIEWS[view], t.info, t.tables(), None)
    if view == "prioriterat":
        d = dashboard_view(hb, principal, org_id, request)
        return Collected(VIEWS[view], d.info, d.tables(), None)
    if view == "kvinnor-man":
        dv = dominance_view(hb, principal, org_id, request)
        if dv.table is None:
            raise HallbarError(" ".join(dv.notes_sv) or "Jämförelsen kan inte göras för urvalet.")
        return Collected(VIEWS[view], dv.info, dv.tables(), None)
    if view == "inhyrd":
        from hallbar.services.figures.agency import agency_view

        av = agency_view(hb, principal, org_id, request, occupation)
        if not av.tables():
            raise HallbarError(av.message_sv or "Inhyrd personal kan inte visas för urvalet.")
        return Collected(VIEWS[view], av.info, av.tables(), None)
    if view in ("rehab", "upprepad"):
        people = people_list(
            hb, principal, org_id, request, view, client=client, audit_action=audit.Action.EXPORT
        )
        return Collected(VIEWS[view], people.info, people.tables(), None)
    raise FigureInputError(f"Okänd export '{view}'. Välj en av: {', '.join(VIEWS)}.")


def _period(info: ScopeInfo) -> str:
    return f"{info.year} · {info.scope_sv}"


def _excel(c: Collected) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_excel(
            c.tables,
            Path(tmp) / "export.xlsx",
            title=c.title,
            org_name=c.info.org_name,
            period=_period(c.info),
            created=date.today(),
            sheet_names=SHEET_NAMES,
        )
        return path.read_bytes()


def _csv(c: Collected) -> tuple[bytes, str]:
    with tempfile.TemporaryDirectory() as tmp:
        paths: list[Path] = []
        for i, table in enumerate(c.tables, start=1):
            paths += write_csv(table, Path(tmp) / f"{i:02d}_{_slug(table.id)}.csv")
        if len(c.tables) == 1:
            # One table: the table itself, with its definitions as rows under a blank line.
            body = (
                paths[0].read_bytes()
                + b"\r\n"
                + paths[1].read_bytes().removeprefix("\ufeff".encode())
            )
            return body, "csv"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in paths:
                zf.write(p, p.name)
        return buffer.getvalue(), "zip"


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)[:60]


def _json(c: Collected) -> bytes:
    data: dict[str, Any] = to_json(
        c.tables, title=c.title, org_name=c.info.org_name, period=_period(c.info)
    )
    if c.info.filter_label_sv:
        data["urval"] = {"filter": c.info.population.query(), "text": c.info.filter_label_sv}
    if c.kolada is not None:
        data["kolada"] = c.kolada.to_dicts()
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def _kolada(c: Collected) -> bytes:
    if c.kolada is None:
        raise HallbarError(
            "Koladaformat finns för sjukfrånvaron och nyckeltalen utan uppdelning och utan "
            "filter (Kolada avser hela personalen). Välj sidan Sjukfrånvaro enligt lag eller "
            "Nyckeltal och ta bort filtren."
        )
    with tempfile.TemporaryDirectory() as tmp:
        return write_kolada_csv(c.kolada, Path(tmp) / "kolada.csv").read_bytes()


HTML_STYLE = """
body{font-family:system-ui,sans-serif;color:#1b1f24;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
h1{font-size:1.5rem;margin:0 0 .25rem}p.meta{color:#4f5863;margin:0 0 1.5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}caption{text-align:left;font-weight:600;padding:.25rem 0 .5rem}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #c9d0d7}thead th{border-bottom:2px solid #1b1f24;background:#f3f5f7}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.hb-sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.hb-suppressed,.hb-missing{color:#4f5863}figcaption ul{padding-left:1.1rem;color:#4f5863;font-size:.9rem}
details{margin:.5rem 0 1.5rem}summary{cursor:pointer;font-weight:600}
@media print{details{display:block}details>summary{display:none}}
"""


def _html(c: Collected) -> bytes:
    """A standalone page for the annual report: the tables, notes and definitions."""
    parts = [
        "<!doctype html>",
        '<html lang="sv"><head><meta charset="utf-8">',
        f"<title>{escape(c.title)} – {escape(c.info.org_name)}</title>",
        f"<style>{HTML_STYLE}</style></head><body>",
        f"<h1>{escape(c.title)}</h1>",
        f'<p class="meta">{escape(c.info.org_name)} · {escape(c.info.scope_sv)} · år {c.info.year} · '
        f"underlag per {c.info.as_of.isoformat()}</p>",
    ]
    parts += [render_html_table(t) for t in c.tables]
    parts.append("</body></html>")
    return "\n".join(parts).encode("utf-8")


WRITERS: dict[str, Callable[[Collected], bytes]] = {
    "xlsx": _excel,
    "json": _json,
    "kolada": _kolada,
    "html": _html,
}


def export(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    request: FigureRequest,
    view: str,
    fmt: str,
    *,
    figure_id: str = "sick_leave_total",
    freq: str = "month",
    occupation: str | None = None,
    client: str = "",
) -> Export:
    """One page's tables as a file; recorded in the audit log."""
    if fmt not in ("xlsx", "csv", "json", "kolada", "html"):
        raise FigureInputError("Välj format: xlsx, csv, json, kolada eller html.")
    c = collect(
        hb,
        principal,
        org_id,
        request,
        view,
        figure_id=figure_id,
        freq=freq,
        occupation=occupation,
        client=client,
    )
    if fmt == "csv":
        content, kind = _csv(c)
    else:
        content, kind = WRITERS[fmt](c), fmt
    media, suffix = FORMATS[kind]
    name = f"{_slug(view)}-{org_id}-{c.info.year}.{suffix}"
    audit.record(
        hb,
        principal.username,
        audit.Action.EXPORT,
        org_id=org_id,
        target=f"nyckeltal {view}.{suffix}",
        detail=f"{len(c.tables)} tabeller; {c.info.scope_sv}",
        client=client,
    )
    return Export(content, media, name)


def write_pack(
    hb: Hallbar, principal: Principal, org_id: str, request: FigureRequest, folder: Path
) -> list[Path]:
    """The key-figure pack of a year as files in ``folder`` (Excel, CSV, JSON, Kolada)."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    # One block for every file: the year-independent building blocks (the sick spells)
    # are computed once for the pack, the note and the trends of earlier years.
    with shared_cache():
        return _write_pack(hb, principal, org_id, request, folder, written)


def _write_pack(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    request: FigureRequest,
    folder: Path,
    written: list[Path],
) -> list[Path]:
    for view, fmt in (
        ("nyckeltal", "xlsx"),
        ("nyckeltal", "json"),
        ("nyckeltal", "csv"),
        ("nyckeltal", "kolada"),
        ("sjukfranvaro", "xlsx"),
        ("sjukfranvaro", "html"),
        ("sjukfranvaro", "csv"),
        ("sjukfranvaro", "kolada"),
        ("prioriterat", "xlsx"),
        ("kvinnor-man", "xlsx"),
    ):
        try:
            out = export(hb, principal, org_id, request, view, fmt, client="cli")
        except HallbarError:
            if view == "kvinnor-man":
                continue  # no comparison possible: the pack is still useful
            raise
        path = folder / out.filename
        path.write_bytes(out.content)
        written.append(path)
    return written
