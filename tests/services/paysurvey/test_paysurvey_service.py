"""Service-level tests on the hand-made organisation (expected values by hand, see paydata)."""

from __future__ import annotations

import pytest
from payenv import score_all
from webtesting import ANALYST, HR, MANAGER, WebEnv

from hallbar.core.access import SYSTEM
from hallbar.core.errors import HallbarError
from hallbar.paysurvey.notices import EvaluationInvalid, InvalidAction
from hallbar.services import audit
from hallbar.services.paysurvey import actions, evaluation, structure, survey, views


def test_equal_work_figures_by_hand(surveyed: WebEnv) -> None:
    cv = views.comparisons_view(surveyed.hb, HR, "9999", 2025, sort="namn")
    rows = {r["Befattning"]: r for r in cv.equal.table.frame.to_dicts()}
    u = rows["Undersköterska"]
    assert u["Antal kvinnor"] == 5 and u["Antal män"] == 5
    assert u["Medellön kvinnor"] == pytest.approx(32000.0)  # (30+31+32+33+34)/5 thousand
    assert u["Medellön män"] == pytest.approx(35000.0)  # (33+…+37)/5 thousand
    assert u["Skillnad (kr)"] == pytest.approx(3000.0)
    assert u["Kvinnors lön i % av mäns"] == pytest.approx(100 * 32000 / 35000)
    # Lärare: 2 women < 5 -> pay figures and the small count hidden.
    lar = rows["Lärare"]
    assert lar["Medellön kvinnor"] is None and lar["Antal kvinnor"] is None
    assert lar["suppressed"] is True
    assert lar["Antal män"] == 6


def test_job_values_and_bands_by_hand(surveyed: WebEnv) -> None:
    ev = views.evaluation_view(surveyed.hb, HR, "9999", 2025)
    rows = {r.job: r for r in ev.rows}
    # all levels 3 of 5: 1000 × Σ w/100 × (3−1)/(5−1) = 500 -> band 6 (500–600)
    assert rows["Undersköterska"].value == pytest.approx(500.0)
    assert rows["Undersköterska"].band_label == "Nivå 6 (500–600)"
    # all levels 5 of 5 -> 1000 -> band 10
    assert rows["Ingenjör"].value == pytest.approx(1000.0)
    assert ev.n_scored == 3


def test_equivalent_work_band_by_hand(surveyed: WebEnv) -> None:
    cv = views.comparisons_view(surveyed.hb, HR, "9999", 2025)
    assert cv.equivalent is not None
    band6 = cv.equivalent.frame.to_dicts()[0]
    # Band 6 = Undersköterska + Lärare: 7 women, 11 men.
    assert band6["Antal kvinnor"] == 7 and band6["Antal män"] == 11
    # women (160 000 + 82 000)/7; men (175 000 + 246 000)/11
    assert band6["Medellön kvinnor"] == pytest.approx(242000 / 7)
    assert band6["Medellön män"] == pytest.approx(421000 / 11)


def test_adjustment_cost_and_validation(env: WebEnv) -> None:
    survey.create_survey(env.hb, HR, "9999", year=2025, survey_date="2025-11-01")
    score_all(env.hb)
    diff = "lika_arbete:Undersköterska"
    with pytest.raises(InvalidAction, match="inom tre år"):
        actions.record_action(env.hb, HR, "9999", 2025, difference_id=diff, kind="justering",
                         amount="1000", timetable="2026-04-01 500\n2029-04-01 500")  # fmt: skip
    with pytest.raises(survey.SurveyInputError, match="saklig"):
        actions.record_action(
            env.hb, HR, "9999", 2025, difference_id=diff, kind="förklaring", reason="kort"
        )
    with pytest.raises(survey.SurveyInputError, match="inget tal"):
        actions.record_action(
            env.hb, HR, "9999", 2025, difference_id=diff, kind="justering", amount="tusen"
        )
    actions.record_action(env.hb, HR, "9999", 2025, difference_id=diff, kind="justering",
                     amount="1 000", timetable="2026-04-01 500\n2027-04-01 500")  # fmt: skip
    av = actions.actions_view(env.hb, HR, "9999", 2025)
    # 1 000 kr × 12 × (1 + 0,4015) = 16 818 kr
    assert av.total_cost == pytest.approx(16818.0)
    assert av.n_adjusted == 1
    # Next year's survey evaluates it: the gap is still 3 000 kr -> 'kvarstår'.
    survey.create_survey(env.hb, HR, "9999", year=2026, survey_date="2025-11-01")
    # ... and starts from last year's evaluation.
    assert (
        survey.load_stored(env.hb, "9999", 2026).scores
        == survey.load_stored(env.hb, "9999", 2025).scores
    )
    fu = actions.actions_view(env.hb, HR, "9999", 2026).follow_up.frame.to_dicts()
    assert fu == [
        {
            "Skillnad": diff,
            "Befattning": "Undersköterska",
            "Justering (kr/mån)": 1000.0,
            "Skillnad före (kr)": 3000.0,
            "Skillnad nu (kr)": 3000.0,
            "Bedömning": "kvarstår",
        }
    ]


def test_structure_manager_sees_own_staff_and_is_audited(surveyed: WebEnv) -> None:
    idx = structure.structure_index(surveyed.hb, MANAGER, "9999", 2025)
    assert idx.jobs == ("Undersköterska",)  # only jobs in unit A
    ch = structure.structure_chart(surveyed.hb, MANAGER, "9999", 2025, "Undersköterska", client="t")
    assert len(ch.points) == 10
    assert all(p.label.startswith("Person ") for p in ch.points)
    # P50 of 30..37 thousand: sorted 30,31,32,33,33,34,34,35,36,37 -> (33 000 + 34 000)/2
    assert ch.summary["p50"] == pytest.approx(33500.0)
    log = audit.entries(surveyed.hb, SYSTEM, action=audit.Action.VIEW_INDIVIDUALS, username="chef")
    assert log and "Undersköterska" in log[0].target
    with pytest.raises(HallbarError):
        structure.structure_chart(surveyed.hb, MANAGER, "9999", 2025, "Ingenjör")
    analyst = structure.structure_chart(surveyed.hb, ANALYST, "9999", 2025, "Undersköterska")
    assert analyst.points == () and not analyst.shows_points


def test_bad_levels_give_swedish_messages(surveyed: WebEnv) -> None:
    with pytest.raises(EvaluationInvalid) as err:
        evaluation.save_job_levels(surveyed.hb, HR, "9999", 2025, "Lärare", {"kunskap": "9"})
    messages = [p.message for p in err.value.problems]
    assert any("utanför 1–5" in m for m in messages)
    assert any("saknar nivå" in m for m in messages)


def test_model_weights_must_sum_to_100(surveyed: WebEnv) -> None:
    with pytest.raises(EvaluationInvalid, match="summerar"):
        evaluation.save_model(surveyed.hb, HR, "9999", 2025, weights={"kunskap": "50"}, levels={})


def test_eu_category_gap_by_hand(surveyed: WebEnv) -> None:
    tv = views.transparency_view(surveyed.hb, HR, "9999", 2025)
    rows = {r["Kategori"]: r for r in tv.categories.frame.to_dicts()}
    # Band 6 = Undersköterska + Lärare. Hourly pay = monthly × 12 / 1 980 for everyone, so the
    # gap equals the gap in monthly pay: men 421 000/11, women 242 000/7.
    men, women = 421000 / 11, 242000 / 7
    assert rows["6"]["Skillnad timlön (%)"] == pytest.approx(100 * (men - women) / men)  # ≈ 9,67
    assert rows["6"]["Gemensam lönebedömning"] == "Ja"
    assert rows["10"]["Gemensam lönebedömning"] == "Nej"  # Ingenjör: no women
    assert tv.headcount == 23


def test_eu_small_category_is_hidden(env: WebEnv) -> None:
    survey.create_survey(env.hb, HR, "9999", year=2025, survey_date="2025-11-01")
    tv = views.transparency_view(env.hb, ANALYST, "9999", 2025)  # no evaluation: jobs as categories
    lar = {r["Kategori"]: r for r in tv.categories.frame.to_dicts()}["Lärare"]
    assert lar["Antal kvinnor"] is None and lar["Skillnad timlön (%)"] is None
    assert lar["Gemensam lönebedömning"] is None


def test_statistics_singular_decomposition_is_a_message(surveyed: WebEnv) -> None:
    # Every woman works in a job valued 500, so job value has no variation among women:
    # the women's regression is singular. The page gets a Swedish message, the rest runs.
    sv = views.statistics_view(surveyed.hb, ANALYST, "9999", 2025, "cotton")
    assert sv.reference == "cotton"
    assert sv.decomposition is None
    assert sv.decomposition_error is not None and "kan inte skattas" in sv.decomposition_error
    assert sv.regression is not None  # the pooled regression still runs
    assert views.statistics_view(surveyed.hb, ANALYST, "9999", 2025, "okänd").reference == "pooled"
    # The factors in Swedish from hallbar.paysurvey.labels (age, tenure_years), read inside
    # a sentence, the constant left out.
    assert sv.terms_sv[:2] == ("ålder", "anställningstid")


def test_progress_by_hand(surveyed: WebEnv) -> None:
    p = views.progress(surveyed.hb, ANALYST, "9999", 2025)
    assert (p.n_employees, p.n_jobs, p.n_scored) == (23, 3, 3)
    # Flagged: equal work in Undersköterska (3 000 kr) and equivalent work in band 6
    # (men 421 000/11 > women 242 000/7). Lärare has equal means (41 000 both), Ingenjör
    # no women, and no job has at least 60 % women.
    assert p.n_flagged == 2
    assert p.n_decided == 0
