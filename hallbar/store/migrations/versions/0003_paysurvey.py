"""paysurvey: pay surveys, job-evaluation scores and actions

Revision ID: 0003_paysurvey
Revises: 0002_auth
Create Date: 2026-11-24 12:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_paysurvey"
down_revision = "0002_auth"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pay_surveys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=50), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("survey_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("participants", sa.Text(), nullable=False),
        sa.Column("job_key", sa.String(length=20), nullable=False),
        sa.Column("model_json", sa.Text(), nullable=False),
        sa.Column("breakpoints_json", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_surveys")),
        sa.UniqueConstraint("org_id", "year", name="uq_pay_surveys_org_year"),
    )
    with op.batch_alter_table("pay_surveys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pay_surveys_org_id"), ["org_id"], unique=False)

    op.create_table(
        "pay_survey_scores",
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=200), nullable=False),
        sa.Column("levels_json", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["pay_surveys.id"],
            name=op.f("fk_pay_survey_scores_survey_id_pay_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("survey_id", "job", name=op.f("pk_pay_survey_scores")),
    )
    op.create_table(
        "pay_survey_actions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("difference_id", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("objective", sa.Boolean(), nullable=False),
        sa.Column("job", sa.String(length=200), nullable=True),
        sa.Column("amount_per_month", sa.Float(), nullable=True),
        sa.Column("gap_before_kr", sa.Float(), nullable=True),
        sa.Column("timetable_json", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["survey_id"],
            ["pay_surveys.id"],
            name=op.f("fk_pay_survey_actions_survey_id_pay_surveys"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_survey_actions")),
        sa.UniqueConstraint("survey_id", "difference_id", name="uq_pay_survey_actions_difference"),
    )
    with op.batch_alter_table("pay_survey_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pay_survey_actions_survey_id"), ["survey_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pay_survey_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pay_survey_actions_survey_id"))
    op.drop_table("pay_survey_actions")
    op.drop_table("pay_survey_scores")
    with op.batch_alter_table("pay_surveys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pay_surveys_org_id"))
    op.drop_table("pay_surveys")
