"""The web tests' store: three small organisations (tests/web/orgdata.py) and the
standard users of ``webtesting``.

Organisations: 9999 Testkommun (shares regionally), 7777 Tredjekommun (shares),
8888 Annankommun (does not share). The manager ``chef`` of unit A sees A, A1, A2
(own staff: A only); ``regional`` sees 9999 and 7777.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orgdata
import webtesting
from webtesting import WebEnv


def make_env(tmp: Path, **settings_overrides: Any) -> WebEnv:
    datasets = {
        org_id: orgdata.build(org_id, name)
        for org_id, name in (
            ("9999", "Testkommun"),
            ("8888", "Annankommun"),
            ("7777", "Tredjekommun"),
        )
    }
    return webtesting.make_env(tmp, datasets, sharing=("9999", "7777"), **settings_overrides)
