"""Build the written documentation of a pay survey (3 kap. 13 § diskrimineringslagen).

Sections: the survey and how it was done together with the unions, the job
evaluation, results (equal work, equivalent work, women-dominated work), the
statistical analysis, analysis of each flagged difference, adjustments with
cost and timetable, the evaluation of last year's adjustments, the EU Article 9
report and the notices. Every table carries its definitions; small groups are
suppressed as on the pages.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from hallbar.core.access import Principal, Resource
from hallbar.core.describe import FigureTable
from hallbar.paysurvey.actions import COST_DESCRIPTION
from hallbar.paysurvey.comparisons import STATS_DESCRIPTION
from hallbar.paysurvey.document_text import (
    AVERAGES_DESCRIPTION,
    adjustments_text_sv,
    analysis_text_sv,
    evaluation_text_sv,
    follow_up_text_sv,
    pay_averages_by_gender,
    written_section_text_sv,
)
from hallbar.paysurvey.evaluation import CRITERIA
from hallbar.paysurvey.regression import REGRESSION_DESCRIPTION
from hallbar.privacy.suppression import SuppressionRule
from hallbar.reports.formatting import format_kr, format_number, format_percent
from hallbar.reports.paysurvey_document import (
    DocSection,
    PaySurveyDocument,
    render_document_html,
    write_document_excel,
)
from hallbar.services import audit
from hallbar.services.paysurvey.actions import KIND_LABELS, STEP_LABELS, follow_up_table
from hallbar.services.paysurvey.survey import Computed, compute
from hallbar.services.paysurvey.tables import suppress_small
from hallbar.services.paysurvey.views import (
    MODEL_DESCRIPTION,
    comparison_table,
    transparency_of,
)

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

TITLE = "Lönekartläggning och analys"
MAX_PAIRS = 200


def _evaluation_tables(c: Computed) -> tuple[FigureTable, ...]:
    m = c.stored.model
    model = FigureTable(
        "modell",
        "Arbetsvärderingsmodell: kriterier, delfaktorer, vikter och nivåer",
        pl.DataFrame(
            {
                "Kriterium": [CRITERIA.get(f.criterion, f.criterion) for f in m.subfactors],
                "Delfaktor": [f.name_sv for f in m.subfactors],
                "Vikt (%)": [f.weight for f in m.subfactors],
                "Antal nivåer": [f.levels for f in m.subfactors],
            }
        ),
        (MODEL_DESCRIPTION,),
    )
    out = [model]
    jv = c.result.job_values
    if jv is not None:
        out.append(
            FigureTable(
                "arbetsvarden",
                "Arbetsvärden och värdenivåer per befattning",
                jv.sort(["band", "value"]).select(
                    pl.col("job").alias("Befattning"),
                    pl.col("value").alias("Arbetsvärde (poäng)"),
                    pl.col("band_label").alias("Värdenivå"),
                ),
                (MODEL_DESCRIPTION,),
            )
        )
    return tuple(out)


def _result_tables(c: Computed, rule: SuppressionRule) -> tuple[FigureTable, ...]:
    res = c.result
    eq = suppress_small(res.equal_work.table.frame, rule)
    out = [comparison_table("lika_arbete", eq, res.equal_work.table.title_sv, rule)]
    if res.equivalent_work is not None:
        ev = suppress_small(res.equivalent_work.table.frame, rule)
        out.append(
            comparison_table("likvardigt_arbete", ev, res.equivalent_work.table.title_sv, rule)
        )
    if res.women_dominated is not None:
        wd = res.women_dominated.table.frame.filter(pl.col("diff_kr") > 0).sort(
            "diff_kr", descending=True
        )
        shown = wd.head(MAX_PAIRS)
        extra = (
            (f"Visar de {MAX_PAIRS} största av {wd.height} skillnader; alla finns på webbsidan.",)
            if wd.height > MAX_PAIRS
            else ()
        )
        out.append(
            comparison_table(
                "kvinnodominerat",
                suppress_small(shown, rule, count_cols=("n", "n_other")),
                "Kvinnodominerade arbeten med lägre lön än jämförda arbeten",
                rule,
                *extra,
            )
        )
    return tuple(out)


def _averages_table(c: Computed, rule: SuppressionRule) -> FigureTable:
    """Average pay and average supplements in kronor per job and gender (DiskL 3 kap. 13 §),
    with small groups hidden as on the pages."""
    averages = suppress_small(
        pay_averages_by_gender(c.result.data, "job"),
        rule,
        count_cols=("n",),
        value_cols=["mean_pay", "mean_supplements"],
    )
    return FigureTable(
        "medellon",
        AVERAGES_DESCRIPTION.name_sv,
        averages.select(
            pl.col("category").alias("Befattning"),
            pl.col("gender").replace_strict({"K": "Kvinnor", "M": "Män"}).alias("Kön"),
            pl.col("n").alias("Antal"),
            pl.col("mean_pay").round(0).alias("Medellön (kr/mån)"),
            pl.col("mean_supplements").round(0).alias("Medeltillägg (kr/mån)"),
            "suppressed",
            "suppression_reason",
        ),
        (AVERAGES_DESCRIPTION,),
    )


def _statistics(c: Computed) -> DocSection:
    reg = c.result.regression
    facts: list[tuple[str, str]] = []
    paragraphs: list[str] = []
    if reg is not None:
        facts += [
            ("Könskoefficient (log-lön)", format_number(reg.coefficient, 4)),
            ("Skillnad i procent vid lika faktorer", format_percent(reg.pct_effect, 1)),
            (
                "95 % konfidensintervall",
                f"{format_number(reg.ci_low, 4)} till {format_number(reg.ci_high, 4)}",
            ),
            ("p-värde (robusta standardfel)", format_number(reg.p_value, 3)),
            ("Antal (kvinnor, män)", f"{reg.n} ({reg.n_women}, {reg.n_men})"),
            ("Förklaringsgrad R²", format_number(reg.r_squared, 3)),
            ("Faktorer", ", ".join(reg.terms_sv)),
        ]
        paragraphs.append(REGRESSION_DESCRIPTION.definition_sv)
    else:
        paragraphs.append("Regressionen kunde inte göras; se anmärkningarna.")
    dec = c.result.decomposition
    if dec is not None:
        facts += [
            ("Oaxaca–Blinder: skillnad (log-lön, män − kvinnor)", format_number(dec.gap, 4)),
            ("varav förklarad av faktorerna", format_number(dec.explained, 4)),
            ("varav oförklarad", format_number(dec.unexplained, 4)),
            ("Referens", dec.reference_sv),
        ]
        paragraphs.append(dec.description.definition_sv)
    return DocSection("statistik", "Statistisk analys", tuple(paragraphs), (), tuple(facts))


def _actions(c: Computed) -> tuple[DocSection, DocSection]:
    actions = {a.difference_id: a for a in c.stored.actions}
    overhead = c.params.payroll_overhead
    rows = []
    for f in sorted(c.result.flagged, key=lambda f: -f.diff_kr):
        a = actions.get(f.id)
        rows.append(
            {
                "Jämförelse": STEP_LABELS.get(f.step, f.step),
                "Grupp": f.subject,
                "Skillnad (kr)": f.diff_kr,
                "Beslut": KIND_LABELS[a.kind] if a else "Ej analyserad",
                "Förklaring eller motivering": a.reason if a else "",
            }
        )
    schema = {
        "Jämförelse": pl.String,
        "Grupp": pl.String,
        "Skillnad (kr)": pl.Float64,
        "Beslut": pl.String,
        "Förklaring eller motivering": pl.String,
    }
    analysed = FigureTable(
        "analys",
        "Flaggade skillnader och analys av orsakerna",
        pl.DataFrame(rows, schema=schema),
        (STATS_DESCRIPTION,),
    )
    adj = [a for a in c.stored.actions if a.kind == "justering" and a.amount_per_month]
    adj_rows = [
        {
            "Skillnad": a.difference_id,
            "Justering (kr/mån)": a.amount_per_month,
            "Kostnad per år inkl. PO (kr)": (a.amount_per_month or 0.0) * 12 * (1 + overhead),
            "Tidsplan": "; ".join(f"{d.isoformat()}: {format_kr(v)}" for d, v in a.timetable),
            "Genomförd senast": max(d for d, _ in a.timetable).isoformat() if a.timetable else "",
        }
        for a in adj
    ]
    adj_schema = {
        "Skillnad": pl.String,
        "Justering (kr/mån)": pl.Float64,
        "Kostnad per år inkl. PO (kr)": pl.Float64,
        "Tidsplan": pl.String,
        "Genomförd senast": pl.String,
    }
    adjustments = FigureTable(
        "justeringar",
        "Lönejusteringar, kostnad och tidsplan",
        pl.DataFrame(adj_rows, schema=adj_schema),
        (COST_DESCRIPTION,),
    )
    total = sum((a.amount_per_month or 0.0) * 12 * (1 + overhead) for a in adj)
    n_open = sum(1 for r in rows if r["Beslut"] == "Ej analyserad")
    s1 = DocSection(
        "analys",
        "Analys av skillnaderna",
        (analysis_text_sv(len(rows), n_open),),
        (analysed,),
    )
    s2 = DocSection(
        "justeringar",
        "Lönejusteringar, kostnad och tidsplan",
        (adjustments_text_sv(len(adj_rows), format_kr(total), format_percent(overhead * 100, 2)),),
        (adjustments,),
        (("Total kostnad per år", format_kr(total)),),
    )
    return s1, s2


def build_document(
    hb: Hallbar, principal: Principal, org_id: str, year: int, *, client: str = ""
) -> PaySurveyDocument:
    c = compute(hb, principal, org_id, year, Resource.PAY_DOCUMENT)
    rule = SuppressionRule(hb.settings.min_group_size)
    info = c.stored.info
    data = c.result.data
    jobs = set(data["job"].drop_nulls().to_list())
    n_jobs = len(jobs)
    # Only jobs of this survey's data count as evaluated (old scores of vanished jobs do not).
    n_scored = sum(1 for job in c.stored.scores if job in jobs)
    about = DocSection(
        "om",
        "Om lönekartläggningen",
        (
            "Lönekartläggningen omfattar bestämmelser och praxis om löner och andra "
            "anställningsvillkor samt en analys av löneskillnader mellan kvinnor och män som "
            "utför lika eller likvärdigt arbete, och mellan kvinnodominerade och andra arbeten.",
        ),
        (),
        (
            ("Organisation", c.org_name),
            ("År", str(info.year)),
            ("Kartläggningsdag", info.survey_date.isoformat()),
            ("Status", info.status_sv),
            ("Antal anställda i kartläggningen", format_number(data.height)),
            (
                "Antal kvinnor / män",
                f"{(data['gender'] == 'K').sum()} / {(data['gender'] == 'M').sum()}",
            ),
            ("Antal befattningar (värderade)", f"{n_jobs} ({n_scored})"),
            ("Lön", "Månadslön omräknad till heltid."),
        ),
    )
    together = DocSection(
        "samverkan",
        "Samverkan med arbetstagarorganisationerna",
        (
            "Arbetsgivaren ska samverka med arbetstagarna i arbetet med aktiva åtgärder och ge "
            "arbetstagarorganisationerna den information som behövs (3 kap. 11–12 § och 3 kap. "
            "14 § diskrimineringslagen).",
            written_section_text_sv(info.participants, "samverkan med arbetstagarorganisationerna"),
        ),
        (),
        (("Deltagare och hur de deltog", info.participants or "Ej ifyllt"),),
    )
    pay_rules = DocSection(
        "bestammelser",
        "Bestämmelser och praxis om löner och andra anställningsvillkor",
        (written_section_text_sv(None, "bestämmelser och praxis om löner"),),
    )
    evaluation = DocSection(
        "arbetsvardering",
        "Arbetsvärdering",
        (evaluation_text_sv(n_jobs, n_scored),),
        _evaluation_tables(c),
    )
    results = DocSection(
        "resultat",
        "Resultat: lika arbete, likvärdigt arbete och kvinnodominerade arbeten",
        (),
        (_averages_table(c, rule), *_result_tables(c, rule)),
    )
    analysis, adjustments = _actions(c)
    other_measures = DocSection(
        "andra_atgarder",
        "Andra åtgärder än lönejusteringar",
        (
            written_section_text_sv(
                None, "andra åtgärder än lönejusteringar (t.ex. ändrade lönekriterier)"
            ),
        ),
    )
    fu = follow_up_table(c)
    followup = DocSection(
        "uppfoljning",
        "Utvärdering av förra årets åtgärder",
        (follow_up_text_sv(len(c.last_year)),),
        (fu,) if fu.frame.height else (),
    )
    tv = transparency_of(c, rule)
    eu = DocSection(
        "eu",
        "EU:s lönetransparensdirektiv, artikel 9",
        (tv.reporting_sv,),
        (tv.quartiles, tv.categories),
        (
            # Whom the report counts: every worker with a contract, hourly-paid included.
            ("Räknas", "; ".join(count.caption_sv() for count in tv.counts)),
            *(
                (f.description.name_sv, format_percent(f.value, 1) if f.value is not None else "–")
                for f in tv.figures
            ),
        ),
    )
    notes = DocSection(
        "anmarkningar",
        "Anmärkningar om underlaget och analysen",
        tuple(n.message_sv for n in c.result.notices) or ("Inga anmärkningar.",),
    )
    audit.record(
        hb,
        principal.username,
        audit.Action.EXPORT,
        org_id=org_id,
        target=f"lönekartläggning {year}: skriftlig dokumentation",
        client=client,
    )
    return PaySurveyDocument(
        TITLE,
        c.org_name,
        info.year,
        info.survey_date,
        date.today(),
        (
            about,
            together,
            pay_rules,
            evaluation,
            results,
            _statistics(c),
            analysis,
            adjustments,
            other_measures,
            followup,
            eu,
            notes,
        ),
        (
            REGRESSION_DESCRIPTION,
            *((c.result.decomposition.description,) if c.result.decomposition else ()),
            *(f.description for f in tv.figures),
        ),
    )


def document_html(
    hb: Hallbar,
    principal: Principal,
    org_id: str,
    year: int,
    *,
    client: str = "",
    stylesheet_href: str | None = None,
) -> str:
    doc = build_document(hb, principal, org_id, year, client=client)
    return render_document_html(doc, stylesheet_href=stylesheet_href)


def document_excel(
    hb: Hallbar, principal: Principal, org_id: str, year: int, path: Path, *, client: str = ""
) -> Path:
    return write_document_excel(build_document(hb, principal, org_id, year, client=client), path)
