from datetime import date

import polars as pl

from hallbar.core import schema
from hallbar.core.dataset import HRData


def test_conformed_fills_missing_columns_with_typed_nulls():
    emp = pl.DataFrame({"employment_id": ["1"], "rate": [50]})
    data = HRData(as_of=date(2025, 12, 31), employments=emp).conformed()
    assert data.employments.columns == [c.name for c in schema.EMPLOYMENTS.columns]
    assert data.employments["rate"].dtype == pl.Float64
    assert data.employments["rate"][0] == 50.0
    assert data.employments["start_date"][0] is None


def test_every_import_table_has_unique_swedish_headers():
    for table in schema.IMPORT_TABLES:
        headers = [c.sv for c in table.columns]
        assert len(headers) == len(set(headers)), table.name
