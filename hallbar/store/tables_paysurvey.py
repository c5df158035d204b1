"""Tables for pay surveys (lönekartläggning): the survey, its job-evaluation scores and HR's actions.

One survey per organisation and year. The evaluation model (sub-factors,
weights, levels) and the band breakpoints are stored as JSON with the survey,
so a survey keeps the model it was made with even when the default changes.
Scores and actions are rows of their own, saved one at a time from the browser.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from hallbar.store.base import Base


class PaySurvey(Base):
    __tablename__ = "pay_surveys"
    __table_args__ = (UniqueConstraint("org_id", "year", name="uq_pay_surveys_org_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    survey_date: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(30), nullable=False)
    # Free text: which unions took part and how (samverkan).
    participants: Mapped[str] = mapped_column(Text, nullable=False, default="")
    job_key: Mapped[str] = mapped_column(String(20), nullable=False, default="title")
    # The import (snapshot) the survey was made from and keeps computing on; a new
    # import does not change a survey in progress. NULL only for an organisation
    # that had no import when migration 0009 ran.
    import_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    model_json: Mapped[str] = mapped_column(Text, nullable=False)
    breakpoints_json: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class PaySurveyScore(Base):
    """One job's levels per sub-factor (JSON object ``{subfactor_id: level}``)."""

    __tablename__ = "pay_survey_scores"

    survey_id: Mapped[int] = mapped_column(
        ForeignKey("pay_surveys.id", ondelete="CASCADE"), primary_key=True
    )
    job: Mapped[str] = mapped_column(String(200), primary_key=True)
    levels_json: Mapped[str] = mapped_column(Text, nullable=False)
    updated_by: Mapped[str] = mapped_column(String(100), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class PaySurveyAction(Base):
    """HR's decision on one flagged difference: an objective reason or an adjustment."""

    __tablename__ = "pay_survey_actions"
    __table_args__ = (
        UniqueConstraint("survey_id", "difference_id", name="uq_pay_survey_actions_difference"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("pay_surveys.id", ondelete="CASCADE"), nullable=False, index=True
    )
    difference_id: Mapped[str] = mapped_column(String(500), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # förklaring | justering
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    objective: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    job: Mapped[str | None] = mapped_column(String(200))
    amount_per_month: Mapped[float | None] = mapped_column(Float)
    gap_before_kr: Mapped[float | None] = mapped_column(Float)
    # JSON list of [iso date, amount per month].
    timetable_json: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
