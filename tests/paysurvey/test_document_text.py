"""Issue 11 item 9 (the paysurvey side): document sentences follow the survey's state, and
statistical terms and references are Swedish."""

import polars as pl
import pytest

from hallbar.paysurvey.document_text import (
    adjustments_text_sv,
    analysis_text_sv,
    evaluation_text_sv,
    follow_up_text_sv,
    pay_averages_by_gender,
    written_section_text_sv,
)
from hallbar.paysurvey.labels import reference_label_sv, term_label_sv, terms_sv
from hallbar.paysurvey.oaxaca import oaxaca_blinder
from hallbar.paysurvey.regression import gender_regression


def test_no_job_evaluated_does_not_claim_the_jobs_were_evaluated():
    text = evaluation_text_sv(43, 0)
    assert "Arbetena har värderats" not in text
    assert "har värderats ännu" in text and "Ingen av de 43 befattningarna" in text
    assert "Värdera befattningarna" in text  # says what to do
    one = evaluation_text_sv(1, 0)  # one job: the singular, and no "ingen av 1"
    assert (
        one.startswith("Befattningen har inte värderats ännu.") and "Värdera befattningen " in one
    )


def test_partly_and_fully_evaluated():
    assert evaluation_text_sv(43, 40).startswith("40 av 43 befattningar har värderats")
    assert "3 befattningar återstår" in evaluation_text_sv(43, 40)
    assert "1 befattning återstår" in evaluation_text_sv(43, 42)
    assert evaluation_text_sv(43, 43).startswith("Alla 43 befattningar har värderats")


def test_unanalysed_differences_are_not_said_to_be_examined():
    text = analysis_text_sv(21, 21)
    assert text.startswith("21 skillnader till kvinnors nackdel flaggades.")
    assert "Ingen av dem har analyserats ännu" in text
    assert "Varje skillnad har analyserats" not in text
    assert "12 av dem har analyserats; 9 återstår" in analysis_text_sv(21, 9)
    assert "Varje skillnad har analyserats" in analysis_text_sv(21, 0)
    assert analysis_text_sv(1, 1).startswith(
        "1 skillnad till kvinnors nackdel flaggades. Den har inte analyserats ännu."
    )
    assert analysis_text_sv(0, 0).startswith("Inga skillnader")


def test_adjustments_follow_up_and_written_sections():
    assert adjustments_text_sv(0, "0 kr", "40,15 %").startswith("Inga lönejusteringar")
    assert adjustments_text_sv(1, "12 000 kr", "40,15 %").startswith("1 lönejustering har")
    assert "inga registrerade åtgärder" in follow_up_text_sv(0)
    assert follow_up_text_sv(2).startswith("Förra årets 2 åtgärder")
    missing = written_section_text_sv("  ", "lönebestämmelser och praxis")
    assert "inte ifyllt" in missing and "arbetstagarorganisationerna" in missing
    assert written_section_text_sv(" Vi har gått igenom … ", "x") == "Vi har gått igenom …"


def test_covariates_and_references_in_swedish():
    assert term_label_sv("age") == "ålder"
    assert term_label_sv("tenure_years") == "anställningstid"
    assert term_label_sv("employment_form=visstid") == "visstidsanställd"
    assert term_label_sv("employment_form=okänd") == "anställningsform: okänd"
    assert term_label_sv("age", capital=True) == "Ålder"
    assert terms_sv(["konstant", "age", "tenure_years", "employment_form=visstid", "kvinna"]) == (
        "ålder",
        "anställningstid",
        "visstidsanställd",
        "kvinna",
    )
    assert reference_label_sv("pooled", capital=True).startswith("Poolad skattning")
    assert "pooled" not in reference_label_sv("pooled")


def _frame() -> pl.DataFrame:
    # 6 women and 6 men; pay rises with age; two fixed-term employees of each gender.
    return pl.DataFrame(
        {
            "gender": ["K"] * 6 + ["M"] * 6,
            "age": [25.0, 30, 35, 40, 45, 50, 27, 33, 38, 42, 47, 55],
            "tenure_years": [1.0, 3, 5, 2, 8, 10, 2, 4, 6, 3, 9, 12],
            "employment_form": ["visstid", "visstid"]
            + ["tillsvidare"] * 4
            + ["visstid"] * 2
            + ["tillsvidare"] * 4,
            "pay": [
                30000.0,
                31000,
                33000,
                33500,
                35000,
                36000,
                31500,
                33000,
                35500,
                35000,
                37000,
                39500,
            ],
        }
    )


def test_results_carry_swedish_terms_and_reference():
    reg = gender_regression(_frame(), ["age", "tenure_years", "employment_form"])
    assert reg.terms_sv == ("ålder", "anställningstid", "visstidsanställd", "kvinna")
    frame = _frame().with_columns(pl.col("pay").log().alias("log_pay"))
    dec = oaxaca_blinder(frame, "log_pay", "gender", ["age", "tenure_years"], group_a="M")
    assert dec.reference == "pooled"
    assert dec.reference_sv == "Poolad skattning för båda könen, med könsindikator"
    assert dec.to_dict()["reference_sv"] == dec.reference_sv
    assert dec.terms_sv[-2:] == ("ålder", "anställningstid")


def test_average_pay_and_supplements_by_category_and_gender():
    data = pl.DataFrame(
        {
            "job": ["A", "A", "A", "B", "B"],
            "gender": ["K", "K", "M", "K", "M"],
            "monthly_pay": [30000.0, 32000.0, 34000.0, 40000.0, 41000.0],
            "supplements": [1000.0, None, 500.0, 0.0, 200.0],
        }
    )
    out = pay_averages_by_gender(data)
    a_women = out.filter((pl.col("category") == "A") & (pl.col("gender") == "K")).row(0, named=True)
    # (30 000 + 32 000) / 2 = 31 000; supplements (1 000 + 0) / 2 = 500
    assert a_women["n"] == 2
    assert a_women["mean_pay"] == pytest.approx(31000.0)
    assert a_women["mean_supplements"] == pytest.approx(500.0)
    assert out.height == 4
