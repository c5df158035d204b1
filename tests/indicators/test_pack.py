"""The whole pack, shared caching, and the registered sick-leave figures vs the note."""

from datetime import date

import pytest
from indicator_factory import combine, data, population, sick

from hallbar.indicators import Params, compute, compute_pack, registry, sick_leave_note

P = Params(year=2025)


def org():
    parts = combine(
        population(10, prefix="w", gender="K", birth_year=1996),
        population(12, prefix="m", gender="M", birth_year=1970),
    )
    absences = [
        sick("w0", date(2025, 3, 1), date(2025, 4, 29), hours=120.0, eid="e_w0"),  # 60 days
        sick("m0", date(2025, 5, 1), date(2025, 5, 5), hours=40.0, eid="e_m0"),
    ]
    return data(absences=absences, **parts)


def test_registered_sick_leave_figures_agree_with_the_note():
    d = org()
    note = sick_leave_note(d, P)
    pairs = {
        "sick_leave_total": "total",
        "sick_leave_long_term_share": "long_term_share",
        "sick_leave_women": "women",
        "sick_leave_men": "men",
        "sick_leave_age_29": "age_29",
        "sick_leave_age_50": "age_50",
    }
    for fid, key in pairs.items():
        res = compute(fid, d, P)
        row = res.frame.row(0, named=True)
        note_row = note.row(key)
        assert row["n"] == note_row.n, fid
        assert row["numerator"] == pytest.approx(note_row.numerator), fid
        assert row["suppressed"] is note_row.suppressed, fid
    # women: 10 persons -> suppressed in the figure table as in the note
    table = compute("sick_leave_women", d, P).to_table()
    assert table.frame["value"][0] is None
    assert any("färre än 11" in n for n in table.notes_sv)
    # men: 12 persons, 40 h of 12 × 1 920 h
    assert compute("sick_leave_men", d, P).frame["value"][0] == pytest.approx(
        100 * 40 / (12 * 1920)
    )


def test_pack_equals_figures_computed_one_by_one_and_lists_what_is_missing():
    d = org()
    pack = compute_pack(d, P)
    for fid in ("headcount", "sick_leave_total", "fulltime_employed", "frisknarvaro"):
        assert pack.results[fid].frame.equals(compute(fid, d, P).frame), fid
    # no overtime column, no agency staff, no managers in the unit file
    assert "delade turer" in pack.missing["split_shifts_per_fte"]
    assert "inhyrd personal" in pack.missing["agency_staff"]
    assert "chef" in pack.missing["span_of_control"]
    assert len(pack.notes) == 1 and pack.notes[0].row("total").n == 22
    # Lists of persons are not aggregates: their own audited page computes them.
    individual = {f.id for f in registry.all() if f.individual}
    assert individual == {"rehab_day30", "repeated_short_absence"}
    assert not individual & (set(pack.results) | set(pack.missing))
