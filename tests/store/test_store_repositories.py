"""The typed repositories the services call instead of SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hallbar.store import accounts, audit_log, paysurveys, projections
from hallbar.store.store import Store, masked_url

AT = datetime(2025, 11, 3, 9, 30, tzinfo=UTC)


def test_accounts_users_sessions_and_throttling(store: Store) -> None:
    uid = accounts.add_user(
        store,
        username="chef",
        display_name="Chef",
        role="chef",
        password_hash="h1",
        created_at=AT,
        org_ids=("9999",),
        unit_org_id="9999",
        unit_ids=("B", "A", "A"),
    )
    assert uid is not None
    # A taken name stores nothing and says so.
    taken = accounts.add_user(
        store,
        username="chef",
        display_name="",
        role="hr",
        password_hash="h2",
        created_at=AT,
        org_ids=(),
        unit_org_id=None,
        unit_ids=(),
    )
    assert taken is None
    user = accounts.user_by_name(store, "chef", "local")
    assert user is not None
    assert (user.org_ids, user.unit_ids) == (("9999",), ("A", "B"))  # duplicates once, sorted
    accounts.add_session(
        store, token_hash="t1", user_id=uid, csrf_token="c", created_at=AT, expires_at=AT
    )
    assert accounts.set_active(store, uid, False) == "chef"
    assert accounts.session(store, "t1") is None  # deactivating ends every session
    counted = [accounts.count_attempt(store, "chef", "1.2.3.4", AT, AT) for _ in range(3)]
    assert counted == [1, 2, 3]
    accounts.clear_attempts(store, "chef", "1.2.3.4")
    assert accounts.count_attempt(store, "chef", "1.2.3.4", AT, AT) == 1


def test_audit_log_newest_first_and_filtered(store: Store) -> None:
    for action in ("import", "export", "import"):
        audit_log.append(
            store,
            at=AT,
            username="hr",
            action=action,
            org_id="9999",
            target="",
            detail="",
            client="",
        )
    rows = audit_log.read(store, action="import")
    assert [r.action for r in rows] == ["import", "import"]
    assert rows[0].id > rows[1].id
    assert audit_log.read(store, until=date(2025, 11, 2)) == []  # the entries are of Nov 3


def test_pay_survey_created_with_last_years_scores(store: Store) -> None:
    first = paysurveys.create(
        store,
        org_id="9999",
        year=2024,
        survey_date=date(2024, 11, 1),
        participants="",
        job_key="title",
        model_json="{}",
        breakpoints_json="[]",
        copy_scores_from=None,
        created_by="hr",
        at=AT,
    )
    paysurveys.save_scores(store, first.id, {"Lärare": '{"a": 3}'}, "hr", AT)
    second = paysurveys.create(
        store,
        org_id="9999",
        year=2025,
        survey_date=date(2025, 11, 1),
        participants="",
        job_key="title",
        model_json="{}",
        breakpoints_json="[]",
        copy_scores_from=first.id,
        created_by="hr",
        at=AT,
    )
    assert paysurveys.scores(store, second.id) == {"Lärare": '{"a": 3}'}
    assert [s.year for s in paysurveys.surveys(store, "9999")] == [2025, 2024]
    assert paysurveys.update(store, "9999", 2030, at=AT, status="klar") is None


def test_projection_scenario_saved_by_name_and_deleted_per_organisation(store: Store) -> None:
    a = projections.save_scenario(
        store, "9999", "Bas", description="", params_json="{}", by="hr", at=AT
    )
    again = projections.save_scenario(
        store, "9999", "Bas", description="ny", params_json='{"x": 1}', by="hr", at=AT
    )
    assert again == a  # the same name replaces the parameters
    saved = projections.scenario(store, "9999", a)
    assert saved is not None and saved.params_json == '{"x": 1}'
    assert projections.scenario(store, "8888", a) is None  # another organisation's id
    assert not projections.delete_scenario(store, "8888", a)
    assert projections.delete_scenario(store, "9999", a)


def test_masked_url_hides_the_password() -> None:
    assert masked_url("postgresql+psycopg://anna:hemligt@db/hallbar") == (
        "postgresql+psycopg://anna:***@db/hallbar"
    )
