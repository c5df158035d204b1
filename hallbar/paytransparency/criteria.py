"""Article 6: the criteria that set pay and pay progression, per job family, versioned.

HR writes one criterion per line, ``Namn: beskrivning``. The criteria must be
objective and gender-neutral (Art. 6(2)); ``check_criteria`` catches the
obvious failures — an empty list, a criterion without a description, a
duplicate, and wording that names a ground of discrimination or leave
(``FORBIDDEN_TERMS``), which can never be a pay criterion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hallbar.paytransparency.errors import InvalidInput

# Words that tie pay to sex, age or leave; each is a discrimination ground
# (Diskrimineringslagen 1 kap. 5 §) or a leave the law protects.
# (term shown to HR, pattern): "kön" as a whole word so "könsneutral" passes.
FORBIDDEN_TERMS: tuple[tuple[str, str], ...] = (
    ("kön", r"\bkön\b"),
    ("ålder", r"\bålder"),
    ("graviditet", r"\bgravid"),
    ("föräldraledighet", r"föräldraledig"),
    ("deltid", r"\bdeltid"),
    ("etnisk tillhörighet", r"\betnisk"),
    ("religion", r"\breligio"),
    ("funktionsnedsättning", r"funktionsnedsättning"),
    ("sexuell läggning", r"sexuell läggning"),
)


@dataclass(frozen=True)
class Criterion:
    name: str
    description: str


def parse_criteria(text: str) -> tuple[Criterion, ...]:
    """One criterion per non-empty line, ``Namn: beskrivning``; problems raise ``InvalidInput``."""
    out: list[Criterion] = []
    problems: list[str] = []
    for row, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, sep, description = line.partition(":")
        if not sep or not name.strip() or not description.strip():
            problems.append(
                f"Rad {row}: skriv kriteriet som 'Namn: beskrivning', t.ex. 'Ansvar: ansvar för "
                "budget, personal eller patientsäkerhet'."
            )
            continue
        out.append(Criterion(name.strip(), description.strip()))
    problems += check_criteria(tuple(out)) if not problems else []
    if problems:
        raise InvalidInput(" ".join(problems))
    return tuple(out)


def check_criteria(criteria: tuple[Criterion, ...]) -> list[str]:
    problems: list[str] = []
    if not criteria:
        problems.append("Skriv minst ett kriterium för lönesättning och löneutveckling.")
    seen: set[str] = set()
    for c in criteria:
        key = c.name.casefold()
        if key in seen:
            problems.append(f"Kriteriet '{c.name}' finns två gånger. Slå ihop raderna.")
        seen.add(key)
        text = f"{c.name} {c.description}".casefold()
        for term, pattern in FORBIDDEN_TERMS:
            if re.search(pattern, text):
                problems.append(
                    f"Kriteriet '{c.name}' nämner '{term}'. Lönekriterier ska vara sakliga och "
                    "könsneutrala och får inte bygga på diskrimineringsgrunder eller ledigheter. "
                    "Formulera om kriteriet."
                )
    return problems
