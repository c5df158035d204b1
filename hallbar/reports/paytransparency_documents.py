"""The documents of the pay-transparency workflows: the answer letter (Art. 7), the pay
criteria (Art. 6), the report (Art. 9) and the joint pay assessment (Art. 10).

Each is built as a ``Document`` (title, sections of paragraphs, facts and one
table) from the plain values the service layer stores, and rendered as
printable HTML (``render_html``; print it to PDF from the browser), as a Word
file (``render_docx``) or as text (``render_text``, the form the snapshot tests
check). The report export
(Excel, CSV, JSON) has one row per value keyed by article point and category.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import docx
import xlsxwriter

from hallbar.reports.formatting import format_date, format_kr, format_number, format_percent

LAW_SV = (
    "Europaparlamentets och rådets direktiv (EU) 2023/970 om insyn i lönesättningen, "
    "genomfört i diskrimineringslagen (2008:567)"
)


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: tuple[str, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()
    table: tuple[tuple[str, ...], ...] = ()  # first row = column headings


@dataclass(frozen=True)
class Document:
    title: str
    org_name: str
    subtitle: str
    sections: tuple[Section, ...]
    footer: str = field(default=LAW_SV)


# --- rendering ------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#1a1a1a}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border-bottom:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
td.num{text-align:right}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dt{font-weight:600}.meta,footer{color:#555}footer{margin-top:3rem;font-size:.85rem}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}}
"""


def _is_number(text: str) -> bool:
    return bool(text) and (text[0].isdigit() or text[0] in "−-") and text != "–"


def render_html(doc: Document) -> str:
    e = html.escape
    out = [
        '<!doctype html><html lang="sv"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(doc.title)} – {e(doc.org_name)}</title><style>{_CSS}</style></head><body>",
        f'<header><p class="meta">{e(doc.org_name)}</p><h1>{e(doc.title)}</h1>',
        f'<p class="meta">{e(doc.subtitle)}</p></header><main>',
    ]
    for s in doc.sections:
        out.append(f"<section><h2>{e(s.title)}</h2>")
        out += [f"<p>{e(p)}</p>" for p in s.paragraphs]
        if s.facts:
            out.append("<dl>")
            out += [f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in s.facts]
            out.append("</dl>")
        if s.table:
            head, *rows = s.table
            out.append("<table><thead><tr>")
            out += [f'<th scope="col">{e(h)}</th>' for h in head]
            out.append("</tr></thead><tbody>")
            for r in rows:
                cells = [f'<th scope="row">{e(r[0])}</th>']
                cells += [
                    f'<td class="num">{e(c)}</td>' if _is_number(c) else f"<td>{e(c)}</td>"
                    for c in r[1:]
                ]
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</tbody></table>")
        out.append("</section>")
    out.append(f"</main><footer><p>{e(doc.footer)}</p></footer></body></html>")
    return "\n".join(out)


def render_text(doc: Document) -> str:
    lines = [doc.org_name, doc.title, doc.subtitle, ""]
    for s in doc.sections:
        lines += [f"## {s.title}", *s.paragraphs]
        lines += [f"{k}: {v}" for k, v in s.facts]
        lines += [" | ".join(r) for r in s.table]
        lines.append("")
    lines.append(doc.footer)
    return "\n".join(lines)


def render_docx(doc: Document) -> bytes:
    """The same document as a Word file: headings, paragraphs, facts and one table per section."""
    word = docx.Document()
    word.add_paragraph(doc.org_name)
    word.add_heading(doc.title, level=0)
    word.add_paragraph(doc.subtitle)
    for s in doc.sections:
        word.add_heading(s.title, level=1)
        for p in s.paragraphs:
            word.add_paragraph(p)
        for k, v in s.facts:
            para = word.add_paragraph()
            para.add_run(f"{k}: ").bold = True
            para.add_run(v)
        if s.table:
            table = word.add_table(rows=len(s.table), cols=len(s.table[0]))
            table.style = "Table Grid"
            for i, row in enumerate(s.table):
                for j, value in enumerate(row):
                    table.cell(i, j).text = value
    word.add_paragraph(doc.footer)
    buf = io.BytesIO()
    word.save(buf)
    return buf.getvalue()


# --- Article 7: the answer letter -------------------------------------------------------


def answer_letter(answer: Mapping[str, Any]) -> Document:
    """The letter to the worker from the stored answer snapshot (see services.requests)."""
    c = answer["category"]
    basis = str(c["basis"])
    what = (
        f"befattningen {c['label']} (lika arbete)"
        if basis == "lika arbete"
        else f"arbeten av lika värde enligt arbetsvärderingen, {c['label']} (likvärdigt arbete)"
    )
    paragraphs = [
        f"Du begärde den {answer['received_on']} information om din lön och om den genomsnittliga "
        "lönen för kvinnor och män som utför samma arbete som du eller ett arbete av lika värde. "
        "Här är svaret.",
    ]
    if answer.get("fallback_sv"):
        paragraphs.append(str(answer["fallback_sv"]))
    sent = answer.get("answered_on")
    return Document(
        "Svar på begäran om löneinformation",
        str(answer["org_name"]),
        f"Uppgifterna gäller {answer['at']}. Svar senast {answer['due_on']}"
        + (f"; skickat {sent}." if sent else "."),
        (
            Section("Din begäran", tuple(paragraphs)),
            Section("Din lön", facts=(("Din månadslön", format_kr(answer["own_pay"])),)),
            Section(
                "Genomsnittlig lön i din jämförelsegrupp",
                (f"Jämförelsegruppen är {what}.",),
                table=(
                    ("", "Kvinnor", "Män"),
                    ("Antal", str(c["n_women"]), str(c["n_men"])),
                    ("Medellön", format_kr(c["mean_women"]), format_kr(c["mean_men"])),
                    ("Medianlön", format_kr(c["median_women"]), format_kr(c["median_men"])),
                ),
            ),
            Section(
                "Vad som ingår i lönen",
                (
                    str(answer["pay_included_sv"]),
                    "Uppgifterna om andras löner får du använda för att ta tillvara din rätt till "
                    "lika lön. Du får alltid berätta om din egen lön.",
                ),
            ),
        ),
    )


# --- Article 6: the criteria ------------------------------------------------------------


def criteria_document(
    org_name: str,
    job_family: str,
    version: int,
    valid_from: date,
    criteria: Sequence[tuple[str, str]],
) -> Document:
    return Document(
        f"Kriterier för lönesättning och löneutveckling: {job_family}",
        org_name,
        f"Version {version}, gäller från {format_date(valid_from)}.",
        (
            Section(
                "Så sätts lönen",
                (
                    "Lönen och löneutvecklingen bestäms utifrån följande sakliga och könsneutrala "
                    "kriterier. De gäller alla i yrkesfamiljen, oavsett kön.",
                ),
                table=(("Kriterium", "Beskrivning"), *((n, d) for n, d in criteria)),
            ),
        ),
    )


# --- Article 9: the report --------------------------------------------------------------

POINT_ORDER = "abcdefg"


def _value_text(v: Mapping[str, Any]) -> str:
    if v["suppressed"]:
        return "dold (liten grupp)"
    return format_percent(v["value"], 1)


def report_document(
    snapshot: Mapping[str, Any],
    *,
    points_sv: Mapping[str, str],
    measures_sv: Mapping[str, str],
    status_sv: str,
    consulted: str = "",
    confirmed: str = "",
) -> Document:
    values = snapshot["values"]
    sections = [
        Section(
            "Om rapporten",
            tuple(snapshot["notices"]),
            facts=(
                ("Rapportdatum", str(snapshot["report_date"])),
                ("Antal arbetstagare", str(snapshot["headcount_caption"])),
                ("Rapporteringscykel", str(snapshot["reporting_sv"])),
                ("Kategorier av arbetstagare", str(snapshot["category_kind_sv"])),
                ("Status", status_sv),
                *((("Samråd", consulted),) if consulted else ()),
                *((("Fastställd", confirmed),) if confirmed else ()),
            ),
        )
    ]
    for point in POINT_ORDER:
        rows = [v for v in values if v["point"] == point]
        if not rows:
            continue
        sections.append(
            Section(
                f"Artikel 9.1 {point}) {points_sv[point]}",
                table=(
                    ("Kategori", "Mått", "Värde"),
                    *(
                        (
                            v["category"] or "Hela organisationen",
                            measures_sv[v["measure"]],
                            _value_text(v),
                        )
                        for v in rows
                    ),
                ),
            )
        )
    flagged = snapshot.get("flagged", [])
    sections.append(
        Section(
            "Kategorier med en skillnad på minst "
            f"{format_number(snapshot['gap_threshold_pct'], 0)} %",
            (
                "Om skillnaden inte kan motiveras med sakliga, könsneutrala kriterier och inte "
                "har åtgärdats inom sex månader från rapporten ska arbetsgivaren göra en "
                "gemensam lönebedömning med arbetstagarnas företrädare (artikel 10).",
            )
            if flagged
            else ("Ingen kategori har en skillnad som kräver gemensam lönebedömning.",),
            table=(
                (
                    ("Kategori", "Skillnad i timlön"),
                    *((f["category"], format_percent(f["gap_pct"], 1)) for f in flagged),
                )
                if flagged
                else ()
            ),
        )
    )
    return Document(
        "Lönerapport enligt artikel 9",
        str(snapshot["org_name"]),
        f"Rapportdatum {snapshot['report_date']}.",
        tuple(sections),
    )


# --- Article 10: the joint pay assessment -----------------------------------------------


def assessment_document(
    org_name: str,
    *,
    report_date: str,
    opened_on: str,
    representatives: str,
    categories: Sequence[Mapping[str, Any]],
    reasons: Mapping[str, str],
    measures: str,
    evaluation: str,
    status_sv: str,
    remedy_due: str,
) -> Document:
    sections = [
        Section(
            "Om lönebedömningen",
            facts=(
                ("Lönerapport", report_date),
                ("Öppnad", opened_on),
                ("Arbetstagarnas företrädare", representatives),
                ("Åtgärdsfrist (sex månader)", remedy_due),
                ("Status", status_sv),
            ),
        )
    ]
    for c in categories:
        name = str(c["category"])
        sections.append(
            Section(
                f"Kategori: {name}",
                (f"Skäl till skillnaderna: {reasons.get(name) or 'ännu inte angivna'}",),
                table=(
                    ("", "Kvinnor", "Män", "Skillnad"),
                    ("Antal", str(c["n_women"]), str(c["n_men"]), ""),
                    (
                        "Andel",
                        format_percent(c["share_women"], 1),
                        format_percent(c["share_men"], 1),
                        "",
                    ),
                    (
                        "Genomsnittlig grundlön per år",
                        format_kr(c["base_women"]),
                        format_kr(c["base_men"]),
                        format_percent(c["base_gap_pct"], 1),
                    ),
                    (
                        "Genomsnittlig kompletterande lön per år",
                        format_kr(c["complementary_women"]),
                        format_kr(c["complementary_men"]),
                        format_percent(c["complementary_gap_pct"], 1),
                    ),
                    (
                        "Andel med löneökning efter föräldraledighet",
                        format_percent(c["share_raised_women"], 1),
                        format_percent(c["share_raised_men"], 1),
                        "",
                    ),
                ),
            )
        )
    sections.append(Section("Åtgärder", (measures or "Ännu inte beslutade.",)))
    sections.append(
        Section("Utvärdering av tidigare åtgärder", (evaluation or "Inga tidigare åtgärder.",))
    )
    return Document(
        "Gemensam lönebedömning enligt artikel 10",
        org_name,
        f"Grundad på lönerapporten {report_date}.",
        tuple(sections),
    )


# --- the report export --------------------------------------------------------------------

EXPORT_COLUMNS: tuple[str, ...] = (
    "artikelpunkt",
    "punkt_beskrivning",
    "kategori",
    "mått",
    "mått_beskrivning",
    "värde",
    "enhet",
    "dolt_liten_grupp",
)


def export_csv(rows: Sequence[Mapping[str, Any]]) -> bytes:
    """Semicolon-separated, decimal point, UTF-8 with BOM (opens in Swedish Excel)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=EXPORT_COLUMNS, delimiter=";", lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: ("" if r[k] is None else r[k]) for k in EXPORT_COLUMNS})
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def export_json(meta: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]) -> bytes:
    return json.dumps({**meta, "värden": list(rows)}, ensure_ascii=False, indent=2).encode("utf-8")


def export_excel(meta: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "nan_inf_to_errors": True})
    bold = wb.add_format({"bold": True})
    about = wb.add_worksheet("Om rapporten")
    for i, (k, v) in enumerate(meta.items()):
        about.write(i, 0, k, bold)
        about.write(i, 1, "" if v is None else str(v))
    about.set_column(0, 0, 24)
    about.set_column(1, 1, 80)
    sheet = wb.add_worksheet("Värden")
    for j, name in enumerate(EXPORT_COLUMNS):
        sheet.write(0, j, name, bold)
    for i, r in enumerate(rows, start=1):
        for j, name in enumerate(EXPORT_COLUMNS):
            value = r[name]
            if value is None:
                sheet.write_blank(i, j, None)
            else:
                sheet.write(i, j, value)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, 4, 30)
    wb.close()
    return buf.getvalue()
