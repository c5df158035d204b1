"""The dashboard's "Sticker ut" lists: the furthest past the threshold first, the rest
one link away, counts of people as whole numbers.

A hand-made organisation (data per 2025-12-31, 100 scheduled hours in every month of
2025, so 1 200 hours a person and 13 200 hours for a unit of eleven):

    TOP Kommunledning (no staff)
    ├── U01 … U10   eleven staff each; unit k's first person manages it (span 10).
    │               Every person of unit k is sick for one spell in March with
    │               12 × p_k hours, so the unit's sick leave is 11 × 12 × p_k / 13 200
    │               = p_k % with p = 14, 19, 11, 17, 12, 20, 15, 13, 18, 16 for U01 … U10.
    └── M           32 staff; M00 manages it: a span of 31 (more than 30).

Worst first: U06 20 %, U02 19 %, U09 18 %, U04 17 %, U10 16 %, U07 15 %, U01 14 %,
U08 13 %; then two more (U05 12 %, U03 11 %) behind the link.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from handmade import employment, hrdata, person
from webtesting import WebEnv, make_env

from hallbar.core.dataset import HRData

PERCENT = [14, 19, 11, 17, 12, 20, 15, 13, 18, 16]
WORST_FIRST = ["U06", "U02", "U09", "U04", "U10", "U07", "U01", "U08", "U05", "U03"]


def _data() -> HRData:
    units = [("TOP", None, "Kommunledning")]
    units += [(f"U{k:02d}", "TOP", f"Enhet U{k:02d}") for k in range(1, 11)]
    units += [("M", "TOP", "Enhet M")]
    staff: list[tuple[str, str]] = [
        (f"P{k:02d}{i:02d}", f"U{k:02d}") for k in range(1, 11) for i in range(11)
    ]
    staff += [(f"M{i:02d}", "M") for i in range(32)]
    persons = [person(pid, date(1980, 1, 1), "K") for pid, _ in staff]
    employments = [
        employment(f"E{pid}", pid, unit, title="Handläggare", monthly_pay=35000.0, ssyk="3353")
        for pid, unit in staff
    ]
    hours = [
        {
            "employment_id": f"E{pid}",
            "month": date(2025, month, 1),
            "scheduled_hours": 100.0,
            "overtime_hours": 0.0,
            "additional_hours": 0.0,
            "unsocial_hours": 0.0,
            "split_shifts": 0,
        }
        for pid, _ in staff
        for month in range(1, 13)
    ]
    absences = [
        {
            "person_id": pid,
            "employment_id": f"E{pid}",
            "cause": "sjuk",
            "from_date": date(2025, 3, 3),
            "to_date": date(2025, 3, 7),
            "extent": 100.0,
            "hours": 12.0 * PERCENT[int(unit[1:]) - 1],
        }
        for pid, unit in staff
        if unit != "M"
    ]
    data = hrdata(
        date(2025, 12, 31),
        "9999",
        "Testkommun",
        units=units,
        persons=persons,
        employments=employments,
        absences=absences,
        working_time=hours,
    )
    managers = {f"U{k:02d}": f"P{k:02d}00" for k in range(1, 11)} | {"M": "M00"}
    return data.with_frames(
        units=data.units.with_columns(
            pl.col("unit_id").replace_strict(managers, default=None).alias("manager_person_id")
        )
    )


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebEnv]:
    e = make_env(Path(tmp_path_factory.mktemp("standouts")), {"9999": _data()})
    yield e
    e.hb.close()


def _items(html: str, key: str) -> list[str]:
    block = html.split(f'id="sticker-ut-{key}"')[1].split("</ul>")[0]
    return [li.split("</li>")[0] for li in block.split("<li>")[1:]]


def test_worst_first_and_the_rest_behind_a_link(env: WebEnv) -> None:
    client = env.client("hr")
    html = client.get("/figures/9999/prioriterat", params={"ar": "2025"}).text
    items = _items(html, "health")
    assert len(items) == 9  # eight units and the link
    shown = [u for item in items[:8] for u in WORST_FIRST if f"Enhet {u}<" in item]
    assert shown == WORST_FIRST[:8]
    assert "(20,0\u00a0%)" in items[0] and "(13,0\u00a0%)" in items[7]
    assert "… och 2 till" in items[8] and "sticker_ut=health" in items[8]

    href = items[8].split('href="')[1].split('"')[0].replace("&amp;", "&")
    full = _items(client.get(href).text, "health")
    assert [u for item in full for u in WORST_FIRST if f"Enhet {u}<" in item] == WORST_FIRST
    assert "(11,0\u00a0%)" in full[-1]


def test_a_count_of_people_is_a_whole_number(env: WebEnv) -> None:
    html = env.client("hr").get("/figures/9999/prioriterat", params={"ar": "2025"}).text
    (item,) = _items(html, "managers")
    assert "Enhet M" in item and "(31\u00a0medarbetare)" in item
    assert "31,0" not in item
    data = env.client("hr").get("/api/figures/9999/prioriterat", params={"ar": "2025"}).json()
    table = next(t for t in data["tabeller"] if t["id"] == "standouts_managers")
    assert [r["values"]["Medarbetare per chef"] for r in table["rows"]] == [31]
