"""Pay survey (lönekartläggning) and pay analysis: pure computations.

Public entry points: ``run_survey`` (all steps), ``oaxaca_blinder``, the job
evaluation types, ``pay_frame_from_hrdata`` and the Article 9 report.
"""

from hallbar.paysurvey.actions import (
    Adjustment,
    Explanation,
    FlaggedDifference,
    Scenario,
    TimetableStep,
    flag_differences,
    follow_up,
    remediation_scenarios,
)
from hallbar.paysurvey.evaluation import EvaluationModel, JobEvaluation, SubFactor
from hallbar.paysurvey.notices import Notice, PaySurveyError
from hallbar.paysurvey.oaxaca import DecompositionResult, ThreeFold, oaxaca_blinder
from hallbar.paysurvey.payframe import check_pay_frame, pay_frame_from_hrdata
from hallbar.paysurvey.regression import RegressionResult, gender_regression
from hallbar.paysurvey.structure import PayStructure, pay_structure
from hallbar.paysurvey.survey import SurveyParams, SurveyResult, run_survey
from hallbar.paysurvey.transparency import TransparencyReport, article9_report, reporting_cycle

__all__ = [
    "Adjustment",
    "DecompositionResult",
    "EvaluationModel",
    "Explanation",
    "FlaggedDifference",
    "JobEvaluation",
    "Notice",
    "PayStructure",
    "PaySurveyError",
    "RegressionResult",
    "Scenario",
    "SubFactor",
    "SurveyParams",
    "SurveyResult",
    "ThreeFold",
    "TimetableStep",
    "TransparencyReport",
    "article9_report",
    "check_pay_frame",
    "flag_differences",
    "follow_up",
    "gender_regression",
    "oaxaca_blinder",
    "pay_frame_from_hrdata",
    "pay_structure",
    "remediation_scenarios",
    "reporting_cycle",
    "run_survey",
]
