"""Job evaluation (arbetsvärdering): model, scores, job values and value bands.

A model has sub-factors under the four criteria of Diskrimineringslagen
3 kap. 8 § (knowledge and skills, responsibility, effort, working conditions).
Each sub-factor has a weight in percent (all weights sum to 100) and levels
1..L. A job's value is normalised to 0–1000:

    value = 1000 × Σ_s (weight_s / 100) × (level_s − 1) / (L_s − 1)

so a job at the lowest level everywhere scores 0 and at the highest 1000.
Jobs are grouped in value bands by breakpoints: a value v lies in band
1 + (number of breakpoints ≤ v). By default ten equal-width bands
(0–100, 100–200, …, 900–1000).
"""

from __future__ import annotations

import itertools
import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources

import polars as pl

from hallbar.core.errors import Problem
from hallbar.paysurvey.notices import EvaluationInvalid

CRITERIA: dict[str, str] = {
    "kunskaper_och_fardigheter": "Kunskaper och färdigheter",
    "ansvar": "Ansvar",
    "anstrangning": "Ansträngning",
    "arbetsforhallanden": "Arbetsförhållanden",
}
MAX_VALUE = 1000.0
SOURCE = "arbetsvärdering"  # the "file" named in validation problems


@dataclass(frozen=True)
class SubFactor:
    id: str
    criterion: str  # a key of CRITERIA
    name_sv: str
    weight: float  # percent
    levels: int  # levels 1..levels


@dataclass(frozen=True)
class EvaluationModel:
    name_sv: str
    subfactors: tuple[SubFactor, ...]

    @classmethod
    def default(cls) -> EvaluationModel:
        """Hållbar's documented default model (``default_model.toml``)."""
        text = (
            resources.files("hallbar.paysurvey").joinpath("default_model.toml").read_text("utf-8")
        )
        data = tomllib.loads(text)
        return cls(
            name_sv=str(data["name"]),
            subfactors=tuple(
                SubFactor(
                    id=str(s["id"]),
                    criterion=str(s["criterion"]),
                    name_sv=str(s["name"]),
                    weight=float(s["weight"]),
                    levels=int(s["levels"]),
                )
                for s in data["subfactor"]
            ),
        )

    def problems(self) -> list[Problem]:
        out: list[Problem] = []
        ids = [s.id for s in self.subfactors]
        for i, s in enumerate(self.subfactors, start=2):
            if ids.count(s.id) > 1:
                out.append(Problem(SOURCE, i, "id", f"Delfaktorn '{s.id}' finns flera gånger."))
            if s.criterion not in CRITERIA:
                out.append(
                    Problem(
                        SOURCE,
                        i,
                        "kriterium",
                        f"Delfaktorn '{s.id}' har okänt kriterium '{s.criterion}'. Välj ett av: "
                        f"{', '.join(CRITERIA)}.",
                    )
                )
            if s.levels < 2:
                out.append(
                    Problem(SOURCE, i, "nivaer", f"Delfaktorn '{s.id}' måste ha minst två nivåer.")
                )
            if s.weight < 0:
                out.append(Problem(SOURCE, i, "vikt", f"Delfaktorn '{s.id}' har negativ vikt."))
        for key, label in CRITERIA.items():
            if not any(s.criterion == key and s.weight > 0 for s in self.subfactors):
                out.append(
                    Problem(
                        SOURCE,
                        None,
                        "kriterium",
                        f"Kriteriet '{label}' saknar delfaktor med vikt. Lagen kräver att alla "
                        "fyra kriterier (kunskaper och färdigheter, ansvar, ansträngning, "
                        "arbetsförhållanden) vägs in.",
                    )
                )
        total = sum(s.weight for s in self.subfactors)
        if not math.isclose(total, 100.0, abs_tol=1e-9):
            out.append(
                Problem(
                    SOURCE,
                    None,
                    "vikt",
                    f"Vikterna summerar till {_sv_number(total)} %, men ska summera till 100 %. "
                    "Justera vikterna.",
                )
            )
        return out

    def validate(self) -> EvaluationModel:
        problems = self.problems()
        if problems:
            raise EvaluationInvalid(problems)
        return self

    def criterion_weights(self) -> dict[str, float]:
        return {k: sum(s.weight for s in self.subfactors if s.criterion == k) for k in CRITERIA}

    def to_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "id": [s.id for s in self.subfactors],
                "criterion": [s.criterion for s in self.subfactors],
                "name_sv": [s.name_sv for s in self.subfactors],
                "weight": [s.weight for s in self.subfactors],
                "levels": [s.levels for s in self.subfactors],
            },
            schema={
                "id": pl.String,
                "criterion": pl.String,
                "name_sv": pl.String,
                "weight": pl.Float64,
                "levels": pl.Int64,
            },
        )

    @classmethod
    def from_frame(cls, frame: pl.DataFrame, name_sv: str = "Egen modell") -> EvaluationModel:
        need = ["id", "criterion", "name_sv", "weight", "levels"]
        missing = [c for c in need if c not in frame.columns]
        if missing:
            raise EvaluationInvalid(
                [Problem(SOURCE, None, missing[0], f"Kolumnen '{missing[0]}' saknas i modellen.")]
            )
        rows = frame.select(need).to_dicts()
        return cls(
            name_sv=name_sv,
            subfactors=tuple(
                SubFactor(
                    id=str(r["id"]),
                    criterion=str(r["criterion"]),
                    name_sv=str(r["name_sv"]),
                    weight=float(r["weight"] or 0.0),
                    levels=int(r["levels"] or 0),
                )
                for r in rows
            ),
        )


def _sv_number(x: float) -> str:
    text = f"{x:,.1f}".replace(",", " ").replace(".", ",")
    return text[:-2] if text.endswith(",0") else text


def equal_width_breakpoints(n_bands: int) -> tuple[float, ...]:
    return tuple(MAX_VALUE * i / n_bands for i in range(1, n_bands))


@dataclass(frozen=True)
class JobEvaluation:
    """Scores per job: ``scores[job][subfactor_id] = level``.

    ``breakpoints`` are the band boundaries on the 0–1000 scale (strictly
    increasing); empty means ten equal-width bands.
    """

    model: EvaluationModel
    scores: dict[str, dict[str, int]]
    breakpoints: tuple[float, ...] = field(default=())

    @property
    def band_breakpoints(self) -> tuple[float, ...]:
        return self.breakpoints or equal_width_breakpoints(10)

    def problems(self) -> list[Problem]:
        out = self.model.problems()
        known = {s.id for s in self.model.subfactors}
        for row, (job, levels) in enumerate(self.scores.items(), start=2):
            for s in self.model.subfactors:
                level = levels.get(s.id)
                if level is None:
                    out.append(
                        Problem(
                            SOURCE,
                            row,
                            s.id,
                            f"Befattningen '{job}' saknar nivå för delfaktorn '{s.name_sv}'. "
                            f"Ange en nivå mellan 1 och {s.levels}.",
                        )
                    )
                elif not 1 <= level <= s.levels:
                    out.append(
                        Problem(
                            SOURCE,
                            row,
                            s.id,
                            f"Befattningen '{job}' har nivå {level} för '{s.name_sv}', men "
                            f"delfaktorn har nivåerna 1–{s.levels}. Rätta nivån.",
                        )
                    )
            for extra in sorted(set(levels) - known):
                out.append(
                    Problem(
                        SOURCE,
                        row,
                        extra,
                        f"Befattningen '{job}' har poäng för '{extra}', som inte finns i modellen.",
                    )
                )
        bps = self.band_breakpoints
        if any(b2 <= b1 for b1, b2 in itertools.pairwise(bps)) or any(
            not 0 < b < MAX_VALUE for b in bps
        ):
            out.append(
                Problem(
                    SOURCE,
                    None,
                    "brytpunkter",
                    "Brytpunkterna för värdenivåer ska vara stigande och ligga mellan 0 och 1000.",
                )
            )
        return out

    def validate(self) -> JobEvaluation:
        problems = self.problems()
        if problems:
            raise EvaluationInvalid(problems)
        return self

    def job_values(self) -> pl.DataFrame:
        """One row per job: job, value (0–1000), band (1-based), band_label."""
        self.validate()
        bps = self.band_breakpoints
        edges = (0.0, *bps, MAX_VALUE)
        jobs, values, bands, labels = [], [], [], []
        for job, levels in self.scores.items():
            value = MAX_VALUE * sum(
                (s.weight / 100.0) * (levels[s.id] - 1) / (s.levels - 1)
                for s in self.model.subfactors
            )
            band = 1 + sum(1 for b in bps if b <= value)
            jobs.append(job)
            values.append(value)
            bands.append(band)
            labels.append(f"Nivå {band} ({_sv_number(edges[band - 1])}–{_sv_number(edges[band])})")
        return pl.DataFrame(
            {"job": jobs, "value": values, "band": bands, "band_label": labels},
            schema={
                "job": pl.String,
                "value": pl.Float64,
                "band": pl.Int64,
                "band_label": pl.String,
            },
        )

    def to_frame(self) -> pl.DataFrame:
        """Wide frame: ``job`` and one integer column per sub-factor id."""
        data: dict[str, list[object]] = {"job": list(self.scores)}
        for s in self.model.subfactors:
            data[s.id] = [self.scores[j].get(s.id) for j in self.scores]
        schema: dict[str, pl.DataType] = {"job": pl.String()}
        schema.update({s.id: pl.Int64() for s in self.model.subfactors})
        return pl.DataFrame(data, schema=schema)

    @classmethod
    def from_frame(
        cls,
        model: EvaluationModel,
        frame: pl.DataFrame,
        breakpoints: tuple[float, ...] = (),
    ) -> JobEvaluation:
        """Read the wide frame written by ``to_frame`` (job column ``job`` or ``befattning``).

        Empty cells become missing scores, reported by ``validate`` with the row
        number as a spreadsheet shows it (header = row 1).
        """
        job_col = "job" if "job" in frame.columns else "befattning"
        if job_col not in frame.columns:
            raise EvaluationInvalid(
                [Problem(SOURCE, 1, "befattning", "Kolumnen 'befattning' (eller 'job') saknas.")]
            )
        problems: list[Problem] = []
        scores: dict[str, dict[str, int]] = {}
        level_cols = [c for c in frame.columns if c != job_col]
        for row, rec in enumerate(frame.iter_rows(named=True), start=2):
            job = rec[job_col]
            if job is None or str(job).strip() == "":
                problems.append(Problem(SOURCE, row, job_col, "Befattningen saknar namn."))
                continue
            job = str(job).strip()
            if job in scores:
                problems.append(
                    Problem(SOURCE, row, job_col, f"Befattningen '{job}' finns på flera rader.")
                )
                continue
            levels: dict[str, int] = {}
            for c in level_cols:
                v = rec[c]
                if v is None or (isinstance(v, float) and math.isnan(v)):
                    continue
                try:
                    iv = int(v)
                    if iv != float(v):
                        raise ValueError
                except (TypeError, ValueError):
                    problems.append(
                        Problem(SOURCE, row, c, f"Nivån '{v}' är inte ett heltal. Ange t.ex. 3.")
                    )
                    continue
                levels[c] = iv
            scores[job] = levels
        if problems:
            raise EvaluationInvalid(problems)
        return cls(model=model, scores=scores, breakpoints=breakpoints)
