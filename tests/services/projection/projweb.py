"""The projection web tests' store: the hand-made organisation (projdata) and the
standard users of ``webtesting``.

Organisations: 9999 Testkommun (shares regionally), 8888 Annankommun (does not).
The manager ``chef`` of unit A sees A and A1.
"""

from __future__ import annotations

from pathlib import Path

import projdata
from webtesting import WebEnv
from webtesting import make_env as make_web_env


def make_env(tmp: Path) -> WebEnv:
    datasets = {
        org_id: projdata.build(org_id, name)
        for org_id, name in (("9999", "Testkommun"), ("8888", "Annankommun"))
    }
    return make_web_env(tmp, datasets, sharing=("9999",))
