"""The old installation-wide sharing agreements become consents in the ledger (issue 14 d).

An installation upgraded from before the consent ledger keeps every share: each
row of ``sharing_agreements`` becomes a key-figures consent to every regional
analyst from the day it was agreed, and a regional analyst reaches exactly the same
organisations as before. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from hallbar.regional.consent import ALL_ANALYSTS, DatasetKind, RecipientKind
from hallbar.store import Store
from hallbar.store.migrate import alembic_config
from hallbar.store.regional import analyst_org_ids, grants

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def _this_migration() -> tuple[str, str]:
    """(revision, down revision) of the migration that retires the sharing table."""
    scripts = ScriptDirectory.from_config(alembic_config())
    found = [s for s in scripts.walk_revisions() if "regional_sharing_consents" in s.revision]
    assert len(found) == 1
    down = found[0].down_revision
    assert isinstance(down, str)
    return found[0].revision, down


def _upgrade(store: Store, target: str) -> None:
    with store.engine.begin() as conn:
        command.upgrade(alembic_config(conn), target)


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_every_sharing_agreement_becomes_a_consent(database_url: str) -> None:
    revision, before = _this_migration()
    store = Store(database_url)
    _upgrade(store, before)
    agreed = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
    with store.engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO sharing_agreements (org_id, agreed_at, recorded_by, note) "
                "VALUES (:o, :a, :b, '')"
            ),
            [
                {"o": "1281", "a": agreed, "b": "admin"},
                {"o": "9999", "a": agreed, "b": "demo"},
            ],
        )
    _upgrade(store, "head")

    ledger = grants(store)
    assert [(g.org_code, g.granted_by) for g in ledger] == [("1281", "admin"), ("9999", "demo")]
    for g in ledger:
        assert g.recipient_kind is RecipientKind.REGIONAL_ANALYSTS
        assert g.recipient == ALL_ANALYSTS
        assert g.dataset is DatasetKind.KEY_FIGURES
        assert (g.valid_from, g.valid_to, g.revoked_on) == (date(2025, 3, 14), None, None)
    # A regional analyst reaches exactly the organisations that shared.
    assert analyst_org_ids(store, date(2026, 1, 1)) == {"1281", "9999"}
    assert analyst_org_ids(store, date(2025, 3, 13)) == frozenset()
    assert "sharing_agreements" not in sa.inspect(store.engine).get_table_names()

    # Downgrading puts the shares that are still valid back.
    with store.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE regional_consents SET revoked_on = :d WHERE org_code = '9999'"),
            {"d": date(2025, 6, 1)},
        )
        command.downgrade(alembic_config(conn), before)
    with store.engine.connect() as conn:
        back = conn.execute(sa.text("SELECT org_id, recorded_by FROM sharing_agreements")).all()
    store.dispose()
    assert [tuple(r) for r in back] == [("1281", "admin")]
    assert revision != before
