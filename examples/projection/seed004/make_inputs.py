"""Regenerate the seed-004 example inputs (deterministic; run from the repo root):

    .venv/bin/python examples/projection/seed004/make_inputs.py

Writes ``personal.csv`` (the care committee's 1 200 monthly-paid staff at
2020-12-31) and ``befolkning.csv`` (a municipal population forecast 2020–2027 in
SCB's PX-Web export layout: Latin-1, semicolons, a title line, one column per year).
See docs/projection.md, "Seed 004", for why the numbers are what they are.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

HERE = Path(__file__).parent

# occupation: (staff, mean full-time monthly pay 2020 in kr, typical rates)
STAFF: dict[str, tuple[int, int, tuple[float, ...]]] = {
    "myndighetsutövare": (230, 36_000, (100.0, 100.0, 100.0, 100.0, 90.0)),
    "undersköterska": (480, 34_800, (100.0, 100.0, 90.0, 80.0, 75.0)),
    "vårdbiträde": (130, 30_500, (100.0, 90.0, 80.0, 75.0, 75.0)),
    "sjuksköterska": (120, 42_500, (100.0, 100.0, 100.0, 90.0, 80.0)),
    "arbetsterapeut": (40, 37_500, (100.0, 100.0, 100.0, 100.0, 80.0)),
    "fysioterapeut": (30, 37_000, (100.0, 100.0, 100.0, 100.0, 80.0)),
    "enhetschef": (45, 49_000, (100.0,)),
    "stödassistent": (125, 31_500, (100.0, 100.0, 90.0, 80.0, 75.0)),
}
PAY_OFFSETS = (-2_000, -1_000, 0, 1_000, 2_000)  # symmetric: the mean is exactly the level


def write_staff(rng: np.random.Generator) -> None:
    lines = ["yrke;kon;alder;sysselsattningsgrad;manadslon"]
    for occ, (n, pay, rates) in STAFF.items():
        ages = np.clip(np.round(rng.normal(45, 11, n)), 20, 66).astype(int)
        women = rng.random(n) < (0.75 if occ == "enhetschef" else 0.87)
        for i in range(n):
            rate = rates[i % len(rates)]
            lines.append(
                f"{occ};{'K' if women[i] else 'M'};{ages[i]};{rate:g};{pay + PAY_OFFSETS[i % 5]}"
            )
    (HERE / "personal.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_population() -> None:
    """Ages 18+ grow exactly 10 % from 2020 to 2027 (every single year of age is a
    multiple of ten in 2020); ages 0–17 grow 14.6 %, so the total grows 11 %."""
    years = list(range(2020, 2028))
    rows = []
    for age in range(101):
        if age < 18:
            v0, growth = 1_220 + 10 * (age % 3), 0.146
        elif age < 65:
            v0, growth = 1_300 + 10 * (age % 4), 0.10
        elif age < 80:
            v0, growth = 930, 0.10
        else:
            v0, growth = (300 if age < 90 else 60) if age < 100 else 20, 0.10
        values = [round(v0 * (1 + growth * t / 7)) for t in range(len(years))]
        if growth == 0.10:
            values[-1] = v0 * 11 // 10  # exact, so the served groups grow exactly 10 %
        label = "100+ år" if age == 100 else f"{age} år"
        rows.append(f'"9999 Exempelkommun";"{label}";' + ";".join(str(v) for v in values))
    header = '"region";"ålder";' + ";".join(f'"{y}"' for y in years)
    title = '"Framskriven folkmängd efter region, ålder och år"'
    text = "\n".join([title, "", header, *rows]) + "\n"
    (HERE / "befolkning.csv").write_bytes(text.encode("latin-1"))


if __name__ == "__main__":
    write_staff(np.random.default_rng(4))
    write_population()
