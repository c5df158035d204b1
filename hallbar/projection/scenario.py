"""Scenarios: every assumption and lever of a projection, frozen and serialisable.

A scenario is saved as JSON by the service layer and compared side by side, so
it holds plain values only (no frames). ``to_dict``/``from_dict`` round-trip
exactly; ``from_dict`` rejects unknown keys and impossible values with a Swedish
message naming the setting.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from hallbar.projection.errors import ProjectionInputError

RETIREMENT_MODES = ("target", "las", "observed")
DEMAND_MODES = ("unchanged", "growth", "population")

# Lower bounds of the turnover age bands (age attained in the year).
DEFAULT_AGE_BANDS: tuple[int, ...] = (0, 30, 40, 50, 60)
DEFAULT_TURNOVER = 0.10  # the fallback when the data has no history


@dataclass(frozen=True)
class TaskShift:
    """Work moved from one occupation's need to another's, in FTE (e.g. service
    staff relieving assistant nurses): ``from_occupation`` needs ``fte`` fewer,
    ``to_occupation`` needs ``fte`` more."""

    from_occupation: str
    to_occupation: str
    fte: float


@dataclass(frozen=True)
class Levers:
    """Measures that lower the recruitment need; each is shown as its own step.

    All default to "no effect". Rates and shares are fractions (0.3 = 30 %),
    except ``part_time_target_rate`` (percent of full time, as in the HR data)
    and ``sick_leave_reduction_pp`` (percentage points of working time).
    """

    retirement_delay_years: int = 0
    turnover_reduction: float = 0.0  # relative: 0.2 = a fifth fewer leavers
    part_time_target_rate: float | None = None  # part-timers move up to this rate (%)
    part_time_extra_hours: float | None = None  # … or by this many hours a week
    part_time_participation: float = 1.0  # share of part-timers who do
    full_time_hours: float = 40.0
    sick_leave_reduction_pp: float = 0.0
    productivity_gain: float = 0.0  # yearly, SKR: 0.005
    task_shifts: tuple[TaskShift, ...] = ()
    other_solutions_share: float = 0.0  # share of the demand increase met otherwise
    graduates_per_year: tuple[tuple[str, float], ...] = ()  # supply from education


@dataclass(frozen=True)
class Scenario:
    """All assumptions of one projection run."""

    name: str = "Grundscenario"
    horizon: int = 10
    base_year: int | None = None  # year of the starting stock; None = given by the caller
    occupations: tuple[str, ...] = ()  # empty = every occupation in the stock
    by_unit: bool = False
    retirement_mode: str = "target"
    target_pension_age: int = 67
    las_age: int = 69
    demand_mode: str = "unchanged"
    growth_rate: float = 0.0
    served_ages: tuple[
        tuple[str, int, int | None], ...
    ] = ()  # occupation, from, to (None = and older)
    payroll_overhead: float = 0.4015
    new_positions_full_time: bool = False
    cost_per_recruitment: float = 0.0
    default_turnover: float = DEFAULT_TURNOVER  # used only when no history is given
    # An explicit assumption: one turnover rate for every occupation and age that replaces
    # the organisation's own history (None = use the history, or default_turnover without it).
    turnover_rate: float | None = None
    age_bands: tuple[int, ...] = DEFAULT_AGE_BANDS
    runs: int = 1000
    seed: int = 2026
    levers: Levers = field(default_factory=Levers)

    # --- serialisation --------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["served_ages"] = {o: [lo, hi] for o, lo, hi in self.served_ages}
        out["occupations"] = list(self.occupations)
        out["age_bands"] = list(self.age_bands)
        lev = out["levers"]
        lev["task_shifts"] = [asdict(s) for s in self.levers.task_shifts]
        lev["graduates_per_year"] = dict(self.levers.graduates_per_year)
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        data = dict(data)
        _reject_unknown(data, cls, "scenariot")
        lev_raw = dict(data.pop("levers", {}) or {})
        _reject_unknown(lev_raw, Levers, "scenariots åtgärder (levers)")
        shifts = []
        for i, s in enumerate(lev_raw.pop("task_shifts", []) or [], start=1):
            try:
                shifts.append(
                    TaskShift(str(s["from_occupation"]), str(s["to_occupation"]), float(s["fte"]))
                )
            except (KeyError, TypeError, ValueError) as err:
                raise ProjectionInputError(
                    f"Uppgiftsväxling nummer {i} i scenariot behöver from_occupation, "
                    "to_occupation och fte (årsarbetare)."
                ) from err
        grads = lev_raw.pop("graduates_per_year", {}) or {}
        levers = Levers(
            **lev_raw,
            task_shifts=tuple(shifts),
            graduates_per_year=tuple((str(k), float(v)) for k, v in dict(grads).items()),
        )
        served = data.pop("served_ages", {}) or {}
        if isinstance(served, dict):
            served_t = tuple(
                (str(o), int(v[0]), None if v[1] is None else int(v[1])) for o, v in served.items()
            )
        else:
            served_t = tuple(
                (str(o), int(lo), None if hi is None else int(hi)) for o, lo, hi in served
            )
        for key in ("occupations", "age_bands"):
            if key in data:
                data[key] = tuple(data[key])
        scenario = cls(**data, served_ages=served_t, levers=levers)
        scenario.validate()
        return scenario

    @classmethod
    def from_json(cls, text: str) -> Scenario:
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as err:
            raise ProjectionInputError(
                f"Scenariofilen är inte giltig JSON (rad {err.lineno}): {err.msg}."
            ) from err
        if not isinstance(raw, dict):
            raise ProjectionInputError("Scenariofilen ska innehålla ett JSON-objekt ({...}).")
        return cls.from_dict(raw)

    # --- validation -------------------------------------------------------------
    def validate(self) -> None:
        """Reject impossible or absurd settings; never clamp silently."""
        if not 1 <= self.horizon <= 30:
            _bad("horisonten", self.horizon, "ett heltal mellan 1 och 30 år")
        if self.retirement_mode not in RETIREMENT_MODES:
            _bad("pensionsmodellen", self.retirement_mode, "target, las eller observed")
        if self.demand_mode not in DEMAND_MODES:
            _bad("efterfrågemodellen", self.demand_mode, "unchanged, growth eller population")
        if not 55 <= self.target_pension_age <= 75:
            _bad("riktåldern för pension", self.target_pension_age, "mellan 55 och 75 år")
        if not self.target_pension_age <= self.las_age <= 75:
            _bad("LAS-åldern", self.las_age, "minst riktåldern och högst 75 år")
        if not -0.5 <= self.growth_rate <= 1.0:
            _bad("den årliga tillväxten", self.growth_rate, "mellan −0,5 och 1 (−50 % till +100 %)")
        if not 0 <= self.payroll_overhead <= 1.5:
            _bad("personalomkostnadspålägget", self.payroll_overhead, "mellan 0 och 1,5")
        if not 0 <= self.default_turnover <= 1:
            _bad("personalomsättningen", self.default_turnover, "mellan 0 och 1 (0–100 %)")
        if self.turnover_rate is not None and not 0 <= self.turnover_rate <= 1:
            _bad("scenariots personalomsättning", self.turnover_rate, "mellan 0 och 1 (0–100 %)")
        if self.cost_per_recruitment < 0:
            _bad("kostnaden per rekrytering", self.cost_per_recruitment, "noll eller mer")
        if not 1 <= self.runs <= 100_000:
            _bad("antalet slumpkörningar", self.runs, "mellan 1 och 100 000")
        bands = self.age_bands
        if not bands or bands[0] != 0 or any(b <= a for a, b in itertools.pairwise(bands)):
            _bad("åldersbanden", list(bands), "stigande gränser som börjar på 0")
        for occ, lo, hi in self.served_ages:
            if lo < 0 or (hi is not None and hi < lo):
                _bad(f"åldersgruppen som yrket {occ} betjänar", [lo, hi], "0 ≤ från ≤ till")
        lev = self.levers
        if not 0 <= lev.retirement_delay_years <= 5:
            _bad("senarelagd pension", lev.retirement_delay_years, "0–5 år")
        for name, value in (
            ("minskad personalomsättning", lev.turnover_reduction),
            ("andelen deltidare som går upp", lev.part_time_participation),
            ("andelen som täcks av andra lösningar", lev.other_solutions_share),
        ):
            if not 0 <= value <= 1:
                _bad(name, value, "mellan 0 och 1")
        if not 0 <= lev.productivity_gain <= 0.1:
            _bad("den årliga produktivitetsökningen", lev.productivity_gain, "mellan 0 och 0,1")
        if not 0 <= lev.sick_leave_reduction_pp <= 20:
            _bad("minskad sjukfrånvaro", lev.sick_leave_reduction_pp, "0–20 procentenheter")
        if lev.part_time_target_rate is not None and not 0 < lev.part_time_target_rate <= 100:
            _bad("deltidares nya sysselsättningsgrad", lev.part_time_target_rate, "1–100 %")
        if lev.part_time_extra_hours is not None and not 0 < lev.part_time_extra_hours <= 40:
            _bad("extra timmar i veckan", lev.part_time_extra_hours, "mellan 0 och 40")
        if not 20 <= lev.full_time_hours <= 45:
            _bad("heltidens timmar i veckan", lev.full_time_hours, "mellan 20 och 45")
        for shift in lev.task_shifts:
            if shift.fte < 0 or not math.isfinite(shift.fte):
                _bad("uppgiftsväxlingens årsarbetare", shift.fte, "noll eller mer")
            if shift.from_occupation == shift.to_occupation:
                raise ProjectionInputError(
                    f"Uppgiftsväxlingen flyttar arbete från {shift.from_occupation} till samma "
                    "yrke; ange två olika yrken."
                )
        for occ, n in lev.graduates_per_year:
            if n < 0:
                _bad(f"antalet examinerade per år för {occ}", n, "noll eller mer")


def _bad(what: str, value: object, allowed: str) -> None:
    raise ProjectionInputError(f"Ogiltigt värde för {what}: {value}. Ange {allowed}.")


def _reject_unknown(data: dict[str, Any], cls: type, where: str) -> None:
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ProjectionInputError(
            f"Okänd inställning i {where}: {', '.join(unknown)}. "
            f"Tillåtna är: {', '.join(sorted(known))}."
        )
