from __future__ import annotations

import polars as pl
import pytest

from hallbar.paysurvey.evaluation import (
    CRITERIA,
    EvaluationModel,
    JobEvaluation,
    SubFactor,
)
from hallbar.paysurvey.notices import EvaluationInvalid


def _small_model(weights: tuple[float, float, float, float] = (40, 30, 20, 10)) -> EvaluationModel:
    return EvaluationModel(
        "Testmodell",
        tuple(
            SubFactor(f"s{i}", crit, f"Delfaktor {i}", w, 5)
            for i, (crit, w) in enumerate(zip(CRITERIA, weights, strict=True))
        ),
    )


def test_default_model_covers_the_four_criteria_and_weights_sum_to_100() -> None:
    model = EvaluationModel.default().validate()
    weights = model.criterion_weights()
    assert set(weights) == set(CRITERIA)
    assert all(w > 0 for w in weights.values())
    assert sum(weights.values()) == pytest.approx(100.0)
    assert len(model.subfactors) >= 8


def test_job_value_is_weighted_normalised_sum() -> None:
    model = _small_model()
    ev = JobEvaluation(model, {"Sjuksköterska": {"s0": 5, "s1": 3, "s2": 2, "s3": 1}})
    # 1000 × (0.40 × 4/4 + 0.30 × 2/4 + 0.20 × 1/4 + 0.10 × 0/4) = 1000 × 0.60 = 600
    values = ev.job_values()
    assert values["value"][0] == pytest.approx(600.0)
    # Ten equal-width bands: 600 is on the 600 breakpoint and goes to band 7 (600–700).
    assert values["band"][0] == 7
    assert values["band_label"][0] == "Nivå 7 (600–700)"


def test_user_breakpoints() -> None:
    model = _small_model()
    scores = {
        "A": {"s0": 1, "s1": 1, "s2": 1, "s3": 1},  # 0
        "B": {"s0": 3, "s1": 1, "s2": 1, "s3": 1},  # 1000 × 0.40 × 2/4 = 200
        "C": {"s0": 5, "s1": 5, "s2": 5, "s3": 5},  # 1000
    }
    values = JobEvaluation(model, scores, breakpoints=(150.0, 500.0)).job_values()
    assert values["band"].to_list() == [1, 2, 3]
    assert values["value"].to_list() == pytest.approx([0.0, 200.0, 1000.0])


def test_validation_messages_in_swedish() -> None:
    bad_weights = _small_model((40, 30, 20, 5))
    with pytest.raises(EvaluationInvalid, match="summerar till 95 %, men ska summera till 100 %"):
        bad_weights.validate()
    model = _small_model()
    ev = JobEvaluation(model, {"Lärare": {"s0": 6, "s1": 3, "s2": 2}})
    messages = [p.message for p in ev.problems()]
    assert any("nivå 6" in m and "1–5" in m for m in messages)
    assert any("saknar nivå för delfaktorn 'Delfaktor 3'" in m for m in messages)
    with pytest.raises(EvaluationInvalid, match="Arbetsvärderingen kan inte användas"):
        ev.job_values()


def test_a_missing_criterion_is_rejected() -> None:
    model = EvaluationModel(
        "Utan arbetsförhållanden",
        (
            SubFactor("a", "kunskaper_och_fardigheter", "A", 50, 5),
            SubFactor("b", "ansvar", "B", 30, 5),
            SubFactor("c", "anstrangning", "C", 20, 5),
        ),
    )
    with pytest.raises(EvaluationInvalid, match="Arbetsförhållanden"):
        model.validate()


def test_frame_round_trip_and_row_numbers() -> None:
    model = EvaluationModel.default()
    scores = {"Undersköterska": {s.id: 3 for s in model.subfactors}}
    ev = JobEvaluation(model, scores)
    again = JobEvaluation.from_frame(model, ev.to_frame())
    assert again.scores == scores
    assert EvaluationModel.from_frame(model.to_frame(), model.name_sv) == model

    frame = ev.to_frame().with_columns(pl.lit(None, dtype=pl.Int64).alias("kunskap"))
    problems = JobEvaluation.from_frame(model, frame).problems()
    assert problems[0].row == 2 and problems[0].column == "kunskap"

    text = pl.DataFrame({"befattning": ["X"], "kunskap": ["tre"]})
    with pytest.raises(EvaluationInvalid, match="inte ett heltal"):
        JobEvaluation.from_frame(model, text)
