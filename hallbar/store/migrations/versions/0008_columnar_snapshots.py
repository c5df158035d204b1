"""columnar snapshots: an import's tables live in Parquet files; the database keeps their metadata

Moving the rows of existing imports to files needs the snapshot folder, which
Alembic does not know; ``Store.migrate`` does it right after this migration
(``Store.move_rows_to_files``), one import per transaction, verifying counts.

Revision ID: 0008_columnar_snapshots
Revises: 0007_regional
Create Date: 2026-12-06 14:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_columnar_snapshots"
down_revision = "0007_regional"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("imports") as batch:
        batch.add_column(sa.Column("snapshot", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("snapshot_files", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("imports") as batch:
        batch.drop_column("snapshot_files")
        batch.drop_column("snapshot")
