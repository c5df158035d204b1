"""Tables for the workforce projection: saved scenarios, the uploaded population
forecast and HR's planned activities per occupation (kompetensförsörjningsplan).

A scenario's parameters are stored as JSON (``Scenario.to_dict`` plus the page's
options), so a saved scenario keeps its settings even when defaults change. The
population forecast is stored as the uploaded file itself and read again with
``hallbar.ingest.population.read_population_forecast`` when it is used.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hallbar.store.base import Base


class ProjectionScenario(Base):
    __tablename__ = "projection_scenarios"
    __table_args__ = (UniqueConstraint("org_id", "name", name="uq_projection_scenarios_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    params_json: Mapped[str] = mapped_column(Text, nullable=False)
    # The import (snapshot) the scenario was saved from; opening it runs on that snapshot.
    import_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ProjectionPopulation(Base):
    """One uploaded population forecast per organisation (a new upload replaces it)."""

    __tablename__ = "projection_population"

    org_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    filename: Mapped[str] = mapped_column(String(200), nullable=False)
    content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    uploaded_by: Mapped[str] = mapped_column(String(100), nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ProjectionActivity(Base):
    """An activity HR plans for one occupation in the competence-supply plan."""

    __tablename__ = "projection_activities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(50), nullable=False, index=True)
    occupation: Mapped[str] = mapped_column(String(200), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    responsible: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    timeframe: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    created_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
