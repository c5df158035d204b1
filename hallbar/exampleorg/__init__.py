"""Deterministic generator of a realistic example organisation (Exempelkommun).

``generate(size, seed=…)`` returns the files a user would import in the generic
Swedish layout; ``write_csv_folder`` writes them as CSV (UTF-8 with BOM,
semicolon, decimal comma); ``write_csv`` writes the same files without holding
the tables (for national sizes). See docs/example-organisation.md.
"""

from hallbar.exampleorg.export import ExampleExport, generate, write_csv, write_csv_folder

__all__ = ["ExampleExport", "generate", "write_csv", "write_csv_folder"]
