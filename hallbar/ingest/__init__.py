"""Import of HR/payroll exports: reading, column profiles, validation, pseudonymisation.

Public API (used by services and the CLI)::

    read_export(ImportRequest(...), progress=None) -> IngestResult
    write_validation_report(result_or_problems, path) -> Path
    load_profile(name_or_path) -> Profile
    load_or_create_key(path) -> bytes
"""

from hallbar.ingest.api import ImportRequest, IngestResult, read_export
from hallbar.ingest.keys import load_or_create_key
from hallbar.ingest.profiles import Profile, builtin_profiles, load_profile
from hallbar.ingest.report import write_validation_report

__all__ = [
    "ImportRequest",
    "IngestResult",
    "Profile",
    "builtin_profiles",
    "load_or_create_key",
    "load_profile",
    "read_export",
    "write_validation_report",
]
