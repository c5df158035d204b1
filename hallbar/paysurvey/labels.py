"""Swedish labels of the statistical terms: no English word reaches a page or a document.

The regression and the Oaxaca–Blinder decomposition name their terms by column
(``age``, ``tenure_years``, ``employment_form=visstid``) and the decomposition its
reference by statsmodels' name (``pooled``); every page and document shows the
Swedish words from here.
"""

from __future__ import annotations

from collections.abc import Iterable

# Covariate (pay-frame column or design-matrix name) -> Swedish label, lower case as
# it reads inside a sentence; ``label_sv(..., capital=True)`` for a table cell.
COVARIATE_LABELS_SV: dict[str, str] = {
    "konstant": "konstant",
    "kvinna": "kvinna",
    "age": "ålder",
    "tenure_years": "anställningstid",
    "job_value": "arbetsvärde",
    "band": "värdenivå",
    "employment_form": "anställningsform",
    "rate": "sysselsättningsgrad",
    "unit_id": "enhet",
    "job": "befattning",
    "gender": "kön",
    "pay": "lön",
    "log_pay": "lön (logaritm)",
    "monthly_pay": "månadslön",
    "supplements": "tillägg",
}
# A level of a categorical covariate (a dummy ``column=level``) -> what it means.
LEVEL_LABELS_SV: dict[tuple[str, str], str] = {
    ("employment_form", "visstid"): "visstidsanställd",
    ("employment_form", "tillsvidare"): "tillsvidareanställd",
    ("employment_form", "timavlönad"): "timavlönad",
    ("gender", "K"): "kvinna",
    ("gender", "M"): "man",
}
# Oaxaca–Blinder reference coefficients (oaxaca.Reference) -> Swedish.
REFERENCE_LABELS_SV: dict[str, str] = {
    "pooled": "poolad skattning för båda könen, med könsindikator",
    "pooled_no_indicator": "poolad skattning för båda könen, utan könsindikator (Neumark)",
    "group_a": "männens koefficienter",
    "group_b": "kvinnornas koefficienter",
    "reimers": "hälften männens, hälften kvinnornas koefficienter (Reimers)",
    "cotton": "männens och kvinnornas koefficienter viktade med antal (Cotton)",
}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def term_label_sv(term: str, *, capital: bool = False) -> str:
    """'age' -> 'ålder'; 'employment_form=visstid' -> 'visstidsanställd'.

    A term without a label keeps its own name (a column the user chose), so nothing
    is lost; a dummy without a level label reads 'anställningsform: <nivå>'.
    """
    column, sep, level = term.partition("=")
    if sep:
        text = LEVEL_LABELS_SV.get(
            (column, level), f"{COVARIATE_LABELS_SV.get(column, column)}: {level}"
        )
    else:
        text = COVARIATE_LABELS_SV.get(term, term)
    return _capital(text) if capital else text


def terms_sv(terms: Iterable[str], *, include_constant: bool = False) -> tuple[str, ...]:
    """The Swedish labels of a model's terms, the constant left out unless asked for."""
    return tuple(term_label_sv(t) for t in terms if include_constant or t != "konstant")


def reference_label_sv(reference: str, *, capital: bool = False) -> str:
    """The decomposition's reference in Swedish ('pooled' -> 'poolad skattning …')."""
    text = REFERENCE_LABELS_SV.get(reference, reference)
    return _capital(text) if capital else text
