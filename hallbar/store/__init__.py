"""The store: SQLAlchemy 2 tables, Alembic migrations, save and load of HRData."""
