"""The pay-transparency law (Directive (EU) 2023/970) as pure computations.

Built on the pay survey's pay frame, job evaluation and Article 9 report
(``hallbar.paysurvey``): this package adds what the workflows need around
them — the Art. 7 answer with its small-group rule, the Art. 5 starting-pay
range, the Art. 6 criteria, the Art. 9 values keyed by article point, the
Art. 10 joint-assessment content, pay development after parental leave and
the clocks (two months, six months, the next report). See
``docs/pay-transparency.md`` for each obligation and its source.
"""

from hallbar.paytransparency.criteria import Criterion, check_criteria, parse_criteria
from hallbar.paytransparency.deadlines import (
    Clock,
    add_months,
    clock,
    information_due,
    next_report_due,
    remedy_due,
)
from hallbar.paytransparency.errors import PayTransparencyError
from hallbar.paytransparency.information import InformationAnswer, answer_request
from hallbar.paytransparency.joint import assessment_content
from hallbar.paytransparency.leave import (
    leave_summary,
    parental_leave_days,
    pay_development,
    raise_after_leave,
)
from hallbar.paytransparency.report import ReportValue, flagged_categories, keyed_values
from hallbar.paytransparency.starting_pay import StartingRange, adjust_range, starting_ranges

__all__ = [
    "Clock",
    "Criterion",
    "InformationAnswer",
    "PayTransparencyError",
    "ReportValue",
    "StartingRange",
    "add_months",
    "adjust_range",
    "answer_request",
    "assessment_content",
    "check_criteria",
    "clock",
    "flagged_categories",
    "information_due",
    "keyed_values",
    "leave_summary",
    "next_report_due",
    "parental_leave_days",
    "parse_criteria",
    "pay_development",
    "raise_after_leave",
    "remedy_due",
    "starting_ranges",
]
