"""``HRData``: one organisation's (or many organisations') HR data as Polars frames.

This is what ingest produces, what the store saves and loads, and what every
pure computation package consumes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date

import polars as pl

from hallbar.core import schema


def _empty(table: schema.Table) -> pl.DataFrame:
    return table.empty()


@dataclass(frozen=True)
class HRData:
    """Canonical, pseudonymised HR data. Optional tables may be empty frames.

    ``as_of`` is the snapshot date of the export (uttagsdatum): figures that need
    a point in time default to it.
    """

    as_of: date
    organisations: pl.DataFrame = field(default_factory=lambda: _empty(schema.ORGANISATIONS))
    units: pl.DataFrame = field(default_factory=lambda: _empty(schema.UNITS))
    persons: pl.DataFrame = field(default_factory=lambda: _empty(schema.PERSONS))
    employments: pl.DataFrame = field(default_factory=lambda: _empty(schema.EMPLOYMENTS))
    absences: pl.DataFrame = field(default_factory=lambda: _empty(schema.ABSENCES))
    working_time: pl.DataFrame = field(default_factory=lambda: _empty(schema.WORKING_TIME))
    pay_components: pl.DataFrame = field(default_factory=lambda: _empty(schema.PAY_COMPONENTS))
    agency_staff: pl.DataFrame = field(default_factory=lambda: _empty(schema.AGENCY_STAFF))

    def frames(self) -> dict[str, pl.DataFrame]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "as_of"}

    def with_frames(self, **frames: pl.DataFrame) -> HRData:
        return replace(self, **frames)  # type: ignore[arg-type]  # keys are frame fields

    def conformed(self) -> HRData:
        """Return a copy whose frames have exactly the canonical columns and dtypes."""
        out = {}
        for name, frame in self.frames().items():
            table = schema.TABLES_BY_NAME[name]
            target = table.polars_schema
            cols = [
                (pl.col(c).cast(dt) if c in frame.columns else pl.lit(None, dtype=dt).alias(c))
                for c, dt in target.items()
            ]
            out[name] = frame.select(cols) if frame.width or frame.height else table.empty()
        return replace(self, **out)  # type: ignore[arg-type]  # keys are frame fields
