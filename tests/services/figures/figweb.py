"""The key-figure web tests' store: the hand-made organisations (figdata) and this
area's own users (figdata has a manager for A1 and one for B).

Organisations: 9999 Testkommun (shares regionally), 8888 Annankommun (does not),
7777 Utan arbetstid (no working-time file), 6666 Utan november (every employment
ended 2025-06-30). Users: admin, hr (9999, 7777, 6666), chef (manager of A1
Hemtjänst), chefb (manager of B Skola), analytiker (9999), regional.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import figdata
import webtesting
from webtesting import Users, WebEnv, principal

from hallbar.core.access import Role

USERS: Users = {
    "admin": (Role.ADMIN, (), ()),
    "hr": (Role.HR, ("9999", "7777", "6666"), ()),
    "chef": (Role.MANAGER, ("9999",), ("A1",)),
    "chefb": (Role.MANAGER, ("9999",), ("B",)),
    "analytiker": (Role.ANALYST, ("9999",), ()),
    "regional": (Role.REGIONAL, (), ()),
    "chefa": (Role.MANAGER, ("9999",), ("A",)),  # A Omsorg: A1 Hemtjänst is below it
}
HR = principal("hr", USERS)
CHEF = principal("chef", USERS)
CHEF_B = principal("chefb", USERS)
ANALYST = principal("analytiker", USERS)
CHEF_A = principal("chefa", USERS)


def make_env(tmp: Path) -> WebEnv:
    datasets = {
        "9999": figdata.build("9999", "Testkommun"),
        "8888": figdata.build("8888", "Annankommun"),
        "7777": figdata.build("7777", "Utan arbetstid", working_time=False),
        "6666": figdata.build("6666", "Utan november", ended=date(2025, 6, 30)),
    }
    return webtesting.make_env(tmp, datasets, sharing=("9999",), users=USERS)
