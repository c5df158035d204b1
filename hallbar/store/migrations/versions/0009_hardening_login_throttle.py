"""login throttle: one counter row per username and address, counted up atomically

The per-attempt rows of ``login_attempts`` were counted and then added in two
steps, so parallel wrong passwords all saw the same count (30 attempts with a
limit of 5 got 15 password checks). A counter row updated by one
insert-or-update statement is counted exactly. Earlier failures are not moved:
they only matter for the few minutes of a lockout.

Revision ID: 0009_hardening_login_throttle
Revises: 0008_columnar_snapshots
Create Date: 2026-12-06 15:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_hardening_login_throttle"
down_revision = "0008_columnar_snapshots"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_throttle",
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("client", sa.String(length=100), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("username", "client", name=op.f("pk_login_throttle")),
    )
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_login_attempts_key_at")
    op.drop_table("login_attempts")


def downgrade() -> None:
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("client", sa.String(length=100), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempts")),
    )
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_login_attempts_key_at", ["username", "client", "attempted_at"], unique=False
        )
    op.drop_table("login_throttle")
