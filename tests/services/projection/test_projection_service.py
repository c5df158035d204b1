"""Service level: the projection on the hand-made organisation (projdata), values by hand.

Facts used below (projdata): 24 monthly-paid staff, all at 100 %, nobody ever left
(turnover rate 0). 5321 Undersköterska: 10 staff at 30 000 kr, ages 66, 66, 65 …;
2341 Grundskollärare: 6 staff, one aged 66; 2343 Förskollärare: 5 staff (oldest 55);
4119 Administratör: 3 staff (oldest 50), in Skola. Payroll overhead 40,15 %.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl
import projdata
import pytest
from webtesting import ANALYST, HR, MANAGER, WebEnv

from hallbar.core.errors import HallbarError, NotFound
from hallbar.indicators.views import AGE_BANDS
from hallbar.privacy.suppression import SUPPRESSED_COL
from hallbar.projection.errors import ProjectionInputError
from hallbar.services import disclosure
from hallbar.services.context import Hallbar
from hallbar.services.projection import views
from hallbar.services.projection.figures import ALL_LABEL, OCC, other_label
from hallbar.services.projection.params import parse_form
from hallbar.settings import Settings

USK = "5321 Undersköterska"


def _req(env: WebEnv, **fields: str) -> views.ProjectionRequest:
    return parse_form({k: [v] for k, v in fields.items()}, env.hb.settings)


def _row(view: views.ProjectionView, group: str) -> dict[str, object]:
    return view.occupations.frame.filter(pl.col(OCC) == group).row(0, named=True)


def test_retirements_at_the_target_age(shared_env: WebEnv) -> None:
    view = views.projection_view(shared_env.hb, HR, "9999", _req(shared_env, horisont="3"))
    usk = _row(view, USK)
    # aged 66 → 67 in 2026 (2 persons), aged 65 → 67 in 2027 (1 person): 3 retirements
    assert usk["projection_staff_start"] == 10
    assert usk["projection_retirements"] == pytest.approx(3.0)
    assert usk["projection_turnover"] == pytest.approx(0.0)
    assert usk["projection_demand_change"] == pytest.approx(0.0)
    # unchanged demand: every leaver is replaced, 3 persons = 3 FTE (all at 100 %)
    assert usk["projection_need"] == pytest.approx(3.0)
    assert usk["projection_need_fte"] == pytest.approx(3.0)
    assert usk["projection_cost_increase"] == pytest.approx(0.0)
    total = _row(view, ALL_LABEL)
    # 10 + 6 + 5 + 3 staff; retirements 3 (5321) + 1 (2341, aged 66)
    assert total["projection_staff_start"] == 24
    assert total["projection_retirements"] == pytest.approx(4.0)
    assert total["projection_need"] == pytest.approx(4.0)
    yearly = view.yearly.frame.sort("År")
    # 2026: 2 (5321) + 1 (2341); 2027: 1 (5321); 2028: nobody reaches 67
    assert yearly["projection_retirements"].to_list() == pytest.approx([3.0, 1.0, 0.0])
    assert (view.base_year, view.last_year) == (2025, 2028)


def test_growth_cost_and_other_solutions(shared_env: WebEnv) -> None:
    req = _req(shared_env, horisont="3", efterfragan="growth", tillvaxt="10", andra_losningar="30")
    view = views.projection_view(shared_env.hb, HR, "9999", req)
    usk = _row(view, USK)
    # demand 10 × 1.1³ = 13.31 → +3.31; 30 % met otherwise → 3.31 × 0.7 = 2.317
    assert usk["projection_demand_change"] == pytest.approx(2.317)
    assert usk["projection_need"] == pytest.approx(2.317 + 3.0)
    # 2.317 FTE × 12 × 30 000 × 1.4015 = 2.317 × 504 540 = 1 169 019.18 kr
    assert usk["projection_cost_increase"] == pytest.approx(1_169_019.18)
    steps = dict(
        zip(
            view.waterfall.frame["Åtgärd"].to_list(),
            view.waterfall.frame["Förändring av rekryteringsbehovet"].to_list(),
            strict=True,
        )
    )
    # base: 24 × (1.1³ − 1) = 7.944 more staff + 4 retirements = 11.944;
    # other solutions: −0.3 × 7.944 = −2.3832
    assert steps["Grundbehov utan åtgärder"] == pytest.approx(11.944)
    assert steps["Andra lösningar (nya vägar)"] == pytest.approx(-2.3832)
    assert view.key_figures["projection_need"] == pytest.approx(11.944 - 2.3832)


def test_las_age_and_later_retirement(shared_env: WebEnv) -> None:
    las = views.projection_view(
        shared_env.hb, HR, "9999", _req(shared_env, horisont="3", pensionsmodell="las")
    )
    # LAS 69: the two aged 66 reach 69 in 2028; the one aged 65 only in 2029
    assert _row(las, USK)["projection_retirements"] == pytest.approx(2.0)
    later = views.projection_view(
        shared_env.hb, HR, "9999", _req(shared_env, horisont="2", pension_senare="1")
    )
    steps = dict(
        zip(
            later.waterfall.frame["Åtgärd"].to_list(),
            later.waterfall.frame["Förändring av rekryteringsbehovet"].to_list(),
            strict=True,
        )
    )
    # 2026–2027 at 67: 5321 2 + 1, 2341 1 → 4; at 68: 5321 2 (2027), 2341 1 (2027) → 3
    assert steps["Grundbehov utan åtgärder"] == pytest.approx(4.0)
    assert steps["Senare pensionering"] == pytest.approx(-1.0)


def test_small_groups_are_pooled_and_hidden(shared_env: WebEnv) -> None:
    view = views.projection_view(shared_env.hb, HR, "9999", _req(shared_env, horisont="3"))
    frame = view.occupations.frame
    groups = frame[OCC].to_list()
    # The occupation model hides the 3 administrators and, so that the total minus the
    # rows does not give them, the 5 förskollärare too (the cheapest partner in the line)
    assert "4119 Administratör" not in groups and "2343 Förskollärare" not in groups
    assert _row(view, USK)["projection_staff_start"] == 10
    assert _row(view, "2341 Grundskollärare")["projection_staff_start"] == 6
    # the pooled row is the shown total minus the shown rows: 24 − 10 − 6 = 8
    other = _row(view, other_label())
    assert other[SUPPRESSED_COL] is False and other["projection_staff_start"] == 8
    assert _row(view, ALL_LABEL)["projection_staff_start"] == 24
    # one pyramid (all occupations), in the key figures' age bands; ages in 2025: women
    # ≤29: 0 (shown), 30–49: 11, ≥50: 7; men ≤29: 1, 30–49: 4, ≥50: 1. The key figures'
    # model hides every non-zero cell but none is below 5 and shown.
    (pyramid,) = view.pyramids
    table = pyramid.table.frame
    assert table["Åldersgrupp"].to_list() == ["≤29", "30–49", "≥50"]
    assert table["Kvinnor 2025"].to_list()[0] == 0
    for col in table.columns[1:]:
        assert all(v is None or v == 0 or v >= 5 for v in table[col].to_list())
    # a projected cell is hidden where its start cell (or a younger one) is hidden
    assert table["Män 2028"].to_list() == [None, None, None]


def test_manager_sees_own_subtree_only(shared_env: WebEnv) -> None:
    view = views.projection_view(shared_env.hb, MANAGER, "9999", _req(shared_env, horisont="3"))
    assert view.scope_label == "Omsorg"
    assert view.key_figures["projection_staff_start"] == 10  # only 5321 in A1
    assert {u for u, _ in view.unit_choices} == {"A", "A1"}
    with pytest.raises(NotFound):
        views.projection_view(shared_env.hb, MANAGER, "9999", _req(shared_env, enhet="B"))
    analyst = views.projection_view(shared_env.hb, ANALYST, "9999", _req(shared_env, enhet="B"))
    assert analyst.key_figures["projection_staff_start"] == 14  # 6 + 5 + 3 in Skola


def test_uncertainty_with_certain_rates_equals_the_projection(shared_env: WebEnv) -> None:
    # turnover 0 and retirement at 67 with probability 1: every run is the same
    view = views.uncertainty_view(
        shared_env.hb, HR, "9999", _req(shared_env, horisont="3", korningar="50")
    )
    frame = view.total.frame
    assert frame["P10"].to_list() == pytest.approx([3.0, 1.0, 0.0])
    assert frame["P50 (median)"].to_list() == pytest.approx([3.0, 1.0, 0.0])
    assert frame["P90"].to_list() == pytest.approx([3.0, 1.0, 0.0])
    assert view.runs == 50


def test_bad_form_values_get_swedish_messages(shared_env: WebEnv) -> None:
    with pytest.raises(ProjectionInputError, match="ska vara ett tal"):
        _req(shared_env, andra_losningar="trettio")
    with pytest.raises(ProjectionInputError, match="horisonten"):
        _req(shared_env, horisont="40")
    with pytest.raises(ProjectionInputError, match="mellan 0 och 1"):
        _req(shared_env, andra_losningar="130")
    req = _req(
        shared_env, efterfragan="growth", tillvaxt="2,5", produktivitet="0,5", deltid_timmar="1"
    )
    assert req.scenario.growth_rate == pytest.approx(0.025)
    # Growth only drives demand in growth mode: sent with another mode it is dropped.
    assert _req(shared_env, tillvaxt="2,5").scenario.growth_rate == 0.0
    assert req.scenario.levers.productivity_gain == pytest.approx(0.005)
    # the form round-trips
    assert parse_form(req.form_values(), shared_env.hb.settings) == req


def test_population_needs_an_uploaded_forecast(shared_env: WebEnv) -> None:
    with pytest.raises(HallbarError, match="ingen befolkningsprognos"):
        views.projection_view(shared_env.hb, HR, "9999", _req(shared_env, efterfragan="population"))


def test_each_services_root_has_its_own_cache(shared_env: WebEnv, tmp_path: Path) -> None:
    """Two roots in one process with the same organisation id and import id (a test
    site next to another) must not share cached inputs or results."""
    first = views.projection_view(shared_env.hb, HR, "9999", _req(shared_env, horisont="3"))
    data = projdata.build()
    data = replace(data, employments=data.employments.filter(pl.col("ssyk") != "4119"))
    other = Hallbar(Settings(data_dir=tmp_path))
    try:
        other.store.save_import(data, created_by="test", profile="generic", files={}, row_counts={})
        second = views.projection_view(other, HR, "9999", _req(shared_env, horisont="3"))
    finally:
        other.close()
    assert first.key_figures["projection_staff_start"] == 24
    assert second.key_figures["projection_staff_start"] == 21  # without the 3 administrators


def test_the_start_is_the_key_figures_answer_for_every_unit(shared_env: WebEnv) -> None:
    """For every unit the analyst may choose, the projection's staff and its pyramid's
    start cells are the key figures' answers for that unit (shown and hidden alike), and
    a unit whose head count the key figures hide gets no projection."""
    hb = shared_env.hb
    data = hb.dataset("9999")
    model = disclosure.key_figure_model(
        hb, "9999", hb.store.active_import_id("9999"), data, data.as_of, 2025
    )
    for unit in (None, "TOP", "A", "A1", "B"):
        fields = {"horisont": "3", **({"enhet": unit} if unit else {})}
        view = views.projection_view(hb, ANALYST, "9999", _req(shared_env, **fields))
        assert view.key_figures["projection_staff_start"] == model.count(unit)
        (pyramid,) = view.pyramids
        frame = pyramid.table.frame
        for gender, column in (("K", "Kvinnor 2025"), ("M", "Män 2025")):
            expected = [model.count(unit, {"gender": gender, "age_band": b}) for b in AGE_BANDS]
            assert frame[column].to_list() == expected


def test_a_lever_on_a_hidden_occupation_says_what_one_on_an_absent_one_says(
    shared_env: WebEnv,
) -> None:
    # 4119 (3 administrators in Skola) is hidden; 5120 has no staff at all. The engine's
    # own error would tell them apart ("saknas i personalunderlaget" only for 5120), so
    # a lever may name only shown occupations, with one message for the rest; the
    # page's occupation lists and notices name only shown occupations as well.
    messages = []
    for code in ("4119", "5120"):
        fields = {"horisont": "3", "vaxling_fran": code, "vaxling_till": "5321", "vaxling_aa": "1"}
        with pytest.raises(ProjectionInputError) as err:
            views.projection_view(shared_env.hb, HR, "9999", _req(shared_env, **fields))
        messages.append(str(err.value).replace(code, "X"))
    assert messages[0] == messages[1] and "inte visas för urvalet" in messages[0]
    view = views.projection_view(shared_env.hb, HR, "9999", _req(shared_env, horisont="3"))
    assert {c for c, _ in view.occupation_choices} == {"5321", "2341"}
