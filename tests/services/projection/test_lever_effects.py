"""The projection's JSON twin gives each lever's effect per occupation (values by hand).

Facts (projdata, see test_projection_service): nobody ever left (turnover 0); in 2026 two
assistant nurses (5321) and one teacher (2341) reach the target age 67."""

from __future__ import annotations

import pytest
from webtesting import WebEnv


def test_each_lever_effect_per_occupation_in_the_json_twin(shared_env: WebEnv) -> None:
    client = shared_env.client("hr")
    doc = client.get("/api/projection/9999?horisont=1&pension_senare=1").json()
    rows = [r["values"] for r in doc["atgarder_per_yrke"]["rows"]]
    need = {(r["Åtgärd"], r["Yrke"]): r["Förändring av rekryteringsbehovet"] for r in rows}
    # No levers: the three who reach 67 are replaced (2 + 1).
    assert need["Grundbehov utan åtgärder", "5321 Undersköterska"] == pytest.approx(2.0)
    assert need["Grundbehov utan åtgärder", "2341 Grundskollärare"] == pytest.approx(1.0)
    # One year later pension: they stay to 68, past the one-year horizon: −2 and −1.
    assert need["Senare pensionering", "5321 Undersköterska"] == pytest.approx(-2.0)
    assert need["Senare pensionering", "2341 Grundskollärare"] == pytest.approx(-1.0)
    # The steps per occupation add up to the lever's total in ``atgarder``.
    totals = {
        r["values"]["Åtgärd"]: r["values"]["Förändring av rekryteringsbehovet"]
        for r in doc["atgarder"]["rows"]
    }
    assert totals["Senare pensionering"] == pytest.approx(-3.0)
    # Only groups the occupation table shows appear (small groups stay hidden).
    shown = {r["values"]["Yrke"] for r in doc["per_yrke"]["rows"] if not r["suppressed"]} - {
        "Alla yrken"
    }
    assert {occ for _, occ in need} <= shown
