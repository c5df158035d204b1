"""The registry: every figure registered once, described, documented and computable."""

from pathlib import Path

import pytest

from hallbar.core.errors import NotFound
from hallbar.indicators import Params, registry

DOC = Path(__file__).resolve().parents[2] / "docs" / "key-figures.md"


def test_every_registered_figure_is_in_the_documentation():
    text = DOC.read_text(encoding="utf-8")
    missing = [f.id for f in registry.all() if f"`{f.id}`" not in text]
    assert missing == []


def test_every_figure_has_a_swedish_description_and_a_source():
    for f in registry.all():
        d = f.description
        assert d.name_sv and d.definition_sv and d.population_sv and d.unit and d.source, f.id
        assert f.formula, f.id


def test_sick_leave_figures_need_more_than_ten_persons():
    for fid in (
        "sick_leave_total",
        "sick_leave_long_term_share",
        "sick_leave_women",
        "sick_leave_age_50",
    ):
        assert registry.get(fid).description.min_group_size == 11


def test_kolada_ids_are_cited():
    assert "N00206" in registry.get("fulltime_employed").description.source
    assert "N00209" in registry.get("fulltime_working").description.source
    assert "N00951" in registry.get("median_pay_gap_women_men").description.source
    assert "N00951" not in registry.get("pay_ratio_women_men").description.source


def test_unknown_figure_is_a_swedish_not_found():
    with pytest.raises(NotFound, match="finns inte"):
        registry.get("no_such_figure")


def test_params_from_settings_reads_local_rules():
    class FakeSettings:
        repeated_short_absence_spells = 4
        frisknarvaro_max_days = 0
        payroll_overhead = 0.3

    p = Params.from_settings(FakeSettings(), 2025)
    assert (p.repeated_short_absence_spells, p.frisknarvaro_max_days, p.payroll_overhead) == (
        4,
        0,
        0.3,
    )
    assert p.snapshot.isoformat() == "2025-11-01"
