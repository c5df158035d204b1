"""Field selections for the JSON twins whose shape differs from the service's record.

Every ``/api/`` answer goes through the one envelope (``hallbar.services.twin``,
``hallbar.web.rendering.twin``): a service's dataclass is serialised as it is.
The models here only pick or rename fields where the record holds more than the
answer may show (the principal, an import without the organisation's name) or
where a table is shown in the organisation page's older table shape.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from hallbar.core.access import ROLE_LABELS_SV, Principal


class MeOut(BaseModel):
    username: str
    role: str
    role_label: str
    org_ids: list[str]
    unit_ids: list[str]


def me_out(p: Principal) -> MeOut:
    return MeOut(
        username=p.username,
        role=p.role.value,
        role_label=ROLE_LABELS_SV[p.role],
        org_ids=sorted(p.org_ids),
        unit_ids=sorted(p.unit_ids),
    )


class ImportOut(BaseModel):
    """An import as ``uploads.import_history`` lists it, without the organisation's name."""

    id: int
    org_id: str
    as_of: date
    created_at: datetime
    created_by: str
    profile: str
    files: dict[str, str]
    row_counts: dict[str, int]
    status: str
    active: bool  # the organisation's active import: the one every page shows
