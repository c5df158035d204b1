"""Who may see what: roles and the principal a request runs as.

Pure rules; the service layer calls them on every data function, so a rule
holds for pages, JSON and exports alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # users, settings, organisations
    HR = "hr"  # everything in its own organisation(s)
    MANAGER = "chef"  # own units and their sub-units; individual lists for own staff
    ANALYST = "analytiker"  # aggregates only (also förtroendevalda)
    REGIONAL = "regional"  # aggregates across organisations that agreed to share


ROLE_LABELS_SV = {
    Role.ADMIN: "Administratör",
    Role.HR: "HR",
    Role.MANAGER: "Chef",
    Role.ANALYST: "Analytiker/förtroendevald",
    Role.REGIONAL: "Regional analytiker",
}


@dataclass(frozen=True)
class Principal:
    """The user a request or command runs as."""

    user_id: int
    username: str
    role: Role
    org_ids: frozenset[str] = field(default_factory=frozenset)
    # For managers: the units they manage; sub-units are included by the service layer.
    unit_ids: frozenset[str] = field(default_factory=frozenset)


SYSTEM = Principal(0, "system", Role.ADMIN)
