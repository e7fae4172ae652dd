"""Storage layer: SQLAlchemy 2 ORM on a SQLite workspace file, Alembic migrations, backups."""
