"""regional: sharing agreements become consents; a member's regional results per snapshot

Until now an administrator switched an organisation's "regional sharing" on in
``sharing_agreements``: every regional analyst then saw its aggregates. The consent
ledger (``regional_consents``) now decides. Each agreement becomes a key-figures
consent to every regional analyst (recipient kind ``regionala_analytiker``,
recipient ``alla``), valid from the day it was agreed and until revoked, recorded
as given by whoever recorded the agreement; so no existing share is lost. The old
table is then dropped. Downgrading puts the consents that are still valid back.

``regional_member_cache`` keeps a member's regional results per import (figures,
counts, occupations as JSON), so a regional view does not recompute 33 members'
figures in every new process (docs/regional.md, "Speed").

Revision ID: 0009_regional_sharing_consents
Revises: 0008_columnar_snapshots
Create Date: 2026-12-06 15:50:00
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0010_regional_sharing_consents"
down_revision = "0009_hardening_login_throttle"
branch_labels = None
depends_on = None

# Values of hallbar.regional.consent, written out: a migration keeps the values of its day.
ANALYSTS = "regionala_analytiker"
ALL = "alla"
KEY_FIGURES = "nyckeltal"

_sharing = sa.table(
    "sharing_agreements",
    sa.column("org_id", sa.String),
    sa.column("agreed_at", sa.DateTime(timezone=True)),
    sa.column("recorded_by", sa.String),
    sa.column("note", sa.Text),
)
_consents = sa.table(
    "regional_consents",
    sa.column("org_code", sa.String),
    sa.column("recipient_kind", sa.String),
    sa.column("recipient", sa.String),
    sa.column("dataset", sa.String),
    sa.column("valid_from", sa.Date),
    sa.column("valid_to", sa.Date),
    sa.column("granted_by", sa.String),
    sa.column("granted_at", sa.DateTime(timezone=True)),
    sa.column("revoked_on", sa.Date),
    sa.column("revoked_by", sa.String),
)


def _day(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return datetime.fromisoformat(str(value)).date()  # SQLite may hand back text


def upgrade() -> None:
    op.create_table(
        "regional_member_cache",
        sa.Column("org_code", sa.String(length=50), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint(
            "org_code", "import_id", "key", name=op.f("pk_regional_member_cache")
        ),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_sharing.c.org_id, _sharing.c.agreed_at, _sharing.c.recorded_by).order_by(
            _sharing.c.org_id
        )
    ).all()
    if rows:
        op.bulk_insert(
            _consents,
            [
                {
                    "org_code": org_id,
                    "recipient_kind": ANALYSTS,
                    "recipient": ALL,
                    "dataset": KEY_FIGURES,
                    "valid_from": _day(agreed_at),
                    "valid_to": None,
                    "granted_by": recorded_by or "migrering",
                    "granted_at": agreed_at
                    if isinstance(agreed_at, datetime)
                    else datetime.combine(_day(agreed_at), datetime.min.time(), UTC),
                    "revoked_on": None,
                    "revoked_by": "",
                }
                for org_id, agreed_at, recorded_by in rows
            ],
        )
    op.drop_table("sharing_agreements")


def downgrade() -> None:
    op.drop_table("regional_member_cache")
    op.create_table(
        "sharing_agreements",
        sa.Column("org_id", sa.String(length=50), nullable=False),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("org_id", name=op.f("pk_sharing_agreements")),
    )
    bind = op.get_bind()
    today = date.today()
    found = bind.execute(
        sa.select(
            _consents.c.org_code, _consents.c.granted_at, _consents.c.granted_by,
            _consents.c.valid_from, _consents.c.valid_to, _consents.c.revoked_on,
        ).where(
            _consents.c.recipient_kind == ANALYSTS, _consents.c.dataset == KEY_FIGURES
        )
    ).all()  # fmt: skip
    kept: dict[str, dict[str, object]] = {}
    for org, granted_at, granted_by, valid_from, valid_to, revoked_on in found:
        valid = (
            _day(valid_from) <= today
            and (valid_to is None or _day(valid_to) >= today)
            and (revoked_on is None or _day(revoked_on) > today)
        )
        if valid and org not in kept:
            kept[org] = {
                "org_id": org,
                "agreed_at": granted_at,
                "recorded_by": granted_by,
                "note": "",
            }
    if kept:
        op.bulk_insert(_sharing, list(kept.values()))
    bind.execute(
        sa.delete(_consents).where(_consents.c.recipient_kind == ANALYSTS)
    )
