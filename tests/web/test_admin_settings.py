"""The read-only settings page: values shown, secrets and database passwords masked."""

from __future__ import annotations

from pathlib import Path

from hallbar.core.access import SYSTEM
from hallbar.services.admin.settings import settings_overview
from hallbar.services.context import Hallbar
from hallbar.settings import Settings


def test_settings_are_listed_with_secrets_masked(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        secret_key="topphemligt",
        database_url="postgresql+psycopg://hallbar:lösen123@db.example:5432/hallbar",
        min_group_size=7,
    )
    rows = {r.name: r for r in settings_overview(Hallbar(settings), SYSTEM)}
    assert rows["min_group_size"].value == "7"
    assert rows["min_group_size"].env_var == "HALLBAR_MIN_GROUP_SIZE"
    assert rows["secret_key"].value == "(dold)"
    assert "lösen123" not in rows["database_url"].value
    assert rows["database_url"].value.startswith("postgresql+psycopg://hallbar:***@db.example")
    assert set(rows) == set(Settings.model_fields)
