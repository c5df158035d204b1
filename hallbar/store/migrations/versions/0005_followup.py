"""followup: plans, nodes, periods, entries, indicators, manual values and budget

Revision ID: 0005_followup
Revises: 0004_projection
Create Date: 2026-12-06 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_followup"
down_revision = "0004_projection"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "followup_plans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("committee", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_plans")),
        sa.UniqueConstraint("org_id", "name", name="uq_followup_plans_name"),
    )
    with op.batch_alter_table("followup_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_followup_plans_org_id"), ["org_id"], unique=False)

    op.create_table(
        "followup_nodes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_unit", sa.String(length=50), nullable=True),
        sa.Column("owner_role", sa.String(length=200), nullable=False),
        sa.Column("responsible", sa.String(length=200), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("rollup", sa.String(length=30), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("links", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("copied_from", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["followup_nodes.id"],
            name=op.f("fk_followup_nodes_parent_id_followup_nodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["followup_plans.id"],
            name=op.f("fk_followup_nodes_plan_id_followup_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_nodes")),
    )
    with op.batch_alter_table("followup_nodes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_followup_nodes_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "followup_periods",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["followup_plans.id"],
            name=op.f("fk_followup_periods_plan_id_followup_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_periods")),
        sa.UniqueConstraint("plan_id", "name", name="uq_followup_periods_name"),
    )
    with op.batch_alter_table("followup_periods", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_followup_periods_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "followup_budget",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("allocation_kr", sa.BigInteger(), nullable=True),
        sa.Column("forecast_kr", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["node_id"],
            ["followup_nodes.id"],
            name=op.f("fk_followup_budget_node_id_followup_nodes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_budget")),
        sa.UniqueConstraint("node_id", "year", name="uq_followup_budget_year"),
    )
    with op.batch_alter_table("followup_budget", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_followup_budget_node_id"), ["node_id"], unique=False)

    op.create_table(
        "followup_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("outcome_kr", sa.BigInteger(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["node_id"],
            ["followup_nodes.id"],
            name=op.f("fk_followup_entries_node_id_followup_nodes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["followup_periods.id"],
            name=op.f("fk_followup_entries_period_id_followup_periods"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_entries")),
    )
    with op.batch_alter_table("followup_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_followup_entries_node_id"), ["node_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_followup_entries_period_id"), ["period_id"], unique=False
        )

    op.create_table(
        "followup_indicators",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("node_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("figure_id", sa.String(length=100), nullable=False),
        sa.Column("unit_id", sa.String(length=50), nullable=True),
        sa.Column("filters", sa.String(length=500), nullable=False),
        sa.Column("unit_label", sa.String(length=30), nullable=False),
        sa.Column("direction", sa.String(length=30), nullable=False),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=True),
        sa.Column("kolada_kpi", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["node_id"],
            ["followup_nodes.id"],
            name=op.f("fk_followup_indicators_node_id_followup_nodes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_indicators")),
    )
    with op.batch_alter_table("followup_indicators", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_followup_indicators_node_id"), ["node_id"], unique=False
        )

    op.create_table(
        "followup_values",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["followup_entries.id"],
            name=op.f("fk_followup_values_entry_id_followup_entries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["followup_indicators.id"],
            name=op.f("fk_followup_values_indicator_id_followup_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_followup_values")),
    )
    with op.batch_alter_table("followup_values", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_followup_values_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_followup_values_indicator_id"), ["indicator_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("followup_values", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_followup_values_indicator_id"))
        batch_op.drop_index(batch_op.f("ix_followup_values_entry_id"))

    op.drop_table("followup_values")
    with op.batch_alter_table("followup_indicators", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_followup_indicators_node_id"))

    op.drop_table("followup_indicators")
    with op.batch_alter_table("followup_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_followup_entries_period_id"))
        batch_op.drop_index(batch_op.f("ix_followup_entries_node_id"))

    op.drop_table("followup_entries")
    with op.batch_alter_table("followup_budget", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_followup_budget_node_id"))

    op.drop_table("followup_budget")
    with op.batch_alter_table("followup_periods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_followup_periods_plan_id"))

    op.drop_table("followup_periods")
    with op.batch_alter_table("followup_nodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_followup_nodes_plan_id"))

    op.drop_table("followup_nodes")
    with op.batch_alter_table("followup_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_followup_plans_org_id"))

    op.drop_table("followup_plans")
