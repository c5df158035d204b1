"""Tables for goal and activity follow-up (målstyrning och uppföljning).

A plan has a tree of nodes (``parent_id``), its own calendar of follow-up periods,
indicators and budget per node. Follow-up entries are append-only: a new update
adds a row, so every node's history is kept. Amounts are whole kronor
(``BigInteger``: a region's budget exceeds 2^31 kr).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
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


class FollowupPlan(Base):
    __tablename__ = "followup_plans"
    __table_args__ = (UniqueConstraint("org_id", "name", name="uq_followup_plans_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    committee: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class FollowupNode(Base):
    __tablename__ = "followup_nodes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("followup_plans.id", ondelete="CASCADE"), nullable=False, index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("followup_nodes.id", ondelete="CASCADE"), nullable=True
    )
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    owner_unit: Mapped[str | None] = mapped_column(String(50), nullable=True)
    owner_role: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    responsible: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(30), nullable=False)
    rollup: Mapped[str] = mapped_column(String(30), nullable=False)
    weight: Mapped[float] = mapped_column(Float, nullable=False, default=1.0)
    links: Mapped[str] = mapped_column(Text, nullable=False, default="")  # one per line
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    copied_from: Mapped[int | None] = mapped_column(Integer, nullable=True)


class FollowupPeriod(Base):
    __tablename__ = "followup_periods"
    __table_args__ = (UniqueConstraint("plan_id", "name", name="uq_followup_periods_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("followup_plans.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date] = mapped_column(Date, nullable=False)
    due_date: Mapped[date] = mapped_column(Date, nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class FollowupEntry(Base):
    """One follow-up of one node in one period (never updated in place)."""

    __tablename__ = "followup_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    node_id: Mapped[int] = mapped_column(
        ForeignKey("followup_nodes.id", ondelete="CASCADE"), nullable=False, index=True
    )
    period_id: Mapped[int] = mapped_column(
        ForeignKey("followup_periods.id", ondelete="CASCADE"), nullable=False, index=True
    )
    status: Mapped[str] = mapped_column(String(30), nullable=False)
    comment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    outcome_kr: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class FollowupIndicator(Base):
    __tablename__ = "followup_indicators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    node_id: Mapped[int] = mapped_column(
        ForeignKey("followup_nodes.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    figure_id: Mapped[str] = mapped_column(String(100), nullable=False)
    unit_id: Mapped[str | None] = mapped_column(String(50), nullable=True)
    filters: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    unit_label: Mapped[str] = mapped_column(String(30), nullable=False, default="")
    direction: Mapped[str] = mapped_column(String(30), nullable=False)
    baseline_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    baseline: Mapped[float | None] = mapped_column(Float, nullable=True)
    target: Mapped[float | None] = mapped_column(Float, nullable=True)
    target_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kolada_kpi: Mapped[str] = mapped_column(String(20), nullable=False, default="")


class FollowupValue(Base):
    """A manual indicator's value, entered with a follow-up entry."""

    __tablename__ = "followup_values"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("followup_entries.id", ondelete="CASCADE"), nullable=False, index=True
    )
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("followup_indicators.id", ondelete="CASCADE"), nullable=False, index=True
    )
    value: Mapped[float] = mapped_column(Float, nullable=False)


class FollowupBudget(Base):
    __tablename__ = "followup_budget"
    __table_args__ = (UniqueConstraint("node_id", "year", name="uq_followup_budget_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    node_id: Mapped[int] = mapped_column(
        ForeignKey("followup_nodes.id", ondelete="CASCADE"), nullable=False, index=True
    )
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    allocation_kr: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    forecast_kr: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
