"""The follow-up tests' store: figdata's Testkommun (9999) and one user per role,
including the committee member's read-only role (förtroendevald)."""

from __future__ import annotations

from pathlib import Path

import figdata
import webtesting
from webtesting import Users, WebEnv, principal

from hallbar.core.access import Role

USERS: Users = {
    "admin": (Role.ADMIN, (), ()),
    "hr": (Role.HR, ("9999",), ()),
    "chef": (Role.MANAGER, ("9999",), ("A",)),  # Omsorg and its Hemtjänst (A1)
    "chefb": (Role.MANAGER, ("9999",), ("B",)),  # Skola
    "analytiker": (Role.ANALYST, ("9999",), ()),
    "politiker": (Role.COMMITTEE, ("9999",), ()),
}
HR = principal("hr", USERS)
CHEF = principal("chef", USERS)
CHEF_B = principal("chefb", USERS)
ANALYST = principal("analytiker", USERS)
COMMITTEE = principal("politiker", USERS)


def make_env(tmp: Path) -> WebEnv:
    return webtesting.make_env(tmp, {"9999": figdata.build("9999", "Testkommun")}, users=USERS)
