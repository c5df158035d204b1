"""The pay-transparency workflows through the service layer on Testkommun (ptdata).

Every expected figure is computed by hand from the pay listed in ptdata's docstring.
"""

from __future__ import annotations

from datetime import date

import pytest
from ptdata import PT_USERS
from webtesting import ANALYST, HR, WebEnv, principal

from hallbar.core.errors import AccessDenied, InputError, InsufficientData, NotFound
from hallbar.core.population import EMPLOYED
from hallbar.paytransparency import add_months
from hallbar.paytransparency.errors import (
    InvalidInput,
    NoJobEvaluation,
    NoPayData,
    NoPayOnDate,
    SmallCategory,
)
from hallbar.services import audit
from hallbar.services.paytransparency import criteria, joint, overview, ranges, report, requests
from hallbar.services.paytransparency.common import Actions, today

UNION = principal("facklig", PT_USERS)
DAY = "2026-09-30"


def _register(env: WebEnv, person: str, job: str = "") -> requests.RequestView:
    return requests.register(
        env.hb, HR, "9999", person=person, received_on=DAY, requested_by="arbetstagaren", job=job
    )


def test_request_register_draft_answer_and_reprint(env: WebEnv) -> None:
    r = _register(env, "9999-p002")
    assert (r.job, r.status, r.due_on) == ("Undersköterska", "registrerad", date(2026, 11, 30))
    d = requests.draft(env.hb, HR, "9999", r.id)
    a = d.answer
    assert a is not None and d.status == "utkast"
    assert a["own_pay"] == 31000.0
    c = a["category"]
    # Undersköterska: women 30–34 000 → mean and median 32 000; men 33–37 000 → 35 000
    assert (c["basis"], c["n_women"], c["n_men"]) == ("lika arbete", 5, 5)
    assert (c["mean_women"], c["median_women"]) == (32000.0, 32000.0)
    assert (c["mean_men"], c["median_men"]) == (35000.0, 35000.0)
    sent = requests.answer(env.hb, HR, "9999", r.id, "2026-10-15")
    assert sent.status == "besvarad" and sent.clock.status == "besvarad"
    letter = requests.letter(env.hb, HR, "9999", r.id)
    assert letter["answered_on"] == "2026-10-15" and letter["own_pay"] == 31000.0
    with pytest.raises(InvalidInput, match="redan besvarad"):
        requests.draft(env.hb, HR, "9999", r.id)
    logged = [e.detail for e in audit.entries(env.hb, principal("admin"), org_id="9999")]
    assert {"svarsutkast skapat", "svar skickat", "svarsbrev utskrivet"} <= set(logged)
    actions = {e.action for e in audit.entries(env.hb, principal("admin"), org_id="9999")}
    assert Actions.ANSWER in actions
    for who in (ANALYST, UNION):
        with pytest.raises(AccessDenied):
            requests.letter(env.hb, who, "9999", r.id)
    with pytest.raises(NotFound):
        requests.letter(env.hb, principal("hr8888"), "9999", r.id)


def test_request_clock_lists_due_and_overdue(env: WebEnv) -> None:
    r = _register(env, "9999-p001")
    due = add_months(date(2026, 9, 30), 2)  # 2026-11-30
    late = requests.list_requests(env.hb, HR, "9999", on=date(2026, 12, 1))
    assert [(x.id, x.clock.status, x.clock.days_left) for x in late] == [(r.id, "förfallen", -1)]
    soon = requests.list_requests(env.hb, HR, "9999", on=date(2026, 11, 20))
    assert soon[0].clock.status == "snart" and soon[0].due_on == due


def test_fallback_and_bad_input(env: WebEnv) -> None:
    kock = requests.draft(env.hb, HR, "9999", _register(env, "9999-p011").id).answer
    assert kock is not None
    c = kock["category"]
    # Kock (2 women, 1 man) → band 6 = Kock + Undersköterska:
    # women 28, 29, 30, 31, 32, 33, 34 (thousand): mean 217 000 / 7 = 31 000, median 31 000
    # men 30, 33, 34, 35, 36, 37: mean 205 000 / 6 = 34 166,67, median (34 + 35) / 2 = 34 500
    assert (c["basis"], c["n_women"], c["n_men"]) == ("likvärdigt arbete", 7, 6)
    assert c["mean_women"] == pytest.approx(31000.0)
    assert c["median_women"] == pytest.approx(31000.0)
    assert c["mean_men"] == pytest.approx(205000.0 / 6)
    assert c["median_men"] == pytest.approx(34500.0)
    # Lärare: 2 women in its job and in its band (band 10 holds Lärare only)
    small = _register(env, "9999-p014")
    with pytest.raises(SmallCategory):
        requests.draft(env.hb, HR, "9999", small.id)
    # Ingenjör: no women and no job evaluation
    with pytest.raises(NoJobEvaluation, match="Ingenjör"):
        requests.draft(env.hb, HR, "9999", _register(env, "9999-p022").id)
    # a worker with no pay on the date: registered with a job, refused at the draft
    ghost = _register(env, "9999-x999", job="Undersköterska")
    with pytest.raises(NoPayOnDate, match="2026-09-30"):
        requests.draft(env.hb, HR, "9999", ghost.id)
    assert requests.get_request(env.hb, HR, "9999", ghost.id).answer is None  # no letter
    with pytest.raises(InvalidInput, match="ange vilken befattning"):
        _register(env, "9999-x999")
    with pytest.raises(InvalidInput, match="personnummer"):
        _register(env, "19800101-0000")


def test_report_confirm_and_joint_assessment(env: WebEnv) -> None:
    with pytest.raises(NoPayData):
        report.draft_report(env.hb, HR, "9999", "2000-01-01")
    with pytest.raises(NoPayData, match="senaste uttaget"):
        report.draft_report(env.hb, HR, "9999", "2027-01-01")
    r = report.draft_report(env.hb, HR, "9999", DAY)
    values = {(v["point"], v["category"], v["measure"]): v for v in r.snapshot["values"]}
    band6 = values[("g", "Nivå 6 (500–600)", "gap_total_hourly")]
    # band 6, all full time, no supplements: hourly = monthly × 12 / 1980, so the gap is
    # (34 166,67 − 31 000) / 34 166,67 = 9,268 %
    assert band6["value"] == pytest.approx(100.0 * (205000 / 6 - 31000) / (205000 / 6))
    assert values[("g", "Nivå 10 (900–1 000)", "gap_total_hourly")]["suppressed"]  # 2 women
    assert values[("g", "Utan arbetsvärdering", "gap_total_hourly")]["value"] is None
    assert [f["category"] for f in r.flagged] == ["Nivå 6 (500–600)"]
    # 10 + 3 + 8 + 5 monthly-paid and 2 hourly-paid employed on 2026-09-30
    assert r.snapshot["headcount"] == 28
    assert r.snapshot["next_due"] is None  # fewer than 100: no reporting duty
    assert any("Ingenjör" in n for n in r.snapshot["notices"])
    with pytest.raises(InvalidInput, match="inte fastställd"):
        joint.open_assessment(env.hb, HR, "9999", r.id, representatives="Kommunal")
    with pytest.raises(AccessDenied):
        report.confirm(env.hb, UNION, "9999", r.id, consulted_with="x", consulted_on=DAY)
    done = report.confirm(
        env.hb, HR, "9999", r.id, consulted_with="Kommunal, Vision", consulted_on="2026-10-01"
    )
    assert (done.status, done.consulted_with, done.confirmed_by) == (
        "fastställd", "Kommunal, Vision", "hr",
    )  # fmt: skip
    assert done.remedy is not None and done.remedy.due == add_months(today(), 6)
    seen = report.get_report(env.hb, UNION, "9999", r.id)  # representatives see the report
    assert seen.snapshot == done.snapshot and not seen.may_edit
    rows = report.export_rows(seen)
    assert rows[0]["artikelpunkt"] == "a" and len(rows) == len(seen.snapshot["values"])

    a = joint.open_assessment(env.hb, HR, "9999", r.id, representatives="Kommunal")
    (cat,) = a.content
    # band 6: 7 women, 6 men → 53,85 % and 46,15 %; base per year 31 000 × 12 = 372 000 and
    # 205 000 / 6 × 12 = 410 000; p005 is the only one back from leave (fewer than 5: hidden)
    assert (cat["n_women"], cat["n_men"]) == (7, 6)
    assert cat["share_women"] == pytest.approx(700 / 13)
    assert cat["base_women"] == pytest.approx(372000.0)
    assert cat["base_men"] == pytest.approx(410000.0)
    assert cat["base_gap_pct"] == pytest.approx(100 * (410000 - 372000) / 410000)
    assert cat["share_raised_women"] is None
    with pytest.raises(InvalidInput, match="skälen"):
        joint.save_assessment(env.hb, HR, "9999", a.id, reasons={}, measures="m", evaluation="",
                              complete=True)  # fmt: skip
    assert joint.get_assessment(env.hb, UNION, "9999", a.id).may_edit is False
    closed = joint.save_assessment(
        env.hb, HR, "9999", a.id,
        reasons={"Nivå 6 (500–600)": "Saknar sakliga skäl."},
        measures="Lönetillägg till kockarna från 1 januari.", evaluation="Första bedömningen.",
        complete=True,
    )  # fmt: skip
    assert closed.status == "klar" and closed.reasons == {
        "Nivå 6 (500–600)": "Saknar sakliga skäl."
    }
    with pytest.raises(AccessDenied):
        joint.save_assessment(env.hb, UNION, "9999", a.id, reasons={}, measures="", evaluation="")


def test_ranges_criteria_method_and_leave(env: WebEnv) -> None:
    view = ranges.ranges_view(env.hb, HR, "9999")
    line = next(x for x in view.lines if x.job == "Undersköterska")
    # starters 30, 31, 32, 33, 34 (thousand): P10 = 30 400, P90 = 33 600
    assert (line.computed.low, line.computed.high) == (30400.0, 33600.0)
    with pytest.raises(InvalidInput, match="skälet"):
        ranges.save_range(env.hb, HR, "9999", job="Undersköterska", low="31000", high="34000")
    saved = ranges.save_range(env.hb, HR, "9999", job="Undersköterska", low="30400", high="33600")
    rec = ranges.record_recruitment(
        env.hb, HR, "9999", job="Undersköterska", reference="Annons 17", given_on="2026-10-01"
    )
    assert rec.range.id == saved.id and "HÖK" in saved.agreement
    with pytest.raises(AccessDenied):
        ranges.ranges_view(env.hb, UNION, "9999")

    v = criteria.save_criteria(env.hb, HR, "9999", job_family="Vård",
                               text="Ansvar: för patienter\nKompetens: utbildning",
                               valid_from="2026-07-01")  # fmt: skip
    v2 = criteria.save_criteria(env.hb, HR, "9999", job_family="Vård", text="Ansvar: budget",
                                valid_from="2027-01-01")  # fmt: skip
    assert (v.version, v2.version) == (1, 2)
    listed = criteria.list_criteria(env.hb, UNION, "9999")
    assert [(c.version, c.current) for c in listed] == [(2, True), (1, False)]
    with pytest.raises(InvalidInput, match="ålder"):
        criteria.save_criteria(env.hb, HR, "9999", job_family="Vård", text="Lön: efter ålder",
                               valid_from="2026-07-01")  # fmt: skip
    m = report.method(env.hb, UNION, "9999")
    assert m.survey_year == 2026 and sum(m.criterion_weights.values()) == pytest.approx(100.0)
    assert "timavlönade inräknade" in m.report_population_sv  # Art. 9: every worker

    leave = joint.leave_view(env.hb, UNION, "9999")
    assert (leave.start, leave.end) == (date(2025, 9, 30), date(2026, 9, 30))
    row = leave.by_job.filter(leave.by_job["category"] == "Undersköterska").row(0, named=True)
    # p005 (33 000 → 34 000) is the only one back from long leave: her mean is hidden;
    # the other nine had no leave and no change: mean 0 %
    assert (row["n_with"], row["n_without"]) == (1, 9)
    assert row["mean_with"] is None and row["mean_without"] == 0.0
    o = overview.overview(env.hb, UNION, "9999")
    assert o.requests == () and o.headcount == 28  # 26 monthly-paid + 2 hourly-paid
    [count] = o.counts  # the Art. 9 headcount: everyone employed on the latest import's date
    assert (count.count.population, count.count.reference) == (EMPLOYED, date(2026, 9, 30))


def test_request_after_the_latest_import_uses_the_latest_pay(env: WebEnv) -> None:
    r = requests.register(env.hb, HR, "9999", person="9999-p002", received_on="2026-11-15",
                          requested_by="Kommunal för arbetstagaren")  # fmt: skip
    assert r.due_on == date(2027, 1, 15)  # two months after it came in
    a = requests.draft(env.hb, HR, "9999", r.id).answer
    assert a is not None and a["at"] == "2026-09-30"  # the latest import (ptdata.AS_OF)
    assert a["received_on"] == "2026-11-15" and a["own_pay"] == 31000.0


def test_small_flagged_category_and_no_pay_a_year_before(env: WebEnv) -> None:
    # 2015-06-30: no pay survey that year (categories are jobs); Undersköterska has only the
    # five who started 2015-01-01: women p004, p005 at 33 000; men 35, 36, 37 thousand:
    # gap (36 000 − 33 000) / 36 000 = 8,3 % ≥ 5 %, but two women: flagged, gap hidden.
    r = report.draft_report(env.hb, HR, "9999", "2015-06-30")
    assert r.snapshot["category_kind"] == "job"
    assert {"category": "Undersköterska", "gap_pct": None} in r.flagged
    report.confirm(env.hb, HR, "9999", r.id, consulted_with="Kommunal", consulted_on=DAY)
    a = joint.open_assessment(env.hb, HR, "9999", r.id, representatives="Kommunal")
    # nobody had pay on 2014-06-30: the leave comparison is left out, with a note
    assert any("kunde inte beräknas" in n for n in a.notes)
    usk = next(c for c in a.content if c["category"] == "Undersköterska")
    assert (usk["n_women"], usk["n_men"]) == (2, 3)
    assert usk["base_women"] is None and usk["base_men"] is None  # both under 5


def test_yearly_notice_and_views_are_logged(env: WebEnv) -> None:
    text = requests.yearly_notice(env.hb, HR, "9999", 2027)
    assert text.startswith("Information till alla anställda i Testkommun")
    assert "senast inom två månader" in text
    with pytest.raises(AccessDenied):
        requests.yearly_notice(env.hb, UNION, "9999", 2027)
    report.method(env.hb, UNION, "9999")
    criteria.list_criteria(env.hb, UNION, "9999")
    seen = [
        (e.username, e.action, e.target)
        for e in audit.entries(env.hb, principal("admin"), org_id="9999")
    ]
    assert ("facklig", Actions.VIEW, "metod") in seen
    assert ("facklig", Actions.VIEW, "lönekriterier") in seen


def test_the_report_counts_hourly_paid_workers(env: WebEnv) -> None:
    # Art. 9 covers every worker with a contract, hourly-paid included (domain-rules §5):
    # the two hourly-paid Vikarie women (ptdata.HOURLY) are in the organisation-wide gaps.
    r = report.draft_report(env.hb, HR, "9999", DAY)
    values = {(v["point"], v["category"], v["measure"]): v["value"] for v in r.snapshot["values"]}
    # Monthly-paid (no working-time rows): hourly = monthly × 12 / 1980, annual = monthly × 12.
    # Hourly-paid: September's pay / its hours = 27 000 / 100 = 270 and 28 000 / 100 = 280.
    # Women: monthly 30+31+32+33+34 + 28+29 + 40+42 = 299 thousand (9), plus the 2 hourly-paid;
    # men: 33+34+35+36+37 + 30 + 6 × 41 + 5 × 45 = 676 thousand (17).
    women_hourly = (299000 * 12 / 1980 + 270 + 280) / 11
    men_hourly = 676000 * 12 / 1980 / 17
    expected = 100.0 * (men_hourly - women_hourly) / men_hourly
    assert values[("a", "", "gap_hourly")] == pytest.approx(expected)
    women_annual = (299000 * 12 + 27000 + 28000) / 11
    men_annual = 676000 * 12 / 17
    assert values[("a", "", "gap_annual")] == pytest.approx(
        100.0 * (men_annual - women_annual) / men_annual
    )
    # They are not evaluated: category "Utan arbetsvärdering" now holds 2 women and 5 men
    # (Ingenjör), below the minimum group of 5 women, so its counts stay hidden. Its gap,
    # (45 000 × 12 / 1980 − 275) / (45 000 × 12 / 1980) = (272,73 − 275) / 272,73 = −0,8 %,
    # is under 5 %: not flagged.
    assert [f["category"] for f in r.flagged] == ["Nivå 6 (500–600)"]
    counts = {c["category"]: c for c in r.snapshot["counts"]}
    assert counts["Utan arbetsvärdering"] == {
        "category": "Utan arbetsvärdering", "n_women": None, "n_men": None,
    }  # fmt: skip
    [count] = r.counts
    assert (count.count.population, count.count.n) == (EMPLOYED, 28)


def test_input_errors_are_input_errors(env: WebEnv) -> None:
    # The web and the CLI answer every InputError with 400 and its Swedish sentence.
    with pytest.raises(InputError, match="ÅÅÅÅ-MM-DD"):
        report.draft_report(env.hb, HR, "9999", "30/9")
    with pytest.raises(InsufficientData, match="Det finns inga löner den 2000-01-01"):
        report.draft_report(env.hb, HR, "9999", "2000-01-01")
