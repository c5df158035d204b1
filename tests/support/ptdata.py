"""A small hand-made organisation for the pay-transparency workflows (pay chosen for hand
arithmetic). Testkommun (9999), as of 2026-09-30, everyone full time:

    Undersköterska  women 30 000, 31 000, 32 000, 33 000, 34 000 (p005: 33 000 until 2026-03-31)
                    men   33 000, 34 000, 35 000, 36 000, 37 000
                    recent starters (first day 2025-01-01): p001–p003 and p006–p007
    Kock            women 28 000, 29 000; man 30 000
    Lärare          women 40 000, 42 000; men 41 000 × 6
    Ingenjör        men 45 000 × 5 (never evaluated)
    Vikarie         hourly-paid women p027, p028 (first day 2026-01-01, never evaluated):
                    September 2026 paid 27 000 and 28 000 kr for 100 worked hours each
                    (270 and 280 kr an hour); in the Art. 9 report, not in the pay survey

p005 was on parental leave 2025-10-01 – 2026-03-31 (182 days) and came back to 34 000.
Job evaluation (pay survey 2026): Undersköterska and Kock level 3 everywhere (one band),
Lärare level 5 everywhere (a band of its own), Ingenjör not evaluated.
"""

from __future__ import annotations

from datetime import date

from handmade import employment, hrdata, person
from webtesting import USERS

from hallbar.core.access import Role
from hallbar.core.dataset import HRData

AS_OF = date(2026, 9, 30)
UNITS = [("TOP", None, "Kommunledning"), ("A", "TOP", "Omsorg"), ("B", "TOP", "Skola")]
STARTERS = {1, 2, 3, 6, 7}
# (unit, title, gender, pay)
STAFF: list[tuple[str, str, str, float]] = (
    [("A", "Undersköterska", "K", 30000.0 + 1000 * i) for i in range(5)]
    + [("A", "Undersköterska", "M", 33000.0 + 1000 * i) for i in range(5)]
    + [("A", "Kock", "K", 28000.0), ("A", "Kock", "K", 29000.0), ("A", "Kock", "M", 30000.0)]
    + [("B", "Lärare", "K", 40000.0), ("B", "Lärare", "K", 42000.0)]
    + [("B", "Lärare", "M", 41000.0) for _ in range(6)]
    + [("B", "Ingenjör", "M", 45000.0) for _ in range(5)]
)
LEAVE_PERSON = "9999-p005"
# (title, gender, pay in September 2026, hours worked in September 2026), after STAFF
HOURLY: list[tuple[str, str, float, float]] = [
    ("Vikarie", "K", 27000.0, 100.0),
    ("Vikarie", "K", 28000.0, 100.0),
]
# The standard web-test users plus a representative (facklig företrädare) of 9999.
PT_USERS = {**USERS, "facklig": (Role.UNION, ("9999",), ())}


def build(org_id: str = "9999", name: str = "Testkommun") -> HRData:
    persons, employments, absences = [], [], []
    for n, (unit, title, gender, pay) in enumerate(STAFF, start=1):
        pid = f"{org_id}-p{n:03d}"
        persons.append(person(pid, date(1980 + n % 20, 6, 15), gender))
        start = date(2025, 1, 1) if n in STARTERS else date(2015, 1, 1)
        if pid == f"{org_id}-p005":
            employments.append(
                employment(
                    f"E{n:03d}a",
                    pid,
                    unit,
                    title=title,
                    monthly_pay=33000.0,
                    start_date=start,
                    end_date=date(2026, 3, 31),
                )
            )
            start = date(2026, 4, 1)
            absences.append(
                {
                    "person_id": pid,
                    "employment_id": f"E{n:03d}a",
                    "cause": "föräldraledig",
                    "from_date": date(2025, 10, 1),
                    "to_date": date(2026, 3, 31),
                    "extent": 100.0,
                }
            )
        employments.append(
            employment(f"E{n:03d}", pid, unit, title=title, monthly_pay=pay, start_date=start)
        )
    pay, hours = [], []
    for n, (title, gender, paid, worked) in enumerate(HOURLY, start=len(STAFF) + 1):
        pid, eid = f"{org_id}-p{n:03d}", f"E{n:03d}"
        persons.append(person(pid, date(1995, 6, 15), gender))
        hourly = employment(
            eid, pid, "A", title=title, monthly_pay=0.0, start_date=date(2026, 1, 1)
        )
        employments.append({**hourly, "employment_form": "timavlönad", "rate": 0.0,
                            "monthly_pay": None})  # fmt: skip
        september = date(2026, 9, 1)
        pay.append({"employment_id": eid, "month": september, "kind": "fast", "amount": paid})
        # hourly-paid staff have no schedule: their worked hours are additional hours
        hours.append({"employment_id": eid, "month": september, "scheduled_hours": 0.0,
                      "additional_hours": worked})  # fmt: skip
    return hrdata(
        AS_OF, org_id, name, units=UNITS, persons=persons, employments=employments,
        absences=absences, pay_components=pay, working_time=hours,
    )  # fmt: skip
