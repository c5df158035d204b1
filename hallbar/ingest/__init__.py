"""Import of HR/payroll exports: reading, column profiles, validation, pseudonymisation.

Public API (used by services and the CLI)::

    read_export(ImportRequest(...), progress=None) -> IngestResult
    write_validation_report(result_or_problems, path) -> Path
    load_profile(name_or_path, saved_dir=None) -> Profile  # saved: by the mapping step
    load_or_create_key(path) -> bytes
    validate_org_code(code) -> str            # raises InvalidOrgCode (Swedish message)
    latest_export_date(frames) -> date | None # the default export date
    PlausibilityLimits, PayBand, XlsxLimits    # limits the caller maps from its settings
"""

from hallbar.ingest.api import ImportRequest, IngestResult, read_export
from hallbar.ingest.export_date import latest_export_date
from hallbar.ingest.keys import load_or_create_key
from hallbar.ingest.organisation import InvalidOrgCode, validate_org_code
from hallbar.ingest.plausibility import PayBand, PlausibilityLimits
from hallbar.ingest.profiles import Profile, builtin_profiles, load_profile
from hallbar.ingest.report import write_validation_report
from hallbar.ingest.xlsx_guard import XlsxLimits

__all__ = [
    "ImportRequest",
    "IngestResult",
    "InvalidOrgCode",
    "PayBand",
    "PlausibilityLimits",
    "Profile",
    "XlsxLimits",
    "builtin_profiles",
    "latest_export_date",
    "load_or_create_key",
    "load_profile",
    "read_export",
    "validate_org_code",
    "write_validation_report",
]
