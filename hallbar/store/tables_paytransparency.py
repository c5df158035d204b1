"""Tables of the pay-transparency workflows (Directive (EU) 2023/970).

Requests for information (Art. 7) with their drafted and sent answers,
starting-pay ranges (Art. 5) and the recruitments they were given for,
versioned pay criteria (Art. 6), confirmed reports (Art. 9) and joint pay
assessments (Art. 10). Computed content is stored as JSON snapshots, so an
answer or a report reprints exactly as it was sent even after a new import.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hallbar.store.base import Base


class PtRequest(Base):
    __tablename__ = "pt_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    person_id: Mapped[str] = mapped_column(String(100), nullable=False)
    job: Mapped[str] = mapped_column(String(200), nullable=False)
    # Who asked: the worker or a representative on the worker's behalf (Art. 7(2)).
    requested_by: Mapped[str] = mapped_column(String(200), nullable=False)
    received_on: Mapped[date] = mapped_column(Date, nullable=False)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)  # registrerad|utkast|besvarad
    answer_json: Mapped[str | None] = mapped_column(Text)
    answered_on: Mapped[date | None] = mapped_column(Date)
    answered_by: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class PtRange(Base):
    """One version of a job's starting-pay range; the newest per job is the current one."""

    __tablename__ = "pt_ranges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    job: Mapped[str] = mapped_column(String(200), nullable=False)
    low: Mapped[float] = mapped_column(Float, nullable=False)
    high: Mapped[float] = mapped_column(Float, nullable=False)
    p10: Mapped[float | None] = mapped_column(Float)
    p90: Mapped[float | None] = mapped_column(Float)
    n_starters: Mapped[int] = mapped_column(Integer, nullable=False)
    agreement: Mapped[str] = mapped_column(String(300), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class PtRecruitment(Base):
    """Which range was given to applicants for which recruitment."""

    __tablename__ = "pt_recruitments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    range_id: Mapped[int] = mapped_column(ForeignKey("pt_ranges.id"), nullable=False)
    reference: Mapped[str] = mapped_column(String(200), nullable=False)
    given_on: Mapped[date] = mapped_column(Date, nullable=False)
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class PtCriteria(Base):
    __tablename__ = "pt_criteria"
    __table_args__ = (
        UniqueConstraint("org_id", "job_family", "version", name="uq_pt_criteria_version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    job_family: Mapped[str] = mapped_column(String(200), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    criteria_json: Mapped[str] = mapped_column(Text, nullable=False)
    valid_from: Mapped[date] = mapped_column(Date, nullable=False)
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class PtReport(Base):
    __tablename__ = "pt_reports"
    __table_args__ = (UniqueConstraint("org_id", "report_date", name="uq_pt_reports_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    report_date: Mapped[date] = mapped_column(Date, nullable=False)
    headcount: Mapped[int] = mapped_column(Integer, nullable=False)
    category_kind: Mapped[str] = mapped_column(String(20), nullable=False)  # band | job
    values_json: Mapped[str] = mapped_column(Text, nullable=False)
    flagged_json: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    status: Mapped[str] = mapped_column(String(20), nullable=False)  # utkast | fastställd
    consulted_with: Mapped[str] = mapped_column(Text, nullable=False, default="")
    consulted_on: Mapped[date | None] = mapped_column(Date)
    confirmed_by: Mapped[str | None] = mapped_column(String(100))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class PtAssessment(Base):
    __tablename__ = "pt_assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("pt_reports.id", ondelete="CASCADE"), nullable=False
    )
    opened_on: Mapped[date] = mapped_column(Date, nullable=False)
    representatives: Mapped[str] = mapped_column(Text, nullable=False)
    content_json: Mapped[str] = mapped_column(Text, nullable=False)
    reasons_json: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    measures: Mapped[str] = mapped_column(Text, nullable=False, default="")
    evaluation: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(20), nullable=False)  # pågående | klar
    completed_on: Mapped[date | None] = mapped_column(Date)
    completed_by: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
