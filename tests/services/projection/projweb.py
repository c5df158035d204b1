"""The projection web tests' store: the hand-made organisation (projdata) and the
standard users of ``webtesting``.

Organisations: 9999 Testkommun (shares regionally), 8888 Annankommun (does not).
The manager ``chef`` of unit A sees A and A1.
"""

from __future__ import annotations

from pathlib import Path

import projdata
import webtesting
from webtesting import WebEnv


def make_env(tmp: Path) -> WebEnv:
    datasets = {
        org_id: projdata.build(org_id, name)
        for org_id, name in (("9999", "Testkommun"), ("8888", "Annankommun"))
    }
    return webtesting.make_env(tmp, datasets, sharing=("9999",))
