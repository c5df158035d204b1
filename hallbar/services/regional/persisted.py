"""A member's regional results per snapshot: in memory, and in the store for every process.

An import never changes, so neither does anything computed from it: a member's figure
for a year, its counts, its occupations. The regional view of a 33-member network
needs hundreds of them; computing them once per import (``store.regional``'s
``regional_member_cache``) and reading them afterwards keeps a regional page fast in
every new process, too (docs/regional.md, "Speed"). A new import has a new id, so
nothing stale is ever read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from hallbar.services.context import Hallbar
from hallbar.services.memo import HbCache
from hallbar.store import regional

_known: HbCache[dict[str, Any]] = HbCache(400)  # (code, import id) -> key -> value


def results(
    hb: Hallbar,
    code: str,
    keys: Sequence[str],
    compute: Callable[[list[str]], dict[str, Any]],
) -> dict[str, Any]:
    """The values of ``keys`` for the member's current snapshot. Missing ones are
    computed together by ``compute(missing)`` (JSON-able values) and stored."""
    import_id = hb.store.active_import_id(code)
    if import_id is None:
        return compute(list(keys))  # no data: nothing to keep

    def load() -> dict[str, Any]:
        return {
            k: json.loads(v) for k, v in regional.member_cache(hb.store, code, import_id).items()
        }

    known = _known.get_or_compute(hb, (code, import_id), load)
    missing = [k for k in dict.fromkeys(keys) if k not in known]
    if missing:
        fresh = compute(missing)
        regional.save_member_cache(
            hb.store, code, import_id, {k: json.dumps(v) for k, v in fresh.items()}
        )
        known.update(fresh)
    return {k: known[k] for k in keys}
