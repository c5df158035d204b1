"""The pay-survey services wired to the pure package: the EU Art. 9 population, sentences
generated from the survey's state, Swedish statistical labels and a formula-safe grid.

Run on a services root without the web app, with hand-made organisations.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import paydata
import polars as pl
import pytest
from handmade import employment, hrdata, person
from openpyxl import load_workbook

from hallbar.core.access import Principal, Resource, Role
from hallbar.core.dataset import HRData
from hallbar.core.population import EMPLOYED, MONTHLY_PAID
from hallbar.paysurvey import oaxaca_blinder
from hallbar.services.context import Hallbar
from hallbar.services.paysurvey import document, evaluation, excel, survey, views
from hallbar.settings import Settings

HR = Principal(1, "hr", Role.HR, frozenset({"9999"}))
AS_OF = date(2025, 11, 1)
HOSTILE = '=HYPERLINK("http://x","y")'


def _hb(tmp: Path, data: HRData) -> Hallbar:
    hb = Hallbar(Settings(data_dir=tmp))
    hb.store.save_import(data, created_by="test", profile="generic", files={}, row_counts={})
    return hb


def monthly_and_hourly(n_monthly: int = 95, n_hourly: int = 10) -> HRData:
    """Issue 11 item 3: 95 monthly-paid and 10 hourly-paid people employed on the date."""
    persons, employments = [], []
    for i in range(n_monthly + n_hourly):
        pid = f"p{i:03d}"
        persons.append(person(pid, date(1970 + i % 30, 6, 15), "K" if i % 2 else "M"))
        if i < n_monthly:
            pay = 30_000.0 + 500 * (i % 10)
            employments.append(
                employment(f"E{i:03d}", pid, "A", title="Undersköterska", monthly_pay=pay)
            )
        else:
            hourly = employment(f"E{i:03d}", pid, "A", title="Vikarie", monthly_pay=0.0)
            employments.append(
                {**hourly, "employment_form": "timavlönad", "rate": 0.0, "monthly_pay": None}
            )
    return hrdata(
        AS_OF,
        "9999",
        "Testkommun",
        units=[("A", None, "Omsorg")],
        persons=persons,
        employments=employments,
    )


@pytest.fixture
def mixed(tmp_path: Path) -> Iterator[Hallbar]:
    hb = _hb(tmp_path, monthly_and_hourly())
    survey.create_survey(hb, HR, "9999", year=2025, survey_date="2025-11-01")
    yield hb
    hb.close()


def test_the_eu_report_counts_hourly_paid_staff_and_names_its_population(
    mixed: Hallbar,
) -> None:
    tv = views.transparency_view(mixed, HR, "9999", 2025)
    # 95 monthly-paid + 10 hourly-paid = 105 workers with a contract on 2025-11-01.
    assert tv.headcount == 105
    # 100–149 workers: every third year, first for 2030 (directive (EU) 2023/970 art. 9.2-9.3);
    # with 95 the report would wrongly say there is no duty.
    assert tv.reporting_sv.startswith("100–149 anställda")
    [count] = tv.counts
    assert count.count.population is EMPLOYED
    assert count.count.n == 105
    assert count.count.reference == AS_OF


def test_the_survey_comparisons_keep_the_monthly_paid(mixed: Hallbar) -> None:
    progress = views.progress(mixed, HR, "9999", 2025)
    assert progress.n_employees == 95  # the 10 hourly-paid have no monthly pay to compare
    assert progress.n_jobs == 1  # Undersköterska; Vikarie is hourly-paid only
    [count] = progress.counts
    assert count.count.population is MONTHLY_PAID


@pytest.fixture
def unscored(tmp_path: Path) -> Iterator[Hallbar]:
    hb = _hb(tmp_path, paydata.build())
    survey.create_survey(hb, HR, "9999", year=2025, survey_date="2025-11-01")
    yield hb
    hb.close()


def test_a_document_with_no_job_evaluated_does_not_say_they_were(unscored: Hallbar) -> None:
    html = document.document_html(unscored, HR, "9999", 2025)
    assert "Arbetena har värderats" not in html
    assert "har värderats efter lagens fyra kriterier" not in html
    # paydata has three jobs (Undersköterska, Lärare, Ingenjör), none scored.
    assert "Ingen av de 3 befattningarna har värderats ännu." in html
    # No difference has an action yet: the document says so instead of "each was examined".
    assert "Varje skillnad har analyserats" not in html
    assert "Analysera skillnaderna innan dokumentationen fastställs." in html
    assert "Inga lönejusteringar har beslutats." in html
    assert "Det finns inga registrerade åtgärder från förra årets kartläggning" in html
    # The sections HR writes with the unions say that they are missing.
    assert "Avsnittet om bestämmelser och praxis om löner är inte ifyllt." in html
    assert "Avsnittet om samverkan med arbetstagarorganisationerna är inte ifyllt." in html


def test_a_document_with_some_jobs_evaluated_names_what_is_left(unscored: Hallbar) -> None:
    model = survey.load_stored(unscored, "9999", 2025).model
    evaluation.save_job_levels(
        unscored, HR, "9999", 2025, "Lärare", {f.id: "3" for f in model.subfactors}
    )
    html = document.document_html(unscored, HR, "9999", 2025)
    # 1 of 3 jobs scored; 2 left.
    assert "1 av 3 befattningar har värderats efter lagens fyra kriterier" in html
    assert "2 befattningar återstår" in html


def test_a_fully_evaluated_document_speaks_swedish_statistics(unscored: Hallbar) -> None:
    model = survey.load_stored(unscored, "9999", 2025).model
    for job, level in (("Undersköterska", "3"), ("Lärare", "3"), ("Ingenjör", "5")):
        evaluation.save_job_levels(
            unscored, HR, "9999", 2025, job, {f.id: level for f in model.subfactors}
        )
    html = document.document_html(unscored, HR, "9999", 2025)
    assert "Alla 3 befattningar har värderats efter lagens fyra kriterier" in html
    computed = survey.compute(unscored, HR, "9999", 2025, Resource.PAY_DOCUMENT)
    regression = computed.result.regression
    assert regression is not None
    # The factors come from hallbar.paysurvey.labels: age is "ålder", tenure_years
    # "anställningstid", job_value "arbetsvärde" (the constant is left out).
    assert regression.terms == ("konstant", "age", "tenure_years", "job_value", "kvinna")
    assert "<dt>Faktorer</dt><dd>ålder, anställningstid, arbetsvärde, kvinna</dd>" in html


def test_the_document_names_the_decomposition_reference_in_swedish() -> None:
    # Two groups of three with different ages, so the decomposition can be estimated.
    frame = pl.DataFrame(
        {
            "log_pay": [10.3, 10.4, 10.6, 10.2, 10.25, 10.45],
            "gender": ["M", "M", "M", "K", "K", "K"],
            "age": [30.0, 40.0, 50.0, 30.0, 35.0, 50.0],
        }
    )
    dec = oaxaca_blinder(frame, "log_pay", "gender", ["age"], reference="pooled", group_a="M")
    c = SimpleNamespace(result=SimpleNamespace(regression=None, decomposition=dec))
    facts = dict(document._statistics(c).facts)  # type: ignore[arg-type]
    # hallbar.paysurvey.labels.REFERENCE_LABELS_SV["pooled"], capitalised.
    assert facts["Referens"] == "Poolad skattning för båda könen, med könsindikator"


def test_the_statistics_page_labels_come_from_one_home(unscored: Hallbar) -> None:
    view = views.statistics_view(unscored, HR, "9999", 2025)
    labels = dict(view.references)
    # hallbar.paysurvey.labels.REFERENCE_LABELS_SV, capitalised for the choice list.
    assert labels["pooled"] == "Poolad skattning för båda könen, med könsindikator"
    assert labels["cotton"] == "Männens och kvinnornas koefficienter viktade med antal (Cotton)"


def test_a_job_named_like_a_formula_is_exported_as_text(tmp_path: Path) -> None:
    data = paydata.build()
    hostile = data.employments.with_columns(
        pl.when(pl.col("title") == "Ingenjör")
        .then(pl.lit(HOSTILE))
        .otherwise(pl.col("title"))
        .alias("title")
    )
    hb = _hb(tmp_path, dataclasses.replace(data, employments=hostile))
    try:
        survey.create_survey(hb, HR, "9999", year=2025, survey_date="2025-11-01")
        content = excel.export_grid(hb, HR, "9999", 2025)
    finally:
        hb.close()
    wb = load_workbook(io.BytesIO(content))
    cells = [row[0] for row in wb["Arbetsvärdering"].iter_rows(min_row=2)]
    [cell] = [c for c in cells if c.value == HOSTILE]
    assert cell.data_type == "s"  # a string cell, not a formula ("f")
    # No formula element anywhere in the sheet's XML.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets
        for name in sheets:
            assert b"<f>" not in archive.read(name)


def test_the_document_has_averages_other_measures_and_whom_the_eu_report_counts(
    unscored: Hallbar,
) -> None:
    doc = document.build_document(unscored, HR, "9999", 2025)
    sections = {s.id: s for s in doc.sections}
    [averages] = [t for t in sections["resultat"].tables if t.id == "medellon"]
    rows = {(r["Befattning"], r["Kön"]): r for r in averages.frame.to_dicts()}
    # paydata: Undersköterska women 30–34 000 (mean 32 000), men 33–37 000 (mean 35 000);
    # Lärare men 6 × 41 000; Ingenjör men 5 × 45 000. No pay components: no supplements.
    assert rows[("Undersköterska", "Kvinnor")]["Medellön (kr/mån)"] == 32_000
    assert rows[("Undersköterska", "Män")]["Medellön (kr/mån)"] == 35_000
    assert rows[("Lärare", "Män")]["Medellön (kr/mån)"] == 41_000
    assert rows[("Ingenjör", "Män")]["Medellön (kr/mån)"] == 45_000
    assert rows[("Undersköterska", "Kvinnor")]["Medeltillägg (kr/mån)"] == 0
    # Two women teachers (40 000 and 42 000) are fewer than 5: hidden, as on the pages.
    women_teachers = rows[("Lärare", "Kvinnor")]
    assert women_teachers["Medellön (kr/mån)"] is None and women_teachers["suppressed"]
    assert (
        "Avsnittet om andra åtgärder än lönejusteringar" in sections["andra_atgarder"].paragraphs[0]
    )
    # 23 people employed on 2025-11-01, all monthly-paid in paydata.
    facts = dict(sections["eu"].facts)
    assert facts["Räknas"].startswith("23 anställda")
