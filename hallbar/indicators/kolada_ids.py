"""Kolada KPI ids of Hållbar's figures: the one home of every id (domain-rules §1–2).

Each constant is a pair (municipality id, region id). Gender is a cut (T/K/M)
of each id, not an id of its own. The region ids of the sick-leave age groups
are not in age order: ≤29 is N60027, 30–49 is N60029 and ≥50 is N60028.

The registered figures carry their pair in ``Description.kolada_ids``
(``registry.kolada_figures()`` lists them); the statutory note's rows use the
same constants.
"""

from __future__ import annotations

KoladaIds = tuple[str, str]  # (municipality, region)

SICK_LEAVE_TOTAL: KoladaIds = ("N00090", "N60030")
SICK_LEAVE_LONG_TERM_SHARE: KoladaIds = ("N00091", "N60031")
SICK_LEAVE_AGE_29: KoladaIds = ("N00092", "N60027")
SICK_LEAVE_AGE_30_49: KoladaIds = ("N00093", "N60029")
SICK_LEAVE_AGE_50: KoladaIds = ("N00094", "N60028")
PERMANENT_SHARE: KoladaIds = ("N00200", "N60068")
FULLTIME_EMPLOYED: KoladaIds = ("N00206", "N60074")
FULLTIME_WORKING: KoladaIds = ("N00209", "N60077")
AVERAGE_RATE: KoladaIds = ("N00242", "N60202")
NEW_PERMANENT_HIRES: KoladaIds = ("N00215", "N60083")
TURNOVER: KoladaIds = ("N00216", "N60084")
# Women's median monthly pay minus men's median, in kronor (a difference, not a ratio).
MEDIAN_PAY_GAP_KR: KoladaIds = ("N00951", "N60953")

REGION_KIND = "region"


def for_kind(ids: KoladaIds, kind: str | None) -> str:
    """The id for an organisation of ``kind`` ("kommun", "region", "förbund" …).

    Kolada publishes municipalities' and regions' figures under different ids; an
    association (kommunalförbund) is reported like a municipality.
    """
    return ids[1] if kind == REGION_KIND else ids[0]


def source_text(ids: KoladaIds) -> str:
    """'Kolada N00090 / N60030': the citation written into a figure's source."""
    return f"Kolada {ids[0]} / {ids[1]}"
