"""regional: organisation registry, networks, viewers, consent ledger, Kolada downloads

Revision ID: 0007_regional
Revises: 0006_paytransparency
Create Date: 2026-12-06 13:15:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_regional"
down_revision = "0006_paytransparency"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "regional_organisations",
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("org_number", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_regional_organisations")),
    )
    op.create_table(
        "regional_networks",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regional_networks")),
    )
    op.create_table(
        "regional_network_members",
        sa.Column("network_id", sa.String(length=80), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["regional_networks.id"],
            name=op.f("fk_regional_network_members_network_id_regional_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("network_id", "code", name=op.f("pk_regional_network_members")),
    )
    op.create_table(
        "regional_viewers",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("network_id", sa.String(length=80), nullable=False),
        sa.Column("own_code", sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["regional_networks.id"],
            name=op.f("fk_regional_viewers_network_id_regional_networks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "network_id", name=op.f("pk_regional_viewers")),
    )
    op.create_table(
        "regional_consents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_code", sa.String(length=50), nullable=False),
        sa.Column("recipient_kind", sa.String(length=20), nullable=False),
        sa.Column("recipient", sa.String(length=80), nullable=False),
        sa.Column("dataset", sa.String(length=30), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("granted_by", sa.String(length=100), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("revoked_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regional_consents")),
    )
    with op.batch_alter_table("regional_consents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_regional_consents_org_code"), ["org_code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_regional_consents_recipient"), ["recipient"], unique=False
        )
    op.create_table(
        "kolada_downloads",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kpi", sa.String(length=20), nullable=False),
        sa.Column("period", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("downloaded_on", sa.Date(), nullable=False),
        sa.Column("stored_by", sa.String(length=100), nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("values_json", sa.Text(), nullable=False),
        sa.Column("groups_json", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kolada_downloads")),
    )
    with op.batch_alter_table("kolada_downloads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kolada_downloads_kpi"), ["kpi"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kolada_downloads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kolada_downloads_kpi"))
    op.drop_table("kolada_downloads")
    with op.batch_alter_table("regional_consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_regional_consents_recipient"))
        batch_op.drop_index(batch_op.f("ix_regional_consents_org_code"))
    op.drop_table("regional_consents")
    op.drop_table("regional_viewers")
    op.drop_table("regional_network_members")
    op.drop_table("regional_networks")
    op.drop_table("regional_organisations")
