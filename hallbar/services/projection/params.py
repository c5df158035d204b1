"""The projection form: parse the page's fields (or a saved scenario) into a request.

Pages, their JSON twins and saved scenarios all go through ``parse_form``, so a
bad value gets the same Swedish message everywhere. Field names are Swedish
ASCII (they show in the address bar): ``horisont``, ``andra_losningar`` …
Percentages are entered as percent (30 = 30 %) and stored in the scenario as
fractions, except the employment rate and percentage points, which the engine
takes in percent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from hallbar.projection import Levers, Scenario, TaskShift
from hallbar.projection.errors import ProjectionInputError
from hallbar.settings import Settings

FormValues = Mapping[str, Sequence[str]]  # every field as a list (repeatable fields)

MAX_TASK_SHIFTS = 3
MAX_GRADUATE_ROWS = 4
OCCUPATION_KEYS = ("ssyk", "aid")

# Field -> Swedish label used in messages.
LABELS = {
    "horisont": "Horisont (år)",
    "tillvaxt": "Årlig tillväxt (%)",
    "omsattning": "Personalomsättning (% per år)",
    "po": "Personalomkostnadspålägg (%)",
    "andra_losningar": "Andel som täcks av andra lösningar (%)",
    "deltid_mal": "Deltidare går upp till (%)",
    "deltid_timmar": "Deltidare går upp (timmar i veckan)",
    "deltid_andel": "Andel deltidare som går upp (%)",
    "pension_senare": "Senare pension (år)",
    "sjuk_pp": "Lägre sjukfrånvaro (procentenheter)",
    "omsattning_minskning": "Lägre personalomsättning (%)",
    "produktivitet": "Produktivitet (% per år)",
    "vaxling_aa": "Uppgiftsväxling (årsarbetare)",
    "examinerade_antal": "Examinerade per år",
    "korningar": "Antal slumpkörningar",
    "fro": "Slumpfrö",
}


@dataclass(frozen=True)
class ProjectionRequest:
    """Everything one projection run needs besides the organisation's data."""

    scenario: Scenario
    occupation_key: str = "ssyk"
    unit_id: str | None = None

    def to_params(self) -> dict[str, Any]:
        """The JSON stored with a saved scenario."""
        return {
            "occupation_key": self.occupation_key,
            "unit_id": self.unit_id,
            "scenario": self.scenario.to_dict(),
        }

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> ProjectionRequest:
        key = str(params.get("occupation_key") or "ssyk")
        if key not in OCCUPATION_KEYS:
            raise ProjectionInputError(f"Okänd yrkesindelning '{key}'. Välj ssyk eller aid.")
        unit = params.get("unit_id")
        return cls(
            scenario=Scenario.from_dict(dict(params.get("scenario") or {})),
            occupation_key=key,
            unit_id=str(unit) if unit else None,
        )

    def params_json(self) -> str:
        return json.dumps(self.to_params(), ensure_ascii=False, sort_keys=True)

    def form_values(self) -> dict[str, list[str]]:
        """The page's fields for this request (the inverse of ``parse_form``)."""
        s, lev = self.scenario, self.scenario.levers
        out: dict[str, list[str]] = {
            "horisont": [str(s.horizon)],
            "yrkesindelning": [self.occupation_key],
            "enhet": [self.unit_id or ""],
            "pensionsmodell": [s.retirement_mode],
            "efterfragan": [s.demand_mode],
            "tillvaxt": [_fmt(s.growth_rate * 100)],
            "omsattning": [_fmt(None if s.turnover_rate is None else s.turnover_rate * 100)],
            "po": [_fmt(s.payroll_overhead * 100)],
            "andra_losningar": [_fmt(lev.other_solutions_share * 100)],
            "deltid_mal": [_fmt(lev.part_time_target_rate)],
            "deltid_timmar": [_fmt(lev.part_time_extra_hours)],
            "deltid_andel": [_fmt(lev.part_time_participation * 100)],
            "pension_senare": [str(lev.retirement_delay_years)],
            "sjuk_pp": [_fmt(lev.sick_leave_reduction_pp)],
            "omsattning_minskning": [_fmt(lev.turnover_reduction * 100)],
            "produktivitet": [_fmt(lev.productivity_gain * 100)],
            "vaxling_fran": [t.from_occupation for t in lev.task_shifts],
            "vaxling_till": [t.to_occupation for t in lev.task_shifts],
            "vaxling_aa": [_fmt(t.fte) for t in lev.task_shifts],
            "examinerade_yrke": [o for o, _ in lev.graduates_per_year],
            "examinerade_antal": [_fmt(n) for _, n in lev.graduates_per_year],
            "korningar": [str(s.runs)],
            "fro": [str(s.seed)],
        }
        if s.new_positions_full_time:
            out["heltid_nya"] = ["1"]
        return out

    def query(self) -> str:
        """The URL query string that reproduces this request on the page."""
        pairs = [(k, v) for k, values in self.form_values().items() for v in values]
        return urlencode(pairs)


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    rounded = round(float(value), 6)
    # Swedish decimal comma, as the user types it (parse_form accepts both).
    return str(int(rounded)) if rounded == int(rounded) else str(rounded).replace(".", ",")


def _first(values: FormValues, name: str) -> str:
    got = values.get(name) or []
    return got[0].strip() if got else ""


def _number(text: str, name: str) -> float:
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    cleaned = cleaned.replace("−", "-").rstrip("%")
    try:
        value = float(cleaned)
    except ValueError:
        raise ProjectionInputError(
            f"Fältet ”{LABELS.get(name, name)}” ska vara ett tal, t.ex. 30 eller 2,5 (fick ”{text}”)."
        ) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ProjectionInputError(f"Fältet ”{LABELS.get(name, name)}” ska vara ett ändligt tal.")
    return value


def _opt_number(values: FormValues, name: str) -> float | None:
    text = _first(values, name)
    return None if text == "" else _number(text, name)


def _num(values: FormValues, name: str, default: float) -> float:
    got = _opt_number(values, name)
    return default if got is None else got


def _share(values: FormValues, name: str, default_percent: float) -> float:
    """A percent field as a fraction, rounded so 40.15 % is exactly 0.4015."""
    return round(_num(values, name, default_percent) / 100, 10)


def _opt_share(values: FormValues, name: str) -> float | None:
    """An optional percent field as a fraction; empty = not set."""
    got = _opt_number(values, name)
    return None if got is None else round(got / 100, 10)


def _int(values: FormValues, name: str, default: int) -> int:
    value = _num(values, name, default)
    if value != int(value):
        raise ProjectionInputError(f"Fältet ”{LABELS.get(name, name)}” ska vara ett heltal.")
    return int(value)


def _choice(values: FormValues, name: str, allowed: Sequence[str], default: str) -> str:
    got = _first(values, name) or default
    if got not in allowed:
        raise ProjectionInputError(
            f"Ogiltigt val ”{got}” i fältet {name}. Välj ett av: {', '.join(allowed)}."
        )
    return got


def _pairs(values: FormValues, left: str, right: str, limit: int) -> list[tuple[str, float]]:
    names = list(values.get(left) or [])
    amounts = list(values.get(right) or [])
    out: list[tuple[str, float]] = []
    for i, name in enumerate(names[:limit]):
        text = amounts[i].strip() if i < len(amounts) else ""
        if not name.strip() or text == "":
            continue
        out.append((name.strip(), _number(text, right)))
    return out


def default_request(settings: Settings) -> ProjectionRequest:
    return parse_form({}, settings)


def parse_form(values: FormValues, settings: Settings) -> ProjectionRequest:
    """A request from the page's fields; empty fields take their defaults."""
    shifts: list[TaskShift] = []
    froms = list(values.get("vaxling_fran") or [])
    for i, (to, fte) in enumerate(_pairs(values, "vaxling_till", "vaxling_aa", MAX_TASK_SHIFTS)):
        source = froms[i].strip() if i < len(froms) else ""
        if source:
            shifts.append(TaskShift(source, to, fte))
    grads = tuple(_pairs(values, "examinerade_yrke", "examinerade_antal", MAX_GRADUATE_ROWS))
    levers = Levers(
        retirement_delay_years=_int(values, "pension_senare", 0),
        turnover_reduction=_share(values, "omsattning_minskning", 0.0),
        part_time_target_rate=_opt_number(values, "deltid_mal"),
        part_time_extra_hours=_opt_number(values, "deltid_timmar"),
        part_time_participation=_share(values, "deltid_andel", 100.0),
        sick_leave_reduction_pp=_num(values, "sjuk_pp", 0.0),
        productivity_gain=_share(values, "produktivitet", 0.0),
        task_shifts=tuple(shifts),
        other_solutions_share=_share(values, "andra_losningar", 0.0),
        graduates_per_year=grads,
    )
    demand = _choice(values, "efterfragan", ("unchanged", "growth", "population"), "unchanged")
    scenario = Scenario(
        horizon=_int(values, "horisont", 10),
        retirement_mode=_choice(values, "pensionsmodell", ("target", "las", "observed"), "target"),
        target_pension_age=settings.target_pension_age,
        las_age=settings.las_age,
        demand_mode=demand,
        # The growth rate only drives demand in growth mode; elsewhere the page disables the
        # field, and a value sent anyway is dropped so the saved scenario does not carry it.
        growth_rate=_share(values, "tillvaxt", 0.0) if demand == "growth" else 0.0,
        turnover_rate=_opt_share(values, "omsattning"),
        payroll_overhead=_share(values, "po", settings.payroll_overhead * 100),
        new_positions_full_time=_first(values, "heltid_nya") in ("1", "on", "true", "ja"),
        runs=_int(values, "korningar", 1000),
        seed=_int(values, "fro", 2026),
        levers=levers,
    )
    scenario.validate()
    if scenario.runs > 5000:
        raise ProjectionInputError(
            "Ange högst 5 000 slumpkörningar på webbsidan (fler går att köra från kommandoraden)."
        )
    unit = _first(values, "enhet") or None
    key = _choice(values, "yrkesindelning", OCCUPATION_KEYS, "ssyk")
    return ProjectionRequest(scenario=scenario, occupation_key=key, unit_id=unit)
