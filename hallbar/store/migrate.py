"""Run the packaged Alembic migrations from code: no alembic.ini at runtime."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_head(engine: Engine) -> None:
    """Alembic ``upgrade head`` in one transaction on ``engine``."""
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
