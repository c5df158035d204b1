"""The pay-transparency repository on SQLite and PostgreSQL (``store`` fixture)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hallbar.store import Store, paytransparency

AT = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)


def test_request_lifecycle_and_scope(store: Store) -> None:
    e = store.engine
    r = paytransparency.add_request(
        e,
        org_id="1280",
        person_id="p1",
        job="Undersköterska",
        requested_by="arbetstagaren",
        received_on=date(2026, 9, 1),
        due_on=date(2026, 11, 1),
        created_by="hr",
        at=AT,
    )
    assert r.status == "registrerad"
    assert paytransparency.get_request(e, "9999", r.id) is None  # another organisation sees nothing
    with pytest.raises(paytransparency.Conflict, match="utkast"):
        paytransparency.mark_answered(e, "1280", r.id, date(2026, 9, 10), "hr", AT)
    d = paytransparency.save_draft(e, "1280", r.id, '{"own_pay": 31000}', AT)
    assert (d.status, d.answer_json) == ("utkast", '{"own_pay": 31000}')
    a = paytransparency.mark_answered(e, "1280", r.id, date(2026, 9, 10), "hr", AT)
    assert (a.status, a.answered_on, a.answered_by) == ("besvarad", date(2026, 9, 10), "hr")
    with pytest.raises(paytransparency.Conflict, match="redan besvarad"):
        paytransparency.save_draft(e, "1280", r.id, "{}", AT)
    assert [x.id for x in paytransparency.list_requests(e, "1280")] == [r.id]
    assert paytransparency.list_requests(e, "9999") == []


def test_ranges_recruitments_and_criteria_versions(store: Store) -> None:
    e = store.engine

    def rng(low: float, reason: str) -> paytransparency.RangeRow:
        return paytransparency.add_range(
            e,
            org_id="1280",
            job="Kock",
            low=low,
            high=30000.0,
            p10=26000.0,
            p90=29900.0,
            n_starters=6,
            agreement="HÖK med Kommunal",
            reason=reason,
            created_by="hr",
            at=AT,
        )

    first, second = rng(26000.0, ""), rng(27000.0, "Nytt avtal")
    assert paytransparency.current_ranges(e, "1280")["Kock"].id == second.id
    rec = paytransparency.add_recruitment(
        e,
        org_id="1280",
        range_id=first.id,
        reference="Annons 2026-17",
        given_on=date(2026, 9, 2),
        created_by="hr",
        at=AT,
    )
    assert rec.range.low == 26000.0
    with pytest.raises(paytransparency.Conflict):
        paytransparency.add_recruitment(
            e, org_id="9999", range_id=first.id, reference="x", given_on=AT.date(),
            created_by="hr", at=AT,
        )  # fmt: skip
    assert [x.reference for x in paytransparency.list_recruitments(e, "1280")] == ["Annons 2026-17"]
    v1 = paytransparency.add_criteria_version(
        e, org_id="1280", job_family="Vård", criteria_json="[]", valid_from=date(2026, 7, 1),
        created_by="hr", at=AT,
    )  # fmt: skip
    v2 = paytransparency.add_criteria_version(
        e, org_id="1280", job_family="Vård", criteria_json="[1]", valid_from=date(2027, 1, 1),
        created_by="hr", at=AT,
    )  # fmt: skip
    other = paytransparency.add_criteria_version(
        e, org_id="1280", job_family="Kök", criteria_json="[]", valid_from=date(2026, 7, 1),
        created_by="hr", at=AT,
    )  # fmt: skip
    assert (v1.version, v2.version, other.version) == (1, 2, 1)
    assert [(c.job_family, c.version) for c in paytransparency.list_criteria(e, "1280")] == [
        ("Kök", 1),
        ("Vård", 2),
        ("Vård", 1),
    ]


def test_report_confirmation_and_assessment(store: Store) -> None:
    e = store.engine
    kw = {"org_id": "1280", "report_date": date(2026, 12, 31), "category_kind": "band"}
    draft = paytransparency.save_report(
        e, **kw, headcount=300, values_json="[]", flagged_json="[]", created_by="hr", at=AT
    )
    again = paytransparency.save_report(
        e, **kw, headcount=301, values_json="[1]", flagged_json='["3"]', created_by="hr", at=AT
    )
    assert again.id == draft.id and again.headcount == 301
    done = paytransparency.confirm_report(
        e, "1280", draft.id, consulted_with="Kommunal, Vision", consulted_on=date(2027, 1, 15),
        confirmed_by="hr", at=AT,
    )  # fmt: skip
    assert (done.status, done.consulted_with, done.confirmed_by) == (
        "fastställd",
        "Kommunal, Vision",
        "hr",
    )
    with pytest.raises(paytransparency.Conflict, match="fastställd"):
        paytransparency.save_report(
            e, **kw, headcount=1, values_json="[]", flagged_json="[]", created_by="hr", at=AT
        )
    a = paytransparency.open_assessment(
        e, org_id="1280", report_id=draft.id, opened_on=date(2027, 7, 15),
        representatives="Kommunal", content_json="[]", created_by="hr", at=AT,
    )  # fmt: skip
    s = paytransparency.save_assessment(e, "1280", a.id, reasons_json='{"3": "x"}', measures="m",
                             evaluation="", at=AT)  # fmt: skip
    assert (s.status, s.measures) == ("pågående", "m")
    c = paytransparency.save_assessment(
        e, "1280", a.id, reasons_json="{}", measures="m", evaluation="e", at=AT,
        completed_on=date(2027, 9, 1), completed_by="hr",
    )  # fmt: skip
    assert (c.status, c.completed_on) == ("klar", date(2027, 9, 1))
    with pytest.raises(paytransparency.Conflict, match="avslutad"):
        paytransparency.save_assessment(
            e, "1280", a.id, reasons_json="{}", measures="", evaluation="", at=AT
        )
    assert paytransparency.get_assessment(e, "9999", a.id) is None
    assert [x.id for x in paytransparency.list_assessments(e, "1280")] == [a.id]
