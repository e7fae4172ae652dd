"""Alembic environment: always given a live connection by ``storage.migrate``."""

from alembic import context

from nextlevel_desktop.storage.orm import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only ``storage.migrate`` runs migrations
    raise RuntimeError("Run migrations through nextlevel_desktop.storage.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
context.run_migrations()
