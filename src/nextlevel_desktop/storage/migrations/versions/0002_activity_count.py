"""Activity counts per process, type, person and status, kept by triggers.

The activity list counts its rows again after every write; a COUNT over a million done
activities takes 50–70 ms. ``activity_count`` holds the count per (process, type, person,
status) (``person_id`` 0: nobody), built here from the rows there are and kept right by
triggers in the transaction of every insert, delete and update of ``activity`` — whoever
writes (logging, undo and redo, import, demo data, salvage). A later migration that
recreates the ``activity`` table (batch mode) must create these triggers again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_KEY = "process_id, type_id, person_id, status"


def _add(row: str) -> str:
    return (
        f"INSERT INTO activity_count ({_KEY}, n) VALUES "
        f"({row}.process_id, {row}.type_id, coalesce({row}.person_id, 0), {row}.status, 1) "
        f"ON CONFLICT ({_KEY}) DO UPDATE SET n = n + 1;"
    )


def _remove(row: str) -> str:
    return (
        f"UPDATE activity_count SET n = n - 1 WHERE process_id = {row}.process_id "
        f"AND type_id = {row}.type_id AND person_id = coalesce({row}.person_id, 0) "
        f"AND status = {row}.status;"
    )


TRIGGERS = {
    "activity_count_insert": f"AFTER INSERT ON activity BEGIN {_add('NEW')} END",
    "activity_count_delete": f"AFTER DELETE ON activity BEGIN {_remove('OLD')} END",
    "activity_count_update": (
        f"AFTER UPDATE OF {_KEY} ON activity WHEN OLD.process_id IS NOT NEW.process_id "
        "OR OLD.type_id IS NOT NEW.type_id OR OLD.person_id IS NOT NEW.person_id "
        f"OR OLD.status IS NOT NEW.status BEGIN {_remove('OLD')} {_add('NEW')} END"
    ),
}


def upgrade() -> None:
    op.create_table(
        "activity_count",
        sa.Column("process_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("type_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("person_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "process_id", "type_id", "person_id", "status", name=op.f("pk_activity_count")
        ),
    )
    op.execute(
        f"INSERT INTO activity_count ({_KEY}, n) SELECT process_id, type_id, "
        "coalesce(person_id, 0), status, count(*) FROM activity "
        "GROUP BY process_id, type_id, coalesce(person_id, 0), status"
    )
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("activity_count")
