"""The pure core: the canonical HR data model, codes, errors and self-describing figures.

Nothing here does I/O or imports the web, the database or Excel libraries.
"""
