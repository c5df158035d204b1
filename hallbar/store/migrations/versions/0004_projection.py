"""projection: saved scenarios, population forecasts and plan activities

Revision ID: 0004_projection
Revises: 0003_paysurvey
Create Date: 2026-11-24 12:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_projection"
down_revision = "0003_paysurvey"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projection_scenarios",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("params_json", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projection_scenarios")),
        sa.UniqueConstraint("org_id", "name", name="uq_projection_scenarios_name"),
    )
    with op.batch_alter_table("projection_scenarios", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_projection_scenarios_org_id"), ["org_id"], unique=False
        )
    op.create_table(
        "projection_population",
        sa.Column("org_id", sa.String(length=50), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("org_id", name=op.f("pk_projection_population")),
    )
    op.create_table(
        "projection_activities",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=50), nullable=False),
        sa.Column("occupation", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=200), nullable=False),
        sa.Column("timeframe", sa.String(length=100), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projection_activities")),
    )
    with op.batch_alter_table("projection_activities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_projection_activities_org_id"), ["org_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("projection_activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projection_activities_org_id"))
    op.drop_table("projection_activities")
    op.drop_table("projection_population")
    with op.batch_alter_table("projection_scenarios", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projection_scenarios_org_id"))
    op.drop_table("projection_scenarios")
