"""The store: SQLAlchemy 2 tables, Alembic migrations, save and load of HRData."""

from hallbar.store.store import ImportRecord, OrganisationRecord, Store, StoreError

__all__ = ["ImportRecord", "OrganisationRecord", "Store", "StoreError"]
