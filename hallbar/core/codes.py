"""Code lists of the canonical data model (values as stored, Swedish)."""

from __future__ import annotations

from enum import StrEnum


class Gender(StrEnum):
    """Legal gender as derived from the personnummer (Kolada cuts: K, M, T = total)."""

    WOMAN = "K"
    MAN = "M"


class EmploymentForm(StrEnum):
    PERMANENT = "tillsvidare"  # tillsvidareanställning (permanent, monthly-paid)
    FIXED_TERM = "visstid"  # visstidsanställning (temporary, monthly-paid)
    HOURLY = "timavlönad"  # timavlönad (hourly-paid, no schedule)


class AbsenceCause(StrEnum):
    SICK = "sjuk"  # sjukfrånvaro (incl. sick pay period and sjukpenning)
    PARENTAL = "föräldraledig"  # föräldraledighet
    CHILD_CARE = "vab"  # tillfällig föräldrapenning
    LEAVE = "tjänstledig"  # tjänstledighet (studies, other job, etc.)
    VACATION = "semester"
    OTHER = "övrigt"
    UNPAID_LEAVE = "ledig utan lön"  # other leave without pay (not studies or another job)


# Leave of absence (ledighet): parental leave, leave of absence and other leave
# without pay. The employee is away from the job by agreement, not sick and not
# on paid vacation.
LEAVE_CAUSES = frozenset({AbsenceCause.PARENTAL, AbsenceCause.LEAVE, AbsenceCause.UNPAID_LEAVE})

# Absence causes that reduce the rate a person actually works (Kolada N00209:
# full-time *working* = 100 % after deduction of partial leave).
LEAVE_CAUSES_REDUCING_WORKED_RATE = LEAVE_CAUSES

# Full leave of these causes is not ordinary working time in the statutory
# sick-leave note: SKR requires that an employee's time can enter both numerator
# and denominator (domain-rules §1), and a person on full-time leave cannot be
# sick from work. Vacation and temporary parental benefit (vab) stay ordinary time.
LEAVE_CAUSES_OUTSIDE_ORDINARY_HOURS = LEAVE_CAUSES


class PayKind(StrEnum):
    FIXED = "fast"  # fast lön (base pay)
    SUPPLEMENT = "tillägg"  # fasta och rörliga tillägg (OB, jour, befattningstillägg …)
    VARIABLE = "rörlig"  # rörlig lön (bonus, övertidsersättning as variable pay)


class EndReason(StrEnum):
    RESIGNED = "egen begäran"
    RETIRED = "pension"
    CONTRACT_ENDED = "visstid upphört"
    DISMISSED = "uppsägning"
    DECEASED = "dödsfall"
    INTERNAL_MOVE = "intern förflyttning"
    OTHER = "övrigt"
