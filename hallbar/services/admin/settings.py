"""The installation's settings as admins see them (read-only; set by environment variables)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hallbar.core.access import Principal, Resource
from hallbar.services.access import require
from hallbar.store.store import masked_url

if TYPE_CHECKING:
    from hallbar.services.context import Hallbar

HIDDEN = "(dold)"
_SECRETS = frozenset({"secret_key"})


@dataclass(frozen=True)
class SettingRow:
    name: str
    env_var: str  # how to change it
    value: str
    description: str


def settings_overview(hb: Hallbar, principal: Principal) -> list[SettingRow]:
    """Every setting with its current value; secrets and database passwords are masked."""
    require(principal, Resource.SETTINGS)
    settings = hb.settings
    rows = []
    for name, field in type(settings).model_fields.items():
        value = getattr(settings, name)
        if name in _SECRETS:
            shown = HIDDEN if value else ""
        elif name == "database_url":
            shown = masked_url(settings.resolved_database_url())
        else:
            shown = "" if value is None else str(value)
        rows.append(SettingRow(name, f"HALLBAR_{name.upper()}", shown, field.description or ""))
    return rows
