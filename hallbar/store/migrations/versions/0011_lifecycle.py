"""import lifecycle: the organisation's active import; surveys and scenarios keep their snapshot

``organisations.active_import_id`` names the import every page shows; until
now that was the newest import, so existing organisations get their newest.
``pay_surveys.import_id`` and ``projection_scenarios.import_id`` name the
snapshot a survey or scenario was made from; rows saved before this migration
were shown on the newest import, so they are tied to it (NULL when the
organisation has none).

Revision ID: 0011_lifecycle
Revises: 0010_regional_sharing_consents
Create Date: 2026-12-06 15:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_lifecycle"
down_revision = "0010_regional_sharing_consents"
branch_labels = None
depends_on = None

_NEWEST = "(SELECT MAX(imports.id) FROM imports WHERE imports.org_id = {table}.org_id)"


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("active_import_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("pay_surveys") as batch:
        batch.add_column(sa.Column("import_id", sa.Integer(), nullable=True))
    with op.batch_alter_table("projection_scenarios") as batch:
        batch.add_column(sa.Column("import_id", sa.Integer(), nullable=True))
    for table, column in (
        ("organisations", "active_import_id"),
        ("pay_surveys", "import_id"),
        ("projection_scenarios", "import_id"),
    ):
        op.execute(f"UPDATE {table} SET {column} = {_NEWEST.format(table=table)}")


def downgrade() -> None:
    with op.batch_alter_table("projection_scenarios") as batch:
        batch.drop_column("import_id")
    with op.batch_alter_table("pay_surveys") as batch:
        batch.drop_column("import_id")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("active_import_id")
