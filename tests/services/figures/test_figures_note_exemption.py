"""An exempt employer's note (ten or fewer employees on average over two years) shows
the exemption's text instead of a table, in the view, its table and its JSON."""

from __future__ import annotations

from hallbar.indicators.sick_leave_note import NoteExemption, NoteRow, SickLeaveNote
from hallbar.services.figures.overview import protect_note


def _note(exemption: NoteExemption | None) -> SickLeaveNote:
    # 22 persons this year, 11 women and 11 men, 11 aged 30–49 and 11 aged 50 or more:
    # on its own every group (11 ≥ 11) would be shown.
    sizes = {"total": 22, "long_term_share": 22, "women": 11, "men": 11}
    sizes |= {"age_29": 0, "age_30_49": 11, "age_50": 11}
    rows = tuple(
        NoteRow(key, key, "N00090", n, 0.0, 100.0 * n, 0.0 if n else None, False)
        for key, n in sizes.items()
    )
    return SickLeaveNote("9999", 2025, rows, exemption)


def test_exempt_employer_shows_the_reason_and_no_values() -> None:
    # 9 persons in 2024 and 11 in 2025: (9 + 11) / 2 = 10, ten or fewer -> exempt.
    exemption = NoteExemption(10.0, ((2024, 9), (2025, 11)))
    year = protect_note(_note(exemption), 11)
    assert year.exempt and year.exemption_sv == exemption.text_sv
    assert all(ln.value is None and ln.n is None and ln.suppressed for ln in year.lines)


def test_reporting_employer_keeps_its_table() -> None:
    year = protect_note(_note(None), 11)
    assert not year.exempt
    assert year.lines[0].value == 0.0 and year.lines[0].n == 22
    assert year.exemption_sv is None
