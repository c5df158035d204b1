"""HR data: organisations, imports and one snapshot table per canonical table.

Revision ID: 0001_hr
Revises:
Create Date: 2026-11-24

Row tables are keyed by (import_id, row_no); that primary key's index also
serves every lookup by import_id, so no separate import_id index is needed.
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_hr"
down_revision = None
branch_labels = None
depends_on = None


def _snapshot(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("row_no", sa.Integer(), autoincrement=False, nullable=False),
        *columns,
        sa.ForeignKeyConstraint(
            ["import_id"], ["imports.id"], name=op.f(f"fk_{name}_import_id_imports"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("import_id", "row_no", name=op.f(f"pk_{name}")),
    )


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("org_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("org_id", name=op.f("pk_organisations")),
    )
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=32), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("profile", sa.String(length=500), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("row_counts", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.org_id"], name=op.f("fk_imports_org_id_organisations"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    with op.batch_alter_table("imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_imports_org_id"), ["org_id"], unique=False)

    _snapshot(
        "hr_units",
        sa.Column("unit_id", sa.Text(), nullable=False),
        sa.Column("parent_id", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("manager_person_id", sa.Text(), nullable=True),
    )
    _snapshot(
        "hr_persons",
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("gender", sa.Text(), nullable=False),
    )
    _snapshot(
        "hr_employments",
        sa.Column("employment_id", sa.Text(), nullable=False),
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.Text(), nullable=False),
        sa.Column("aid_code", sa.Text(), nullable=True),
        sa.Column("ssyk", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("employment_form", sa.Text(), nullable=False),
        sa.Column("rate", sa.Double(), nullable=False),
        sa.Column("monthly_pay", sa.Double(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("is_manager", sa.Boolean(), nullable=False),
        sa.Column("end_reason", sa.Text(), nullable=True),
    )
    _snapshot(
        "hr_absences",
        sa.Column("person_id", sa.Text(), nullable=False),
        sa.Column("employment_id", sa.Text(), nullable=True),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("from_date", sa.Date(), nullable=False),
        sa.Column("to_date", sa.Date(), nullable=False),
        sa.Column("extent", sa.Double(), nullable=False),
        sa.Column("hours", sa.Double(), nullable=True),
    )
    _snapshot(
        "hr_working_time",
        sa.Column("employment_id", sa.Text(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("scheduled_hours", sa.Double(), nullable=False),
        sa.Column("overtime_hours", sa.Double(), nullable=True),
        sa.Column("additional_hours", sa.Double(), nullable=True),
        sa.Column("unsocial_hours", sa.Double(), nullable=True),
        sa.Column("split_shifts", sa.BigInteger(), nullable=True),
    )
    _snapshot(
        "hr_pay_components",
        sa.Column("employment_id", sa.Text(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("code", sa.Text(), nullable=True),
        sa.Column("amount", sa.Double(), nullable=False),
    )
    _snapshot(
        "hr_agency_staff",
        sa.Column("unit_id", sa.Text(), nullable=False),
        sa.Column("occupation", sa.Text(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("hours", sa.Double(), nullable=False),
        sa.Column("cost", sa.Double(), nullable=False),
    )


def downgrade() -> None:
    for name in (
        "hr_agency_staff",
        "hr_pay_components",
        "hr_working_time",
        "hr_absences",
        "hr_employments",
        "hr_persons",
        "hr_units",
    ):
        op.drop_table(name)
    with op.batch_alter_table("imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_imports_org_id"))
    op.drop_table("imports")
    op.drop_table("organisations")
