"""paytransparency: requests for information, starting-pay ranges, criteria, reports, joint assessments

Revision ID: 0006_paytransparency
Revises: 0005_followup
Create Date: 2026-12-06 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_paytransparency"
down_revision = "0005_followup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pt_criteria",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=50), nullable=False),
        sa.Column("job_family", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("criteria_json", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pt_criteria")),
        sa.UniqueConstraint("org_id", "job_family", "version", name="uq_pt_criteria_version"),
    )
    with op.batch_alter_table("pt_criteria", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pt_criteria_org_id"), ["org_id"], unique=False)

    op.create_table(
        "pt_ranges",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=50), nullable=False),
        sa.Column("job", sa.String(length=200), nullable=False),
        sa.Column("low", sa.Float(), nullable=False),
        sa.Column("high", sa.Float(), nullable=False),
        sa.Column("p10", sa.Float(), nullable=True),
        sa.Column("p90", sa.Float(), nullable=True),
        sa.Column("n_starters", sa.Integer(), nullable=False),
        sa.Column("agreement", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pt_ranges")),
    )
    with op.batch_alter_table("pt_ranges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pt_ranges_org_id"), ["org_id"], unique=False)

    op.create_table(
        "pt_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=50), nullable=False),
        sa.Column("report_date", sa.Date(), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("category_kind", sa.String(length=20), nullable=False),
        sa.Column("values_json", sa.Text(), nullable=False),
        sa.Column("flagged_json", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("consulted_with", sa.Text(), nullable=False),
        sa.Column("consulted_on", sa.Date(), nullable=True),
        sa.Column("confirmed_by", sa.String(length=100), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pt_reports")),
        sa.UniqueConstraint("org_id", "report_date", name="uq_pt_reports_date"),
    )
    with op.batch_alter_table("pt_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pt_reports_org_id"), ["org_id"], unique=False)

    op.create_table(
        "pt_requests",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=50), nullable=False),
        sa.Column("person_id", sa.String(length=100), nullable=False),
        sa.Column("job", sa.String(length=200), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("answer_json", sa.Text(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("answered_by", sa.String(length=100), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pt_requests")),
    )
    with op.batch_alter_table("pt_requests", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pt_requests_org_id"), ["org_id"], unique=False)

    op.create_table(
        "pt_assessments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=50), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("representatives", sa.Text(), nullable=False),
        sa.Column("content_json", sa.Text(), nullable=False),
        sa.Column("reasons_json", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("evaluation", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("completed_by", sa.String(length=100), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["pt_reports.id"],
            name=op.f("fk_pt_assessments_report_id_pt_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pt_assessments")),
    )
    with op.batch_alter_table("pt_assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pt_assessments_org_id"), ["org_id"], unique=False)

    op.create_table(
        "pt_recruitments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=50), nullable=False),
        sa.Column("range_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["range_id"], ["pt_ranges.id"], name=op.f("fk_pt_recruitments_range_id_pt_ranges")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pt_recruitments")),
    )
    with op.batch_alter_table("pt_recruitments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pt_recruitments_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pt_recruitments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pt_recruitments_org_id"))

    op.drop_table("pt_recruitments")
    with op.batch_alter_table("pt_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pt_assessments_org_id"))

    op.drop_table("pt_assessments")
    with op.batch_alter_table("pt_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pt_requests_org_id"))

    op.drop_table("pt_requests")
    with op.batch_alter_table("pt_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pt_reports_org_id"))

    op.drop_table("pt_reports")
    with op.batch_alter_table("pt_ranges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pt_ranges_org_id"))

    op.drop_table("pt_ranges")
    with op.batch_alter_table("pt_criteria", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pt_criteria_org_id"))

    op.drop_table("pt_criteria")
