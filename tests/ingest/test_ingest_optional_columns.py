"""Optional columns may be left out of a file without the checks failing."""

from __future__ import annotations

from collections.abc import Callable

from hallbar.ingest import IngestResult


def test_units_without_parent_or_manager(run_import: Callable[..., IngestResult]) -> None:
    units = "enhet_id,enhetsnamn\n100,Kommunen\n110,Omsorg\n111,Hemtjänst\n"
    result = run_import({"enheter.csv": units})
    assert result.ok and result.data is not None, [str(p) for p in result.errors]
    assert result.data.units["parent_id"].null_count() == 3


def test_employments_with_only_required_columns(run_import: Callable[..., IngestResult]) -> None:
    # No monthly pay, end date or end reason: the plausibility rules must still run.
    employments = (
        "anstallnings_id,personnummer,enhet_id,anstallningsform,sysselsattningsgrad,"
        "startdatum,chefsansvar\n"
        "A1,19630820-8906,100,tillsvidare,100,2015-03-01,ja\n"
        "A2,19651122-3452,110,tillsvidare,100,2018-08-15,ja\n"
        "A3,19800101-0027,111,visstid,75,2024-06-01,nej\n"
    )
    result = run_import({"anstallningar.csv": employments})
    assert result.ok and result.data is not None, [str(p) for p in result.errors]
