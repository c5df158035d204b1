"""Budget sums and forecasts against seed 003 and hand arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from hallbar.followup.budget import forecast, parse_amount_kr, plan_total, roll_up_budget
from hallbar.followup.model import Node, NodeKind
from hallbar.reports.formatting import format_msek

# Seed 003 (personnel committee 2025), Bilaga 1 "Nämndens internbudget sammandrag":
# Säkra en hållbar och långsiktig kompetensförsörjning 40,6; Attraktiv arbetsplats 3,2;
# Stöd medarbetarutveckling 168; Använd kompetensen rätt 5,4; Totalt 217,2 (mnkr).
GOAL = Node(1, None, NodeKind.GOAL, "Attraktiv arbetsgivare, professionell verksamhet")
SUBS = [
    Node(2, 1, NodeKind.SUB_GOAL, "Säkra en hållbar och långsiktig kompetensförsörjning"),
    Node(3, 1, NodeKind.SUB_GOAL, "Attraktiv arbetsplats"),
    Node(4, 1, NodeKind.SUB_GOAL, "Stöd medarbetarutveckling"),
    Node(5, 1, NodeKind.SUB_GOAL, "Använd kompetensen rätt"),
]
ALLOC = {2: 40_600_000, 3: 3_200_000, 4: 168_000_000, 5: 5_400_000}


def test_seed003_adds_up() -> None:
    lines = roll_up_budget([GOAL, *SUBS], 2025, {**ALLOC, 1: 217_200_000})
    # 40,6 + 3,2 + 168 + 5,4 = 217,2 MSEK
    assert lines[1].children_kr == 217_200_000
    assert lines[1].mismatch_kr is None
    assert format_msek(lines[1].total_kr) == "217,2"
    assert format_msek(lines[4].total_kr) == "168"
    assert plan_total(lines, [GOAL, *SUBS]) == 217_200_000


def test_seed003_flags_a_budget_that_does_not_add_up() -> None:
    # The committee's grant without the summer jobs (seed 003: "Totalt uppgår nämndens
    # regionbidrag till 212,2 miljoner kronor") against the sub-goals' 217,2:
    # 212,2 − 217,2 = −5,0 MSEK.
    lines = roll_up_budget([GOAL, *SUBS], 2025, {**ALLOC, 1: 212_200_000})
    assert lines[1].mismatch_kr == -5_000_000
    assert lines[1].total_kr == 212_200_000  # the own allocation stands; the flag says why


def test_parent_without_own_allocation_takes_the_sum() -> None:
    lines = roll_up_budget([GOAL, *SUBS], 2025, {2: 40_600_000, 3: 3_200_000})
    # 40,6 + 3,2 = 43,8; sub-goals without budget count as nothing, not zero
    assert lines[1].total_kr == 43_800_000
    assert lines[4].total_kr is None


def test_outcome_forecast_and_deviation() -> None:
    # 30 April 2025 is day 120 of 365. Outcome 4 000 000 kr on sub-goal 3:
    # forecast 4 000 000 × 365 / 120 = 12 166 666,67 -> 12 166 667 kr.
    assert forecast(4_000_000, 2025, date(2025, 4, 30)) == 12_166_667
    assert forecast(4_000_000, 2025, date(2025, 12, 31)) == 4_000_000
    lines = roll_up_budget(
        [GOAL, *SUBS],
        2025,
        ALLOC,
        outcomes={3: 1_000_000, 5: 2_000_000},
        forecasts={5: 5_000_000},
        to_date=date(2025, 4, 30),
    )
    # sub-goal 3: 1 000 000 × 365 / 120 = 3 041 666,67 -> 3 041 667; deviation 3 200 000 − 3 041 667
    assert lines[3].forecast_kr == 3_041_667
    assert lines[3].deviation_kr == 158_333
    # sub-goal 5 has an entered forecast: 5 400 000 − 5 000 000 = 400 000
    assert lines[5].deviation_kr == 400_000
    # the goal: outcome 1 000 000 + 2 000 000; forecast 3 041 667 + 5 000 000
    assert lines[1].outcome_kr == 3_000_000
    assert lines[1].forecast_kr == 8_041_667
    assert lines[1].deviation_kr == 217_200_000 - 8_041_667


def test_amounts() -> None:
    assert parse_amount_kr("40,6", in_msek=True) == 40_600_000
    assert parse_amount_kr("1 250 000") == 1_250_000
    with pytest.raises(ValueError):
        parse_amount_kr("mycket")
    assert format_msek(None) == "–"


def test_amounts_pasted_from_the_pages() -> None:
    # The pages write negatives with U+2212 and thousands with (narrow) no-break spaces.
    assert parse_amount_kr("\u22123,2", in_msek=True) == -3_200_000
    assert parse_amount_kr("\u2212125\u00a0000") == -125_000
    assert parse_amount_kr("1\u202f250\u202f000") == 1_250_000


@pytest.mark.parametrize("text", ["inf", "-inf", "nan", "1e999", "1_000", "", "3,2,1", "--5"])
def test_amounts_that_are_not_amounts(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount_kr(text)
