"""Regression of (log) pay on legitimate factors with a gender dummy.

    log(pay) = a + Σ b_j x_j + g · woman + e      (statsmodels OLS)

``g`` is the gender coefficient; 100 × (exp(g) − 1) is the approximate
percentage difference between women's and men's pay when the factors are
equal. Both the classic and the heteroskedasticity-robust (HC1) standard
errors are reported; the confidence interval and p-value use HC1.
String covariates (e.g. employment_form) become 0/1 dummies with the most
common value as reference. A covariate that does not vary is dropped with a
notice; collinear covariates raise ``SingularRegression``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl
import statsmodels.api as sm

from hallbar.core.describe import Description
from hallbar.paysurvey.labels import term_label_sv, terms_sv
from hallbar.paysurvey.notices import InvalidPayData, Notice, SingularRegression, SmallGroup

REGRESSION_DESCRIPTION = Description(
    id="gender_coefficient",
    name_sv="Könskoefficient i lönemodell",
    definition_sv=(
        "Regression (minsta kvadrat) av logaritmerad lön på sakliga faktorer och en indikator "
        "för kvinna. Koefficienten visar skillnaden mellan kvinnors och mäns lön när faktorerna "
        "är lika; 100 × (e^koefficient − 1) är skillnaden i procent. Robusta standardfel (HC1) "
        "används för konfidensintervall (95 %) och p-värde."
    ),
    population_sv="Anställda med månadslön och värden för alla faktorer.",
    unit="log-kr",
    source="Diskrimineringslagen 3 kap. 10 §; statsmodels OLS",
)


@dataclass(frozen=True)
class RegressionResult:
    coefficient: float  # on the woman dummy
    pct_effect: float  # 100 × (exp(coef) − 1) for log pay, coef / mean men's pay × 100 otherwise
    se_classic: float
    se_hc1: float
    ci_low: float  # 95 %, HC1
    ci_high: float
    p_value: float  # HC1
    p_value_classic: float
    n: int
    n_women: int
    n_men: int
    r_squared: float
    log_outcome: bool
    terms: tuple[str, ...]
    params: dict[str, float]
    notices: tuple[Notice, ...] = field(default=())
    description: Description = REGRESSION_DESCRIPTION

    @property
    def terms_sv(self) -> tuple[str, ...]:
        """The model's factors in Swedish ('ålder', 'anställningstid', 'visstidsanställd' …)."""
        return terms_sv(self.terms)


def design_matrix(
    frame: pl.DataFrame, covariates: list[str], step: str = "regression"
) -> tuple[np.ndarray, list[str], list[Notice]]:
    """Constant + covariates (dummies for strings); constant covariates dropped with a notice."""
    notices: list[Notice] = []
    columns: list[np.ndarray] = [np.ones(frame.height)]
    names = ["konstant"]
    for c in covariates:
        if c not in frame.columns:
            raise InvalidPayData(
                f"Faktorn '{c}' finns inte i löneunderlaget. Välj en befintlig kolumn."
            )
        s = frame.get_column(c)
        if s.n_unique() < 2:
            notices.append(
                Notice(
                    "no_variation",
                    f"Faktorn '{term_label_sv(c)}' har samma värde för alla i gruppen och togs bort ur regressionen.",
                    step=step,
                    subject=c,
                )
            )
            continue
        if s.dtype == pl.String or s.dtype == pl.Categorical:
            counts = s.value_counts(sort=True)
            levels = counts[c].to_list()
            for level in sorted(str(v) for v in levels[1:]):
                columns.append((s == level).cast(pl.Float64).to_numpy())
                names.append(f"{c}={level}")
        else:
            columns.append(s.cast(pl.Float64).to_numpy())
            names.append(c)
    return np.column_stack(columns), names, notices


def gender_regression(
    frame: pl.DataFrame,
    covariates: list[str],
    *,
    outcome: str = "pay",
    log_outcome: bool = True,
    min_group: int = 5,
    step: str = "regression",
) -> RegressionResult:
    """OLS of (log) ``outcome`` on ``covariates`` and a woman dummy (gender == 'K')."""
    used = [outcome, "gender", *covariates]
    data = frame.select(used).drop_nulls().filter(pl.col(outcome) > 0)
    n_women = int((data["gender"] == "K").sum())
    n_men = int((data["gender"] == "M").sum())
    if n_women < min_group or n_men < min_group:
        raise SmallGroup(
            f"Gruppen har {n_women} kvinnor och {n_men} män; det behövs minst {min_group} av "
            "varje för en statistisk prövning. Jämför i stället varje persons lön med gruppens median."
        )
    x, names, notices = design_matrix(data, covariates, step)
    woman = (data["gender"] == "K").cast(pl.Float64).to_numpy()
    x = np.column_stack([x, woman])
    names = [*names, "kvinna"]
    y = data[outcome].cast(pl.Float64).to_numpy()
    if log_outcome:
        y = np.log(y)
    if np.linalg.matrix_rank(x) < x.shape[1] or x.shape[0] <= x.shape[1]:
        raise SingularRegression(
            "Lönemodellen kan inte skattas: faktorerna "
            f"{', '.join(names[1:-1]) or '(inga)'} är linjärt beroende av varandra eller av kön, "
            "eller så finns det för få anställda. Ta bort en av de samvarierande faktorerna."
        )
    classic = sm.OLS(y, x).fit()
    robust = sm.OLS(y, x).fit(cov_type="HC1", use_t=True)  # t-distribution like the classic fit
    k = x.shape[1] - 1
    coef = float(robust.params[k])
    ci = robust.conf_int(alpha=0.05)[k]
    if log_outcome:
        pct = 100.0 * (np.exp(coef) - 1.0)
    else:
        pct = 100.0 * coef / float(y[woman == 0].mean())
    return RegressionResult(
        coefficient=coef,
        pct_effect=float(pct),
        se_classic=float(classic.bse[k]),
        se_hc1=float(robust.bse[k]),
        ci_low=float(ci[0]),
        ci_high=float(ci[1]),
        p_value=float(robust.pvalues[k]),
        p_value_classic=float(classic.pvalues[k]),
        n=int(x.shape[0]),
        n_women=n_women,
        n_men=n_men,
        r_squared=float(classic.rsquared),
        log_outcome=log_outcome,
        terms=tuple(names),
        params={n: float(p) for n, p in zip(names, classic.params, strict=True)},
        notices=tuple(notices),
    )
